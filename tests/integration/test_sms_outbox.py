"""SMS through the outbox: webhook in, acknowledgement and reply out to a Twilio stand-in,
status callbacks back, proof and "not delivered" on the complaint."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from complaints.extensions import db
from complaints.messaging.models import DeliveryStatus
from complaints.notifications.jobs import send_outbox
from complaints.notifications.models import OutStatus
from complaints.tickets.models import Complaint
from complaints.workflow import closing, handling
from complaints.workflow.models import ReplyProof
from complaints.workflow.rules import ProofKind
from tests.integration.helpers import kinds, office, outbox_rows, to_handling
from tests.messaging.helpers import MESSAGES, STATUS, post_signed, sign, sms, twilio_app

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def app(tmp_path, standin):
    with twilio_app("sqlite", tmp_path, TWILIO_ACCOUNT_SID="AC" + "2" * 32,
                    TWILIO_SMS_FROM="+15005550006", TWILIO_WHATSAPP_FROM="+14155238886",
                    TWILIO_API_BASE_URL=standin.url, TWILIO_TIMEOUT_SECONDS=2) as application:
        yield application


def _callback(client, sid: str, status: str, key: str) -> None:
    path = STATUS + "?" + f"key={key.replace(':', '%3A')}"
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC1"}
    assert client.post(path, data=params,
                       headers={"X-Twilio-Signature": sign(path, params)}).status_code == 204


def _sms_complaint(client) -> int:
    assert post_signed(client, MESSAGES, sms("SMin1")).status_code == 200
    return db.session.scalar(select(Complaint.id))


def test_sms_ack_and_reply_reach_twilio_and_the_reply_is_proven(app, client, factory,
                                                                 standin):
    with app.app_context():
        cid = _sms_complaint(client)
        (ack,) = outbox_rows(cid)
        assert (ack.kind, ack.channel.value, ack.recipient) == (
            "acknowledgement", "sms", "+6281234567890")
        assert send_outbox()["sent"] == 1
        first = standin.requests[0].form
        assert first["To"] == "+6281234567890" and "Kode akses" in first["Body"]
        assert first["StatusCallback"].endswith("?key=ack%3ASMin1")
        people = office(factory)
        to_handling(cid, people)
        handling.answer(cid, None, people["handler"], "Izin Anda terbit hari ini.")
        send_outbox()
        bodies = [r.form["Body"] for r in standin.requests]
        assert any("Izin Anda terbit hari ini." in b for b in bodies)
        reply = next(r for r in outbox_rows(cid) if r.kind == "reply")
        assert reply.status == OutStatus.SENT and reply.provider_id.startswith("SM")
        proof = db.session.scalar(select(ReplyProof))
        assert (proof.kind, proof.reference) == (ProofKind.MESSAGE, reply.provider_id)
        status = db.session.scalar(select(DeliveryStatus).where(
            DeliveryStatus.provider_id == reply.provider_id))
        assert (status.status, status.outbox_key) == ("queued", reply.idempotency_key)
        _callback(client, reply.provider_id, "delivered", reply.idempotency_key)
        db.session.expire_all()
        assert status.status == "delivered"
        closing.close(cid, None, people["handler"])


def test_undelivered_callback_marks_the_message_and_the_complaint(app, client, standin):
    with app.app_context():
        cid = _sms_complaint(client)
        send_outbox()
        (ack,) = outbox_rows(cid)
        _callback(client, ack.provider_id, "undelivered", ack.idempotency_key)
        (ack,) = outbox_rows(cid)
        assert ack.status == OutStatus.DEAD and "undelivered" in ack.last_error
        assert "delivery_failed" in kinds(cid)


def test_twilio_429_is_retried_and_400_dead_lettered(app, client, standin):
    with app.app_context():
        cid = _sms_complaint(client)
        standin.mode = "429"
        assert send_outbox()["failed"] == 1
        assert outbox_rows(cid)[0].status == OutStatus.FAILED
        standin.mode = "400"
        from complaints.notifications import outbox

        outbox.retry(outbox_rows(cid)[0].id)
        assert send_outbox()["dead"] == 1
        assert "delivery_failed" in kinds(cid)

