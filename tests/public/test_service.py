"""Public portal services on SQLite and PostgreSQL: lookup, messages, ratings, limits."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from complaints.core import clock, ratelimit
from complaints.core.ratelimit import DatabaseStorage
from complaints.extensions import db
from complaints.intake.service import IntakeRecord
from complaints.public import service
from complaints.public.models import Rating
from complaints.tickets.attachments import Upload
from complaints.tickets.models import Attachment, Channel, Complaint, Status
from complaints.tickets.service import apply_changes, record_event

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_now(None)


def test_submit_goes_through_the_one_intake_with_channel_web(ctx):
    result = service.submit(
        IntakeRecord(
            channel=Channel.SURAT, body="Izin saya belum terbit", complainant_email="A@Example.org"
        )
    )
    complaint = db.session.get(Complaint, result.complaint_id)
    assert complaint.channel == Channel.WEB
    assert complaint.complainant_email == "a@example.org"
    assert result.access_code and complaint.events[0].kind == "created"


def test_lookup_needs_both_number_and_code(ctx, factory):
    complaint, code = factory.complaint()
    assert service.lookup(complaint.number, code).id == complaint.id
    assert service.lookup(" " + complaint.number.lower() + " ", code.lower()).id == complaint.id
    assert service.lookup(complaint.number, "AAAA-BBBB-CCCC") is None
    assert service.lookup("ADU/1999/000001", code) is None
    assert service.lookup("", "") is None


def test_unknown_number_still_checks_a_code(ctx, monkeypatch):
    calls = []
    real = service.check_access_code
    monkeypatch.setattr(
        service,
        "check_access_code",
        lambda stored, code: calls.append(stored) or real(stored, code),
    )
    assert service.lookup("ADU/1999/000001", "AAAA-BBBB-CCCC") is None
    assert calls == [service._DUMMY_HASH]


def test_public_timeline_hides_officers_notes_and_internal_steps(ctx, factory):
    complaint, _ = factory.complaint()
    c = db.session.get(Complaint, complaint.id)
    apply_changes(c, None, note="internal reason", status=Status.TRIAGED)
    apply_changes(c, None, note="internal reason", status=Status.IN_HANDLING)
    record_event(c, "note", None, note="secret internal note")
    record_event(c, "reply", None, note="Izin Anda sudah terbit.", public=True)
    db.session.commit()
    lines = service.public_timeline(db.session.get(Complaint, complaint.id))
    assert [(line.kind, line.value) for line in lines] == [
        ("created", None),
        ("status", "in_handling"),
        ("reply", None),
    ]
    assert all(line.note != "internal reason" for line in lines)
    assert lines[-1].note == "Izin Anda sudah terbit."


def test_complainant_message_with_attachment(ctx, factory):
    complaint, _ = factory.complaint()
    service.add_message(
        complaint.id, "  Nomor berkas saya 123  ", [Upload("foto.png", PNG, "image/png")]
    )
    c = db.session.get(Complaint, complaint.id)
    kinds = [(e.kind, e.public, e.note) for e in c.events]
    assert ("complainant_message", True, "Nomor berkas saya 123") in kinds
    assert ("attachment", True, "foto.png") in kinds
    (attachment,) = db.session.scalars(db.select(Attachment)).all()
    assert attachment.uploaded_by_id is None and attachment.public


def test_no_message_on_a_closed_complaint(ctx, factory):
    complaint, _ = factory.complaint()
    c = db.session.get(Complaint, complaint.id)
    apply_changes(c, None, status=Status.CLOSED)
    db.session.commit()
    with pytest.raises(service.PublicError):
        service.add_message(complaint.id, "lagi", [])


def test_rating_only_once_answered_and_changeable_for_a_week(ctx, factory):
    complaint, _ = factory.complaint()
    with pytest.raises(service.PublicError):
        service.rate(complaint.id, 4, "")
    c = db.session.get(Complaint, complaint.id)
    apply_changes(c, None, status=Status.ANSWERED)
    db.session.commit()
    start = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    clock.set_now(start)
    service.rate(complaint.id, 2, " lambat ")
    clock.set_now(start + timedelta(days=6))
    service.rate(complaint.id, 3, "")
    (rating,) = db.session.scalars(db.select(Rating)).all()
    assert (rating.score, rating.comment, rating.status_at_rating) == (3, None, "answered")
    assert rating.created_at == start
    clock.set_now(start + timedelta(days=8))
    with pytest.raises(service.PublicError):
        service.rate(complaint.id, 4, "")
    with pytest.raises(service.PublicError):
        service.rate(complaint.id, 5, "")


def test_deadlines_default_to_3_3_7_15(ctx):
    for key in service.DEADLINE_DEFAULTS:
        ctx.config.pop(key, None)
    assert service.handling_deadlines() == {
        "first_response": 3,
        "ringan": 3,
        "sedang": 7,
        "berat": 15,
    }
    ctx.config["DEADLINE_SEDANG_DAYS"] = 10
    assert service.handling_deadlines()["sedang"] == 10


def test_published_services_have_their_standards(ctx):
    services = service.published_services()
    assert len(services) >= 4
    sikot = next(s for s in services if "Okupasi" in s.name)
    assert sikot.requirements and sikot.procedure and sikot.cost and sikot.legal_basis
    assert service.service_by_code(sikot.code).id == sikot.id
    assert service.service_by_code("nope") is None


# --- the rate-limit storage shared by every worker -------------------------------------


def _storage(ctx) -> DatabaseStorage:
    return DatabaseStorage("db+" + ctx.config["SQLALCHEMY_DATABASE_URI"])


def test_storage_counts_windows_and_expires(ctx):
    storage = _storage(ctx)
    start = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    clock.set_now(start)
    assert storage.get("k") == 0
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3
    assert storage.get_expiry("k") == pytest.approx(start.timestamp() + 60)
    clock.set_now(start + timedelta(seconds=61))
    assert storage.get("k") == 0
    assert storage.incr("k", 60, amount=2) == 2
    storage.clear("k")
    assert storage.get("k") == 0
    assert storage.check()
    storage.incr("a", 60)
    assert storage.reset() >= 1


def _hammer(url: str, n: int) -> None:
    storage = DatabaseStorage(url)
    for _ in range(n):
        storage.incr("shared", 3600)


def test_storage_holds_across_processes(ctx):
    url = "db+" + ctx.config["SQLALCHEMY_DATABASE_URI"]
    _storage(ctx).clear("shared")
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_hammer, args=(url, 25)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert _storage(ctx).get("shared") == 75


def test_storage_in_a_request_uses_one_connection_and_answers_headers_from_its_rows(ctx):
    storage = _storage(ctx)
    storage.clear("r")
    checkouts = []
    event.listen(storage.engine, "checkout", lambda *args: checkouts.append(1))
    clock.set_now(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    with ctx.test_request_context("/adukan", method="POST"):
        assert storage.get("r") == 0  # the check before the view
        assert storage.incr("r", 60) == 1  # the deduction after it
        storage.incr("other", 60)
        stats = (storage.get("r"), storage.get_expiry("r"))  # the response headers
        assert len(checkouts) == 1 and storage.engine.pool.checkedout() == 1
        ratelimit.release()  # at the end of the request
        assert storage.engine.pool.checkedout() == 0
    assert stats == (1, pytest.approx(clock.now().timestamp() + 60))
    assert _storage(ctx).get("r") == 1  # written for every other worker at once


def test_storage_in_a_request_forgets_rows_it_clears(ctx):
    storage = _storage(ctx)
    with ctx.test_request_context("/"):
        storage.incr("c", 60)
        storage.clear("c")
        assert storage.get("c") == 0
        storage.incr("c", 60)
        storage.reset()
        assert storage.get("c") == 0
        ratelimit.release()


def test_rating_summary_for_the_reports(ctx, factory):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for score in (4, 3, 3):
        complaint, _ = factory.complaint()
        c = db.session.get(Complaint, complaint.id)
        apply_changes(c, None, status=Status.CLOSED)
        db.session.commit()
        clock.set_now(start + timedelta(days=score))
        service.rate(complaint.id, score, None)
    summary = service.rating_summary(start, start + timedelta(days=30))
    assert (summary.count, summary.mean) == (3, 3.33)
    assert summary.by_score == {1: 0, 2: 0, 3: 2, 4: 1}
    empty = service.rating_summary(start - timedelta(days=30), start)
    assert (empty.count, empty.mean) == (0, None)
