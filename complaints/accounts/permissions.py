"""Who may do what: positions map to permissions; complaint-level rules are pure functions."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Viewer:
    """A user's permissions and divisions, worked out once for checks over many complaints."""

    user_id: int | None
    perms: frozenset[Perm]
    divisions: frozenset[int]

    @classmethod
    def of(cls, user: User | None) -> Viewer:
        """Return the viewer as of today (nobody for None or anonymous users)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(None, frozenset(), frozenset())
        today = office_today()
        current = [a for a in user.assignments if a.is_current(today)]
        perms = frozenset().union(*(POSITION_PERMS[a.position] for a in current))
        divisions = frozenset(a.division_id for a in current if a.division_id)
        return cls(user.id, perms, divisions)

    def may_view(self, holder_id: int | None, division_id: int | None) -> bool:
        """Return whether a complaint with this holder and division may be opened."""
        if Perm.VIEW_ALL in self.perms:
            return True
        if Perm.VIEW_DIVISION in self.perms and self.user_id is not None:
            if holder_id == self.user_id:
                return True
            return division_id is not None and division_id in self.divisions
        return False

    def may_see_identity(self, holder_id: int | None, division_id: int | None,
                         confidential: bool) -> bool:
        """Return whether the complainant's identity is shown unmasked."""
        if not self.may_view(holder_id, division_id):
            return False
        return not confidential or Perm.SEE_IDENTITY in self.perms


def can_view_complaint(user: User | None, complaint) -> bool:
    """Return whether the user may open the complaint."""
    return Viewer.of(user).may_view(complaint.holder_id, complaint.division_id)


def can_see_identity(user: User | None, complaint) -> bool:
    """Return whether the complainant's identity is shown unmasked to the user."""
    return Viewer.of(user).may_see_identity(complaint.holder_id, complaint.division_id,
                                            complaint.is_confidential)


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
