"""How deadlines read on pages: due state of a complaint, station times in office hours."""

from __future__ import annotations

from flask_babel import gettext as _

from complaints.accounts.models import User
from complaints.core import clock
from complaints.extensions import db
from complaints.workflow.calendar import working_hours_between
from complaints.workflow.calendar_service import work_calendar
from complaints.workflow.deadline_service import due_soon_horizon
from complaints.workflow.delays import position_of


def due_state(complaint) -> str | None:
    """Return "overdue", "due_soon" or None for a complaint as of now."""
    due = getattr(complaint, "next_due_at", None)
    if due is None or not complaint.is_open:
        return None
    now = clock.now()
    if due <= now:
        return "overdue"
    return "due_soon" if due <= due_soon_horizon(now) else None


def is_past(moment) -> bool:
    """Return whether a (due) time has passed; False for None."""
    return moment is not None and moment <= clock.now()


def station_hours(station) -> float:
    """Return a station's length in office hours."""
    return working_hours_between(station.since, station.until or clock.now(), work_calendar())


def hours_text(hours: float) -> str:
    """Return office hours as a short text, with office days of the configured length."""
    cal = work_calendar()
    day = (cal.closes.hour * 60 + cal.closes.minute - cal.opens.hour * 60 - cal.opens.minute) / 60
    days, rest = divmod(hours, day) if day > 0 else (0, hours)
    if days:
        return _("%(d)s office days %(h)s h", d=int(days), h=round(rest, 1))
    return _("%(h)s office hours", h=round(hours, 1))


def holder_position(user_id: int | None) -> str:
    """Return the holder's position label ('' for none)."""
    if user_id is None:
        return ""
    return position_of(db.session.get(User, user_id), clock.now().date())
