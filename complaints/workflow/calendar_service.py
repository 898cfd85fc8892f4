"""The calendar as configured: settings from config, local days off from the database."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from flask import current_app, g
from sqlalchemy import select

from complaints.accounts.models import User
from complaints.core.db import transactional
from complaints.extensions import db
from complaints.workflow.calendar import WorkCalendar
from complaints.workflow.deadline_models import DayOff


class CalendarError(ValueError):
    """The day off cannot be added or removed; the message says why."""


def _clock_time(raw: str) -> time:
    hours, _, minutes = raw.partition(":")
    return time(int(hours), int(minutes or 0))


# Plain column query (no ORM entities): run for every complaint created, so kept cheap.
_DAYS_OFF = select(DayOff.__table__.c.day)
# Calendars already built, by their settings and days off (per process, bounded). The days
# off are read from the database every time, so an edit in any worker counts at once.
_BUILT: dict[tuple, WorkCalendar] = {}
_BUILT_MAX = 8


def extra_days_off() -> frozenset[date]:
    """Return every local day off an admin added."""
    return frozenset(db.session.connection().execute(_DAYS_OFF).scalars())


def work_calendar() -> WorkCalendar:
    """Return the office calendar from config and the added days off (once per app context)."""
    cached = g.get("_work_calendar")
    if cached is None:
        cached = g._work_calendar = _build_calendar()
    return cached


def _forget_calendar() -> None:
    g.pop("_work_calendar", None)


def _build_calendar() -> WorkCalendar:
    config = current_app.config
    key = (config["BABEL_DEFAULT_TIMEZONE"], config["OFFICE_OPENS"], config["OFFICE_CLOSES"],
           bool(config["WORKDAYS_CUTI_BERSAMA_OFF"]), extra_days_off())
    built = _BUILT.get(key)
    if built is None:
        if len(_BUILT) >= _BUILT_MAX:
            _BUILT.clear()
        built = _BUILT[key] = WorkCalendar(
            tz=ZoneInfo(key[0]), opens=_clock_time(key[1]), closes=_clock_time(key[2]),
            cuti_bersama_off=key[3], extra_days_off=key[4],
        )
    return built


def list_days_off(year: int | None = None) -> list[DayOff]:
    """Return the added days off (of one year, when given), in date order."""
    query = select(DayOff).order_by(DayOff.day)
    if year is not None:
        query = query.where(DayOff.day >= date(year, 1, 1), DayOff.day <= date(year, 12, 31))
    return list(db.session.scalars(query))


@transactional
def add_day_off(day: date, reason: str, actor: User | None = None) -> DayOff:
    """Add a local day off and move the due dates of open complaints accordingly."""
    reason = (reason or "").strip()
    if not reason:
        raise CalendarError("give a reason for the day off")
    if db.session.scalar(select(DayOff).where(DayOff.day == day)) is not None:
        raise CalendarError("that day is already a day off")
    row = DayOff(day=day, reason=reason[:200], created_by_id=actor.id if actor else None)
    db.session.add(row)
    db.session.flush()
    _forget_calendar()
    from complaints.workflow.deadline_service import refresh_open

    refresh_open()
    return row


@transactional
def remove_day_off(day_off_id: int) -> None:
    """Remove an added day off and move the due dates of open complaints back."""
    row = db.session.get(DayOff, day_off_id)
    if row is None:
        raise CalendarError("unknown day off")
    db.session.delete(row)
    db.session.flush()
    _forget_calendar()
    from complaints.workflow.deadline_service import refresh_open

    refresh_open()
