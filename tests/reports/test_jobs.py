"""The scheduled compile job and the demo seed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from complaints.core import clock
from complaints.core.seed import seed_demo
from complaints.reports import jobs, service
from complaints.scheduler import job_named
from complaints.workflow.calendar import WorkCalendar


@pytest.fixture(autouse=True)
def _clock():
    yield
    clock.set_now(None)


@pytest.mark.parametrize("year, month, expected", [
    (2026, 1, date(2026, 1, 2)),  # 1 Jan is New Year
    (2026, 3, date(2026, 3, 2)),  # 1 Mar is a Sunday
    (2026, 4, date(2026, 4, 1)),
    (2026, 2, date(2026, 2, 2)),  # 1 Feb is a Sunday
])
def test_first_working_day(year, month, expected):
    assert jobs.first_working_day(year, month, WorkCalendar()) == expected


def test_job_compiles_last_month_once_from_the_first_working_day(ctx):
    assert job_named("compile_monthly_report").function() is jobs.compile_previous_month
    clock.set_now(datetime(2026, 2, 28, 20, 0, tzinfo=UTC))  # Sunday 1 Mar, 03:00 WIB
    assert jobs.compile_previous_month() == "not yet"
    clock.set_now(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))  # Monday 2 Mar
    assert jobs.compile_previous_month() == "2026-02 compiled"
    assert jobs.compile_previous_month() == "2026-02 exists"
    assert service.report_of(2026, 2).current.number == 1


def test_demo_seed_has_last_months_draft_and_is_idempotent(ctx):
    clock.set_now(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    seed_demo()
    seed_demo()
    report = service.report_of(2026, 10)
    assert report is not None and len(report.versions) == 1
    assert report.current.status.value == "draft"
