"""Who may do what: positions map to permissions; complaint-level rules are pure functions."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from functools import wraps

from flask import abort
from flask_login import current_user

from complaints.accounts.models import Position, User
from complaints.core.timefmt import office_today


class Perm(enum.StrEnum):
    """Permissions checked by views and services."""

    INTAKE = "intake"  # record a letter, call, fax or walk-in
    QUEUE = "queue"  # see the staff queue
    VIEW_ALL = "view_all"  # open any complaint
    VIEW_DIVISION = "view_division"  # open the complaints of one's division or held by oneself
    REGISTER = "register"  # see the Buku Pengaduan
    REGISTER_EXPORT = "register_export"
    TRIAGE = "triage"  # register, classify, route
    SEE_IDENTITY = "see_identity"  # see the identity of anonim/rahasia complainants
    ADMIN = "admin"  # users, positions, divisions, catalogues


POSITION_PERMS: dict[Position, frozenset[Perm]] = {
    Position.LOKET: frozenset({Perm.INTAKE, Perm.QUEUE, Perm.VIEW_ALL}),
    Position.REGISTRAR: frozenset(
        {
            Perm.INTAKE,
            Perm.QUEUE,
            Perm.VIEW_ALL,
            Perm.REGISTER,
            Perm.REGISTER_EXPORT,
            Perm.TRIAGE,
            Perm.SEE_IDENTITY,
        }
    ),
    Position.HANDLER: frozenset({Perm.QUEUE, Perm.VIEW_DIVISION}),
    Position.KABID: frozenset({Perm.QUEUE, Perm.VIEW_DIVISION, Perm.REGISTER}),
    Position.SEKRETARIS: frozenset(
        {
            Perm.QUEUE,
            Perm.VIEW_ALL,
            Perm.REGISTER,
            Perm.REGISTER_EXPORT,
            Perm.SEE_IDENTITY,
        }
    ),
    Position.KADIS: frozenset(
        {Perm.QUEUE, Perm.VIEW_ALL, Perm.REGISTER, Perm.REGISTER_EXPORT, Perm.SEE_IDENTITY}
    ),
    Position.ADMIN: frozenset({Perm.ADMIN}),
}


def positions_of(user: User | None) -> set[Position]:
    """Return the positions the user holds today (including acting ones)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    today = office_today()
    return {a.position for a in user.assignments if a.is_current(today)}


def divisions_of(user: User | None) -> set[int]:
    """Return the ids of the divisions in which the user holds a position today."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    today = office_today()
    return {a.division_id for a in user.assignments if a.division_id and a.is_current(today)}


def perms_of(user: User | None) -> set[Perm]:
    """Return every permission the user has through their current positions."""
    perms: set[Perm] = set()
    for position in positions_of(user):
        perms |= POSITION_PERMS[position]
    return perms


def has_perm(user: User | None, *wanted: Perm) -> bool:
    """Return whether the user has at least one of the wanted permissions."""
    return bool(perms_of(user) & set(wanted))


def can_view_complaint(user: User | None, complaint) -> bool:
    """Return whether the user may open the complaint."""
    perms = perms_of(user)
    if Perm.VIEW_ALL in perms:
        return True
    if Perm.VIEW_DIVISION in perms and user is not None:
        if complaint.holder_id == user.id:
            return True
        return complaint.division_id is not None and complaint.division_id in divisions_of(user)
    return False


def can_see_identity(user: User | None, complaint) -> bool:
    """Return whether the complainant's identity is shown unmasked to the user."""
    if not can_view_complaint(user, complaint):
        return False
    if not complaint.is_confidential:
        return True
    return Perm.SEE_IDENTITY in perms_of(user)


def require(*wanted: Perm):
    """View decorator: 401 for anonymous users (via login), 403 without any wanted perm."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                from complaints.extensions import login

                return login.unauthorized()
            if not has_perm(current_user, *wanted):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def position_labels(positions: Iterable[Position]) -> list[str]:
    """Return the translated names of positions, in the office's order."""
    from complaints.core.labels import POSITION_LABELS

    order = list(Position)
    return [str(POSITION_LABELS[p]) for p in sorted(positions, key=order.index)]
