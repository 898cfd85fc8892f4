"""Rules and transactions of the accounts domain: users, positions, login, audit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import cast

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from complaints.accounts.models import Assignment, AuditLog, Division, Position, User
from complaints.core import clock
from complaints.core.db import autocommit_insert, transactional
from complaints.core.timefmt import office_today
from complaints.extensions import db

# Positions that belong to a division; the others are office-wide.
DIVISION_POSITIONS = {Position.HANDLER, Position.KABID}
MIN_PASSWORD_LENGTH = 8


@cache
def _dummy_hash(method: str) -> str:
    """Return a hash to check against when the username is unknown (same cost as a miss)."""
    return generate_password_hash("not-a-real-password", method=method)


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class AccountError(ValueError):
    """A rule of the accounts domain refused the request; the message is shown to the user."""


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None  # "invalid", "locked" or "inactive"


def client_ip() -> str | None:
    """Return the client's address for the audit log, when in a request."""
    return request.remote_addr if has_request_context() else None


def add_audit(action: str, user: User | None = None, *, username: str | None = None,
              object_type: str | None = None, object_id: int | None = None,
              detail: dict | None = None) -> AuditLog:
    """Add an audit record to the current transaction."""
    entry = AuditLog(
        at=clock.now(),
        user_id=user.id if user else None,
        username=username or (user.username if user else None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip=client_ip(),
        detail=detail,
    )
    db.session.add(entry)
    return entry


def autocommit_audit(action: str, user_id: int | None, username: str | None, *,
                     object_type: str | None = None, object_id: int | None = None,
                     detail: dict | None = None) -> None:
    """Write the same record as add_audit with one INSERT, without the ORM's flush.

    Outside a write transaction the INSERT commits on its own (core.db.autocommit_insert)
    and leaves the session untouched; inside one it joins it.
    """
    autocommit_insert(_AUDIT_TABLE, {
        "at": clock.now(), "user_id": user_id, "username": username, "action": action,
        "object_type": object_type, "object_id": object_id, "ip": client_ip(),
        "detail": detail,
    })


_AUDIT_TABLE = cast(Table, AuditLog.__table__)


@transactional
def record_audit(action: str, user: User | None = None, **kwargs) -> None:
    """Write one audit record in its own transaction."""
    add_audit(action, user, **kwargs)


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too weak."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _l("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
        )


@transactional
def create_user(username: str, full_name: str, password: str, *, email: str | None = None,
                phone: str | None = None, nip: str | None = None,
                positions: list[tuple[Position, str | None]] | None = None,
                actor: User | None = None) -> User:
    """Create a staff user with optional positions given as (position, division code)."""
    username = username.strip().lower()
    if not username:
        raise AccountError(_l("A username is required."))
    exists = db.session.scalar(select(User.id).where(func.lower(User.username) == username))
    if exists:
        raise AccountError(_l("The username %(name)s is already taken.", name=username))
    check_password_rules(password)
    user = User(
        username=username,
        full_name=full_name.strip() or username,
        email=(email or "").strip() or None,
        phone=(phone or "").strip() or None,
        nip=(nip or "").strip() or None,
        password_hash=_hash(password),
        session_token=secrets.token_hex(16),
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    for position, division_code in positions or []:
        _add_assignment(user, position, division_code)
    add_audit("user_created", actor, object_type="user", object_id=user.id)
    return user


def _division_by_code(code: str | None) -> Division | None:
    if not code:
        return None
    division = db.session.scalar(select(Division).where(Division.code == code))
    if division is None:
        raise AccountError(_l("Unknown division %(code)s.", code=code))
    return division


def _add_assignment(user: User, position: Position, division_code: str | None,
                    acting: bool = False, starts_on: date | None = None,
                    ends_on: date | None = None) -> Assignment:
    division = _division_by_code(division_code)
    if position in DIVISION_POSITIONS and division is None:
        raise AccountError(_l("This position needs a division."))
    if starts_on and ends_on and ends_on < starts_on:
        raise AccountError(_l("The end date is before the start date."))
    assignment = Assignment(
        user=user, position=position, division=division, acting=acting,
        starts_on=starts_on, ends_on=ends_on,
    )
    db.session.add(assignment)
    return assignment


@transactional
def assign_position(user_id: int, position: Position, division_code: str | None = None, *,
                    acting: bool = False, starts_on: date | None = None,
                    ends_on: date | None = None, actor: User | None = None) -> Assignment:
    """Give a user a position (Plt. when acting), optionally for a period."""
    user = _get_user(user_id)
    assignment = _add_assignment(user, position, division_code, acting, starts_on, ends_on)
    db.session.flush()
    add_audit("position_assigned", actor, object_type="user", object_id=user.id,
              detail={"position": position.value, "division": division_code, "acting": acting})
    return assignment


@transactional
def remove_assignment(assignment_id: int, actor: User | None = None) -> None:
    """Take a position away from a user."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise AccountError(_l("Unknown position assignment."))
    add_audit("position_removed", actor, object_type="user", object_id=assignment.user_id,
              detail={"position": assignment.position.value})
    db.session.delete(assignment)


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise AccountError(_l("Unknown user."))
    return user


@transactional
def update_user(user_id: int, *, full_name: str, email: str | None, phone: str | None,
                nip: str | None, active: bool, actor: User | None = None) -> User:
    """Change a user's details; deactivating ends their sessions."""
    user = _get_user(user_id)
    user.full_name = full_name.strip() or user.username
    user.email = (email or "").strip() or None
    user.phone = (phone or "").strip() or None
    user.nip = (nip or "").strip() or None
    if user.active and not active:
        user.session_token = secrets.token_hex(16)
    user.active = active
    add_audit("user_updated", actor, object_type="user", object_id=user.id)
    return user


@transactional
def set_password(user_id: int, password: str, actor: User | None = None) -> None:
    """Set a new password, unlock the account and end its other sessions."""
    check_password_rules(password)
    user = _get_user(user_id)
    user.password_hash = _hash(password)
    user.session_token = secrets.token_hex(16)
    user.failed_logins = 0
    user.locked_until = None
    add_audit("password_set", actor, object_type="user", object_id=user.id)


@transactional
def authenticate(username: str, password: str) -> LoginResult:
    """Check a login, counting failures and locking the account after too many."""
    now = clock.now()
    name = (username or "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.username) == name))
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        add_audit("login_failed", username=name[:64], detail={"reason": "unknown user"})
        return LoginResult(None, "invalid")
    if user.locked_until and user.locked_until > now:
        add_audit("login_failed", user, detail={"reason": "locked"})
        return LoginResult(None, "locked")
    if not check_password_hash(user.password_hash, password or ""):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
            user.locked_until = now + timedelta(minutes=minutes)
            user.failed_logins = 0
            add_audit("account_locked", user, detail={"minutes": minutes})
        add_audit("login_failed", user, detail={"reason": "bad password"})
        return LoginResult(None, "invalid")
    if not user.active:
        add_audit("login_failed", user, detail={"reason": "inactive"})
        return LoginResult(None, "inactive")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    add_audit("login", user)
    return LoginResult(user)


@transactional
def logout(user: User) -> None:
    """Record a logout and end the user's sessions.

    Sessions live in signed cookies: without a new token, a copy of the cookie taken
    before the logout would still log in. This also ends sessions on other devices.
    """
    current = _get_user(user.id)
    current.session_token = secrets.token_hex(16)
    add_audit("logout", current)


# With its assignments in the same statement (every staff page checks them), built once:
# a statement given to session.get() with options is worked out again on every call.
_LOAD_USER = (select(User).options(joinedload(User.assignments))
              .where(User.id == bindparam("id")))


def load_user(user_id: str) -> User | None:
    """Return the user of a session id 'ID:TOKEN', or None when the token is stale."""
    raw_id, _, token = (user_id or "").partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.execute(_LOAD_USER, {"id": int(raw_id)}).unique().scalar_one_or_none()
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


@transactional
def upsert_division(code: str, name: str, active: bool = True) -> Division:
    """Create or rename a division."""
    code = code.strip().lower()
    if not code or not name.strip():
        raise AccountError(_l("Code and name are required."))
    division = db.session.scalar(select(Division).where(Division.code == code))
    if division is None:
        division = Division(code=code, name=name.strip(), active=active)
        db.session.add(division)
    else:
        division.name = name.strip()
        division.active = active
    db.session.flush()
    return division


def user_by_username(username: str) -> User | None:
    """Return the user with that username (case-insensitive)."""
    name = username.strip().lower()
    return db.session.scalar(select(User).where(func.lower(User.username) == name))


def users_with_position(position: Position, division_id: int | None = None) -> list[User]:
    """Return the active users holding a position today (in a division, when given)."""
    today = office_today()
    query = (
        select(User)
        .join(Assignment)
        .where(Assignment.position == position, User.active.is_(True))
        .order_by(User.full_name)
    )
    if division_id is not None:
        query = query.where(Assignment.division_id == division_id)
    users = db.session.scalars(query).unique().all()
    return [u for u in users if any(a.position == position and a.is_current(today)
                                    for a in u.assignments)]


def assignment_user_id(assignment_id: int) -> int:
    """Return the user id of an assignment."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise AccountError(_l("Unknown position assignment."))
    return assignment.user_id
