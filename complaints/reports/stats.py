"""Pure helpers of the report: months, weighted percentiles, working-day distributions."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

from complaints.workflow.calendar import WorkCalendar, working_days_between


def month_of(text: str) -> tuple[int, int]:
    """Return (year, month) of "YYYY-MM", or raise ValueError."""
    year_text, sep, month_text = text.partition("-")
    if not sep or len(year_text) != 4 or len(month_text) != 2:
        raise ValueError("month must be YYYY-MM")
    year, month = int(year_text), int(month_text)
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise ValueError("month must be YYYY-MM")
    return year, month


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    """Return the month `by` months after (or before, when negative) the given one."""
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def weighted_percentile(counts: dict[int, int], fraction: float) -> float | None:
    """Return the percentile of a {value: count} distribution (nearest rank; None if empty)."""
    total = sum(counts.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return float(value)
    return float(max(counts))


def working_day_distribution(pairs: Iterable[tuple[date, date, int]],
                             cal: WorkCalendar) -> dict[int, int]:
    """Return {working days taken: count} from (received day, answered day, count) groups."""
    counts: dict[int, int] = {}
    for received, answered, count in pairs:
        days = max(0, working_days_between(received, answered, cal))
        counts[days] = counts.get(days, 0) + count
    return counts


def rate(part: int, whole: int) -> float | None:
    """Return part/whole as a percentage with one decimal (None when whole is 0)."""
    return round(100.0 * part / whole, 1) if whole else None
