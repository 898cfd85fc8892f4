"""The monthly report's figures against a month computed by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from complaints.core import clock
from complaints.reports import service
from tests.reports.fixtures import AFTER, build_march


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_now(None)


def test_figures_of_march_match_the_hand_computation(ctx, factory, backend):
    build_march(factory)
    clock.set_now(AFTER)
    fig = service.provisional(2026, 3)
    assert fig["received"] == 5
    assert fig["by"]["channel"] == {"surat": 2, "email": 1, "web": 1, "sms": 1}
    assert fig["by"]["weight"] == {"ringan": 2, "sedang": 1, "": 2}
    assert fig["answered"] == 4  # A, B, C and G (first answered in March); not H
    assert fig["closed"] == 1
    t = fig["timeliness"]
    assert t["answered"] == 3
    assert t["distribution"] == {"0": 1, "1": 1, "4": 1}
    assert (t["median_days"], t["p90_days"]) == (1.0, 4.0)
    assert (t["with_due"], t["on_time"], t["on_time_rate"]) == (2, 1, 50.0)
    assert fig["satisfaction"] == {"count": 2, "mean": 3.0,
                                   "by_score": {"1": 0, "2": 1, "3": 0, "4": 1}}
    overdue_numbers = [row["number"] for row in fig["overdue"]["items"]]
    assert fig["overdue"]["total"] >= 1 and len(overdue_numbers) == fig["overdue"]["total"]
    trend = {row["month"]: row for row in fig["trend"]}
    assert trend["2026-03"]["received"] == 5 and trend["2026-02"]["received"] == 2
    assert trend["2026-02"]["answered"] == 1
