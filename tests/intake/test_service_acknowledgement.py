"""The acknowledgement queued by the intake: same message as the general path, fewer queries.

Runs on SQLite and PostgreSQL (see tests/conftest.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from sqlalchemy import select

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.notifications import service as notifications
from complaints.notifications.models import ComplaintLanguage, OutboxMessage
from complaints.tickets.models import Channel, Complaint, ComplaintEvent
from tests.support.statements import recorded

NOW = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)  # a Wednesday, 10:00 WIB
COMPARED = ("channel", "kind", "recipient", "recipient_name", "language", "headers",
            "in_reply_to", "references", "template", "status", "next_attempt_at")


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_now(NOW)
    yield
    clock.set_now(None)


def _record(**fields) -> IntakeRecord:
    return IntakeRecord(channel=Channel.WEB, body="Izin belum terbit", **fields)


def _ack_of(complaint_id: int) -> OutboxMessage:
    return db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.complaint_id == complaint_id))


def _neutral(text: str, complaint: Complaint, code: str) -> str:
    text = text.replace(quote(complaint.number, safe=""), "NUMBER")  # in the tracking link
    return text.replace(complaint.number, "NUMBER").replace(code, "CODE")


def _general_path(contact: dict, language: str) -> tuple[Complaint, str]:
    """Create without the flag, then acknowledge through the general (not fresh) path."""
    result = create_complaint(_record(**contact))
    with write_transaction():
        complaint = db.session.get(Complaint, result.complaint.id)
        notifications.on_complaint_created(complaint, result.access_code, language=language)
    return result.complaint, result.access_code


@pytest.mark.parametrize("contact", [{"complainant_email": "Warga@Contoh.id",
                                      "complainant_name": "Warga"},
                                     {"complainant_phone": "0812 3456 7890"}])
@pytest.mark.parametrize("language", ["id", "en"])
def test_intake_acknowledgement_equals_the_general_path(ctx, contact, language):
    fast = create_complaint(_record(acknowledge=True, language=language, **contact))
    slow, slow_code = _general_path(contact, language)
    db.session.expire_all()
    one, two = _ack_of(fast.complaint.id), _ack_of(slow.id)
    assert one is not None and two is not None
    for name in COMPARED:
        assert getattr(one, name) == getattr(two, name), name
    assert one.idempotency_key == f"ack:{fast.complaint.id}"
    assert (one.message_id is None) == (two.message_id is None)
    for name in ("subject", "body_text"):
        assert (_neutral(getattr(one, name) or "", fast.complaint, fast.access_code)
                == _neutral(getattr(two, name) or "", slow, slow_code)), name
    for complaint_id in (fast.complaint.id, slow.id):
        assert db.session.get(ComplaintLanguage, complaint_id).language == language


def test_intake_acknowledgements_keep_the_daily_cap_per_address(ctx):
    ctx.config["MAIL_ACK_PER_SENDER_PER_DAY"] = 2
    ids = [create_complaint(_record(acknowledge=True, language="id",
                                    complainant_email=email)).complaint.id
           for email in ("sama@contoh.id", "SAMA@contoh.id", "sama@contoh.id")]
    acks = db.session.scalars(select(OutboxMessage.complaint_id)
                              .order_by(OutboxMessage.id)).all()
    assert acks == ids[:2]
    skipped = db.session.scalars(select(ComplaintEvent.complaint_id).where(
        ComplaintEvent.kind == "acknowledgement_skipped")).all()
    assert skipped == ids[2:]
    assert len(db.session.scalars(select(ComplaintLanguage)).all()) == 3


def test_no_contact_stores_the_language_and_queues_nothing(ctx):
    result = create_complaint(_record(acknowledge=True, language="en"))
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert db.session.get(ComplaintLanguage, result.complaint.id).language == "en"


def test_an_unknown_language_falls_back_to_the_office_default(ctx):
    result = create_complaint(_record(acknowledge=True, language="fr",
                                      complainant_email="a@contoh.id"))
    assert _ack_of(result.complaint.id).language == ctx.config["BABEL_DEFAULT_LOCALE"]
    assert db.session.get(ComplaintLanguage, result.complaint.id) is None


def test_an_acknowledged_complaint_costs_few_statements(ctx):
    create_complaint(_record())  # the counter row of the year exists from here on
    with recorded(db.engine) as sent, ctx.app_context():  # as a request: g is empty
        create_complaint(_record(acknowledge=True, language="id",
                                 complainant_email="hemat@contoh.id"))
    statements = [s.lower() for s in sent]
    touching = [s for s in statements if not s.startswith("begin")]
    # number, days off, complaint, its created event, the daily-cap count, language, message
    assert len(touching) == 7, statements
    assert sum("counter" in s for s in touching) == 1
    assert not [s for s in touching if s.startswith("select") and (
        "complaint_language" in s or "inbound_mail" in s or "idempotency_key" in s)]


def test_the_daily_count_matches_addresses_in_any_case_through_an_index(ctx, backend):
    from datetime import timedelta

    from complaints.notifications import outbox

    with write_transaction():
        outbox.enqueue("email", "acknowledgement", "Mixed@Case.ID", idempotency_key="k1")
        outbox.enqueue("sms", "acknowledgement", "+6281234567890", idempotency_key="k2")
    since = NOW - timedelta(days=1)
    assert outbox.count_recent("mixed@case.id", "acknowledgement", since) == 1
    assert outbox.count_recent("MIXED@CASE.ID", "acknowledgement", since) == 1
    assert outbox.count_recent("+6281234567890", "acknowledgement", since) == 1
    assert outbox.count_recent("mixed@case.id", "reply", since) == 0
    if backend == "sqlite":
        plan = db.session.execute(db.text(
            "EXPLAIN QUERY PLAN SELECT count(id) FROM outbox_message WHERE recipient_key = 'a' "
            "AND kind = 'acknowledgement' AND created_at >= '2026-01-01'")).all()
        assert "ix_outbox_message_recipient_key_kind" in str(plan)
