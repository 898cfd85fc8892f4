"""Token service: stored hashed, shown once, scopes limited, revoked, last use recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaints.accounts.models import AuditLog, User
from complaints.api import tokens
from complaints.api.models import ApiToken
from complaints.core import clock
from complaints.extensions import db


def _user(factory, role="registrar"):
    made = factory.user(positions=[(role, "perizinan")])
    return db.session.get(User, made.id)


def test_token_is_stored_hashed_and_authenticates(ctx, factory):
    user = _user(factory)
    token, plain = tokens.create_token(user.id, "dashboard", ["complaints:read"], user)
    assert plain.startswith("pgd_") and len(plain) > 40
    row = db.session.get(ApiToken, token.id)
    assert row.token_hash == tokens.hash_token(plain) and plain not in row.token_hash
    caller = tokens.authenticate(plain)
    assert caller is not None and caller.user.id == user.id
    assert caller.scopes == {"complaints:read"}
    assert db.session.get(ApiToken, token.id).last_used_at is not None
    assert db.session.query(AuditLog).filter_by(action="api_token_create").count() == 1


@pytest.mark.parametrize(("name", "scopes"), [
    ("", ["complaints:read"]), ("x" * 101, ["complaints:read"]), ("ok", []),
    ("ok", ["no:such"]),
])
def test_bad_tokens_are_refused(ctx, factory, name, scopes):
    user = _user(factory)
    with pytest.raises(tokens.TokenError):
        tokens.create_token(user.id, name, scopes, user)


def test_expiry_must_be_in_the_future(ctx, factory):
    user = _user(factory)
    with pytest.raises(tokens.TokenError):
        tokens.create_token(user.id, "x", ["complaints:read"], user,
                            expires_at=clock.now() - timedelta(minutes=1))


def test_revoke_only_own_and_then_unusable(ctx, factory):
    owner, other = _user(factory), _user(factory, "handler")
    token, plain = tokens.create_token(owner.id, "x", ["complaints:read"], owner)
    with pytest.raises(tokens.TokenError):
        tokens.revoke(token.id, other, owner_id=other.id)
    tokens.revoke(token.id, owner, owner_id=owner.id)
    assert tokens.authenticate(plain) is None
    assert tokens.tokens_of(owner.id)[0].revoked_at is not None


def test_inactive_user_token_is_refused(ctx, factory):
    user = _user(factory)
    _token, plain = tokens.create_token(user.id, "x", ["complaints:read"], user)
    user.active = False
    db.session.commit()
    assert tokens.authenticate(plain) is None
