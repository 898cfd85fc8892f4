"""Messaging services on SQLite and PostgreSQL: concurrent deliveries, statuses, call log."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import requests
from sqlalchemy import func, select

from complaints.core import clock
from complaints.extensions import db
from complaints.messaging import calls, inbound, status
from complaints.messaging.models import (
    Acknowledgement,
    CallDirection,
    CallMedium,
    CallOutcome,
    DeliveryStatus,
    InboundMessage,
)
from complaints.tickets.models import Channel, Complaint, ComplaintEvent, Status
from tests.messaging.helpers import MESSAGES, STATUS, live_server, sign, sms, twilio_app


@pytest.fixture
def app(backend, tmp_path):
    with twilio_app(backend, tmp_path) as application:
        yield application


def _post_together(url: str, path: str, forms: list[dict]) -> list[int]:
    """Post the forms at the same instant from separate threads; return the statuses."""
    barrier = threading.Barrier(len(forms))
    codes: list[int] = [0] * len(forms)

    def post(i: int) -> None:
        headers = {"X-Twilio-Signature": sign(path, forms[i])}
        barrier.wait()
        codes[i] = requests.post(url + path, data=forms[i], headers=headers, timeout=30)\
            .status_code

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(forms))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return codes


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_concurrent_deliveries_of_one_message_make_one_ticket(app):
    with live_server(app) as url:
        codes = _post_together(url, MESSAGES, [sms("SMdup")] * 4)
    assert codes == [200] * 4
    with app.app_context():
        assert _count(Complaint) == 1
        assert _count(InboundMessage) == 1
        assert _count(Acknowledgement) == 1


def test_concurrent_deliveries_of_an_appended_message_add_it_once(app, factory):
    factory.complaint(complainant_phone="081234567890")
    with live_server(app) as url:
        codes = _post_together(url, MESSAGES, [sms("SMapp", body="Tambahan")] * 3)
    assert codes == [200] * 3
    with app.app_context():
        assert _count(Complaint) == 1
        events = db.session.scalars(select(ComplaintEvent).where(
            ComplaintEvent.kind == "complainant_message")).all()
        assert [e.note for e in events] == ["Tambahan"]


def test_concurrent_status_callbacks_end_on_the_final_status(app):
    forms = [{"MessageSid": "SMst", "MessageStatus": s}
             for s in ("delivered", "sent", "sending", "queued")]
    with live_server(app) as url:
        codes = _post_together(url, STATUS, forms)
    assert codes == [204] * 4
    with app.app_context():
        assert db.session.scalar(select(DeliveryStatus.status)) == "delivered"
        assert _count(DeliveryStatus) == 1


def test_record_status_from_the_send_never_regresses_a_callback(ctx):
    status.record_status("SMx", "delivered")
    status.record_status("SMx", "queued", outbox_key="reply:1")  # the send returned late
    assert status.status_of("SMx") == "delivered"
    row = db.session.scalar(select(DeliveryStatus))
    assert row.outbox_key == "reply:1"


def test_closed_complaint_is_not_reopened_by_a_message(ctx, factory):
    complaint, _ = factory.complaint(complainant_phone="081234567890")
    row = db.session.get(Complaint, complaint.id)
    row.status = Status.CLOSED
    db.session.commit()
    outcome = inbound.receive(inbound.Inbound("SMnew", "+6281234567890", "Keluhan lain"))
    assert outcome.action == "created" and outcome.complaint_id != complaint.id


def test_message_from_a_letter_complainant_is_appended_to_their_complaint(ctx, factory):
    complaint, _ = factory.complaint(complainant_phone="0812-3456-7890")
    outcome = inbound.receive(inbound.Inbound("SMa", "whatsapp:+6281234567890", "Halo"))
    assert (outcome.action, outcome.complaint_id) == ("appended", complaint.id)
    assert inbound.receive(inbound.Inbound("SMa", "+6281234567890", "Halo")).action \
        == "duplicate"


def test_call_log_records_an_event_for_the_proof_rules(ctx, factory):
    officer = factory.user(positions=[("loket", None)])
    complaint, _ = factory.complaint(channel=Channel.TELEPON, complainant_phone="0761 28262")
    clock.set_now(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    try:
        call = calls.log_call(calls.CallRecord(
            CallDirection.OUTGOING, CallMedium.PHONE, "0761 28262",
            "Menjelaskan bahwa izin sudah terbit", CallOutcome.ANSWERED,
            complaint_id=complaint.id), officer)
    finally:
        clock.set_now(None)
    event = db.session.scalar(select(ComplaintEvent).where(ComplaintEvent.kind == "call_logged"))
    assert event.to_value == str(call.id) and event.from_value == "outgoing/phone"
    assert call.answers_complaint and call.at == datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    assert [c.id for c in calls.answering_calls(complaint.id)] == [call.id]


def test_call_log_by_register_number_and_standalone(ctx, factory):
    officer = factory.user(positions=[("loket", None)])
    complaint, _ = factory.complaint()
    base = {"direction": CallDirection.INCOMING, "medium": CallMedium.FAX, "number": "0761 42003",
                "summary": "Faks masuk", "outcome": CallOutcome.REACHED}
    linked = calls.log_call(calls.CallRecord(**base, complaint_number=complaint.number), officer)
    alone = calls.log_call(calls.CallRecord(**base), officer)
    assert linked.complaint_id == complaint.id and alone.complaint_id is None
    assert not linked.answers_complaint
    with pytest.raises(calls.CallError):
        calls.log_call(calls.CallRecord(**base, complaint_number="ADU/1999/000001"), officer)
