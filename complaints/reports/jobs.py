"""Periodic job of the reports domain (listed in complaints.scheduler.JOBS); idempotent."""

from __future__ import annotations

from datetime import date

from complaints.core import clock
from complaints.reports import service
from complaints.reports.stats import shift_month
from complaints.workflow.calendar import WorkCalendar, is_working_day, next_working_day
from complaints.workflow.calendar_service import work_calendar


def first_working_day(year: int, month: int, cal: WorkCalendar) -> date:
    """Return the first working day of a month (pure)."""
    day = date(year, month, 1)
    return day if is_working_day(day, cal) else next_working_day(day, cal)


def compile_previous_month() -> str:
    """From the month's first working day on, compile last month's draft if it is missing."""
    cal = work_calendar()
    today = clock.now().astimezone(cal.tz).date()
    if today < first_working_day(today.year, today.month, cal):
        return "not yet"
    year, month = shift_month(today.year, today.month, -1)
    if service.report_of(year, month) is not None:
        return f"{year:04d}-{month:02d} exists"
    service.compile_report(year, month)
    return f"{year:04d}-{month:02d} compiled"
