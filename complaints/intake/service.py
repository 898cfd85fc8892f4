"""The one way in: every channel creates complaints through create_complaint()."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from complaints.accounts.models import User
from complaints.core import clock
from complaints.core.db import transactional, write_transaction
from complaints.extensions import db
from complaints.intake.rows import NewComplaint, complaint_values, insert_complaint
from complaints.tickets import attachments
from complaints.tickets.codes import hash_access_code, new_access_code
from complaints.tickets.models import (
    Channel,
    Complaint,
    Confidentiality,
    Kind,
    LetterVia,
    Status,
)
from complaints.tickets.service import record_event


class IntakeError(ValueError):
    """The record cannot become a complaint; the message says why."""


@dataclass
class IntakeRecord:
    """What any channel knows about an incoming complaint."""

    channel: Channel
    body: str
    summary: str = ""
    kind: Kind = Kind.PENGADUAN
    received_at: datetime | None = None
    complainant_name: str | None = None
    complainant_address: str | None = None
    complainant_phone: str | None = None
    complainant_email: str | None = None
    complainant_nik: str | None = None
    confidentiality: Confidentiality = Confidentiality.BIASA
    service_id: int | None = None
    type_id: int | None = None
    division_id: int | None = None
    incident_date: date | None = None
    letter_number: str | None = None
    letter_date: date | None = None
    letter_via: LetterVia | None = None
    contact_number: str | None = None
    contact_at: datetime | None = None
    officer_on_duty_id: int | None = None
    lapor_tracking_id: str | None = None
    channel_note: str | None = None
    uploads: list[attachments.Upload] = field(default_factory=list)
    source_key: str | None = None  # the channel's message id, for idempotency
    # Queue the acknowledgement (number, access code, tracking link) in the same
    # transaction; channels that handle it themselves (email threading) leave it off.
    acknowledge: bool = False
    language: str | None = None  # the complainant's language, when known ("id", "en")


@dataclass
class IntakeResult:
    """What the intake made or found, and when made now its access code (shown once).

    Read inside the transaction, so a caller needing only these loads nothing; the
    complaint itself is loaded on demand (one SELECT) by the callers that need the object.
    """

    complaint_id: int
    number: str
    access_code_hash: str
    status: Status
    received_at: datetime
    access_code: str | None
    created: bool = True

    @property
    def complaint(self) -> Complaint:
        """Return the complaint, loaded from the session."""
        return db.session.get_one(Complaint, self.complaint_id)


# The columns an existing complaint's result is made of (a redelivered message).
_EXISTING = select(Complaint.id, Complaint.number, Complaint.access_code_hash,
                   Complaint.status, Complaint.received_at)


def _existing(source_key: str | None) -> IntakeResult | None:
    if not source_key:
        return None
    row = db.session.execute(_EXISTING.where(Complaint.source_key == source_key)).first()
    if row is None:
        return None
    return IntakeResult(*row, access_code=None, created=False)


def create_complaint(record: IntakeRecord, actor: User | None = None) -> IntakeResult:
    """Create, number and record a complaint from any channel, in one transaction.

    A record whose source_key was already taken returns the existing complaint
    (created=False) instead of making a second one.
    """
    body = (record.body or "").strip()
    if not body:
        raise IntakeError("the complaint has no text")
    actor_id = actor.id if actor else None
    try:
        with write_transaction():
            existing = _existing(record.source_key)
            if existing is not None:
                return existing
            complaint, code = _write(record, body, actor_id)
            for upload in record.uploads:
                attachments.store(complaint.id, upload, actor_id, public=True)
            if record.acknowledge:
                from complaints.notifications import service as notifications

                notifications.acknowledge_new(complaint, code, language=record.language)
        return IntakeResult(complaint.id, complaint.number, complaint.access_code_hash,
                            Status.RECEIVED, complaint.received_at, code)
    except IntegrityError:  # a concurrent intake took the source key first
        existing = _existing(record.source_key)
        if existing is None:
            raise
        return existing


def _write(record: IntakeRecord, body: str, actor_id: int | None) -> tuple[NewComplaint, str]:
    """Write the complaint's rows (Core inserts, no ORM objects); return it and its code."""
    code = new_access_code()
    values = complaint_values(record, body, actor_id, clock.now(), hash_access_code(code))
    return insert_complaint(values, actor_id), code


@transactional
def reset_access_code(complaint_id: int, actor: User) -> str:
    """Give the complaint a new access code (the old one stops working) and return it."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise IntakeError("unknown complaint")
    code = new_access_code()
    complaint.access_code_hash = hash_access_code(code)
    record_event(complaint, "access_code_reset", actor)
    return code
