"""A staff reply goes back the way the complaint came, is proven when sent, and lets it close."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from complaints.extensions import db
from complaints.notifications.jobs import send_outbox
from complaints.tickets.models import Channel, Status
from complaints.workflow import closing, handling
from complaints.workflow.models import ReplyProof
from complaints.workflow.rules import ProofKind
from complaints.workflow.service import WorkflowError
from tests.integration.helpers import fresh, in_handling, kinds, office, outbox_rows

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_email_reply_threaded_by_smtp_then_proof_then_close(ctx, factory, smtp_sink):
    ctx.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    people = office(factory)
    cid = in_handling(factory, people, channel=Channel.EMAIL, complainant_phone=None,
                      complainant_email="warga@contoh.id", acknowledge=True)
    handling.answer(cid, None, people["handler"], "Izin Anda terbit besok.")
    assert [r.kind for r in outbox_rows(cid)] == ["acknowledgement", "reply", "answered"]
    with pytest.raises(WorkflowError):  # nothing has reached the complainant yet
        closing.close(cid, None, people["handler"])
    assert send_outbox()["sent"] == 3
    ack, reply, answered = smtp_sink.parsed()
    assert reply["In-Reply-To"] == ack["Message-ID"] and ack["Message-ID"] in reply["References"]
    assert "Izin Anda terbit besok." in reply.get_content()
    (proof,) = db.session.scalars(select(ReplyProof)).all()
    assert proof.kind == ProofKind.EMAIL and proof.reference == reply["Message-ID"]
    assert proof.recorded_by_id is None
    closing.close(cid, None, people["handler"])
    assert fresh(cid).status == Status.CLOSED
    assert send_outbox()["sent"] == 1
    assert "closed" in smtp_sink.parsed()[-1]["Subject"].lower() or \
        "ditutup" in smtp_sink.parsed()[-1]["Subject"]


def test_sms_reply_goes_as_sms_and_its_proof_is_a_message(ctx, factory):
    people = office(factory)
    cid = in_handling(factory, people, channel=Channel.SMS, complainant_phone="081234567890")
    handling.reply(cid, None, people["handler"], "Berkas Anda lengkap.")
    (row,) = [r for r in outbox_rows(cid) if r.kind == "reply"]
    assert (row.channel, row.recipient) == ("sms", "+6281234567890")
    assert "Berkas Anda lengkap." in row.body_text and row.message_id is None
    assert send_outbox()["sent"] == 1  # no Twilio configured: the outbox log
    (proof,) = db.session.scalars(select(ReplyProof)).all()
    assert proof.kind == ProofKind.MESSAGE
    assert proof.reference == f"outbox-log:{row.idempotency_key}"


def test_anonymous_without_contact_gets_nothing_but_the_tracking_page(ctx, factory):
    people = office(factory)
    cid = in_handling(factory, people, channel=Channel.WEB, complainant_phone=None,
                      complainant_email=None, complainant_name=None)
    handling.answer(cid, None, people["handler"], "Sudah kami perbaiki.")
    assert outbox_rows(cid) == []
    closing.record_proof(cid, None, people["handler"],
                         closing.ProofInput(ProofKind.TRACKING_PAGE, "tracking page"))
    closing.close(cid, None, people["handler"])


def test_web_complaint_with_only_a_phone_hears_by_sms(ctx, factory):
    people = office(factory)
    cid = in_handling(factory, people, channel=Channel.WEB, complainant_email=None,
                      complainant_phone="0812 7777 8888", acknowledge=True)
    handling.answer(cid, None, people["handler"], "Jawaban singkat.")
    rows = outbox_rows(cid)
    assert [(r.kind, r.channel.value) for r in rows] == [
        ("acknowledgement", "sms"), ("reply", "sms"), ("answered", "sms")]
    assert all(r.recipient == "+6281277778888" for r in rows)


def test_letter_complaint_reply_is_not_texted_but_notices_are(ctx, factory):
    people = office(factory)
    cid = in_handling(factory, people, channel=Channel.SURAT, complainant_phone="081299990000",
                      acknowledge=True)
    handling.answer(cid, None, people["handler"], "Dijawab dengan surat.")
    # The answer itself goes by a numbered letter (letters domain); the notices by SMS.
    assert [r.kind for r in outbox_rows(cid)] == ["acknowledgement", "answered"]


def test_landline_gets_no_sms(ctx, factory):
    complaint, _code = factory.complaint(channel=Channel.TELEPON, complainant_email=None,
                                         complainant_phone="0761 555 123", acknowledge=True)
    assert outbox_rows(complaint.id) == []


def test_sms_in_quiet_hours_is_held_until_morning(ctx, factory, frozen_clock):
    frozen_clock(datetime(2026, 11, 23, 15, 30, tzinfo=UTC))  # 22:30 WIB
    complaint, _code = factory.complaint(channel=Channel.WEB, complainant_email=None,
                                         complainant_phone="081234567890", acknowledge=True)
    (ack,) = outbox_rows(complaint.id)
    assert ack.next_attempt_at == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 07:00 WIB
    assert send_outbox()["sent"] == 0
    frozen_clock(datetime(2026, 11, 24, 0, 1, tzinfo=UTC))
    assert send_outbox()["sent"] == 1


def test_rejection_reply_is_sent_too(ctx, factory):
    people = office(factory)
    complaint, _code = factory.complaint(channel=Channel.EMAIL, complainant_phone=None,
                                         complainant_email="warga@contoh.id")
    cid = complaint.id
    closing.reject(cid, None, people["registrar"], "Bukan kewenangan pengaduan.")
    assert [r.kind for r in outbox_rows(cid)] == ["reply"]
    assert "reply" in kinds(cid)


def test_sms_retry_falling_in_quiet_hours_waits_for_morning(ctx, factory, frozen_clock):
    from complaints.core import clock
    from complaints.notifications import outbox

    frozen_clock(datetime(2026, 11, 23, 13, 59, 30, tzinfo=UTC))  # 20:59:30 WIB
    complaint, _code = factory.complaint(channel=Channel.WEB, complainant_email=None,
                                         complainant_phone="081234567890", acknowledge=True)
    (envelope,) = outbox.claim("w1", clock.now(), 10, 300)
    outbox.mark_failed(envelope.id, "w1", "twilio 429", clock.now(), permanent=False)
    (row,) = outbox_rows(complaint.id)
    assert row.next_attempt_at == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 07:00 WIB
