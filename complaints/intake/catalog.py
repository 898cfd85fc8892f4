"""Choices offered by intake forms: services, types, divisions, officers."""

from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import select

from complaints.accounts.models import Assignment, Position, User
from complaints.extensions import db
from complaints.tickets.models import Service
from complaints.tickets.service import active_divisions, active_types


def service_choices() -> list[tuple[int, str]]:
    """Return the active services, in catalogue order."""
    # Two columns, not Service objects: the public form reads this on every request and
    # loading ORM objects cost twice the query. Read each time (no per-process cache), so
    # a catalogue edit shows at once in every worker.
    rows = db.session.execute(
        select(Service.id, Service.name)
        .where(Service.active.is_(True))
        .order_by(Service.sort, Service.id)
    )
    return [(service_id, name) for service_id, name in rows]


def type_choices() -> list[tuple[int, str]]:
    """Return the active complaint types in the user's language."""
    locale = str(get_locale() or "id")
    return [(t.id, t.label(locale)) for t in active_types()]


def division_choices() -> list[tuple[int, str]]:
    """Return the active divisions."""
    return [(d.id, d.name) for d in active_divisions()]


def officer_choices() -> list[tuple[int, str]]:
    """Return the active staff who work on complaints (not those who only administer)."""
    rows = db.session.scalars(
        select(User)
        .join(Assignment)
        .where(User.active.is_(True), Assignment.position != Position.ADMIN)
        .order_by(User.full_name)
    ).unique()
    return [(u.id, u.full_name) for u in rows]
