"""Keeps each complaint's stored due dates in step with its weight, status and clock."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask import current_app
from sqlalchemy import or_, select

from complaints.core.db import transactional
from complaints.extensions import db
from complaints.tickets.models import OPEN_STATUSES, Complaint, ComplaintEvent
from complaints.workflow.calendar import WorkCalendar, add_working_hours
from complaints.workflow.calendar_service import work_calendar
from complaints.workflow.deadlines import (
    RESPONDED_STATUSES,
    ComplaintFacts,
    DeadlineSettings,
    Pause,
    due_dates,
    next_due,
)

# Events recorded with record_event() after which the due dates are computed again.
DEADLINE_EVENT_KINDS = frozenset({"created", "reply", "clock_paused", "clock_resumed"})
# Changes through apply_changes() that move due dates.
DEADLINE_FIELDS = frozenset({"status", "weight"})
_RELEVANT = or_(
    ComplaintEvent.kind.in_(("reply", "clock_paused", "clock_resumed")),
    (ComplaintEvent.kind == "status") & ComplaintEvent.to_value.in_(sorted(RESPONDED_STATUSES)),
)


def settings() -> DeadlineSettings:
    """Return the working days allowed, from config."""
    config = current_app.config
    return DeadlineSettings(
        first_response_days=config["DEADLINE_FIRST_RESPONSE_DAYS"],
        ringan_days=config["DEADLINE_RINGAN_DAYS"],
        sedang_days=config["DEADLINE_SEDANG_DAYS"],
        berat_days=config["DEADLINE_BERAT_DAYS"],
    )


def due_soon_horizon(now: datetime) -> datetime:
    """Return the end of the "due soon" window: the reminder lead time in office hours."""
    return add_working_hours(now, current_app.config["ESCALATION_REMIND_BEFORE_HOURS"],
                             work_calendar())


def pauses_from(events: list[ComplaintEvent]) -> list[Pause]:
    """Return the clock pauses recorded on the kartu kendali (pure)."""
    pauses: list[Pause] = []
    since: datetime | None = None
    for event in sorted(events, key=lambda e: (e.at, e.id or 0)):
        if event.kind == "clock_paused" and since is None:
            since = event.at
        elif event.kind == "clock_resumed" and since is not None:
            pauses.append(Pause(since, event.at))
            since = None
    if since is not None:
        pauses.append(Pause(since, None))
    return pauses


def first_response_from(events: list[ComplaintEvent]) -> datetime | None:
    """Return when the complaint was first answered or routed (pure)."""
    times = [e.at for e in events if e.kind == "reply"
             or (e.kind == "status" and e.to_value in RESPONDED_STATUSES)]
    return min(times) if times else None


def due_values(facts: ComplaintFacts, events: list[ComplaintEvent], cal: WorkCalendar,
               rules: DeadlineSettings) -> dict:
    """Return the stored due-date columns for the facts and relevant events (pure)."""
    dues = due_dates(facts, pauses_from(events), cal, rules)
    return {
        "first_response_due_at": dues.first_response,
        "first_response_at": facts.first_response_at,
        "due_at": dues.resolution,
        "next_due_at": next_due(facts, dues),
        "clock_paused": dues.paused,
    }


def initial_due_dates(received_at: datetime) -> dict:
    """Return the due-date columns of a complaint being created (received, no events yet)."""
    facts = ComplaintFacts(received_at=received_at, weight=None, status="received")
    return due_values(facts, [], work_calendar(), settings())


def apply_due_dates(complaint: Complaint, events: list[ComplaintEvent], cal: WorkCalendar,
                    rules: DeadlineSettings) -> None:
    """Set the stored due-date columns of one complaint from its relevant events."""
    facts = ComplaintFacts(
        received_at=complaint.received_at,
        weight=complaint.weight.value if complaint.weight else None,
        status=complaint.status.value if complaint.status else "received",
        first_response_at=first_response_from(events),
    )
    for name, value in due_values(facts, events, cal, rules).items():
        if getattr(complaint, name) != value:
            setattr(complaint, name, value)


def refresh_due_dates(complaint: Complaint) -> None:
    """Recompute one complaint's due dates inside the caller's transaction."""
    db.session.flush()
    events = list(db.session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id, _RELEVANT)
    ))
    apply_due_dates(complaint, events, work_calendar(), settings())


def refresh_open() -> int:
    """Recompute the due dates of every open complaint; return how many there are."""
    cal, rules = work_calendar(), settings()
    complaints = list(db.session.scalars(
        select(Complaint).where(Complaint.status.in_(OPEN_STATUSES)).order_by(Complaint.id)
    ))
    by_complaint: dict[int, list[ComplaintEvent]] = defaultdict(list)
    ids = [c.id for c in complaints]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for event in db.session.scalars(
            select(ComplaintEvent).where(ComplaintEvent.complaint_id.in_(chunk), _RELEVANT)
        ):
            by_complaint[event.complaint_id].append(event)
    for complaint in complaints:
        apply_due_dates(complaint, by_complaint[complaint.id], cal, rules)
    return len(complaints)


@transactional
def refresh_all_open() -> int:
    """Job: recompute open complaints' due dates (holiday data or settings may have changed)."""
    return refresh_open()
