"""Compiling the figures of a month with SQL aggregates (GROUP BY), never row by row.

Only grouped results reach Python: counts per value, and for handling times the count per
(received day, answered day) pair — at most a few thousand groups whatever the month's size,
so memory stays flat as the number of complaints grows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    DateTime,
    and_,
    case,
    cast,
    func,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from complaints.accounts.models import Division
from complaints.extensions import db
from complaints.public.models import Rating
from complaints.reports.stats import (
    rate,
    shift_month,
    weighted_percentile,
    working_day_distribution,
)
from complaints.tickets.models import (
    OPEN_STATUSES,
    Complaint,
    ComplaintEvent,
    ComplaintType,
    Service,
)
from complaints.workflow.calendar import WorkCalendar, working_days_between

OVERDUE_LIST = 50  # the oldest overdue complaints listed by name; the rest are counted
GROUPS = ("channel", "weight", "kind", "status")


def month_bounds(year: int, month: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Return [start, end) of a month in office time, as aware UTC."""
    ny, nm = shift_month(year, month, 1)
    start = datetime(year, month, 1, tzinfo=tz).astimezone(UTC)
    return start, datetime(ny, nm, 1, tzinfo=tz).astimezone(UTC)


def answer_clause(event=ComplaintEvent):
    """Return the condition of an event that answers the complainant."""
    return or_(event.kind == "reply", and_(event.kind == "status", event.to_value == "answered"))


def local_day(column, offset: timedelta):
    """Return the SQL office-time day of a stored UTC timestamp (fixed offset: WIB has no DST)."""
    if db.engine.dialect.name == "sqlite":
        return func.date(column, f"{int(offset.total_seconds() // 3600):+d} hours")
    return cast(type_coerce(column, DateTime) + offset, Date)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _in_month(start: datetime, end: datetime):
    return and_(Complaint.received_at >= start, Complaint.received_at < end)


def _grouped(column, start: datetime, end: datetime) -> dict:
    rows = db.session.execute(select(column, func.count()).where(_in_month(start, end))
                              .group_by(column))
    return {(getattr(key, "value", key) if key is not None else ""): n for key, n in rows}


def _named(column, model, name_column, start: datetime, end: datetime) -> list[list]:
    counts = _grouped(column, start, end)
    names = {row[0]: row[1] for row in db.session.execute(select(model.id, name_column))}
    rows = [[names.get(key, "") if key != "" else "", n] for key, n in counts.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def tables(start: datetime, end: datetime) -> dict:
    """Return counts by channel, weight, kind, status, type, service and division."""
    out: dict = {name: _grouped(getattr(Complaint, name), start, end) for name in GROUPS}
    out["type"] = _named(Complaint.type_id, ComplaintType, ComplaintType.name_id, start, end)
    out["service"] = _named(Complaint.service_id, Service, Service.name, start, end)
    out["division"] = _named(Complaint.division_id, Division, Division.name, start, end)
    return out


def _answer_kinds(event) -> tuple:
    """Return the two disjoint conditions of answer_clause, each one range of an index."""
    return (event.kind == "reply", and_(event.kind == "status", event.to_value == "answered"))


def answered_in(start: datetime, end: datetime) -> int:
    """Return how many complaints were first answered in [start, end).

    The OR of answer_clause is split into its two kinds (UNION ALL, two NOT EXISTS): each part
    is then answered from a covering index, where an OR made SQLite read the table's rows.
    The month's answered complaints are made distinct first, so earlier answers are looked
    up once per complaint, not once per answer event.
    """
    candidates = union_all(*(
        select(ComplaintEvent.complaint_id)
        .where(kind, ComplaintEvent.at >= start, ComplaintEvent.at < end)
        for kind in _answer_kinds(ComplaintEvent))).subquery()
    answered = select(candidates.c.complaint_id).distinct().subquery()
    earlier = aliased(ComplaintEvent)
    # SELECT complaint_id, not SELECT *: SQLite then answers each EXISTS from the index alone.
    none_before = [~select(earlier.complaint_id)
                   .where(earlier.complaint_id == answered.c.complaint_id, kind,
                          earlier.at < start).exists() for kind in _answer_kinds(earlier)]
    return db.session.scalar(
        select(func.count()).select_from(answered).where(*none_before)) or 0


def closed_in(start: datetime, end: datetime) -> int:
    """Return how many complaints were closed in [start, end)."""
    return db.session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.closed_at >= start, Complaint.closed_at < end)) or 0


def _handled(start: datetime, end: datetime):
    """Return the subquery: each complaint of the month that was answered, with its first answer.

    On SQLite the first answer is a correlated MIN per complaint, so that the month's complaints
    drive the query (from the covering ix_complaint_report_month): with a join, SQLite started
    from every answer event ever recorded. PostgreSQL plans the join well (a hash join), and
    the correlated form made it run the subquery once per complaint, JIT-compiled.
    """
    if db.engine.dialect.name != "sqlite":
        return (
            select(Complaint.received_at, Complaint.due_at,
                   func.min(ComplaintEvent.at).label("answered_at"))
            .join(ComplaintEvent, and_(ComplaintEvent.complaint_id == Complaint.id,
                                       answer_clause()))
            .where(_in_month(start, end))
            .group_by(Complaint.id, Complaint.received_at, Complaint.due_at)
            .subquery()
        )
    first = (select(func.min(ComplaintEvent.at))
             .where(ComplaintEvent.complaint_id == Complaint.id, answer_clause())
             .correlate(Complaint).scalar_subquery())
    month = (select(Complaint.received_at, Complaint.due_at, first.label("answered_at"))
             .where(_in_month(start, end)).subquery())
    return select(month).where(month.c.answered_at.is_not(None)).subquery()


def timeliness(start: datetime, end: datetime, cal: WorkCalendar, offset: timedelta) -> dict:
    """Return answered-on-time counts and median / p90 handling time in working days."""
    handled = _handled(start, end)
    received_day = local_day(handled.c.received_at, offset)
    answered_day = local_day(handled.c.answered_at, offset)
    groups = db.session.execute(select(
        received_day, answered_day, func.count(), func.count(handled.c.due_at),
        func.coalesce(func.sum(case((handled.c.answered_at <= handled.c.due_at, 1), else_=0)), 0),
    ).group_by(received_day, answered_day)).all()  # one row per pair of days: a few thousand
    answered = sum(row[2] for row in groups)
    with_due = sum(row[3] for row in groups)
    on_time = sum(int(row[4]) for row in groups)
    counts = working_day_distribution(((_as_date(a), _as_date(b), n) for a, b, n, *_ in groups),
                                      cal)
    first_due, first_on_time = db.session.execute(select(
        func.count(Complaint.first_response_due_at),
        func.coalesce(func.sum(case((Complaint.first_response_at <= Complaint.first_response_due_at,
                                     1), else_=0)), 0),
    ).where(_in_month(start, end))).one()
    return {
        "answered": answered, "with_due": with_due, "on_time": on_time,
        "on_time_rate": rate(on_time, with_due),
        "first_due": first_due, "first_on_time": int(first_on_time),
        "first_on_time_rate": rate(int(first_on_time), first_due),
        "median_days": weighted_percentile(counts, 0.5),
        "p90_days": weighted_percentile(counts, 0.9),
        "distribution": {str(k): v for k, v in sorted(counts.items())},
    }


def overdue(end: datetime, now: datetime, cal: WorkCalendar) -> dict:
    """Return the open complaints received before `end` and past their due date, oldest first."""
    where = and_(Complaint.status.in_(OPEN_STATUSES), Complaint.next_due_at < now,
                 Complaint.received_at < end)
    total = db.session.scalar(select(func.count()).select_from(Complaint).where(where)) or 0
    rows = db.session.execute(
        select(Complaint.number, Complaint.received_at, Complaint.weight, Complaint.status,
               Complaint.next_due_at, Division.name)
        .outerjoin(Division, Division.id == Complaint.division_id)
        .where(where).order_by(Complaint.received_at, Complaint.id).limit(OVERDUE_LIST))
    today = now.astimezone(cal.tz).date()
    items = []
    for number, received_at, weight, status, due, division in rows:
        received_day = received_at.astimezone(cal.tz).date()
        items.append({
            "number": number, "received": received_day.isoformat(),
            "weight": weight.value if weight else "", "status": status.value,
            "due": due.astimezone(cal.tz).date().isoformat() if due else "",
            "division": division or "",
            "age_days": (today - received_day).days,
            "age_working_days": working_days_between(received_day, today, cal),
        })
    return {"total": total, "items": items}


def satisfaction(start: datetime, end: datetime) -> dict:
    """Return the ratings given in [start, end): count, mean and count per score (1–4)."""
    result = db.session.execute(
        select(Rating.score, func.count()).where(Rating.created_at >= start,
                                                 Rating.created_at < end)
        .group_by(Rating.score))
    rows: dict[int, int] = {row[0]: row[1] for row in result}
    count = sum(rows.values())
    mean = round(sum(s * n for s, n in rows.items()) / count, 2) if count else None
    return {"count": count, "mean": mean, "by_score": {str(s): rows.get(s, 0) for s in range(1, 5)}}


def trend(year: int, month: int, tz: ZoneInfo, months: int = 12) -> list[dict]:
    """Return received, answered and closed per month for the `months` ending with this one."""
    out = []
    for back in range(months - 1, -1, -1):
        y, m = shift_month(year, month, -back)
        start, end = month_bounds(y, m, tz)
        received = db.session.scalar(select(func.count()).select_from(Complaint)
                                     .where(_in_month(start, end))) or 0
        out.append({"month": f"{y:04d}-{m:02d}", "received": received,
                    "answered": answered_in(start, end), "closed": closed_in(start, end)})
    return out


def compile_figures(year: int, month: int, now: datetime, cal: WorkCalendar) -> dict:
    """Return every figure of the month as plain JSON-able data, as of `now`."""
    tz = cal.tz
    start, end = month_bounds(year, month, tz)
    offset = start.astimezone(tz).utcoffset() or timedelta(0)
    by = tables(start, end)
    months = trend(year, month, tz)  # its last month is this one: answered once, not twice
    return {
        "month": f"{year:04d}-{month:02d}",
        "as_of": now.astimezone(UTC).isoformat(),
        "received": sum(by["channel"].values()),
        "answered": months[-1]["answered"],
        "closed": months[-1]["closed"],
        "by": by,
        "timeliness": timeliness(start, end, cal, offset),
        "overdue": overdue(end, now, cal),
        "satisfaction": satisfaction(start, end),
        "trend": months,
    }
