"""Quiet hours: no SMS or WhatsApp at night, held until the morning (pure functions)."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo


def parse_hhmm(value: str) -> time:
    """Return the time of a "HH:MM" setting."""
    hours, _, minutes = value.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    """Return whether a local time of day falls in [start, end), which may span midnight."""
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def next_allowed_time(now: datetime, quiet_start: time | str, quiet_end: time | str,
                      tz: tzinfo | None = None) -> datetime:
    """Return now when outside the quiet hours, else the end of this quiet period.

    `now` is aware; the hours are read in `tz` (the office's zone, WIB) or in now's own
    zone. The answer is in now's zone, so the outbox can store it as next_attempt_at.
    """
    start = parse_hhmm(quiet_start) if isinstance(quiet_start, str) else quiet_start
    end = parse_hhmm(quiet_end) if isinstance(quiet_end, str) else quiet_end
    local = now.astimezone(tz) if tz is not None else now
    if not in_quiet_hours(local.time(), start, end):
        return now
    day = local.date()
    if start > end and local.time() >= start:
        day += timedelta(days=1)  # evening: the quiet period ends tomorrow morning
    wake = datetime.combine(day, end, tzinfo=local.tzinfo)
    return wake.astimezone(now.tzinfo)


def next_allowed_for_app(now: datetime) -> datetime:
    """Return next_allowed_time with the app's SMS_QUIET_* settings and office zone."""
    from flask import current_app

    from complaints.core.timefmt import office_tz

    cfg = current_app.config
    return next_allowed_time(now, cfg["SMS_QUIET_START"], cfg["SMS_QUIET_END"], office_tz())
