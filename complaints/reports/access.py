"""Who may read and act on monthly reports (by position, checked again by the service)."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from complaints.accounts.models import Position
from complaints.accounts.permissions import positions_of

READERS = frozenset({Position.REGISTRAR, Position.SEKRETARIS, Position.KADIS})


def holds(*wanted: Position) -> bool:
    """Return whether the current user holds one of the positions today."""
    return bool(positions_of(current_user) & set(wanted))


def require_position(*wanted: Position):
    """View decorator: login for anonymous users, 403 without one of the positions."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                from complaints.extensions import login

                return login.unauthorized()
            if not holds(*wanted):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
