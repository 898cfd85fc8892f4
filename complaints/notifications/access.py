"""Who may see the outbox and the mail quarantine: registrar, sekretaris, admin."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from complaints.accounts.models import Position
from complaints.accounts.permissions import positions_of

MAIL_STAFF = frozenset({Position.REGISTRAR, Position.SEKRETARIS, Position.ADMIN})


def can_manage_mail(user) -> bool:
    """Return whether the user may see the outbox and the quarantine and act on them."""
    return bool(positions_of(user) & MAIL_STAFF)


def require_mail_staff(view):
    """View decorator: login for anonymous users, 403 for staff outside MAIL_STAFF."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            from complaints.extensions import login

            return login.unauthorized()
        if not can_manage_mail(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper
