"""The working-day calendar as tables (dates checked against the holidays package, 2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from complaints.workflow.calendar import (
    WorkCalendar,
    add_working_days,
    add_working_hours,
    holiday_names,
    is_working_day,
    working_days_between,
    working_hours_between,
)

WIB = ZoneInfo("Asia/Jakarta")
CAL = WorkCalendar()  # cuti bersama counts as a day off (the default)
NO_CUTI = WorkCalendar(cuti_bersama_off=False)
LOCAL = WorkCalendar(extra_days_off=frozenset({date(2026, 11, 26), date(2026, 11, 27)}))


def wib(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


def test_the_package_knows_idul_fitri_2026_and_its_cuti_bersama():
    names = dict(holiday_names(2026))
    assert "Idul Fitri" in names[date(2026, 3, 21)]
    assert "Cuti Bersama" in names[date(2026, 3, 20)]
    assert "Cuti Bersama" in names[date(2026, 3, 23)]
    assert "Cuti Bersama" in names[date(2026, 3, 24)]


@pytest.mark.parametrize("day, cal, working", [
    (date(2026, 11, 23), CAL, True),       # a Monday
    (date(2026, 11, 28), CAL, False),      # Saturday
    (date(2026, 11, 29), CAL, False),      # Sunday
    (date(2026, 8, 17), CAL, False),       # Hari Kemerdekaan
    (date(2026, 3, 19), NO_CUTI, False),   # Nyepi is a public holiday either way
    (date(2026, 3, 23), CAL, False),       # cuti bersama Idul Fitri, counted as off
    (date(2026, 3, 23), NO_CUTI, True),    # ... and as a working day when set so
    (date(2026, 12, 24), CAL, False),      # cuti bersama Natal
    (date(2026, 12, 24), NO_CUTI, True),
    (date(2026, 11, 26), LOCAL, False),    # a local day off added by the admin
    (date(2026, 11, 26), CAL, True),
])
def test_is_working_day(day, cal, working):
    assert is_working_day(day, cal) is working


@pytest.mark.parametrize("start, n, cal, due_local", [
    # Received Friday: Mon, Tue, Wed -> due Wednesday at the close of office.
    (wib(2026, 11, 20, 9), 3, CAL, wib(2026, 11, 25, 16)),
    # Received on Saturday counts from Monday.
    (wib(2026, 11, 21, 9), 3, CAL, wib(2026, 11, 25, 16)),
    # Received late in the evening: still day 0.
    (wib(2026, 11, 23, 22), 1, CAL, wib(2026, 11, 24, 16)),
    # Idul Fitri 2026 (Sat 21 - Sun 22 March), Nyepi (Thu 19), cuti bersama Wed 18,
    # Fri 20, Mon 23, Tue 24: received Tue 17 March, 3 days -> Wed 25, Thu 26, Fri 27.
    (wib(2026, 3, 17), 3, CAL, wib(2026, 3, 27, 16)),
    # Without cuti bersama as days off: Wed 18, Fri 20, Mon 23.
    (wib(2026, 3, 17), 3, NO_CUTI, wib(2026, 3, 23, 16)),
    # 15 working days (berat) across Idul Fitri.
    (wib(2026, 3, 16), 15, CAL, wib(2026, 4, 14, 16)),  # also Good Friday 3 April
    (wib(2026, 3, 16), 15, NO_CUTI, wib(2026, 4, 8, 16)),
    # Year end: 24 (cuti bersama) and 25 December, 1 January are off.
    (wib(2026, 12, 23), 3, CAL, wib(2026, 12, 30, 16)),
    (wib(2026, 12, 23), 3, NO_CUTI, wib(2026, 12, 29, 16)),
    (wib(2026, 12, 30), 2, CAL, wib(2027, 1, 4, 16)),
    # Local days off added by an admin (Thu 26, Fri 27 November).
    (wib(2026, 11, 25), 1, LOCAL, wib(2026, 11, 30, 16)),
    (wib(2026, 11, 25), 1, CAL, wib(2026, 11, 26, 16)),
    # n = 0: the close of the same working day, or the next one.
    (wib(2026, 11, 23, 8), 0, CAL, wib(2026, 11, 23, 16)),
    (wib(2026, 11, 28, 8), 0, CAL, wib(2026, 11, 30, 16)),
])
def test_add_working_days(start, n, cal, due_local):
    due = add_working_days(start, n, cal)
    assert due.tzinfo == UTC
    assert due == due_local


@pytest.mark.parametrize("a, b, cal, days", [
    (date(2026, 11, 20), date(2026, 11, 23), CAL, 1),
    (date(2026, 3, 17), date(2026, 3, 27), CAL, 3),
    (date(2026, 3, 17), date(2026, 3, 27), NO_CUTI, 7),
    (date(2026, 3, 27), date(2026, 3, 17), CAL, -3),
    (date(2026, 12, 31), date(2026, 12, 31), CAL, 0),
])
def test_working_days_between(a, b, cal, days):
    assert working_days_between(a, b, cal) == days


@pytest.mark.parametrize("a, b, cal, hours", [
    (wib(2026, 11, 23, 8), wib(2026, 11, 23, 10), CAL, 2.0),
    (wib(2026, 11, 23, 6), wib(2026, 11, 23, 18), CAL, 8.5),         # one full office day
    (wib(2026, 11, 20, 15), wib(2026, 11, 23, 8, 30), CAL, 2.0),     # over a weekend
    (wib(2026, 3, 17, 15), wib(2026, 3, 25, 8, 30), CAL, 2.0),       # over Idul Fitri
    (wib(2026, 3, 17, 15), wib(2026, 3, 25, 8, 30), NO_CUTI, 1 + 4 * 8.5 + 1),
    (wib(2026, 11, 23, 10), wib(2026, 11, 23, 9), CAL, 0.0),
    (wib(2026, 11, 26, 8), wib(2026, 11, 27, 16), LOCAL, 0.0),
])
def test_working_hours_between(a, b, cal, hours):
    assert working_hours_between(a, b, cal) == pytest.approx(hours)


@pytest.mark.parametrize("start, hours, cal, end", [
    (wib(2026, 11, 23, 8), 2, CAL, wib(2026, 11, 23, 10)),
    (wib(2026, 11, 20, 16), 2, CAL, wib(2026, 11, 23, 9, 30)),
    (wib(2026, 11, 23, 6), 8.5, CAL, wib(2026, 11, 23, 16)),
    (wib(2026, 3, 17, 16), 1, CAL, wib(2026, 3, 25, 8, 30)),
])
def test_add_working_hours(start, hours, cal, end):
    assert add_working_hours(start, hours, cal) == end


def test_office_hours_are_a_setting():
    short = WorkCalendar(opens=time(8, 0), closes=time(12, 0))
    assert working_hours_between(wib(2026, 11, 23, 0), wib(2026, 11, 24, 0), short) == 4
    assert add_working_days(wib(2026, 11, 23), 1, short) == wib(2026, 11, 24, 12)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 11, 23, 9), 1, CAL)
