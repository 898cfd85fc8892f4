"""Incoming email through ingest(): tickets, replies, quarantine, loops (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.mail import service
from complaints.mail.ingest import ingest
from complaints.mail.models import InboundMail, Outcome
from complaints.notifications.models import OutboxMessage
from complaints.tickets.models import Attachment, Channel, Complaint, ComplaintEvent, Status
from tests.support.mailfixtures import all_emls, eml

pytestmark = pytest.mark.usefixtures("frozen_clock")

# What every fixture becomes when it arrives first in an empty office.
EXPECTED = {
    "01": ("ticket", None), "02": ("ticket", None), "03": ("ticket", None),
    "04": ("ticket", None), "05": ("ticket", None), "06": ("ticket", None),
    "07": ("ticket", None), "08": ("ticket", None), "09": ("ticket", None),
    "10": ("quarantined", "auto_reply"), "11": ("quarantined", "auto_reply"),
    "12": ("quarantined", "bounce"), "13": ("quarantined", "bulk"),
    # ADU/2026/000001 is Siti's (01): anyone else writing into it is quarantined.
    "14": ("quarantined", "sender_mismatch"), "15": ("quarantined", "sender_mismatch"),
    "16": ("ticket", None),
    "17": ("quarantined", "own_address"), "18": ("quarantined", "unparseable"),
    "19": ("ticket", None), "20": ("ticket", None),
}


def _complaint(result) -> Complaint:
    return db.session.get(Complaint, result.complaint_id)


def _acks() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "acknowledgement").order_by(OutboxMessage.id)))


def test_every_fixture_is_ticketed_or_quarantined_and_counted_once(ctx):
    for name, raw in all_emls():
        result = ingest(raw)
        assert (result.outcome.value, result.reason) == EXPECTED[name[:2]], name
    totals = service.totals()
    assert sum(totals.values()) == len(all_emls())
    assert totals["ticket"] == db.session.scalar(select(func.count(Complaint.id)))
    # A second delivery of everything changes nothing.
    for _name, raw in all_emls():
        assert ingest(raw).duplicate
    assert service.totals() == totals


def test_text_is_decoded_whatever_the_charset(ctx):
    bodies = {n: _complaint(ingest(eml(n))).body for n in ("02", "03", "04", "05", "08")}
    assert "“uang administrasi” sebesar Rp 150.000 – padahal" in bodies["02"]
    assert "panjang – saya" in bodies["03"] and "Café" in bodies["03"]
    assert "“arsip”" in bodies["04"]
    assert "tidak ramah – saya" in bodies["05"]
    html = bodies["08"]
    assert "Petugas tidak hadir pada jam layanan & loket tutup." in html
    assert "alert" not in html and "steal" not in html and "<" not in html
    complaint = _complaint(ingest(eml("06")))
    assert complaint.summary == "Keluhan: izin teknisi gigi – SIKTG"
    assert complaint.complainant_name == "René Sürya"
    assert complaint.channel == Channel.EMAIL


def test_new_complaint_gets_an_acknowledgement_without_the_senders_words(ctx):
    result = ingest(eml("01"))
    complaint = _complaint(result)
    (ack,) = _acks()
    assert ack.recipient == "siti.rahma@contoh.co.id"
    assert complaint.number in ack.subject and complaint.number in ack.body_text
    assert "/lacak" in ack.body_text and "Kode akses" in ack.body_text
    for words in ("SIKOT", "Izin praktik belum terbit", "Siti"):
        assert words not in ack.subject + ack.body_text
    assert ack.headers["Auto-Submitted"] == "auto-replied"
    assert ack.in_reply_to == "<utf8-001@contoh.co.id>"
    assert ack.message_id.endswith("@gmail.com>")
    assert db.session.get(InboundMail, result.inbound_id).acknowledged


def test_english_mail_is_acknowledged_in_english(ctx):
    ingest(eml("19"))
    (ack,) = _acks()
    assert ack.language == "en" and "We have received your complaint" in ack.subject


def test_loops_bounces_and_lists_never_get_an_acknowledgement(ctx):
    for name in ("10", "11", "12", "13", "17"):
        assert ingest(eml(name)).outcome == Outcome.QUARANTINED
    assert _acks() == []


def test_acknowledgements_are_capped_per_sender_per_day(ctx, frozen_clock):
    ctx.config["MAIL_ACK_PER_SENDER_PER_DAY"] = 2
    for n in range(4):
        raw = eml("01").replace(b"<utf8-001@", f"<cap-{n}@".encode())
        assert ingest(raw).outcome == Outcome.TICKET
    assert len(_acks()) == 2
    skipped = db.session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.kind == "acknowledgement_skipped")).all()
    assert len(skipped) == 2


def test_attachments_are_checked_and_refused_ones_listed_in_a_note(ctx):
    complaint = _complaint(ingest(eml("09")))
    names = sorted(a.original_name for a in complaint.attachments)
    assert names == ["bukti.pdf", "loket.png"]
    note = db.session.scalar(select(ComplaintEvent).where(ComplaintEvent.kind == "note"))
    assert "program.exe" in note.note


def test_huge_attachment_is_refused_and_a_huge_message_quarantined(ctx):
    ctx.config["MAX_UPLOAD_BYTES"] = 1000
    big = b"%PDF-1.4\n" + b"0" * 5000
    raw = _with_pdf(big)
    complaint = _complaint(ingest(raw))
    assert complaint.attachments == []
    assert "besar.pdf" in db.session.scalar(
        select(ComplaintEvent.note).where(ComplaintEvent.kind == "note"))
    ctx.config["MAIL_MAX_MESSAGE_BYTES"] = 4000
    result = ingest(raw.replace(b"<huge@", b"<huge-2@"))
    assert (result.outcome, result.reason) == (Outcome.QUARANTINED, "too_large")


def _with_pdf(data: bytes) -> bytes:
    import base64

    encoded = base64.encodebytes(data)
    return (b"From: Besar <besar@contoh.id>\nSubject: Lampiran besar\n"
            b"Message-ID: <huge@contoh.id>\nMIME-Version: 1.0\n"
            b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
            b"Content-Type: text/plain; charset=utf-8\n\nLihat lampiran.\n--b\n"
            b"Content-Type: application/pdf\n"
            b'Content-Disposition: attachment; filename="besar.pdf"\n'
            b"Content-Transfer-Encoding: base64\n\n" + encoded + b"--b--\n")


def test_same_message_id_with_another_body_is_quarantined_not_dropped(ctx):
    first = ingest(eml("01"))
    changed = eml("01").replace(b"Salam,", b"Salam hangat,")
    second = ingest(changed)
    assert (second.outcome, second.reason) == (Outcome.QUARANTINED, "duplicate_message_id")
    assert ingest(changed).duplicate and ingest(eml("01")).inbound_id == first.inbound_id


def test_message_without_message_id_is_deduplicated_by_its_hash(ctx):
    first = ingest(eml("16"))
    again = ingest(eml("16"))
    assert again.duplicate and again.inbound_id == first.inbound_id
    assert db.session.get(InboundMail, first.inbound_id).source_key.startswith(
        "dpmptsppekanbaru@gmail.com:sha256:")


def _budi_complaint(factory):
    complaint, _code = factory.complaint(channel=Channel.EMAIL,
                                         complainant_email="budi.santoso@contoh.id")
    assert complaint.number == "ADU/2026/000001"
    return complaint


def test_complainant_reply_is_threaded_by_subject_number(ctx, factory):
    complaint = _budi_complaint(factory)
    result = ingest(eml("15"))
    assert (result.outcome, result.complaint_id) == (Outcome.REPLY, complaint.id)
    event = db.session.scalar(select(ComplaintEvent).where(
        ComplaintEvent.kind == "complainant_message"))
    assert event.public and "123/SIKOT/2026" in event.note
    # "Status: closed" in the body and headers change nothing.
    assert db.session.get(Complaint, complaint.id).status == Status.RECEIVED
    assert _acks() == []


def test_reply_is_threaded_by_our_message_id_before_the_subject(ctx, factory):
    from complaints.notifications import service as notifications

    target = _budi_complaint(factory)
    other, _ = factory.complaint(channel=Channel.EMAIL, complainant_email="budi.santoso@contoh.id")
    with write_transaction():
        ack = notifications.on_complaint_created(db.session.get(Complaint, target.id), "ABCD")
        our_id = ack.message_id
    raw = eml("15").replace(b"ADU/2026/000001", other.number.encode()).replace(
        b"Auto-Submitted: no", f"In-Reply-To: {our_id}".encode())
    assert ingest(raw).complaint_id == target.id


def test_forged_reply_into_someone_elses_complaint_is_quarantined(ctx, factory):
    complaint = _budi_complaint(factory)
    result = ingest(eml("14"))
    assert (result.outcome, result.reason) == (Outcome.QUARANTINED, "sender_mismatch")
    assert db.session.get(Complaint, complaint.id).status == Status.RECEIVED
    assert db.session.scalar(select(func.count(ComplaintEvent.id)).where(
        ComplaintEvent.kind == "complainant_message")) == 0


def test_number_of_a_complaint_without_email_makes_a_new_complaint(ctx, factory):
    factory.complaint()  # a letter: no email address to compare with
    result = ingest(eml("14"))
    assert result.outcome == Outcome.TICKET
    assert "ADU/2026/000001" in _complaint(result).channel_note


def test_quarantine_actions(ctx, factory):
    user = factory.user(positions=[("registrar", None)])
    bounce = ingest(eml("12"))
    junk = ingest(eml("18"))
    complaint = service.make_ticket(junk.inbound_id, user)
    assert "junk" in complaint.body and complaint.channel == Channel.EMAIL
    assert db.session.get(InboundMail, junk.inbound_id).outcome == Outcome.TICKET
    service.dismiss(bounce.inbound_id, user)
    assert service.quarantined() == []
    assert len(service.quarantined(include_resolved=True)) == 1
    totals = service.totals()
    assert (totals["ticket"], totals["quarantined"]) == (1, 1)


def test_retry_handles_the_message_again_with_todays_limits(ctx):
    ctx.config["MAIL_MAX_MESSAGE_BYTES"] = 100
    result = ingest(eml("01"))
    assert result.reason == "too_large"
    ctx.config["MAIL_MAX_MESSAGE_BYTES"] = 10**6
    row = service.retry(result.inbound_id, None)
    assert row.outcome == Outcome.TICKET and row.complaint_id
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_concurrent_delivery_of_the_same_message_makes_one_row(ctx):
    """The pipe and the poller racing on one message: one row, the other a duplicate."""
    import threading

    results, errors = [], []
    db.session.remove()

    def deliver():
        try:
            with ctx.app_context():
                results.append(ingest(eml("01")))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(r.duplicate for r in results) == [False, True, True, True]
    assert service.totals() == {"ticket": 1, "reply": 0, "quarantined": 0}


def test_a_bounce_of_our_message_marks_it_not_delivered(ctx):
    from complaints.notifications.jobs import send_outbox
    from complaints.notifications.models import OutStatus

    ticket = ingest(eml("01"))
    send_outbox()
    (ack,) = _acks()
    bounce = eml("12").replace(b"Status: 5.1.1", b"Status: 5.1.1\n\n--rpt\n"
                               b"Content-Type: text/rfc822-headers\n\n"
                               b"Message-ID: " + ack.message_id.encode() + b"\n")
    result = ingest(bounce)
    assert (result.outcome, result.reason) == (Outcome.QUARANTINED, "bounce")
    row = db.session.get(OutboxMessage, ack.id, populate_existing=True)
    assert row.status == OutStatus.DEAD and row.last_error.startswith("bounced: 5.1.1")
    event = db.session.scalar(select(ComplaintEvent).where(
        ComplaintEvent.kind == "delivery_failed"))
    assert event.complaint_id == ticket.complaint_id
