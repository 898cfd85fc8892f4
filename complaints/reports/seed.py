"""Demo data of the reports domain: last month's report as a draft (idempotent)."""

from __future__ import annotations

from complaints.core import clock
from complaints.reports import service
from complaints.reports.stats import shift_month
from complaints.workflow.calendar_service import work_calendar


def seed_reports_demo() -> None:
    """Compile last month's draft report unless it exists."""
    today = clock.now().astimezone(work_calendar().tz).date()
    year, month = shift_month(today.year, today.month, -1)
    if service.report_of(year, month) is None:
        service.compile_report(year, month)
