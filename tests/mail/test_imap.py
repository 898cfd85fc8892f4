"""The IMAP poller against a real Dovecot: flags after commit, survives kills and faults."""

from __future__ import annotations

import contextlib
from email import message_from_bytes, policy

import pytest
from sqlalchemy import func, select

from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.mail import imap, service
from complaints.mail.jobs import poll_imap
from complaints.mail.models import InboundMail
from complaints.notifications import service as notifications
from complaints.notifications.jobs import send_outbox
from complaints.tickets.models import Complaint, ComplaintEvent
from complaints.tickets.service import record_event
from tests.support.mailfixtures import all_emls, eml

pytestmark = pytest.mark.usefixtures("frozen_clock")
SAMPLE = ("01", "09", "10", "12", "16", "18", "19")


class Killed(BaseException):
    """Stands for the process being killed: nothing after it runs."""


def _point(ctx, dovecot, folder):
    ctx.config.update(dovecot.config(folder))


def _assert_invariant(dovecot, folder, expected_messages):
    """Every message on the server is counted exactly once: tickets + replies + quarantined."""
    on_server = dovecot.count(folder)
    assert on_server == expected_messages
    assert sum(service.totals().values()) == on_server
    assert dovecot.count(folder, "UNSEEN") == 0
    per_digest = db.session.execute(
        select(InboundMail.sha256, func.count()).group_by(InboundMail.sha256)).all()
    assert all(n == 1 for _d, n in per_digest)
    assert service.totals()["ticket"] == db.session.scalar(select(func.count(Complaint.id)))


@pytest.mark.both_db
def test_poller_handles_every_fixture_and_flags_it(ctx, dovecot, imap_folder):
    for _name, raw in all_emls():
        dovecot.append(imap_folder, raw)
    _point(ctx, dovecot, imap_folder)
    report = poll_imap()
    assert (report.fetched, report.handled, report.deferred) == (20, 20, 0)
    _assert_invariant(dovecot, imap_folder, 20)
    assert poll_imap().fetched == 0


def test_fetch_leaves_messages_unseen_until_handled(ctx, dovecot, imap_folder, monkeypatch):
    dovecot.append(imap_folder, eml("01"))
    _point(ctx, dovecot, imap_folder)

    def killed(*args, **kwargs):
        raise Killed()

    monkeypatch.setattr(imap, "ingest", killed)
    with pytest.raises(Killed):
        poll_imap()
    assert dovecot.count(imap_folder, "UNSEEN") == 1  # BODY.PEEK[] did not set \Seen


@pytest.mark.both_db
def test_killed_between_commit_and_flag_gives_one_ticket_per_message(ctx, dovecot, imap_folder,
                                                                       monkeypatch):
    for name in SAMPLE:
        dovecot.append(imap_folder, eml(name))
    _point(ctx, dovecot, imap_folder)
    real_done = imap._done
    calls = {"n": 0}

    def die_on_third(conn, uid, folder):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Killed()
        real_done(conn, uid, folder)

    monkeypatch.setattr(imap, "_done", die_on_third)
    with pytest.raises(Killed):
        poll_imap()
    monkeypatch.setattr(imap, "_done", real_done)
    report = poll_imap()  # the restart
    assert report.duplicates == 1
    _assert_invariant(dovecot, imap_folder, len(SAMPLE))


def _raiser(exc):
    def fail(*args, **kwargs):
        raise exc

    return fail


STAGES = [
    ("complaints.mail.store.save_raw", OSError("disk full")),
    ("complaints.mail.ingest.parse", ValueError("parser bug")),
    ("complaints.mail.tickets.thread_target", RuntimeError("threading bug")),
    ("complaints.mail.tickets.create_complaint", RuntimeError("intake bug")),
    ("complaints.mail.tickets.checked_uploads", RuntimeError("attachment bug")),
    ("complaints.tickets.attachments.store", OSError("upload folder gone")),
    ("complaints.notifications.service.on_complaint_created", RuntimeError("ack bug")),
    ("complaints.notifications.outbox.enqueue", RuntimeError("outbox bug")),
    ("complaints.mail.ingest._record", RuntimeError("database bug")),
    ("complaints.mail.ingest._quarantine_error", RuntimeError("quarantine bug")),
    ("complaints.mail.imap._done", OSError("connection lost")),
    ("complaints.mail.cursor.advance", RuntimeError("cursor bug")),
]


@pytest.mark.parametrize("target,exc", STAGES, ids=[s[0].rsplit(".", 1)[1] for s in STAGES])
def test_an_exception_at_any_stage_loses_nothing(ctx, dovecot, imap_folder, monkeypatch,
                                                 target, exc):
    for name in SAMPLE:
        dovecot.append(imap_folder, eml(name))
    _point(ctx, dovecot, imap_folder)
    monkeypatch.setattr(target, _raiser(exc))
    with contextlib.suppress(Exception):  # the poll may die; what counts is what is left
        poll_imap()
    monkeypatch.undo()
    db.session.rollback()
    poll_imap()
    _assert_invariant(dovecot, imap_folder, len(SAMPLE))


def test_done_folder_receives_handled_messages(ctx, dovecot, imap_folder):
    done = imap_folder + "Done"
    dovecot.create_folder(done)
    for name in ("01", "12"):
        dovecot.append(imap_folder, eml(name))
    _point(ctx, dovecot, imap_folder)
    ctx.config["MAIL_IMAP_DONE_FOLDER"] = done
    assert poll_imap().handled == 2
    assert (dovecot.count(imap_folder), dovecot.count(done)) == (0, 2)


@pytest.mark.both_db
def test_round_trip_ticket_ack_reply_and_answer_on_the_same_complaint(
        ctx, dovecot, imap_folder, smtp_sink):
    ctx.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    _point(ctx, dovecot, imap_folder)
    dovecot.append(imap_folder, eml("01"))
    poll_imap()
    send_outbox()
    (ack,) = smtp_sink.parsed()
    assert ack["In-Reply-To"] == "<utf8-001@contoh.co.id>"
    assert ack["Auto-Submitted"] == "auto-replied"
    complaint = db.session.scalar(select(Complaint))
    with write_transaction():
        c = db.session.get(Complaint, complaint.id)
        event = record_event(c, "reply", note="Izin Anda terbit besok.", public=True)
        notifications.on_public_reply(c, event)
    send_outbox()
    reply = smtp_sink.parsed()[1]
    assert reply["In-Reply-To"] == "<utf8-001@contoh.co.id>"
    assert ack["Message-ID"] in reply["References"]
    answer = (f"From: Siti Rahmawati <siti.rahma@contoh.co.id>\nTo: {reply['From']}\n"
              f"Subject: Re: {reply['Subject']}\nMessage-ID: <answer-1@contoh.co.id>\n"
              f"In-Reply-To: {reply['Message-ID']}\nReferences: {reply['References']} "
              f"{reply['Message-ID']}\nContent-Type: text/plain; charset=utf-8\n\n"
              "Terima kasih, sudah saya terima.\n").encode()
    dovecot.append(imap_folder, answer)
    poll_imap()
    event = db.session.scalar(select(ComplaintEvent).where(
        ComplaintEvent.kind == "complainant_message"))
    assert event.complaint_id == complaint.id and "sudah saya terima" in event.note
    assert len(smtp_sink.parsed()) == 2  # no acknowledgement for an answer
    parsed = message_from_bytes(smtp_sink.messages[1]["data"], policy=policy.default)
    assert "Izin Anda terbit besok." in parsed.get_content()


def test_mail_a_person_opened_first_is_still_handled(ctx, dovecot, imap_folder):
    _point(ctx, dovecot, imap_folder)
    dovecot.append(imap_folder, eml("01"))
    assert poll_imap().handled == 1  # the first poll sets the cursor
    dovecot.append(imap_folder, eml("02"))
    conn = dovecot.connect()
    conn.select(imap_folder)
    conn.uid("STORE", "2", "+FLAGS", r"(\Seen)")  # someone read it in their mail client
    conn.logout()
    assert poll_imap().handled == 1
    assert poll_imap().fetched == 0
    _assert_invariant(dovecot, imap_folder, 2)


def test_old_read_mail_does_not_become_complaints_on_the_first_poll(ctx, dovecot, imap_folder):
    dovecot.append(imap_folder, eml("01"))
    conn = dovecot.connect()
    conn.select(imap_folder)
    conn.uid("STORE", "1", "+FLAGS", r"(\Seen)")
    conn.logout()
    dovecot.append(imap_folder, eml("02"))
    _point(ctx, dovecot, imap_folder)
    assert poll_imap().handled == 1
    assert service.totals()["ticket"] == 1
