"""The phone and fax call log: each call is a row, and an event on its complaint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from complaints.accounts.models import User
from complaints.accounts.permissions import can_view_complaint
from complaints.core import clock
from complaints.core.db import transactional
from complaints.extensions import db
from complaints.messaging.models import CallDirection, CallLog, CallMedium, CallOutcome
from complaints.tickets.models import Complaint
from complaints.tickets.service import record_event

CALL_EVENT = "call_logged"


class CallError(ValueError):
    """The call cannot be logged; the message says why."""


@dataclass
class CallRecord:
    """What the counter officer enters for one call or fax."""

    direction: CallDirection
    medium: CallMedium
    number: str
    summary: str
    outcome: CallOutcome
    at: datetime | None = None
    complaint_id: int | None = None
    complaint_number: str | None = None  # the register number typed on the standalone page


def _target(record: CallRecord) -> Complaint | None:
    if record.complaint_id is not None:
        complaint = db.session.get(Complaint, record.complaint_id)
        if complaint is None:
            raise CallError(_l("Unknown complaint."))
        return complaint
    number = (record.complaint_number or "").strip()
    if not number:
        return None
    complaint = db.session.scalar(select(Complaint).where(Complaint.number == number))
    if complaint is None:
        raise CallError(_l("No complaint has this register number."))
    return complaint


@transactional
def log_call(record: CallRecord, officer: User) -> CallLog:
    """Log a call or fax; on a complaint it is a kartu kendali event "call_logged"."""
    if not record.number.strip() or not record.summary.strip():
        raise CallError(_l("The number and the summary are required."))
    complaint = _target(record)
    if complaint is not None and not can_view_complaint(officer, complaint):
        raise CallError(_l("You may not act on this complaint."))
    now = clock.now()
    call = CallLog(
        complaint=complaint, direction=record.direction, medium=record.medium,
        number=record.number.strip(), at=record.at or now, officer_id=officer.id,
        summary=record.summary.strip(), outcome=record.outcome, created_at=now,
    )
    db.session.add(call)
    db.session.flush()
    if complaint is not None:
        # from_value "outgoing/phone" lets the reply-proof rules decide without a join;
        # to_value is the call id for the details.
        record_event(complaint, CALL_EVENT, officer,
                     from_value=f"{call.direction.value}/{call.medium.value}",
                     to_value=str(call.id), note=call.summary)
        complaint.updated_at = now
    return call


def calls_for(complaint_id: int) -> list[CallLog]:
    """Return the calls and faxes logged on a complaint, oldest first."""
    return list(db.session.scalars(
        select(CallLog).where(CallLog.complaint_id == complaint_id).order_by(CallLog.at, CallLog.id)
    ))


def recent_calls(limit: int = 50) -> list[CallLog]:
    """Return the latest calls and faxes, newest first."""
    return list(db.session.scalars(
        select(CallLog).order_by(CallLog.at.desc(), CallLog.id.desc()).limit(limit)
    ))


def answering_calls(complaint_id: int) -> list[CallLog]:
    """Return the logged calls/faxes that answer the complaint (outgoing, got through)."""
    return [c for c in calls_for(complaint_id) if c.answers_complaint]
