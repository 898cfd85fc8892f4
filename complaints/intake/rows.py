"""The rows of a new complaint, written with Core inserts on the session's connection.

The intake writes a complaint once and never reads it back in the same transaction, so
the ORM's unit of work (objects, flush, identity map) would only cost time. Every column
the ORM path set is set here: the version counter's first value, the timestamps, the due
dates (computed before the insert) and the defaults declared on the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import insert

from complaints.core.timefmt import office_tz
from complaints.extensions import db
from complaints.tickets.models import Channel, Complaint, Status
from complaints.tickets.numbering import format_register_number, next_in_sequence
from complaints.tickets.service import insert_event

if TYPE_CHECKING:
    from complaints.intake.service import IntakeRecord

REGISTER_SEQUENCE = "register"
SUMMARY_MAX = 300
# The first value of Complaint.version, the mapper's version_id_col: the ORM's default
# version generator gives 1 to a new row and adds one on every UPDATE.
FIRST_VERSION = 1

# Built once: every new complaint is written with it.
_INSERT_COMPLAINT = insert(Complaint)


@dataclass(frozen=True)
class NewComplaint:
    """A complaint as just written: what callers and the acknowledgement read of it."""

    id: int
    number: str
    channel: Channel
    received_at: datetime
    access_code_hash: str
    complainant_name: str | None
    complainant_email: str | None
    complainant_phone: str | None


def clean(value: str | None) -> str | None:
    """Return the text stripped, None when nothing is left."""
    value = (value or "").strip()
    return value or None


def make_summary(body: str) -> str:
    """Return the first line of the text, shortened, as a summary."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    if len(first) <= SUMMARY_MAX:
        return first
    return first[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"


def register_number(received_at: datetime) -> tuple[str, int, int]:
    """Take the next register number of the office year received in: (number, year, seq)."""
    year = received_at.astimezone(office_tz()).year
    seq = next_in_sequence(REGISTER_SEQUENCE, year)
    return format_register_number(current_app.config["REGISTER_PREFIX"], year, seq), year, seq


def complaint_values(record: IntakeRecord, body: str, actor_id: int | None, now: datetime,
                     access_code_hash: str) -> dict:
    """Return every column of the new complaint's row; takes its register number."""
    # Imported here: the workflow domain builds on tickets and intake, not the other way round.
    from complaints.workflow.deadline_service import initial_due_dates

    received_at = record.received_at or now
    number, year, seq = register_number(received_at)
    return {
        "number": number, "year": year, "seq": seq, "version": FIRST_VERSION,
        "kind": record.kind, "channel": record.channel, "received_at": received_at,
        "created_at": now, "updated_at": now, "created_by_id": actor_id,
        **_channel_details(record), **_complainant(record),
        "service_id": record.service_id, "type_id": record.type_id,
        "division_id": record.division_id, "incident_date": record.incident_date,
        "summary": (clean(record.summary) or make_summary(body))[:SUMMARY_MAX], "body": body,
        "status": Status.RECEIVED, "access_code_hash": access_code_hash,
        "source_key": record.source_key,
        **initial_due_dates(received_at),
    }


def _channel_details(record: IntakeRecord) -> dict:
    return {
        "letter_number": clean(record.letter_number), "letter_date": record.letter_date,
        "letter_via": record.letter_via, "contact_number": clean(record.contact_number),
        "contact_at": record.contact_at, "officer_on_duty_id": record.officer_on_duty_id,
        "lapor_tracking_id": clean(record.lapor_tracking_id),
        "channel_note": clean(record.channel_note),
    }


def _complainant(record: IntakeRecord) -> dict:
    return {
        "complainant_name": clean(record.complainant_name),
        "complainant_address": clean(record.complainant_address),
        "complainant_phone": clean(record.complainant_phone),
        "complainant_email": (clean(record.complainant_email) or "").lower() or None,
        "complainant_nik": clean(record.complainant_nik),
        "confidentiality": record.confidentiality,
    }


def insert_complaint(values: dict, actor_id: int | None) -> NewComplaint:
    """Write the complaint and its "created" kartu kendali line; return what was written."""
    key = db.session.connection().execute(_INSERT_COMPLAINT, values).inserted_primary_key
    assert key is not None
    complaint_id = int(key[0])
    insert_event(complaint_id, "created", actor_id, to_value=Status.RECEIVED,
                 note=values["channel"].value, public=True)
    return NewComplaint(
        id=complaint_id, number=values["number"], channel=values["channel"],
        received_at=values["received_at"].astimezone(UTC),
        access_code_hash=values["access_code_hash"],
        complainant_name=values["complainant_name"],
        complainant_email=values["complainant_email"],
        complainant_phone=values["complainant_phone"],
    )
