"""Personal API tokens: create (shown once), list, revoke, authenticate; scopes by position."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from complaints.accounts.models import Position, User
from complaints.accounts.permissions import Perm, perms_of, positions_of
from complaints.accounts.service import add_audit
from complaints.api.models import ApiToken
from complaints.core import clock
from complaints.core.db import transactional, write_transaction
from complaints.extensions import db
from complaints.reports.access import READERS

TOKEN_PREFIX = "pgd_"  # noqa: S105 - a marker, not a secret
# A scope is granted only while the user holds one of these permissions (checked at each use).
SCOPES: dict[str, frozenset[Perm]] = {
    "complaints:read": frozenset({Perm.QUEUE}),
    "complaints:write": frozenset({Perm.QUEUE}),
    "complaints:triage": frozenset({Perm.TRIAGE}),
    "register:read": frozenset({Perm.REGISTER}),
}
# Scopes granted by position rather than permission (the monthly report's readers).
SCOPE_POSITIONS: dict[str, frozenset[Position]] = {
    "reports:read": READERS,
}
SCOPE_LABELS = {
    "complaints:read": _l("Read and list complaints with their kartu kendali"),
    "complaints:write": _l("Add notes and replies, change the status"),
    "complaints:triage": _l("Register and triage complaints"),
    "register:read": _l("Read the Buku Pengaduan"),
    "reports:read": _l("List and read the monthly reports"),
}
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(ValueError):
    """The token cannot be created or revoked; the message says why."""


def hash_token(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def allowed_scopes(user: User | None) -> list[str]:
    """Return the scopes the user's current positions allow, in a fixed order."""
    perms, positions = perms_of(user), positions_of(user)
    return [scope for scope in [*SCOPES, *SCOPE_POSITIONS]
            if perms & SCOPES.get(scope, frozenset())
            or positions & SCOPE_POSITIONS.get(scope, frozenset())]


def effective_scopes(token: ApiToken, user: User) -> set[str]:
    """Return the token's scopes the user still may use: never more than the user has now."""
    return set(token.scope_list) & set(allowed_scopes(user))


@transactional
def create_token(user_id: int, name: str, scopes: list[str], actor: User,
                 expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token for the user; return it with its plain value (never stored)."""
    user = db.session.get(User, user_id)
    name = (name or "").strip()
    if user is None or not user.active:
        raise TokenError(_l("Unknown or inactive user."))
    if not name or len(name) > 100:
        raise TokenError(_l("Give the token a name of at most 100 characters."))
    wanted = sorted(set(scopes))
    if not wanted or set(wanted) - set(allowed_scopes(user)):
        raise TokenError(_l("Choose scopes the user's position allows."))
    if expires_at is not None and expires_at <= clock.now():
        raise TokenError(_l("The expiry must be in the future."))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(plain),
                     prefix=plain[:10], scopes=" ".join(wanted), created_at=clock.now(),
                     created_by_id=actor.id, expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    add_audit("api_token_create", db.session.get(User, actor.id), object_type="api_token",
              object_id=token.id, detail={"user_id": user.id, "scopes": wanted})
    return token, plain


def tokens_of(user_id: int) -> list[ApiToken]:
    """Return the user's tokens, newest first (revoked ones too)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    ))


@transactional
def revoke(token_id: int, actor: User, owner_id: int | None = None) -> ApiToken:
    """Revoke a token (of owner_id when given, so a user revokes only their own)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (owner_id is not None and token.user_id != owner_id):
        raise TokenError(_l("Unknown token."))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        add_audit("api_token_revoke", db.session.get(User, actor.id), object_type="api_token",
                  object_id=token.id, detail={"user_id": token.user_id})
    return token


@dataclass
class Caller:
    """Who calls the API with a valid token, and what the token may do now."""

    user: User
    token_id: int
    scopes: set[str]


def authenticate(plain: str) -> Caller | None:
    """Return the caller of a valid token of an active user; None otherwise."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    now = clock.now()
    if token is None or not token.is_usable(now) or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        _touch(token.id, now)
        token = db.session.get(ApiToken, token.id)
        if token is None:
            return None
    return Caller(token.user, token.id, effective_scopes(token, token.user))


def _touch(token_id: int, now: datetime) -> None:
    """Record the last use (at most once a minute, to spare the database writes)."""
    with write_transaction():
        token = db.session.get(ApiToken, token_id)
        if token is not None:
            token.last_used_at = now
