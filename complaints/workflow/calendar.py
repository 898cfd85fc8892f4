"""The office's working-day calendar: weekends, national holidays, cuti bersama, local days off.

Pure functions: the calendar's settings and the admin's extra days off come in as a
WorkCalendar value (built by workflow.calendar_service from config and the database).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

WEEKEND = (5, 6)  # Saturday, Sunday
HOLIDAY_COUNTRY = "ID"


@dataclass(frozen=True)
class WorkCalendar:
    """Everything that decides whether and when the office works."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    opens: time = time(7, 30)
    closes: time = time(16, 0)
    cuti_bersama_off: bool = True
    extra_days_off: frozenset[date] = frozenset()


@lru_cache(maxsize=64)
def national_days_off(year: int, cuti_bersama: bool) -> frozenset[date]:
    """Return the national holidays of a year (with cuti bersama when asked), cached."""
    import holidays  # ~0.1 s: loaded when a due date is first computed, not at start-up

    categories = ("public", "government") if cuti_bersama else ("public",)
    found = holidays.country_holidays(HOLIDAY_COUNTRY, years=year, categories=categories)
    return frozenset(found.keys())


@lru_cache(maxsize=64)
def holiday_names(year: int) -> tuple[tuple[date, str], ...]:
    """Return (date, Indonesian name) of every national holiday and cuti bersama of a year."""
    import holidays

    found = holidays.country_holidays(HOLIDAY_COUNTRY, years=year,
                                      categories=("public", "government"), language="id")
    return tuple(sorted(found.items()))


def is_working_day(day: date, cal: WorkCalendar) -> bool:
    """Return whether the office works on the given (local) day."""
    if day.weekday() in WEEKEND or day in cal.extra_days_off:
        return False
    return day not in national_days_off(day.year, cal.cuti_bersama_off)


def next_working_day(day: date, cal: WorkCalendar) -> date:
    """Return the first working day strictly after the given day."""
    day += timedelta(days=1)
    while not is_working_day(day, cal):
        day += timedelta(days=1)
    return day


def _local(moment: datetime, cal: WorkCalendar) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not accepted")
    return moment.astimezone(cal.tz)


def _at(day: date, clock_time: time, cal: WorkCalendar) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=cal.tz).astimezone(UTC)


def add_working_days(start: datetime, n: int, cal: WorkCalendar) -> datetime:
    """Return the close of office on the nth working day after the day of start (UTC).

    The day something arrives is day 0, whatever the hour: counting starts on the next
    working day, as the office counts "dalam N hari kerja". n = 0 gives the close of the
    first working day on or after the day of start.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = _local(start, cal).date()
    if n == 0:
        if not is_working_day(day, cal):
            day = next_working_day(day, cal)
        return _at(day, cal.closes, cal)
    for _ in range(n):
        day = next_working_day(day, cal)
    return _at(day, cal.closes, cal)


def working_days_between(a: date, b: date, cal: WorkCalendar) -> int:
    """Return the number of working days d with a < d <= b (negative when b is before a)."""
    if b < a:
        return -working_days_between(b, a, cal)
    count = 0
    day = a + timedelta(days=1)
    while day <= b:
        count += is_working_day(day, cal)
        day += timedelta(days=1)
    return count


def _day_seconds(day: date, lo: datetime, hi: datetime, cal: WorkCalendar) -> float:
    """Return the office seconds of one day that fall inside [lo, hi)."""
    if not is_working_day(day, cal):
        return 0.0
    start = max(lo, _at(day, cal.opens, cal))
    end = min(hi, _at(day, cal.closes, cal))
    return max(0.0, (end - start).total_seconds())


def working_hours_between(a: datetime, b: datetime, cal: WorkCalendar) -> float:
    """Return the office hours between two instants (0 when b is not after a)."""
    if b <= a:
        return 0.0
    first, last = _local(a, cal).date(), _local(b, cal).date()
    seconds = 0.0
    day = first
    while day <= last:
        seconds += _day_seconds(day, a, b, cal)
        day += timedelta(days=1)
    return seconds / 3600


def add_working_hours(start: datetime, hours: float, cal: WorkCalendar) -> datetime:
    """Return the instant that lies the given office hours after start (UTC)."""
    remaining = timedelta(hours=hours)
    day = _local(start, cal).date()
    cursor = start
    while True:
        if is_working_day(day, cal):
            opens, closes = _at(day, cal.opens, cal), _at(day, cal.closes, cal)
            begin = max(cursor, opens)
            if begin < closes:
                if begin + remaining <= closes:
                    return (begin + remaining).astimezone(UTC)
                remaining -= closes - begin
        day += timedelta(days=1)
        cursor = _at(day, time(0, 0), cal)
