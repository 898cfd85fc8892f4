"""The report's figures computed the plain way (one query per figure and month), as a reference.

complaints/reports/figures.py computes the same figures with fewer, index-covered queries;
tests compare the two on generated data, so a faster query never changes a figure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased

from complaints.extensions import db
from complaints.reports import figures as f
from complaints.reports.stats import (
    rate,
    shift_month,
    weighted_percentile,
    working_day_distribution,
)
from complaints.tickets.models import Complaint, ComplaintEvent
from complaints.workflow.calendar import WorkCalendar


def answered_in(start: datetime, end: datetime) -> int:
    earlier = aliased(ComplaintEvent)
    first = ~exists().where(earlier.complaint_id == ComplaintEvent.complaint_id,
                            f.answer_clause(earlier), earlier.at < start)
    return db.session.scalar(
        select(func.count(func.distinct(ComplaintEvent.complaint_id)))
        .where(f.answer_clause(), ComplaintEvent.at >= start, ComplaintEvent.at < end, first)
    ) or 0


def timeliness(start: datetime, end: datetime, cal: WorkCalendar, offset: timedelta) -> dict:
    in_month = and_(Complaint.received_at >= start, Complaint.received_at < end)
    handled = (
        select(Complaint.id, Complaint.received_at, Complaint.due_at,
               func.min(ComplaintEvent.at).label("answered_at"))
        .join(ComplaintEvent, and_(ComplaintEvent.complaint_id == Complaint.id,
                                   f.answer_clause()))
        .where(in_month).group_by(Complaint.id, Complaint.received_at, Complaint.due_at)
        .subquery())
    answered, with_due, on_time = db.session.execute(select(
        func.count(), func.count(handled.c.due_at),
        func.coalesce(func.sum(case((handled.c.answered_at <= handled.c.due_at, 1), else_=0)), 0),
    )).one()
    received_day = f.local_day(handled.c.received_at, offset)
    answered_day = f.local_day(handled.c.answered_at, offset)
    pairs = db.session.execute(select(received_day, answered_day, func.count())
                               .group_by(received_day, answered_day))
    counts = working_day_distribution(((f._as_date(a), f._as_date(b), n) for a, b, n in pairs),
                                      cal)
    first_due, first_on_time = db.session.execute(select(
        func.count(Complaint.first_response_due_at),
        func.coalesce(func.sum(case((Complaint.first_response_at <= Complaint.first_response_due_at,
                                     1), else_=0)), 0),
    ).where(in_month)).one()
    return {
        "answered": answered, "with_due": with_due, "on_time": int(on_time),
        "on_time_rate": rate(int(on_time), with_due),
        "first_due": first_due, "first_on_time": int(first_on_time),
        "first_on_time_rate": rate(int(first_on_time), first_due),
        "median_days": weighted_percentile(counts, 0.5),
        "p90_days": weighted_percentile(counts, 0.9),
        "distribution": {str(k): v for k, v in sorted(counts.items())},
    }


def trend(year: int, month: int, tz) -> list[dict]:
    out = []
    for back in range(11, -1, -1):
        y, m = shift_month(year, month, -back)
        start, end = f.month_bounds(y, m, tz)
        received = db.session.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.received_at >= start, Complaint.received_at < end)) or 0
        out.append({"month": f"{y:04d}-{m:02d}", "received": received,
                    "answered": answered_in(start, end), "closed": f.closed_in(start, end)})
    return out


def compile_figures(year: int, month: int, now: datetime, cal: WorkCalendar) -> dict:
    """Return every figure of the month, one plain query at a time."""
    start, end = f.month_bounds(year, month, cal.tz)
    offset = start.astimezone(cal.tz).utcoffset() or timedelta(0)
    by = f.tables(start, end)
    return {
        "month": f"{year:04d}-{month:02d}",
        "as_of": now.astimezone(UTC).isoformat(),
        "received": sum(by["channel"].values()),
        "answered": answered_in(start, end),
        "closed": f.closed_in(start, end),
        "by": by,
        "timeliness": timeliness(start, end, cal, offset),
        "overdue": f.overdue(end, now, cal),
        "satisfaction": f.satisfaction(start, end),
        "trend": trend(year, month, cal.tz),
    }
