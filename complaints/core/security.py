"""Security headers on every response; the session cookie and the pages' CSRF token, each
verified or signed once per value instead of on every request."""

from __future__ import annotations

import copy
import time

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature

from complaints.core.kept import kept

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def add_headers(response):
    """Set CSP (no inline script), nosniff, no framing, referrer policy and HSTS on https."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        from flask import current_app

        seconds = current_app.config["SECURITY_HSTS_SECONDS"]
        headers.setdefault("Strict-Transport-Security", f"max-age={seconds}; includeSubDomains")
    return response


CSRF_EXTENSION = "core.csrf_tokens"
CSRF_MAX = 4096  # sessions seen recently


def csrf_token() -> str:
    """Return flask_wtf's generate_csrf() for the templates, its signed token kept.

    Every page prints the token (the language and logout forms), and signing it again costs
    an HMAC key derivation and signature per page. The signed token depends only on the
    session's raw token and the secret while tokens have no time limit (the default,
    WTF_CSRF_TIME_LIMIT = None), so one signature per session serves all its pages; with a
    time limit each page signs anew, so the token's age is the page's.
    """
    config = current_app.config
    if config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if not session.get(field):
        generate_csrf()  # the session's first token: makes the raw one and signs it
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    # The one this request signed already (a form's field may have been first), if any.
    token = kept(CSRF_EXTENSION, (secret, field, session[field]),
                 lambda: g.get(field) or generate_csrf(), CSRF_MAX)
    setattr(g, field, token)  # the page's other forms print the same token
    return token


SESSIONS_EXTENSION = "core.session_cookies"
SESSIONS_MAX = 4096  # cookie values seen recently
_IMMUTABLE = (str, int, float, bool, type(None))


class KeptCookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, each cookie value verified and decoded once per app.

    A staff member's cookie stays the same from page to page, and checking its signature
    and decoding it cost as much as a small query. The same value under the same secret
    verifies the same way, so the decoded data is kept with the time it was signed; its
    age is checked on every request, as itsdangerous checks it, and a value that does not
    verify is never kept. Each request gets its own copy of the data.
    """

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app))
        if not app.secret_key or not value:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())

        def decode() -> tuple[dict, int]:
            signer = self.get_signing_serializer(app)
            assert signer is not None  # there is a secret key
            data, signed = signer.loads(value, max_age=max_age, return_timestamp=True)
            return data, int(signed.timestamp())

        try:
            data, signed_at = kept(SESSIONS_EXTENSION, (app.secret_key, value), decode,
                                   SESSIONS_MAX)
        except BadSignature:
            return self.session_class()
        if not 0 <= int(time.time()) - signed_at <= max_age:
            return self.session_class()  # expired since it was kept (or the clock went back)
        return self.session_class({key: item if isinstance(item, _IMMUTABLE)
                                   else copy.deepcopy(item) for key, item in data.items()})


def init_app(app: Flask) -> None:
    """Install the response hook, the sessions and the templates' csrf_token().

    flask_wtf puts its own in the globals and in a context processor: ours replaces the
    first and, registered later, wins over the second.
    """
    app.after_request(add_headers)
    app.session_interface = KeptCookieSessions()
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: _CONTEXT)


_CONTEXT = {"csrf_token": csrf_token}
