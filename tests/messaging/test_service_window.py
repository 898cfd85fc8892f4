"""WhatsApp's 24-hour window through the outbox, the real twilio client and a stand-in API,
on SQLite and PostgreSQL: free text, template and hold, SMS fallback, failure, 63016."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from complaints.core import clock
from complaints.extensions import db
from complaints.inbox.models import Notification
from complaints.notifications.jobs import send_outbox
from complaints.notifications.models import OutboxMessage, OutStatus
from complaints.tickets.models import Complaint, ComplaintEvent, Status
from complaints.workflow import handling
from tests.factories import Factory
from tests.integration.helpers import office, to_handling
from tests.messaging.helpers import (
    MESSAGES,
    STATUS,
    post_signed,
    sign,
    sms,
    twilio_app,
)

NUMBER = "+6281234567890"
WA = "whatsapp:" + NUMBER
TEMPLATE = "HX" + "a" * 32


def _app(backend, tmp_path, standin, **overrides):
    settings = {"TWILIO_ACCOUNT_SID": "AC" + "3" * 32, "TWILIO_WHATSAPP_FROM": "+14155238886",
                "TWILIO_SMS_FROM": "", "TWILIO_WHATSAPP_TEMPLATE_SID": "",
                "TWILIO_API_BASE_URL": standin.url if standin else "",
                "TWILIO_TIMEOUT_SECONDS": 2}
    settings.update(overrides)
    return twilio_app(backend, tmp_path, **settings)


def _complaint(client, app) -> int:
    """A WhatsApp complaint in handling; its acknowledgement already sent."""
    assert post_signed(client, MESSAGES, sms("SMwin1", sender=WA)).status_code == 200
    cid = db.session.scalar(select(Complaint.id))
    to_handling(cid, office(Factory(app)))
    assert send_outbox()["sent"] == 1  # the acknowledgement, inside the window
    return cid


def _reply(cid: int, text: str = "Izin Anda sudah terbit.") -> OutboxMessage:
    holder = db.session.get_one(Complaint, cid).holder
    handling.reply(cid, None, holder, text)
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reply")
                              .order_by(OutboxMessage.id.desc())).first()


def _events(cid: int) -> list[str]:
    return list(db.session.scalars(select(ComplaintEvent.kind)
                                   .where(ComplaintEvent.complaint_id == cid)))


def test_inside_the_window_the_reply_goes_as_free_text(backend, tmp_path, standin, moment):
    with _app(backend, tmp_path, standin, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE) as app, \
            app.app_context():
        cid = _complaint(app.test_client(), app)
        moment(timedelta(hours=23))
        row = _reply(cid)
        assert send_outbox()["sent"] == 1
        form = standin.requests[-1].form
        assert form["To"] == WA and "Izin Anda sudah terbit." in form["Body"]
        assert "ContentSid" not in form
        db.session.expire_all()
        assert db.session.get(OutboxMessage, row.id).status == OutStatus.SENT


def test_outside_the_window_a_template_goes_and_the_reply_waits_for_their_message(
        backend, tmp_path, standin, moment):
    with _app(backend, tmp_path, standin, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE) as app, \
            app.app_context():
        client = app.test_client()
        cid = _complaint(client, app)
        moment(timedelta(hours=25))
        first, second = _reply(cid, "Jawaban pertama."), _reply(cid, "Jawaban kedua.")
        counts = send_outbox()
        assert counts["held"] == 2 and counts["sent"] == 0
        templates = [r.form for r in standin.requests if "ContentSid" in r.form]
        assert len(templates) == 1  # one invitation for both held replies
        number = db.session.get(Complaint, cid).number
        assert templates[0]["ContentSid"] == TEMPLATE and templates[0]["To"] == WA
        assert json.loads(templates[0]["ContentVariables"]) == {"1": number}
        assert "delivery_held" in _events(cid)
        assert send_outbox()["sent"] == 0  # held: nothing goes until they write

        moment(timedelta(hours=2))
        assert post_signed(client, MESSAGES, sms("SMwin2", sender=WA, body="Ya")).status_code \
            == 200
        before = len(standin.requests)
        assert send_outbox()["sent"] == 3  # both replies, then the "added" acknowledgement
        bodies = [r.form.get("Body", "") for r in standin.requests[before:]]
        assert "Jawaban pertama." in bodies[0] and "Jawaban kedua." in bodies[1]
        db.session.expire_all()
        assert {db.session.get(OutboxMessage, r.id).status for r in (first, second)} == {
            OutStatus.SENT}


def test_outside_the_window_without_template_it_goes_by_sms(backend, tmp_path, standin,
                                                            moment):
    with _app(backend, tmp_path, standin, TWILIO_SMS_FROM="+15005550006") as app, \
            app.app_context():
        cid = _complaint(app.test_client(), app)
        moment(timedelta(days=3))
        row = _reply(cid)
        assert send_outbox()["sent"] == 1
        form = standin.requests[-1].form
        assert (form["To"], form["From"]) == (NUMBER, "+15005550006")
        assert "Izin Anda sudah terbit." in form["Body"]
        db.session.expire_all()
        sent = db.session.get(OutboxMessage, row.id)
        assert (sent.status, sent.channel.value) == (OutStatus.SENT, "sms")
        assert "delivery_fallback" in _events(cid)


def test_outside_the_window_with_neither_it_fails_and_the_holder_is_told(
        backend, tmp_path, standin, moment):
    with _app(backend, tmp_path, standin) as app, app.app_context():
        cid = _complaint(app.test_client(), app)
        requests_before = len(standin.requests)
        moment(timedelta(days=2))
        row = _reply(cid)
        assert send_outbox()["dead"] == 1
        assert len(standin.requests) == requests_before  # nothing was tried
        db.session.expire_all()
        dead = db.session.get(OutboxMessage, row.id)
        assert dead.status == OutStatus.DEAD and "24-hour window" in dead.last_error
        assert {"whatsapp_window_closed", "delivery_failed"} <= set(_events(cid))
        holder = db.session.get(Complaint, cid).holder_id
        (notice,) = db.session.scalars(select(Notification)).all()
        assert (notice.user_id, notice.key, notice.complaint_id) == (
            holder, "whatsapp_window_closed", cid)


def test_twilio_63016_falls_back_once_and_is_not_retried(backend, tmp_path, standin,
                                                         moment):
    with _app(backend, tmp_path, standin, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE) as app, \
            app.app_context():
        cid = _complaint(app.test_client(), app)
        standin.closed_windows.add(WA)  # our record says open, WhatsApp says closed
        moment(timedelta(hours=1))
        row = _reply(cid)
        assert send_outbox()["held"] == 1
        tail = [r.form for r in standin.requests[-2:]]
        assert "ContentSid" not in tail[0] and tail[1]["ContentSid"] == TEMPLATE
        count = len(standin.requests)
        moment(timedelta(hours=6))
        assert send_outbox() == {"sent": 0, "failed": 0, "dead": 0, "held": 0}
        assert len(standin.requests) == count
        db.session.expire_all()
        assert db.session.get(OutboxMessage, row.id).status == OutStatus.HELD


def test_twilio_63016_with_nothing_to_fall_back_on_is_dead_at_once(backend, tmp_path,
                                                                  standin, moment):
    with _app(backend, tmp_path, standin) as app, app.app_context():
        cid = _complaint(app.test_client(), app)
        standin.closed_windows.add(WA)
        count = len(standin.requests)
        row = _reply(cid)
        assert send_outbox()["dead"] == 1
        assert len(standin.requests) == count + 1
        db.session.expire_all()
        assert "63016" in db.session.get(OutboxMessage, row.id).last_error


def test_without_twilio_the_log_shows_the_template_and_then_the_reply(backend, tmp_path,
                                                                      moment):
    with _app(backend, tmp_path, None, TWILIO_ACCOUNT_SID="") as app, app.app_context():
        client = app.test_client()
        cid = _complaint(client, app)
        moment(timedelta(days=2))
        _reply(cid, "Jawaban lewat log.")
        assert send_outbox()["held"] == 1
        log = tmp_path / "outbox.log"
        entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        assert entries[-1]["kind"] == "template" and "Jawaban" not in entries[-1]["body"]
        assert post_signed(client, MESSAGES, sms("SMwin3", sender=WA, body="Ya")).status_code \
            == 200
        assert send_outbox()["sent"] >= 1
        entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        assert any("Jawaban lewat log." in (e["body"] or "") and e["kind"] == "reply"
                   for e in entries)


def test_63016_in_a_status_callback_sends_the_fallback_once(backend, tmp_path, standin,
                                                            moment):
    with _app(backend, tmp_path, standin, TWILIO_SMS_FROM="+15005550006") as app, \
            app.app_context():
        client = app.test_client()
        cid = _complaint(client, app)
        row = _reply(cid)
        assert send_outbox()["sent"] == 1
        db.session.expire_all()
        sent = db.session.get(OutboxMessage, row.id)
        path = STATUS + "?key=" + sent.idempotency_key.replace(":", "%3A")
        params = {"MessageSid": sent.provider_id, "MessageStatus": "failed",
                  "ErrorCode": "63016", "AccountSid": "AC1"}
        assert client.post(path, data=params,
                           headers={"X-Twilio-Signature": sign(path, params)}).status_code == 204
        assert send_outbox()["sent"] == 1  # again, now by SMS
        form = standin.requests[-1].form
        assert (form["To"], form["From"]) == (NUMBER, "+15005550006")
        db.session.expire_all()
        again = db.session.get(OutboxMessage, row.id)
        assert (again.status, again.channel.value) == (OutStatus.SENT, "sms")
        count = len(standin.requests)
        assert send_outbox() == {"sent": 0, "failed": 0, "dead": 0, "held": 0}
        assert len(standin.requests) == count


def test_a_message_that_arrives_while_the_template_goes_releases_the_reply(
        backend, tmp_path, standin, moment):
    from complaints.core.db import write_transaction
    from complaints.notifications import held, outbox

    with _app(backend, tmp_path, standin, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE) as app, \
            app.app_context():
        cid = _complaint(app.test_client(), app)
        moment(timedelta(days=2))
        row = _reply(cid)
        (claimed,) = outbox.claim("w1", clock.now(), 10, 60)  # the worker sends the template
        with write_transaction():  # ... and the person writes meanwhile
            assert held.release_held("whatsapp", NUMBER, clock.now()) == 0
        held.mark_held(claimed.id, "w1", "outside the window", clock.now())
        db.session.expire_all()
        assert db.session.get(OutboxMessage, row.id).status == OutStatus.PENDING
        assert send_outbox()["held"] == 1  # held again: this test recorded no inbound message


def test_their_answer_to_the_template_joins_the_answered_complaint(backend, tmp_path,
                                                                   standin, moment):
    from complaints.core.db import write_transaction

    with _app(backend, tmp_path, standin, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE) as app, \
            app.app_context():
        client = app.test_client()
        cid = _complaint(client, app)
        moment(timedelta(days=2))
        _reply(cid, "Jawaban akhir.")
        with write_transaction():  # answered: no longer an open complaint
            db.session.get_one(Complaint, cid).status = Status.ANSWERED
        assert send_outbox()["held"] == 1
        assert post_signed(client, MESSAGES, sms("SMwin4", sender=WA, body="Ya")).status_code \
            == 200
        assert db.session.scalar(select(func.count(Complaint.id))) == 1  # no new complaint
        assert "complainant_message" in _events(cid)
        assert send_outbox()["sent"] >= 1
        assert any("Jawaban akhir." in r.form.get("Body", "") for r in standin.requests)
