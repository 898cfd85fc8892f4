"""The one way in: every channel creates complaints through create_complaint()."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from complaints.accounts.models import User
from complaints.core import clock
from complaints.core.db import transactional, write_transaction
from complaints.core.timefmt import office_tz
from complaints.extensions import db
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
from complaints.tickets.numbering import format_register_number, next_in_sequence
from complaints.tickets.service import record_event

REGISTER_SEQUENCE = "register"
SUMMARY_MAX = 300


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
    """The complaint and, when it was created now, its access code (shown once).

    Made inside the transaction: complaint_id and access_code_hash are read there, so a
    caller needing only those does not reload the complaint that the commit expired.
    """

    complaint: Complaint
    access_code: str | None
    created: bool = True
    complaint_id: int = field(init=False)
    access_code_hash: str = field(init=False)

    def __post_init__(self) -> None:
        self.complaint_id = self.complaint.id
        self.access_code_hash = self.complaint.access_code_hash


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def make_summary(body: str) -> str:
    """Return the first line of the text, shortened, as a summary."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    if len(first) <= SUMMARY_MAX:
        return first
    return first[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"


def _existing(source_key: str | None) -> Complaint | None:
    if not source_key:
        return None
    return db.session.scalar(select(Complaint).where(Complaint.source_key == source_key))


def create_complaint(record: IntakeRecord, actor: User | None = None) -> IntakeResult:
    """Create, number and record a complaint from any channel, in one transaction.

    A record whose source_key was already taken returns the existing complaint
    (created=False) instead of making a second one.
    """
    body = (record.body or "").strip()
    if not body:
        raise IntakeError("the complaint has no text")
    try:
        with write_transaction():
            existing = _existing(record.source_key)
            if existing is not None:
                return IntakeResult(existing, None, created=False)
            complaint, code = _build(record, body, actor)
            for upload in record.uploads:
                attachments.store(complaint, upload, actor.id if actor else None, public=True)
            if record.acknowledge:
                from complaints.notifications import service as notifications

                notifications.on_complaint_created(complaint, code, language=record.language,
                                                  fresh=True)
            result = IntakeResult(complaint, code)  # before the commit expires the complaint
        return result
    except IntegrityError:  # a concurrent intake took the source key first
        existing = _existing(record.source_key)
        if existing is None:
            raise
        return IntakeResult(existing, None, created=False)


def _build(record: IntakeRecord, body: str, actor: User | None) -> tuple[Complaint, str]:
    now = clock.now()
    received_at = record.received_at or now
    year = received_at.astimezone(office_tz()).year
    seq = next_in_sequence(REGISTER_SEQUENCE, year)
    code = new_access_code()
    complaint = Complaint(
        number=format_register_number(current_app.config["REGISTER_PREFIX"], year, seq),
        year=year,
        seq=seq,
        kind=record.kind,
        channel=record.channel,
        received_at=received_at,
        created_at=now,
        updated_at=now,
        created_by_id=actor.id if actor else None,
        letter_number=_clean(record.letter_number),
        letter_date=record.letter_date,
        letter_via=record.letter_via,
        contact_number=_clean(record.contact_number),
        contact_at=record.contact_at,
        officer_on_duty_id=record.officer_on_duty_id,
        lapor_tracking_id=_clean(record.lapor_tracking_id),
        channel_note=_clean(record.channel_note),
        complainant_name=_clean(record.complainant_name),
        complainant_address=_clean(record.complainant_address),
        complainant_phone=_clean(record.complainant_phone),
        complainant_email=(_clean(record.complainant_email) or "").lower() or None,
        complainant_nik=_clean(record.complainant_nik),
        confidentiality=record.confidentiality,
        service_id=record.service_id,
        type_id=record.type_id,
        division_id=record.division_id,
        incident_date=record.incident_date,
        summary=(_clean(record.summary) or make_summary(body))[:SUMMARY_MAX],
        body=body,
        status=Status.RECEIVED,
        access_code_hash=hash_access_code(code),
        source_key=record.source_key,
    )
    db.session.add(complaint)
    record_event(complaint, "created", actor, to_value=Status.RECEIVED,
                 note=record.channel.value, public=True)
    db.session.flush()
    return complaint, code


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
