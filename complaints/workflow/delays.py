"""Where delays happen: time at each station (position and person) in office hours."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, literal, select, union_all

from complaints.accounts.models import Position, User
from complaints.core import clock
from complaints.extensions import db
from complaints.tickets.models import Complaint, ComplaintEvent
from complaints.tickets.service import stations
from complaints.workflow.calendar import WorkCalendar, working_hours_between
from complaints.workflow.calendar_service import work_calendar

HOLDER_KINDS = ("holder", "handover")


@dataclass
class StationTime:
    """A stretch at one station with its length in office hours."""

    holder_id: int | None
    since: datetime
    until: datetime | None
    hours: float


def complaint_stations(complaint: Complaint, now: datetime | None = None) -> list[StationTime]:
    """Return the complaint's stations from its kartu kendali, measured in office hours."""
    now = now or clock.now()
    cal = work_calendar()
    return [StationTime(s.holder_id, s.since, s.until,
                        working_hours_between(s.since, s.until or now, cal))
            for s in stations(complaint, now)]


def position_of(user: User | None, today: date) -> str:
    """Return the person's main position (office order) and division as a label."""
    if user is None:
        return ""
    from complaints.core.labels import POSITION_LABELS

    current = [a for a in user.assignments if a.is_current(today) and a.position != Position.ADMIN]
    if not current:
        return ""
    main = min(current, key=lambda a: list(Position).index(a.position))
    text = str(POSITION_LABELS[main.position])
    return f"{text}, {main.division.name}" if main.division else text


def _periods_query(start: datetime, end: datetime, now: datetime):
    """Return (holder_id, since, until) of every station overlapping [start, end)."""
    lead = func.lead(ComplaintEvent.at).over(partition_by=ComplaintEvent.complaint_id,
                                             order_by=(ComplaintEvent.at, ComplaintEvent.id))
    moves = (select(ComplaintEvent.complaint_id, ComplaintEvent.to_user_id.label("holder_id"),
                    ComplaintEvent.at.label("since"), lead.label("next_at"))
             .where(ComplaintEvent.kind.in_(HOLDER_KINDS)))
    first_move = (select(ComplaintEvent.complaint_id, func.min(ComplaintEvent.at).label("at"))
                  .where(ComplaintEvent.kind.in_(HOLDER_KINDS))
                  .group_by(ComplaintEvent.complaint_id).subquery())
    # Before the first holder the file waits unrouted, at the Secretariat.
    unrouted = (select(Complaint.id.label("complaint_id"), literal(None).label("holder_id"),
                       Complaint.created_at.label("since"), first_move.c.at.label("next_at"))
                .outerjoin(first_move, first_move.c.complaint_id == Complaint.id))
    periods = union_all(moves, unrouted).subquery()
    until = func.coalesce(periods.c.next_at, Complaint.closed_at)
    return (select(periods.c.holder_id, periods.c.since, until.label("until"))
            .join(Complaint, Complaint.id == periods.c.complaint_id)
            .where(periods.c.since < end, func.coalesce(until, now) > start))


@dataclass
class StationWait:
    """One station's waiting in a month."""

    holder_id: int | None
    count: int
    total_hours: float
    median_hours: float


def month_bounds(year: int, month: int, cal: WorkCalendar) -> tuple[datetime, datetime]:
    """Return the month's start and end in office time, as UTC."""
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    start = datetime(year, month, 1, tzinfo=cal.tz).astimezone(UTC)
    return start, datetime(nxt[0], nxt[1], 1, tzinfo=cal.tz).astimezone(UTC)


def waits_by_station(year: int, month: int, now: datetime | None = None) -> list[StationWait]:
    """Return the stations of a month, longest total wait first (office hours, clipped)."""
    now = now or clock.now()
    cal = work_calendar()
    start, end = month_bounds(year, month, cal)
    hours: dict[int | None, list[float]] = defaultdict(list)
    for holder_id, since, until in db.session.execute(_periods_query(start, end, now)):
        since = _aware(since)
        until = _aware(until) if until is not None else now
        hours[holder_id].append(working_hours_between(max(since, start), min(until, end, now),
                                                      cal))
    rows = [StationWait(holder, len(v), round(sum(v), 1), round(statistics.median(v), 1))
            for holder, v in hours.items()]
    return sorted(rows, key=lambda r: (-r.total_hours, -r.count))


def _aware(value) -> datetime:
    # Raw SQL rows bypass UTCDateTime on some backends; the stored value is naive UTC.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
