"""Helpers of the API tests: tokens, a live server on loopback, and response checking."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from jsonschema import Draft202012Validator

from complaints.accounts.models import User
from complaints.api import tokens
from complaints.extensions import db
from tests.support.live import serve


def make_token(app, user, scopes=None, **kwargs) -> str:
    """Create a token for the user (by the user) and return its plain value."""
    with app.app_context():
        owner = db.session.get(User, user.id)
        wanted = scopes if scopes is not None else tokens.allowed_scopes(owner)
        _token, plain = tokens.create_token(owner.id, "test", wanted, owner, **kwargs)
        db.session.remove()
        return plain


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def response_schema(document: dict, path: str, method: str, status: int,
                    content_type: str) -> dict | None:
    """Return the documented schema of a response, failing when the status is undocumented."""
    op = document["paths"][path][method.lower()]
    responses = op["responses"]
    assert str(status) in responses, f"{method} {path}: status {status} is not documented"
    content = responses[str(status)].get("content")
    if not content:
        return None
    media = content_type.split(";")[0].strip()
    assert media in content, f"{method} {path} {status}: {media} not documented"
    return content[media]["schema"]


def check_response(document: dict, path: str, method: str, response) -> None:
    """Assert the response's status and body are as the document says."""
    schema = response_schema(document, path, method, response.status_code,
                             response.headers.get("Content-Type", ""))
    if schema is None:
        return
    root = {**schema, "components": document["components"]}
    errors = [e.message for e in Draft202012Validator(root).iter_errors(response.get_json())]
    assert not errors, f"{method} {path} {response.status_code}: {errors[:3]}"


@contextmanager
def live_server(app):
    """Serve the app on loopback for the block (tests/support/live.py); yield it with .url."""
    with serve(app) as url:
        yield SimpleNamespace(url=url)
