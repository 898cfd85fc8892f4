"""When a WhatsApp reply cannot go (the template failed, or nobody holds the complaint),
staff are told; a keyword-only message reopens the window. Through the real twilio client
and the stand-in API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.inbox.models import Notification
from complaints.messaging import window
from complaints.messaging.models import InboundMessage
from complaints.notifications import outbox
from complaints.notifications.jobs import send_outbox
from complaints.notifications.models import OutboxMessage, OutStatus
from complaints.tickets.models import Complaint
from tests.factories import Factory
from tests.messaging.helpers import MESSAGES, STATUS, post_signed, sign, sms
from tests.messaging.test_service_window import (
    NUMBER,
    TEMPLATE,
    WA,
    _app,
    _complaint,
    _events,
    _reply,
)


def _notices() -> list[tuple[int, str, int | None]]:
    return sorted((n.user_id, n.key, n.complaint_id)
                  for n in db.session.scalars(select(Notification)))


def _status(row_id: int) -> OutStatus:
    db.session.expire_all()
    return db.session.get_one(OutboxMessage, row_id).status


def _report_template(client, key: str, status: str = "undelivered") -> None:
    """Post Twilio's status callback of the template sent for the held message `key`."""
    path = STATUS + "?key=" + (key + ":template").replace(":", "%3A")
    params = {"MessageSid": "SM" + "7" * 32, "MessageStatus": status, "ErrorCode": "63024",
              "AccountSid": "AC1"}
    assert client.post(path, data=params,
                       headers={"X-Twilio-Signature": sign(path, params)}).status_code == 204


def test_a_template_refused_on_send_leaves_the_reply_not_delivered_and_tells_the_holder(
        backend, tmp_path, standin, moment):
    with _app(backend, tmp_path, standin, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE) as app, \
            app.app_context():
        cid = _complaint(app.test_client(), app)
        moment(timedelta(days=2))
        row = _reply(cid)
        standin.mode = "400"  # Twilio refuses the template for good
        assert send_outbox()["dead"] == 1
        assert "ContentSid" in standin.requests[-1].form
        assert _status(row.id) == OutStatus.DEAD
        assert {"whatsapp_template_failed", "delivery_failed"} <= set(_events(cid))
        holder = db.session.get_one(Complaint, cid).holder_id
        assert _notices() == [(holder, "whatsapp_template_failed", cid)]


def test_a_template_reported_undelivered_gives_up_every_held_reply_once(
        backend, tmp_path, standin, moment):
    with _app(backend, tmp_path, standin, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE) as app, \
            app.app_context():
        client = app.test_client()
        cid = _complaint(client, app)
        moment(timedelta(days=2))
        first, second = _reply(cid, "Jawaban pertama."), _reply(cid, "Jawaban kedua.")
        assert send_outbox()["held"] == 2
        _report_template(client, first.idempotency_key)
        _report_template(client, first.idempotency_key, "failed")  # a late second report
        assert {_status(first.id), _status(second.id)} == {OutStatus.DEAD}
        events = _events(cid)
        assert events.count("whatsapp_template_failed") == 1
        assert events.count("delivery_failed") == 2
        holder = db.session.get_one(Complaint, cid).holder_id
        assert _notices() == [(holder, "whatsapp_template_failed", cid)]
        # Their later message no longer releases anything: staff reach them another way.
        assert post_signed(client, MESSAGES, sms("SMlate", sender=WA, body="Ya")).status_code \
            == 200
        before = len(standin.requests)
        send_outbox()
        bodies = [r.form.get("Body", "") for r in standin.requests[before:]]
        assert not any("Jawaban" in body for body in bodies)


def test_a_delivered_template_changes_nothing(backend, tmp_path, standin, moment):
    with _app(backend, tmp_path, standin, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE) as app, \
            app.app_context():
        client = app.test_client()
        cid = _complaint(client, app)
        moment(timedelta(days=2))
        row = _reply(cid)
        assert send_outbox()["held"] == 1
        _report_template(client, row.idempotency_key, "delivered")
        assert _status(row.id) == OutStatus.HELD
        assert _notices() == []


def test_without_a_holder_the_notice_goes_to_the_registrars(backend, tmp_path, standin,
                                                           moment):
    with _app(backend, tmp_path, standin) as app, app.app_context():
        factory = Factory(app)
        registrars = [factory.user(positions=[("registrar", None)]) for _ in range(2)]
        factory.user(positions=[("handler", "perizinan")])  # not told
        client = app.test_client()
        assert post_signed(client, MESSAGES, sms("SMnoholder", sender=WA)).status_code == 200
        cid = db.session.scalar(select(Complaint.id))
        assert db.session.get_one(Complaint, cid).holder_id is None
        assert send_outbox()["sent"] == 1  # the acknowledgement
        moment(timedelta(days=2))
        with write_transaction():  # a message to the person while nobody holds the complaint
            outbox.enqueue("whatsapp", "answered", NUMBER, idempotency_key="answered:nh",
                           body_text="Pengaduan Anda sudah dijawab.", complaint_id=cid)
        assert send_outbox()["dead"] == 1
        assert _notices() == sorted((u.id, "whatsapp_window_closed", cid) for u in registrars)


@pytest.mark.parametrize("body", ["BARU", ""])
def test_a_keyword_alone_reopens_the_window_and_releases_the_held_reply(
        backend, tmp_path, standin, moment, body):
    with _app(backend, tmp_path, standin, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE) as app, \
            app.app_context():
        client = app.test_client()
        cid = _complaint(client, app)
        moment(timedelta(days=2))
        row = _reply(cid, "Jawaban tertahan.")
        assert send_outbox()["held"] == 1
        events_before = _events(cid)
        moment(timedelta(hours=1))
        response = post_signed(client, MESSAGES, sms("SMkw1", sender=WA, body=body))
        assert response.status_code == 200 and b"<Message>" in response.data  # the hint
        assert db.session.scalar(select(func.count(Complaint.id))) == 1  # nothing filed
        assert _events(cid) == events_before  # no complainant_message
        kept = db.session.scalar(select(InboundMessage).where(
            InboundMessage.message_sid == "SMkw1"))
        assert kept.complaint_id is None and not kept.created_complaint
        assert window.last_inbound_at(NUMBER) == clock.now()
        before = len(standin.requests)
        assert send_outbox()["sent"] == 1
        (sent,) = [r.form for r in standin.requests[before:]]
        assert "Jawaban tertahan." in sent["Body"] and "ContentSid" not in sent
        assert _status(row.id) == OutStatus.SENT
        # Twilio delivering the same webhook again changes nothing.
        assert post_signed(client, MESSAGES, sms("SMkw1", sender=WA, body=body)) \
            .status_code == 200
        assert db.session.scalar(select(func.count(InboundMessage.id)).where(
            InboundMessage.message_sid == "SMkw1")) == 1
