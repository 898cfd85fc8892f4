"""The one intake service: numbering, idempotency, events, attachments (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from complaints.extensions import db
from complaints.intake.service import IntakeError, IntakeRecord, create_complaint
from complaints.tickets.codes import check_access_code
from complaints.tickets.models import Channel, Complaint, ComplaintEvent, Status


def test_numbers_are_per_year_and_sequential(ctx):
    first = create_complaint(IntakeRecord(channel=Channel.SURAT, body="a",
                                          received_at=datetime(2025, 12, 31, 16, 0, tzinfo=UTC)))
    second = create_complaint(IntakeRecord(channel=Channel.SURAT, body="b",
                                           received_at=datetime(2025, 12, 31, 17, 30, tzinfo=UTC)))
    third = create_complaint(IntakeRecord(channel=Channel.FAX, body="c",
                                          received_at=datetime(2025, 12, 31, 16, 30, tzinfo=UTC)))
    # 17:30 UTC on 31 December is already 1 January in Pekanbaru (WIB, UTC+7).
    assert first.complaint.number == "ADU/2025/000001"
    assert second.complaint.number == "ADU/2026/000001"
    assert third.complaint.number == "ADU/2025/000002"


def test_complaint_starts_received_with_a_created_event_and_hashed_code(ctx):
    result = create_complaint(IntakeRecord(channel=Channel.TELEPON, body="Keluhan\nbaris dua",
                                           contact_number="0761 28262"))
    complaint = db.session.get(Complaint, result.complaint.id)
    assert complaint.status == Status.RECEIVED
    assert complaint.summary == "Keluhan"
    assert len(result.access_code.replace("-", "")) == 12
    assert result.access_code not in complaint.access_code_hash
    assert check_access_code(complaint.access_code_hash, result.access_code.lower())
    assert not check_access_code(complaint.access_code_hash, "0000-0000-0000")
    (event,) = db.session.scalars(db.select(ComplaintEvent)).all()
    assert (event.kind, event.to_value, event.note) == ("created", "received", "telepon")


def test_same_source_key_makes_one_complaint(ctx):
    record = IntakeRecord(channel=Channel.SMS, body="halo", source_key="twilio:SM123")
    first = create_complaint(record)
    again = create_complaint(record)
    assert first.created and not again.created
    assert again.complaint.id == first.complaint.id
    assert db.session.scalar(db.select(db.func.count(Complaint.id))) == 1


def test_the_result_carries_the_id_and_code_hash_read_before_the_commit(ctx):
    record = IntakeRecord(channel=Channel.SMS, body="halo", source_key="twilio:SM124")
    first, again = create_complaint(record), create_complaint(record)
    stored = db.session.get(Complaint, first.complaint_id)
    for result in (first, again):
        assert result.complaint_id == stored.id
        assert result.access_code_hash == stored.access_code_hash
    assert check_access_code(first.access_code_hash, first.access_code)


def test_empty_text_is_refused_and_uses_no_number(ctx):
    with pytest.raises(IntakeError):
        create_complaint(IntakeRecord(channel=Channel.WEB, body="   "))
    result = create_complaint(IntakeRecord(channel=Channel.WEB, body="isi"))
    assert result.complaint.seq == 1


def test_events_are_append_only(ctx):
    create_complaint(IntakeRecord(channel=Channel.WEB, body="isi"))
    event = db.session.scalar(db.select(ComplaintEvent))
    event.note = "changed"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
