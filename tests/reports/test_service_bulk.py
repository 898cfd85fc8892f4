"""`flask demo bulk-load` and `flask reports compile` on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from complaints.core import clock
from complaints.extensions import db
from complaints.public.models import Rating
from complaints.reports.stats import shift_month
from complaints.tickets.models import Complaint, ComplaintEvent

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock():
    clock.set_now(NOW)
    yield
    clock.set_now(None)


def test_bulk_load_then_compile_last_month(app, runner, factory, backend):
    factory.complaint()  # one made through intake first: numbers must not collide
    result = runner.invoke(args=["demo", "bulk-load", "600"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Complaint.id))) == 601
        numbers = db.session.scalar(select(func.count(func.distinct(Complaint.number))))
        assert numbers == 601
        assert db.session.scalar(select(func.count(ComplaintEvent.id))) > 1200
        assert db.session.scalar(select(func.count(Rating.id))) > 0
        assert db.session.scalar(select(func.max(Complaint.received_at))) <= NOW
    factory.complaint()  # and after: the counter moved past the block
    year, month = shift_month(2026, 11, -1)
    result = runner.invoke(args=["reports", "compile", f"{year}-{month:02d}"])
    assert result.exit_code == 0, result.output
    assert "version 1 (draft)" in result.output
    assert runner.invoke(args=["reports", "compile", "2026-11"]).exit_code != 0
    assert runner.invoke(args=["reports", "compile", "2026-1"]).exit_code != 0


def test_compiled_figures_equal_the_plain_reference(app, runner, backend):
    """Every figure, for every month of a bulk load, as the one-query-per-figure reference."""
    from complaints.reports.figures import compile_figures
    from complaints.workflow.calendar_service import work_calendar
    from tests.reports import reference

    assert runner.invoke(args=["demo", "bulk-load", "1500", "--seed", "11"]).exit_code == 0
    with app.app_context():
        cal = work_calendar()
        for back in range(0, 13):
            year, month = shift_month(2026, 11, -back)
            ours = compile_figures(year, month, NOW, cal)
            assert ours == reference.compile_figures(year, month, NOW, cal), (year, month)
