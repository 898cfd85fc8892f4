"""The pages' CSRF token: signed once per session, and it works where a fresh one works."""

from __future__ import annotations

import re

from flask_wtf import csrf as flask_wtf_csrf

from complaints.core import security
from tests.conftest import make_app


def _tokens(html: str) -> list[str]:
    return re.findall(r'name="csrf_token" value="([^"]*)"', html)


def _counting(monkeypatch) -> list[int]:
    calls = []

    def counted(*args, **kwargs):
        calls.append(1)
        return flask_wtf_csrf.generate_csrf(*args, **kwargs)

    monkeypatch.setattr(security, "generate_csrf", counted)
    return calls


def test_a_session_is_signed_once_and_its_token_is_accepted(tmp_path, monkeypatch):
    app = make_app("sqlite", tmp_path, WTF_CSRF_ENABLED=True)
    calls = _counting(monkeypatch)
    one, two = app.test_client(), app.test_client()
    first = _tokens(one.get("/lacak").get_data(as_text=True))
    signed = len(calls)
    pages = [_tokens(one.get(path).get_data(as_text=True)) for path in ("/lacak", "/adukan", "/")]
    assert len(calls) == signed  # the same session: no new signature
    assert first and all(tokens == [first[0]] * len(tokens) for tokens in [first, *pages])
    other = _tokens(two.get("/lacak").get_data(as_text=True))
    other = _tokens(two.get("/lacak").get_data(as_text=True))  # now from the kept entry
    assert other[0] != first[0]
    with app.app_context():
        assert len(app.extensions[security.CSRF_EXTENSION]) == 2
    switch = {"next": "/lacak"}
    assert one.post("/lang/en", data=switch).status_code == 400  # no token
    assert two.post("/lang/en", data={**switch, "csrf_token": first[0]}).status_code == 400
    assert one.post("/lang/en", data={**switch, "csrf_token": first[0]}).status_code == 302
    assert two.post("/lang/en", data={**switch, "csrf_token": other[0]}).status_code == 302


def test_with_a_time_limit_every_page_signs_anew(tmp_path, monkeypatch):
    app = make_app("sqlite", tmp_path, WTF_CSRF_ENABLED=True, WTF_CSRF_TIME_LIMIT=3600)
    calls = _counting(monkeypatch)
    client = app.test_client()
    for _ in range(3):
        token = _tokens(client.get("/lacak").get_data(as_text=True))[0]
    assert len(calls) >= 3  # through flask_wtf on every page
    with app.app_context():
        assert security.CSRF_EXTENSION not in app.extensions
    sent = client.post("/lang/en", data={"next": "/lacak", "csrf_token": token})
    assert sent.status_code == 302
