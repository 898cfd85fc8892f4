"""Escalation: reminders before a due date and overdue notices, each sent once."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from complaints.accounts.models import Assignment, Position, User
from complaints.core import clock
from complaints.core.db import transactional
from complaints.extensions import db
from complaints.inbox import service as inbox
from complaints.tickets.models import OPEN_STATUSES, Complaint
from complaints.workflow.calendar import add_working_hours
from complaints.workflow.calendar_service import work_calendar
from complaints.workflow.deadline_models import EscalationNotice
from complaints.workflow.deadlines import Notice, escalations


def holders_of(position: Position, division_id: int | None = None) -> set[int]:
    """Return the ids of active users holding the position today (in the division)."""
    today = clock.now().date()
    query = select(Assignment).join(User).where(Assignment.position == position,
                                                User.active.is_(True))
    if division_id is not None:
        query = query.where(Assignment.division_id == division_id)
    return {a.user_id for a in db.session.scalars(query) if a.is_current(today)}


def holder_or_registrars(complaint: Complaint) -> set[int]:
    """Return who acts on a complaint now: its holder, else the registrars of the office."""
    if complaint.holder_id is not None:
        return {complaint.holder_id}
    return holders_of(Position.REGISTRAR)  # not yet routed: the Secretariat triages


def recipients(complaint: Complaint, kind: str) -> set[int]:
    """Return who is told: the holder before the due date; Kabid and Sekretaris after."""
    if kind == "reminder":
        return holder_or_registrars(complaint)
    users = holders_of(Position.SEKRETARIS)
    if complaint.division_id is not None:
        users |= holders_of(Position.KABID, complaint.division_id)
    return users


def _send_once(complaint: Complaint, notice: Notice) -> bool:
    """Record the notice and tell its recipients, unless it was sent already."""
    key = (EscalationNotice.complaint_id == complaint.id, EscalationNotice.kind == notice.kind,
           EscalationNotice.due_at == notice.due_at)
    if db.session.scalar(select(EscalationNotice.id).where(*key)) is not None:
        return False
    try:
        with db.session.begin_nested():  # a concurrent run of the job may win the key
            db.session.add(EscalationNotice(complaint_id=complaint.id, kind=notice.kind,
                                            due_at=notice.due_at, sent_at=clock.now()))
            inbox.notify(recipients(complaint, notice.kind), f"deadline_{notice.kind}",
                         {"number": complaint.number, "due": notice.due_at.isoformat()},
                         complaint_id=complaint.id)
    except IntegrityError:
        return False
    return True


@transactional
def escalate(now: datetime | None = None) -> int:
    """Send the reminders and overdue notices due now; return how many were sent."""
    now = now or clock.now()
    cal = work_calendar()
    hours = current_app.config["ESCALATION_REMIND_BEFORE_HOURS"]
    horizon = add_working_hours(now, hours, cal)
    candidates = db.session.scalars(
        select(Complaint).where(Complaint.status.in_(OPEN_STATUSES),
                                Complaint.next_due_at.is_not(None),
                                Complaint.next_due_at <= horizon)
        .order_by(Complaint.next_due_at, Complaint.id)
    )
    sent = 0
    for complaint in list(candidates):
        for notice in escalations(complaint.next_due_at, now, hours, cal):
            sent += _send_once(complaint, notice)
    return sent
