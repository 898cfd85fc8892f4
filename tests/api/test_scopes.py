"""Scopes by position, tested with real tokens: a token never grants more than its user has now."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from complaints.accounts.models import Assignment, User
from complaints.api import tokens
from complaints.extensions import db
from tests.api.support import bearer, make_token

READ, WRITE, TRIAGE, REGISTER = ("complaints:read", "complaints:write", "complaints:triage",
                                 "register:read")
REPORTS = "reports:read"
ALLOWED = {
    "loket": {READ, WRITE},
    "registrar": {READ, WRITE, TRIAGE, REGISTER, REPORTS},
    "handler": {READ, WRITE},
    "kabid": {READ, WRITE, REGISTER},
    "sekretaris": {READ, WRITE, REGISTER, REPORTS},
    "kadis": {READ, WRITE, REGISTER, REPORTS},
    "admin": set(),
}
# (operation, method, url, scope it needs); POSTs carry an empty but valid-looking body.
OPERATIONS = [
    ("GET", "/api/v1/complaints", None, READ),
    ("GET", "/api/v1/complaints/{id}", None, READ),
    ("POST", "/api/v1/complaints/{id}/register", {"version": 1}, TRIAGE),
    ("POST", "/api/v1/complaints/{id}/triage", {"version": 1}, TRIAGE),
    ("POST", "/api/v1/complaints/{id}/status", {"version": 1, "action": "close"}, WRITE),
    ("POST", "/api/v1/complaints/{id}/notes", {"text": "x"}, WRITE),
    ("POST", "/api/v1/complaints/{id}/replies", {"version": 1, "text": "x"}, WRITE),
    ("GET", "/api/v1/register", None, REGISTER),
    ("GET", "/api/v1/catalogue", None, READ),
    ("GET", "/api/v1/reports", None, REPORTS),
    ("GET", "/api/v1/reports/{id}", None, REPORTS),
]


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_allowed_scopes_follow_the_position(ctx, factory, role):
    user = factory.user(positions=[(role, "perizinan")])
    assert set(tokens.allowed_scopes(db.session.get(User, user.id))) == ALLOWED[role]


@pytest.mark.parametrize("role", sorted(set(ALLOWED) - {"admin"}))
def test_each_operation_needs_its_scope(app, client, factory, role):
    user = factory.user(positions=[(role, "perizinan")])
    complaint, _code = factory.complaint()
    token = make_token(app, user)
    for method, url, body, scope in OPERATIONS:
        response = client.open(url.format(id=complaint.id), method=method, json=body,
                               headers=bearer(token))
        if scope in ALLOWED[role]:
            assert response.status_code not in (401, 403), (role, url, response.get_json())
        else:
            assert response.status_code == 403, (role, url, response.get_json())


def test_a_handler_token_cannot_triage(app, client, factory):
    handler = factory.user(positions=[("handler", "perizinan")])
    complaint, _code = factory.complaint()
    with app.app_context(), pytest.raises(tokens.TokenError):
        tokens.create_token(handler.id, "x", [TRIAGE], db.session.get(User, handler.id))
    token = make_token(app, handler)
    response = client.post(f"/api/v1/complaints/{complaint.id}/triage", headers=bearer(token),
                           json={"version": 1, "type_id": 1, "weight": "ringan",
                                 "division_id": 1, "holder_id": handler.id})
    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/problem+json"


def test_a_revoked_token_gets_401(app, client, factory):
    user = factory.user(positions=[("registrar", None)])
    token = make_token(app, user)
    assert client.get("/api/v1/complaints", headers=bearer(token)).status_code == 200
    with app.app_context():
        row = tokens.tokens_of(user.id)[0]
        tokens.revoke(row.id, db.session.get(User, user.id))
    response = client.get("/api/v1/complaints", headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_loses_scopes_with_the_position(app, client, factory):
    user = factory.user(positions=[("registrar", None)])
    token = make_token(app, user)
    with app.app_context():
        for assignment in db.session.scalars(select(Assignment)
                                             .where(Assignment.user_id == user.id)):
            db.session.delete(assignment)
        db.session.commit()
    assert client.get("/api/v1/complaints", headers=bearer(token)).status_code == 403


def test_unknown_expired_and_malformed_tokens_get_401(app, client, factory):
    from datetime import timedelta

    from complaints.core import clock

    user = factory.user(positions=[("registrar", None)])
    with app.app_context():
        soon = clock.now() + timedelta(hours=1)
    token = make_token(app, user, expires_at=soon)
    assert client.get("/api/v1/complaints", headers=bearer(token)).status_code == 200
    clock.set_now(soon + timedelta(seconds=1))
    try:
        assert client.get("/api/v1/complaints", headers=bearer(token)).status_code == 401
    finally:
        clock.set_now(None)
    for header in ("Bearer pgd_nope", "Basic abc", "Bearer", ""):
        response = client.get("/api/v1/complaints", headers={"Authorization": header})
        assert response.status_code == 401


def test_reports_scope_follows_the_report_readers(app, client, factory):
    """Kabid reads the register but not the monthly reports; a token cannot be made for it."""
    kabid = factory.user(positions=[("kabid", "perizinan")])
    with app.app_context(), pytest.raises(tokens.TokenError):
        tokens.create_token(kabid.id, "x", [REPORTS], db.session.get(User, kabid.id))
    response = client.get("/api/v1/reports", headers=bearer(make_token(app, kabid)))
    assert response.status_code == 403
    kadis = factory.user(positions=[("kadis", None)])
    token = make_token(app, kadis, scopes=[REPORTS])
    assert client.get("/api/v1/reports", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/complaints", headers=bearer(token)).status_code == 403
