"""The rows the intake writes with Core inserts: every column as the ORM path wrote it.

Runs on SQLite and PostgreSQL (see tests/conftest.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import func, select, text

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.messaging import acks, quiet
from complaints.notifications import outbox
from complaints.notifications import service as notifications
from complaints.notifications.models import ComplaintLanguage, OutboxMessage
from complaints.tickets import attachments
from complaints.tickets.codes import check_access_code
from complaints.tickets.models import (
    Attachment,
    Channel,
    Complaint,
    ComplaintEvent,
    Confidentiality,
    Kind,
    LetterVia,
    Status,
    Weight,
)
from complaints.tickets.service import apply_changes, load_for_update
from complaints.workflow.calendar_service import work_calendar
from complaints.workflow.deadline_service import settings
from complaints.workflow.deadlines import ComplaintFacts, due_dates, next_due
from tests.support.statements import recorded

NOW = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)  # a Wednesday, 10:00 WIB
NIGHT = datetime(2026, 11, 18, 16, 0, tzinfo=UTC)  # 23:00 WIB: SMS quiet hours
RECEIVED = datetime(2026, 11, 17, 2, 30, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_now(NOW)
    yield
    clock.set_now(None)


def _row(table, **where) -> dict:
    statement = select(table)
    for name, value in where.items():
        statement = statement.where(table.c[name] == value)
    return dict(db.session.execute(statement).mappings().one())


def _letter(**fields) -> IntakeRecord:
    data: dict = {
        "channel": Channel.SURAT, "body": "  Izin usaha belum terbit\nsudah tiga bulan  ",
        "kind": Kind.SARAN, "received_at": RECEIVED, "complainant_name": " Budi ",
        "complainant_address": "Jl. Sudirman 1", "complainant_phone": "081234567890",
        "complainant_email": " Budi@Contoh.ID ", "complainant_nik": "1471000000000001",
        "confidentiality": Confidentiality.ANONIM, "incident_date": date(2026, 11, 1),
        "letter_number": " 12/ABC ", "letter_date": date(2026, 11, 16),
        "letter_via": LetterVia.POS, "lapor_tracking_id": " ", "channel_note": "lewat pos",
        "source_key": "letter:1",
    }
    return IntakeRecord(**{**data, **fields})


def _expected_dues(received_at: datetime) -> dict:
    facts = ComplaintFacts(received_at=received_at, weight=None, status="received")
    dues = due_dates(facts, [], work_calendar(), settings())
    return {"first_response_due_at": dues.first_response, "first_response_at": None,
            "due_at": None, "next_due_at": next_due(facts, dues), "clock_paused": False}


def test_the_complaint_row_has_every_column_as_the_orm_path_wrote_it(ctx, factory):
    actor = factory.user(positions=[("loket", None)])
    result = create_complaint(_letter(), actor=actor)
    row = _row(Complaint.__table__, id=result.complaint_id)
    assert check_access_code(row.pop("access_code_hash"), result.access_code)
    assert row.pop("id") == result.complaint_id
    assert row == {
        "number": "ADU/2026/000001", "year": 2026, "seq": 1, "version": 1,
        "kind": Kind.SARAN, "channel": Channel.SURAT, "received_at": RECEIVED,
        "created_at": NOW, "updated_at": NOW, "created_by_id": actor.id,
        "letter_number": "12/ABC", "letter_date": date(2026, 11, 16),
        "letter_via": LetterVia.POS, "contact_number": None, "contact_at": None,
        "officer_on_duty_id": None, "lapor_tracking_id": None, "channel_note": "lewat pos",
        "complainant_name": "Budi", "complainant_address": "Jl. Sudirman 1",
        "complainant_phone": "081234567890", "complainant_email": "budi@contoh.id",
        "complainant_nik": "1471000000000001", "confidentiality": Confidentiality.ANONIM,
        "service_id": None, "type_id": None, "weight": None, "division_id": None,
        "summary": "Izin usaha belum terbit", "body": "Izin usaha belum terbit\nsudah tiga bulan",
        "incident_date": date(2026, 11, 1), "status": Status.RECEIVED, "holder_id": None,
        "follow_up": None, "closed_at": None, "source_key": "letter:1",
        **_expected_dues(RECEIVED),
    }
    assert row["first_response_due_at"] > RECEIVED


def test_the_result_carries_what_callers_read_without_loading_the_complaint(ctx):
    result = create_complaint(_letter())
    stored = _row(Complaint.__table__, id=result.complaint_id)
    assert (result.number, result.status, result.received_at, result.access_code_hash) == (
        stored["number"], Status.RECEIVED, RECEIVED, stored["access_code_hash"])
    assert result.created and result.complaint.id == result.complaint_id


def test_the_created_event_row_has_every_column(ctx, factory):
    actor = factory.user(positions=[("loket", None)])
    result = create_complaint(_letter(), actor=actor)
    row = _row(ComplaintEvent.__table__, complaint_id=result.complaint_id)
    assert row.pop("id") is not None
    assert row == {"complaint_id": result.complaint_id, "at": NOW, "actor_id": actor.id,
                   "kind": "created", "from_value": None, "to_value": "received",
                   "from_user_id": None, "to_user_id": None, "note": "surat", "public": True}


def test_the_language_and_the_email_acknowledgement_rows(ctx):
    result = create_complaint(_letter(acknowledge=True, language="en"))
    assert _row(ComplaintLanguage.__table__, complaint_id=result.complaint_id) == {
        "complaint_id": result.complaint_id, "language": "en"}
    row = _row(OutboxMessage.__table__, complaint_id=result.complaint_id)
    subject, body = notifications.render_message(
        "acknowledgement", "en", number=result.number, access_code=result.access_code,
        received_at=RECEIVED)
    assert row.pop("id") is not None
    assert row.pop("message_id").endswith("@" + outbox.message_id_domain() + ">")
    assert row == {
        "channel": "email", "kind": "acknowledgement", "recipient": "budi@contoh.id",
        "recipient_key": "budi@contoh.id", "recipient_name": "Budi", "language": "en",
        "subject": subject, "body_text": body, "body_html": None,
        "template": "email/acknowledgement", "context": None,
        "headers": {"Auto-Submitted": "auto-replied"}, "complaint_id": result.complaint_id,
        "event_id": None, "idempotency_key": f"ack:{result.complaint_id}",
        "in_reply_to": None, "references": None, "status": "pending", "attempts": 0,
        "next_attempt_at": NOW, "lease_until": None, "claimed_by": None,
        "provider_id": None, "last_error": None, "created_at": NOW, "updated_at": NOW,
        "sent_at": None,
    }
    assert quote(result.number, safe="") in body and result.access_code in body


def _stored(message_id: int) -> dict:
    """Return the message's columns as the database holds them (JSON as stored text)."""
    raw = db.session.execute(text("SELECT * FROM outbox_message WHERE id = :id"),
                             {"id": message_id}).mappings().one()
    return {name: (str(value) if value is not None else None) for name, value in raw.items()}


def test_the_acknowledgement_is_stored_as_the_orm_path_stores_it(ctx):
    """Core and ORM inserts store the same text, JSON and NULLs, column by column."""
    fresh = create_complaint(_letter(acknowledge=True, language="id"))
    other = create_complaint(_letter(source_key="letter:2"))
    with write_transaction():
        complaint = db.session.get(Complaint, other.complaint_id)
        general = notifications.on_complaint_created(complaint, other.access_code, "id").id
    one = _stored(db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.complaint_id == fresh.complaint_id)))
    two = _stored(general)
    for name in ("id", "complaint_id", "idempotency_key", "message_id", "subject",
                 "body_text"):
        one.pop(name), two.pop(name)
    assert one == two


def test_an_sms_acknowledgement_waits_out_the_quiet_hours(ctx):
    clock.set_now(NIGHT)
    result = create_complaint(IntakeRecord(channel=Channel.WEB, body="Izin belum terbit",
                                           complainant_phone="0812 3456 7890",
                                           acknowledge=True, language="id"))
    row = _row(OutboxMessage.__table__, complaint_id=result.complaint_id)
    assert (row["channel"], row["recipient"], row["recipient_key"]) == (
        "sms", "+6281234567890", "+6281234567890")
    assert row["next_attempt_at"] == quiet.next_allowed_for_app(NIGHT) > NIGHT
    assert row["created_at"] == NIGHT and row["message_id"] is None
    assert row["body_text"] == acks.render("acknowledgement", "id", number=result.number,
                                           access_code=result.access_code)
    assert (row["subject"], row["template"], row["headers"]) == (None, None, {})


def test_the_daily_cap_records_a_skipped_line_and_queues_nothing(ctx):
    ctx.config["MAIL_ACK_PER_SENDER_PER_DAY"] = 0
    result = create_complaint(_letter(acknowledge=True, language="id"))
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    row = _row(ComplaintEvent.__table__, kind="acknowledgement_skipped")
    row.pop("id")
    assert row == {"complaint_id": result.complaint_id, "at": NOW, "actor_id": None,
                   "kind": "acknowledgement_skipped", "from_value": None, "to_value": None,
                   "from_user_id": None, "to_user_id": None,
                   "note": "daily cap per sender reached", "public": False}
    assert _row(ComplaintLanguage.__table__)["language"] == "id"


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Complaint, ComplaintEvent, ComplaintLanguage, OutboxMessage,
                               Attachment))


def test_a_taken_source_key_returns_the_complaint_and_writes_nothing(ctx):
    first = create_complaint(_letter(acknowledge=True, language="id"))
    again = create_complaint(_letter(acknowledge=True, language="id"))
    assert not again.created and again.access_code is None
    assert (again.complaint_id, again.number, again.access_code_hash, again.status,
            again.received_at) == (first.complaint_id, first.number, first.access_code_hash,
                                   Status.RECEIVED, RECEIVED)
    assert _counts() == (1, 1, 1, 1, 0)


def test_a_failure_after_the_inserts_rolls_back_everything(ctx, monkeypatch):
    real = outbox.insert_new

    def insert_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the transaction fails after every row was written")

    monkeypatch.setattr(outbox, "insert_new", insert_then_fail)
    record = _letter(acknowledge=True, language="en",
                     uploads=[attachments.Upload("scan.png", PNG, "image/png")])
    with pytest.raises(RuntimeError):
        create_complaint(record)
    assert _counts() == (0, 0, 0, 0, 0)
    assert list(attachments.upload_dir().iterdir()) == []
    monkeypatch.setattr(outbox, "insert_new", real)
    assert create_complaint(record).number == "ADU/2026/000001"  # the number was given back
    assert _counts() == (1, 1, 1, 1, 1)


def test_an_upload_is_stored_with_the_complaint_id(ctx):
    record = _letter(uploads=[attachments.Upload("scan.png", PNG, "image/png")])
    result = create_complaint(record)
    (stored,) = db.session.scalars(select(Attachment)).all()
    assert (stored.complaint_id, stored.original_name, stored.public) == (
        result.complaint_id, "scan.png", True)
    assert attachments.path_of(stored).read_bytes() == PNG


def test_the_version_counter_starts_at_one_and_moves_with_orm_changes(ctx):
    result = create_complaint(_letter())
    with write_transaction():
        complaint = load_for_update(result.complaint_id, expected_version=1)
        apply_changes(complaint, None, weight=Weight.RINGAN)
    # Each UPDATE checked the version it read (WHERE version = …) and raised it by one.
    stored = db.session.get(Complaint, result.complaint_id, populate_existing=True)
    assert stored.version > 1 and stored.due_at is not None
    assert stored.next_due_at == min(stored.due_at, stored.first_response_due_at)


def _statements(ctx, record: IntakeRecord) -> list[str]:
    with recorded(db.engine) as statements, ctx.app_context():  # as a request: g is empty
        create_complaint(record)
    return [s.lower() for s in statements if not s.lower().startswith("begin")]


def test_a_complaint_costs_its_inserts_and_no_select_of_its_own(ctx):
    create_complaint(_letter(source_key=None))  # the counter row of the year exists now
    plain = _statements(ctx, _letter(source_key=None))
    # number, the office's days off (due dates), the complaint, its "created" line
    assert len(plain) == 4, plain
    assert plain[0].startswith("insert into counter")
    assert plain[1].startswith("select") and "day_off" in plain[1]
    assert plain[2].startswith("insert into complaint (")
    assert plain[3].startswith("insert into complaint_event (")
    uploads = [attachments.Upload("scan.png", PNG, "image/png")]
    with_file = _statements(ctx, _letter(source_key=None, uploads=uploads))
    assert with_file[:len(plain)] == plain and len(with_file) == len(plain) + 1
    assert with_file[-1].startswith("insert into attachment")


def test_the_working_day_calendar_sets_the_due_dates_of_a_weekend_complaint(ctx):
    saturday = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
    result = create_complaint(_letter(received_at=saturday))
    row = _row(Complaint.__table__, id=result.complaint_id)
    assert row["first_response_due_at"] == _expected_dues(saturday)["first_response_due_at"]
    assert row["first_response_due_at"] - saturday > timedelta(days=3)
