"""Conversions between the office's local time (WIB) and stored UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def office_tz() -> ZoneInfo:
    """Return the office's time zone (Asia/Jakarta by default)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def from_local(value: datetime | None) -> datetime | None:
    """Return a naive local datetime (from a form) as aware UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=office_tz())
    return value.astimezone(UTC)


def to_local(value: datetime | None) -> datetime | None:
    """Return an aware datetime in the office's time zone."""
    return value.astimezone(office_tz()) if value else None


def office_today() -> date:
    """Return today's date in the office's time zone (position dates are office days)."""
    from complaints.core import clock

    return clock.now().astimezone(office_tz()).date()
