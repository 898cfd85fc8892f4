"""The outbox: enqueue in the caller's transaction, claim, send, retry, dead-letter (both DBs)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.notifications import outbox
from complaints.notifications import service as notifications
from complaints.notifications.jobs import send_outbox
from complaints.notifications.models import OutboxMessage, OutStatus
from complaints.notifications.senders import read_log
from complaints.tickets.models import Channel, Complaint, ComplaintEvent, Status
from complaints.tickets.service import record_event
from tests.support.mailfixtures import NOW

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.mark.parametrize("attempts,expected", [(1, 60), (2, 120), (3, 240), (9, 3600),
                                               (50, 3600)])
def test_backoff_doubles_and_is_capped(attempts, expected, backend):
    assert outbox.backoff(attempts, 60, 3600) == timedelta(seconds=expected)


def _complaint(factory, **kw) -> Complaint:
    data = {"channel": Channel.EMAIL, "complainant_email": "warga@contoh.id"}
    data.update(kw)
    complaint, _code = factory.complaint(**data)
    return db.session.get(Complaint, complaint.id)


def _reply(complaint_id: int, text: str) -> OutboxMessage:
    """Write a public reply and its outbox row in one transaction, as a reply screen does."""
    with write_transaction():
        complaint = db.session.get(Complaint, complaint_id)
        event = record_event(complaint, "reply", note=text, public=True)
        return notifications.on_public_reply(complaint, event)


def _all() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_enqueue_is_idempotent_per_key_and_rolls_back_with_the_caller(ctx, factory):
    complaint = _complaint(factory)
    with write_transaction():
        first = outbox.enqueue("email", "test", "a@b.id", idempotency_key="k1", subject="s")
        again = outbox.enqueue("email", "test", "a@b.id", idempotency_key="k1", subject="s")
        assert first is again
    with pytest.raises(RuntimeError), write_transaction():
        record_event(db.session.get(Complaint, complaint.id), "reply", note="x", public=True)
        outbox.enqueue("email", "test", "a@b.id", idempotency_key="k2")
        raise RuntimeError("the reply failed")
    assert [m.idempotency_key for m in _all()] == ["k1"]


def test_without_mail_server_messages_go_to_the_outbox_log(ctx, factory):
    complaint = _complaint(factory)
    _reply(complaint.id, "Berkas Anda sudah kami proses.")
    assert send_outbox() == {"sent": 1, "failed": 0, "dead": 0, "held": 0}
    (entry,) = read_log(ctx.config["OUTBOX_LOG"])
    assert entry["to"] == "warga@contoh.id" and "Berkas Anda sudah kami proses." in entry["body"]
    assert "Message-ID: " + _all()[0].message_id in entry["raw"]
    (row,) = _all()
    assert row.status == OutStatus.SENT and row.provider_id.startswith("outbox-log:")
    assert send_outbox()["sent"] == 0


def test_reply_is_threaded_and_in_the_complainants_language(ctx, factory):
    complaint = _complaint(factory)
    with write_transaction():
        c = db.session.get(Complaint, complaint.id)
        notifications.set_language(c, "en")
        ack = notifications.on_complaint_created(c, "AAAA-BBBB-CCCC")
    reply = _reply(complaint.id, "We have checked your file.")
    assert reply.language == "en" and "Our answer to your complaint" in reply.subject
    assert reply.in_reply_to == ack.message_id and ack.message_id in reply.references
    assert "Auto-Submitted" not in (reply.headers or {})


def test_status_notices_for_answered_and_closed_only(ctx, factory):
    complaint = _complaint(factory)
    with write_transaction():
        c = db.session.get(Complaint, complaint.id)
        assert notifications.on_status_changed(c, Status.RECEIVED, Status.TRIAGED) is None
        answered = notifications.on_status_changed(c, Status.IN_HANDLING, Status.ANSWERED)
        closed = notifications.on_status_changed(c, Status.ANSWERED, Status.CLOSED)
    assert "telah dijawab" in answered.subject and "ditutup" in closed.subject
    assert answered.headers["Auto-Submitted"] == "auto-generated"


def test_no_contact_no_message(ctx, factory):
    complaint = _complaint(factory, complainant_email=None, complainant_phone=None)
    assert _reply(complaint.id, "x") is None


def test_intake_flag_queues_the_acknowledgement_in_the_same_transaction(ctx, factory):
    complaint, code = factory.complaint(channel=Channel.WEB, complainant_email="web@contoh.id",
                                        acknowledge=True, language="en", body="Secret words")
    (ack,) = _all()
    assert ack.kind == "acknowledgement" and code in ack.body_text
    assert "Secret words" not in ack.body_text and ack.language == "en"


def test_smtp_delivery_records_the_servers_queue_id(ctx, factory, smtp_sink):
    ctx.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    complaint = _complaint(factory)
    row = _reply(complaint.id, "Jawaban kami.")
    assert send_outbox()["sent"] == 1
    (msg,) = smtp_sink.parsed()
    assert msg["Message-ID"] == row.message_id and msg["To"].addresses[0].addr_spec == (
        "warga@contoh.id")
    assert "Jawaban kami." in msg.get_content() and msg["Content-Language"] == "id"
    assert db.session.get(OutboxMessage, row.id).provider_id.startswith("2.0.0 Ok: queued")


def test_smtp_down_while_20_replies_are_written_then_all_delivered_once(ctx, factory,
                                                                       frozen_clock):
    from tests.support.mailservers import SmtpSink, free_port

    port = free_port()
    ctx.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT_SECONDS=2)
    complaint = _complaint(factory)
    for n in range(20):
        _reply(complaint.id, f"Balasan nomor {n}")
    assert send_outbox() == {"sent": 0, "failed": 20, "dead": 0, "held": 0}
    sink = SmtpSink(port).start()
    try:
        assert send_outbox()["sent"] == 0  # not due yet: backoff
        frozen_clock(NOW + timedelta(minutes=5))
        assert send_outbox()["sent"] == 20
        frozen_clock(NOW + timedelta(hours=5))
        assert send_outbox()["sent"] == 0
        ids = [m["Message-ID"] for m in sink.parsed()]
    finally:
        sink.stop()
    assert len(ids) == 20 and set(ids) == {m.message_id for m in _all()}


def test_worker_dying_mid_send_resends_with_the_same_message_id(ctx, factory, smtp_sink,
                                                                frozen_clock):
    from complaints.notifications.senders import SmtpSender

    ctx.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    complaint = _complaint(factory)
    row = _reply(complaint.id, "Satu kali saja.")
    (envelope,) = outbox.claim("dead-worker", clock.now(), 10, 300)
    sender = SmtpSender(ctx.config)
    sender.send(envelope)  # ... and the worker dies before recording it
    sender.close()
    assert send_outbox()["sent"] == 0  # the lease still holds
    frozen_clock(NOW + timedelta(seconds=301))
    assert send_outbox()["sent"] == 1
    ids = [m["Message-ID"] for m in smtp_sink.parsed()]
    assert ids == [row.message_id, row.message_id]  # the receiver can drop the second copy
    assert db.session.get(OutboxMessage, row.id, populate_existing=True).attempts == 2


def test_permanent_failure_dead_letters_and_marks_the_reply_not_delivered(ctx, factory,
                                                                          smtp_sink):
    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"

    smtp_sink.handle_RCPT = refuse
    ctx.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    complaint = _complaint(factory)
    row = _reply(complaint.id, "Tidak sampai.")
    assert send_outbox()["dead"] == 1
    row = db.session.get(OutboxMessage, row.id, populate_existing=True)
    assert row.status == OutStatus.DEAD and "550" in row.last_error
    assert outbox.undelivered_for(complaint.id)[0].id == row.id
    event = db.session.scalar(select(ComplaintEvent).where(
        ComplaintEvent.kind == "delivery_failed"))
    assert "warga@contoh.id" in event.note
    assert outbox.retry(row.id).status == OutStatus.PENDING


def test_transient_failures_give_up_after_max_attempts(ctx, factory, frozen_clock):
    from tests.support.mailservers import free_port

    ctx.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), OUTBOX_MAX_ATTEMPTS=3,
                      MAIL_TIMEOUT_SECONDS=2)
    complaint = _complaint(factory)
    row = _reply(complaint.id, "x")
    outcomes = []
    for hour in range(4):
        frozen_clock(NOW + timedelta(hours=hour))
        outcomes.append(send_outbox())
    assert [o["failed"] for o in outcomes] == [1, 1, 0, 0] and outcomes[2]["dead"] == 1
    assert db.session.get(OutboxMessage, row.id, populate_existing=True).attempts == 3


def test_two_workers_never_claim_the_same_message(ctx, factory):
    complaint = _complaint(factory)
    for n in range(6):
        _reply(complaint.id, f"m{n}")
    first = outbox.claim("w1", clock.now(), 4, 300)
    second = outbox.claim("w2", clock.now(), 4, 300)
    assert len(first) == 4 and len(second) == 2
    assert not {e.id for e in first} & {e.id for e in second}


def test_concurrent_workers_deliver_each_message_exactly_once(ctx, factory, smtp_sink):
    import threading

    ctx.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port, OUTBOX_BATCH_SIZE=3)
    complaint = _complaint(factory)
    rows = [_reply(complaint.id, f"paralel {n}") for n in range(24)]
    expected = {row.message_id for row in rows}
    db.session.remove()
    results, errors = [], []

    def work():
        try:
            with ctx.app_context():
                results.append(send_outbox())
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    ids = [m["Message-ID"] for m in smtp_sink.parsed()]
    assert sorted(ids) == sorted(expected) and sum(r["sent"] for r in results) == 24


def test_log_resend_after_a_crash_is_written_once(ctx, factory, frozen_clock):
    from complaints.notifications.senders import LogSender

    complaint = _complaint(factory)
    _reply(complaint.id, "sekali")
    (envelope,) = outbox.claim("dead-worker", clock.now(), 10, 300)
    LogSender(ctx.config["OUTBOX_LOG"], ctx.config).send(envelope)  # then the worker dies
    frozen_clock(NOW + timedelta(seconds=301))
    assert send_outbox()["sent"] == 1
    assert len(read_log(ctx.config["OUTBOX_LOG"])) == 1
