"""Due dates and escalation decisions as tables (pure functions, no database)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from complaints.workflow.calendar import WorkCalendar
from complaints.workflow.deadlines import (
    ComplaintFacts,
    DeadlineSettings,
    Pause,
    due_dates,
    escalations,
    next_due,
)

WIB = ZoneInfo("Asia/Jakarta")
CAL = WorkCalendar()
NO_CUTI = WorkCalendar(cuti_bersama_off=False)
RULES = DeadlineSettings()


def wib(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


FRI = wib(2026, 11, 20, 9)  # a Friday in an ordinary month


@pytest.mark.parametrize("weight, cal, first, resolution", [
    (None, CAL, wib(2026, 11, 25, 16), None),
    ("ringan", CAL, wib(2026, 11, 25, 16), wib(2026, 11, 25, 16)),
    ("sedang", CAL, wib(2026, 11, 25, 16), wib(2026, 12, 1, 16)),
    ("berat", CAL, wib(2026, 11, 25, 16), wib(2026, 12, 11, 16)),
])
def test_due_dates_per_weight(weight, cal, first, resolution):
    dues = due_dates(ComplaintFacts(FRI, weight, "triaged"), [], cal, RULES)
    assert (dues.first_response, dues.resolution, dues.paused) == (first, resolution, False)


@pytest.mark.parametrize("weight, cal, resolution", [
    # Received Tuesday 17 March 2026, before Nyepi and Idul Fitri.
    ("ringan", CAL, wib(2026, 3, 27, 16)),
    ("ringan", NO_CUTI, wib(2026, 3, 23, 16)),
    ("sedang", CAL, wib(2026, 4, 2, 16)),
    ("sedang", NO_CUTI, wib(2026, 3, 27, 16)),
])
def test_due_dates_across_idul_fitri(weight, cal, resolution):
    dues = due_dates(ComplaintFacts(wib(2026, 3, 17), weight, "in_handling"), [], cal, RULES)
    assert dues.resolution == resolution


def test_settings_give_the_days():
    rules = DeadlineSettings(first_response_days=1, ringan_days=2, sedang_days=4, berat_days=6)
    dues = due_dates(ComplaintFacts(FRI, "berat", "triaged"), [], CAL, rules)
    assert dues.first_response == wib(2026, 11, 23, 16)
    assert dues.resolution == wib(2026, 11, 30, 16)


@pytest.mark.parametrize("pauses, resolution, paused", [
    # One office day paused (Tuesday, opening to closing) moves the due date a day.
    ([Pause(wib(2026, 11, 24, 7, 30), wib(2026, 11, 24, 16))], wib(2026, 11, 26, 16), False),
    # Two office hours paused move it into the next morning.
    ([Pause(wib(2026, 11, 24, 9), wib(2026, 11, 24, 11))], wib(2026, 11, 26, 9, 30), False),
    # A pause over a weekend costs nothing.
    ([Pause(wib(2026, 11, 20, 17), wib(2026, 11, 23, 7))], wib(2026, 11, 25, 16), False),
    # A pause after the due date does not move it.
    ([Pause(wib(2026, 11, 26, 9), wib(2026, 11, 27, 9))], wib(2026, 11, 25, 16), False),
    # Still paused: no due date while the clock stands.
    ([Pause(wib(2026, 11, 24, 9), None)], None, True),
    # Two pauses add up.
    ([Pause(wib(2026, 11, 23, 9), wib(2026, 11, 23, 11)),
      Pause(wib(2026, 11, 24, 9), wib(2026, 11, 24, 11))], wib(2026, 11, 26, 11, 30), False),
])
def test_pauses_move_the_due_date(pauses, resolution, paused):
    dues = due_dates(ComplaintFacts(FRI, "ringan", "in_handling"), pauses, CAL, RULES)
    assert (dues.resolution, dues.paused) == (resolution, paused)


@pytest.mark.parametrize("status, weight, first_response_at, expected", [
    ("received", None, None, wib(2026, 11, 25, 16)),
    ("triaged", "berat", None, wib(2026, 12, 11, 16)),       # routing is the first response
    ("registered", "berat", wib(2026, 11, 23), wib(2026, 12, 11, 16)),  # replied already
    ("registered", "berat", None, wib(2026, 11, 25, 16)),
    ("answered", "ringan", None, None),
    ("closed", "ringan", None, None),
    ("rejected", None, None, None),
])
def test_next_due_is_the_earliest_pending(status, weight, first_response_at, expected):
    facts = ComplaintFacts(FRI, weight, status, first_response_at)
    assert next_due(facts, due_dates(facts, [], CAL, RULES)) == expected


DUE = wib(2026, 11, 25, 16)


@pytest.mark.parametrize("now, kinds", [
    (wib(2026, 11, 23, 9), []),                      # far from due
    (wib(2026, 11, 24, 16), []),                     # 8.5 office hours before: not yet
    (wib(2026, 11, 25, 8), ["reminder"]),            # 8 office hours before
    (wib(2026, 11, 25, 15, 59), ["reminder"]),
    (wib(2026, 11, 25, 16), ["overdue"]),
    (wib(2026, 12, 25, 16), ["overdue"]),
])
def test_escalations(now, kinds):
    found = escalations(DUE, now, 8, CAL)
    assert [n.kind for n in found] == kinds
    assert all(n.due_at == DUE for n in found)


def test_no_escalation_without_due_date():
    assert escalations(None, wib(2026, 11, 25, 16), 8, CAL) == []
