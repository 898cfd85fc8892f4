"""Workflow services on SQLite and PostgreSQL: triage, reclassification, closing, duplicates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from complaints.core import clock
from complaints.extensions import db
from complaints.tickets.models import Channel, Complaint, ComplaintEvent, Status, Weight
from complaints.tickets.service import StaleComplaint
from complaints.workflow import admin, closing, duplicates, handling, service
from complaints.workflow.handling import CoordinationInput
from complaints.workflow.models import ComplaintLink, Coordination, ReplyProof
from complaints.workflow.rules import ProofKind
from complaints.workflow.service import TriageInput, WorkflowError


@pytest.fixture
def people(ctx, factory):
    """The office: registrar, handler and kabid of perizinan, kadis, sekretaris."""
    return {
        "registrar": factory.user(positions=[("registrar", None)]),
        "handler": factory.user(positions=[("handler", "perizinan")]),
        "kabid": factory.user(positions=[("kabid", "perizinan")]),
        "kadis": factory.user(positions=[("kadis", None)]),
        "sekretaris": factory.user(positions=[("sekretaris", None)]),
    }


def _ids():
    from complaints.accounts.models import Division
    from complaints.tickets.models import ComplaintType

    return {
        "perizinan": db.session.scalar(select(Division.id).where(Division.code == "perizinan")),
        "biaya": db.session.scalar(select(ComplaintType.id).where(ComplaintType.code == "biaya")),
        "waktu": db.session.scalar(select(ComplaintType.id).where(ComplaintType.code == "waktu")),
    }


def _get(complaint_id: int) -> Complaint:
    db.session.expire_all()
    return db.session.get(Complaint, complaint_id)


def _events(complaint_id: int, kind: str | None = None) -> list[ComplaintEvent]:
    query = select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint_id)
    if kind:
        query = query.where(ComplaintEvent.kind == kind)
    return list(db.session.scalars(query.order_by(ComplaintEvent.id)))


def _triaged(factory, people, weight=Weight.RINGAN, **overrides) -> int:
    complaint, _code = factory.complaint(**overrides)
    service.register(complaint.id, None, people["registrar"])
    ids = _ids()
    service.triage(complaint.id, None, people["registrar"], TriageInput(
        type_id=ids["waktu"], weight=weight, division_id=ids["perizinan"],
        holder_id=people["handler"].id))
    return complaint.id


def test_triage_sets_everything_through_events_and_shows_the_suggestion(ctx, factory, people):
    admin.seed_defaults()
    complaint, _code = factory.complaint(body="Ada pungli di loket perizinan")
    hint = service.suggestion_for(_get(complaint.id))
    assert hint.weight == Weight.BERAT and hint.type_code == "biaya"
    assert "pungli" in hint.matched
    assert _get(complaint.id).weight is None  # never applied silently
    service.register(complaint.id, complaint.version, people["registrar"])
    ids = _ids()
    version = _get(complaint.id).version
    service.triage(complaint.id, version, people["registrar"], TriageInput(
        type_id=ids["biaya"], weight=Weight.SEDANG, division_id=ids["perizinan"],
        holder_id=people["handler"].id))
    fresh = _get(complaint.id)
    assert fresh.status == Status.TRIAGED
    assert (fresh.weight, fresh.division_id, fresh.holder_id) == (
        Weight.SEDANG, ids["perizinan"], people["handler"].id)
    kinds = [e.kind for e in _events(complaint.id)]
    assert kinds == ["created", "status", "suggestion", "type", "weight", "division", "holder",
                     "status"]
    (suggested,) = _events(complaint.id, "suggestion")
    assert (suggested.from_value, suggested.to_value) == ("berat", "sedang")


def test_wrong_role_or_status_changes_nothing(ctx, factory, people):
    complaint, _code = factory.complaint()
    ids = _ids()
    with pytest.raises(WorkflowError):
        service.triage(complaint.id, None, people["handler"], TriageInput(
            ids["waktu"], Weight.RINGAN, ids["perizinan"], people["handler"].id))
    with pytest.raises(WorkflowError):  # not registered yet
        service.triage(complaint.id, None, people["registrar"], TriageInput(
            ids["waktu"], Weight.RINGAN, ids["perizinan"], people["handler"].id))
    service.register(complaint.id, None, people["registrar"])
    with pytest.raises(WorkflowError):  # the holder must be a handling officer or Kabid
        service.triage(complaint.id, None, people["registrar"], TriageInput(
            ids["waktu"], Weight.RINGAN, ids["perizinan"], people["sekretaris"].id))
    fresh = _get(complaint.id)
    assert fresh.status == Status.REGISTERED and fresh.weight is None
    assert [e.kind for e in _events(complaint.id)] == ["created", "status"]


def test_reclassification_needs_a_reason_and_writes_events(ctx, factory, people):
    cid = _triaged(factory, people, Weight.RINGAN)
    before = len(_events(cid))
    with pytest.raises(WorkflowError):
        service.reclassify(cid, None, people["registrar"], Weight.SEDANG, "  ")
    assert _get(cid).weight == Weight.RINGAN and len(_events(cid)) == before
    service.reclassify(cid, None, people["kabid"], Weight.SEDANG, "Menyangkut dua bidang")
    assert _get(cid).weight == Weight.SEDANG
    last = _events(cid, "weight")[-1]
    assert (last.from_value, last.to_value, last.note) == ("ringan", "sedang",
                                                           "Menyangkut dua bidang")
    with pytest.raises(WorkflowError):  # same weight again
        service.reclassify(cid, None, people["kabid"], Weight.SEDANG, "lagi")


def test_close_is_refused_without_a_proof_the_channel_accepts(ctx, factory, people):
    cid = _triaged(factory, people, Weight.RINGAN, channel=Channel.EMAIL,
                   complainant_email="warga@example.org", complainant_phone=None)
    handler = people["handler"]
    service.start_handling(cid, None, handler)
    handling.answer(cid, None, handler, "Izin Anda sudah terbit.")
    with pytest.raises(WorkflowError):
        closing.close(cid, None, handler)
    assert _get(cid).status == Status.ANSWERED
    with pytest.raises(WorkflowError):  # a letter is not how an email complaint is answered
        closing.record_proof(cid, None, handler, closing.ProofInput(ProofKind.LETTER, "001"))
    assert db.session.scalar(select(func.count(ReplyProof.id))) == 0
    closing.record_proof(cid, None, handler, closing.ProofInput(ProofKind.EMAIL, "<m1@x>"))
    closing.close(cid, None, handler)
    fresh = _get(cid)
    assert fresh.status == Status.CLOSED and fresh.closed_at is not None
    assert [e.kind for e in _events(cid)][-2:] == ["reply_proof", "status"]
    assert _events(cid, "reply")[0].public is True


def test_sedang_is_answered_after_the_recorded_decision(ctx, factory, people):
    cid = _triaged(factory, people, Weight.SEDANG)
    service.start_handling(cid, None, people["handler"])
    with pytest.raises(WorkflowError):
        handling.answer(cid, None, people["kabid"], "Jawaban")
    service.start_coordination(cid, None, people["handler"])
    with pytest.raises(WorkflowError):  # no decision yet
        handling.answer(cid, None, people["kabid"], "Jawaban")
    with pytest.raises(WorkflowError):  # the handler does not decide a sedang complaint
        handling.record_coordination(cid, None, people["handler"], CoordinationInput(
            date(2026, 1, 5), "Kabid, Kadis", "Diselesaikan"))
    handling.record_coordination(cid, None, people["kabid"], CoordinationInput(
        clock.now().date(), "Kepala Bidang Perizinan; Kepala Dinas", "Izin diproses ulang"))
    handling.answer(cid, None, people["kabid"], "Izin diproses ulang dalam 2 hari kerja.")
    assert _get(cid).status == Status.ANSWERED


def test_berat_needs_the_outside_officials_named(ctx, factory, people):
    cid = _triaged(factory, people, Weight.BERAT)
    service.start_handling(cid, None, people["handler"])
    service.start_coordination(cid, None, people["kadis"])
    with pytest.raises(WorkflowError):
        handling.record_coordination(cid, None, people["kadis"], CoordinationInput(
            clock.now().date(), "Kepala Dinas", "Diperiksa Inspektorat"))
    handling.record_coordination(cid, None, people["kadis"], CoordinationInput(
        clock.now().date(), "Kepala Dinas", "Diperiksa Inspektorat",
        officials="Asisten I Setdako Pekanbaru"))
    row = db.session.scalar(select(Coordination))
    assert row.weight == Weight.BERAT and row.officials.startswith("Asisten")


def test_information_request_pauses_and_resumes_the_clock(ctx, factory, people):
    cid = _triaged(factory, people)
    handling.request_info(cid, None, people["handler"], "Mohon kirim nomor berkas.")
    handling.request_info(cid, None, people["handler"], "Dan fotokopi KTP.")
    assert [e.kind for e in _events(cid)].count("clock_paused") == 1
    assert handling.is_paused(_get(cid))
    handling.resume(cid, None, people["handler"], "Berkas diterima")
    assert not handling.is_paused(_get(cid))
    with pytest.raises(WorkflowError):
        handling.resume(cid, None, people["handler"])


def test_information_request_without_pause_when_configured(app, ctx, factory, people):
    app.config["WORKFLOW_PAUSE_ON_INFO_REQUEST"] = False
    cid = _triaged(factory, people)
    handling.request_info(cid, None, people["handler"], "Mohon kirim nomor berkas.")
    assert not _events(cid, "clock_paused")
    assert _events(cid, "info_request")[0].public is True


def test_optimistic_locking_first_wins_second_is_told(ctx, factory, people):
    cid = _triaged(factory, people)
    version = _get(cid).version  # both officers rendered their form at this version
    events_before = len(_events(cid))
    service.start_handling(cid, version, people["handler"])
    with pytest.raises(StaleComplaint):
        service.reclassify(cid, version, people["kabid"], Weight.SEDANG, "Lebih berat")
    fresh = _get(cid)
    assert fresh.weight == Weight.RINGAN and fresh.status == Status.IN_HANDLING
    assert len(_events(cid)) == events_before + 1
    assert fresh.version > version


def test_even_a_reply_bumps_the_version(ctx, factory, people):
    cid = _triaged(factory, people)
    service.start_handling(cid, None, people["handler"])
    version = _get(cid).version
    handling.reply(cid, version, people["handler"], "Sedang kami periksa.")
    with pytest.raises(StaleComplaint):
        handling.reply(cid, version, people["handler"], "Kedua kali")
    assert len(_events(cid, "reply")) == 1


def test_duplicates_across_channels_and_merge_keeps_both_histories(ctx, factory, people):
    text = "Permohonan SIKOT saya sudah dua minggu belum selesai padahal standar dua hari kerja"
    letter, _c = factory.complaint(channel=Channel.SURAT, complainant_phone="0812 3456 7890",
                                   body=text)
    call, _c = factory.complaint(channel=Channel.TELEPON, complainant_phone="+62 812-3456-7890",
                                 contact_number="+62 812-3456-7890",
                                 body="Menanyakan izin yang lama")
    email, _c = factory.complaint(channel=Channel.EMAIL, complainant_phone=None,
                                  complainant_email="a@example.org",
                                  body=text.lower() + ", mohon dibantu")
    lapor1, _c = factory.complaint(channel=Channel.LAPOR, lapor_tracking_id="LAPOR-1",
                                   complainant_phone=None, body="Loket tutup cepat")
    lapor2, _c = factory.complaint(channel=Channel.SURAT, lapor_tracking_id="LAPOR-1",
                                   complainant_phone=None, body="Surat tembusan LAPOR")
    other, _c = factory.complaint(channel=Channel.WEB, complainant_phone="0899",
                                  body="Ruang tunggu panas sekali")
    found = {c.complaint.id: c.reasons for c in duplicates.find_duplicates(_get(letter.id))}
    assert set(found) == {call.id, email.id}
    assert {c.complaint.id for c in duplicates.find_duplicates(_get(lapor1.id))} == {lapor2.id}
    assert other.id not in found

    service.register(email.id, None, people["registrar"])
    letter_events = len(_events(letter.id))
    email_events = len(_events(email.id))
    duplicates.merge(email.id, None, people["registrar"], letter.id, "Sama dengan surat")
    merged, survivor = _get(email.id), _get(letter.id)
    assert merged.status == Status.CLOSED and survivor.status == Status.RECEIVED
    assert len(_events(email.id)) > email_events and len(_events(letter.id)) == letter_events + 1
    assert _events(letter.id, "merged_from")[0].to_value == merged.number
    link = db.session.scalar(select(ComplaintLink))
    assert (link.complaint_id, link.other_id, link.kind) == (email.id, letter.id, "merged_into")
    assert email.id not in {c.complaint.id for c in duplicates.find_duplicates(_get(letter.id))}
    duplicates.link(letter.id, None, people["registrar"], call.id)
    with pytest.raises(WorkflowError):
        duplicates.link(call.id, None, people["registrar"], letter.id)


def test_duplicate_window_is_configurable(app, ctx, factory, people):
    old = datetime.now(UTC) - timedelta(days=45)
    first, _c = factory.complaint(complainant_phone="0811", body="satu", received_at=old)
    second, _c = factory.complaint(complainant_phone="0811", body="dua")
    assert duplicates.find_duplicates(_get(second.id)) == []
    app.config["WORKFLOW_DUPLICATE_DAYS"] = 60
    assert [c.complaint.id for c in duplicates.find_duplicates(_get(second.id))] == [first.id]


def test_reject_forward_and_reopen(app, ctx, factory, people):
    rejected, _c = factory.complaint()
    with pytest.raises(WorkflowError):
        closing.reject(rejected.id, None, people["registrar"], "")
    closing.reject(rejected.id, None, people["registrar"], "Bukan pengaduan pelayanan")
    assert _get(rejected.id).status == Status.REJECTED
    forwarded, _c = factory.complaint()
    with pytest.raises(WorkflowError):
        closing.forward(forwarded.id, None, people["registrar"], "", "Bukan kewenangan")
    closing.forward(forwarded.id, None, people["registrar"], "Dinas Kesehatan Kota Pekanbaru",
                    "Izin praktik tenaga kesehatan tertentu")
    assert _get(forwarded.id).status == Status.FORWARDED
    assert "Dinas Kesehatan" in _events(forwarded.id, "reply")[0].note
    closing.reopen(rejected.id, None, people["kadis"], "Ternyata pengaduan pelayanan")
    assert _get(rejected.id).status == Status.REGISTERED


def test_reopen_window_for_staff_and_complainant(app, ctx, factory, people):
    cid = _triaged(factory, people, channel=Channel.SMS, complainant_phone="0812")
    service.start_handling(cid, None, people["handler"])
    handling.answer(cid, None, people["handler"], "Sudah selesai")
    closing.record_proof(cid, None, people["handler"],
                         closing.ProofInput(ProofKind.MESSAGE, "SM123"))
    closing.close(cid, None, people["handler"])
    closing.reopen_by_complainant(cid, "Belum selesai sebenarnya")
    assert _get(cid).status == Status.IN_HANDLING
    handling.answer(cid, None, people["handler"], "Sekarang selesai")
    closing.close(cid, None, people["handler"])  # the earlier proof still counts
    clock.set_now(datetime.now(UTC) + timedelta(days=app.config["WORKFLOW_REOPEN_DAYS"] + 1))
    try:
        with pytest.raises(WorkflowError):
            closing.reopen_by_complainant(cid, "Masih belum")
        with pytest.raises(WorkflowError):
            closing.reopen(cid, None, people["registrar"], "Masih belum")
    finally:
        clock.set_now(None)
    assert _get(cid).status == Status.CLOSED


def test_canned_replies_and_keyword_rules(ctx, factory, people):
    admin.seed_defaults()
    admin.seed_defaults()  # idempotent
    assert len(admin.canned_replies()) == len(admin.DEFAULT_CANNED_REPLIES)
    complaint, _c = factory.complaint(complainant_name="Siti")
    text = handling.fill_placeholders("Yth. {name}, nomor {number} {unknown} {", {})
    assert text == "Yth. {name}, nomor {number} {unknown} {"
    values = handling.placeholder_values(_get(complaint.id))
    filled = handling.fill_placeholders("Yth. {name}, nomor {number} {unknown}", values)
    assert filled == f"Yth. Siti, nomor {complaint.number} {{unknown}}"
    admin_user = people["registrar"]
    with pytest.raises(WorkflowError):
        admin.save_keyword(admin_user, admin.KeywordInput("pungli", Weight.BERAT, None, "dup"))
    admin.save_keyword(admin_user, admin.KeywordInput("Minta Imbalan", Weight.BERAT, "biaya",
                                                      "Permintaan imbalan"))
    hint = service.suggestion_for(_get(factory.complaint(body="petugas minta imbalan")[0].id))
    assert hint.weight == Weight.BERAT and hint.reasons == ("Permintaan imbalan",)


def test_two_sessions_at_once_only_one_wins(app, ctx, factory, people):
    import threading

    cid = _triaged(factory, people)
    version = _get(cid).version
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(call):
        with app.app_context():
            barrier.wait()
            try:
                call()
            except StaleComplaint:
                outcomes.append("stale")
            else:
                outcomes.append("ok")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=act, args=(lambda: service.start_handling(
            cid, version, people["handler"]),)),
        threading.Thread(target=act, args=(lambda: service.reclassify(
            cid, version, people["kabid"], Weight.BERAT, "Ada indikasi pungli"),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["ok", "stale"]
    fresh = _get(cid)
    started = fresh.status == Status.IN_HANDLING
    reclassified = fresh.weight == Weight.BERAT
    assert started != reclassified  # exactly one of the two changes happened
    assert fresh.version > version  # the winner moved it on (due dates may bump it again)


def test_dates_are_the_office_days(ctx, factory, people):
    # 23:30 UTC is already the next day in Pekanbaru (WIB, UTC+7).
    clock.set_now(datetime(2026, 11, 23, 23, 30, tzinfo=UTC))
    try:
        cid = _triaged(factory, people, Weight.SEDANG)
        service.start_handling(cid, None, people["handler"])
        service.start_coordination(cid, None, people["handler"])
        handling.record_coordination(cid, None, people["kabid"], CoordinationInput(
            date(2026, 11, 24), "Kabid", "Selesai"))
        with pytest.raises(WorkflowError):
            closing.record_proof(cid, None, people["kabid"], closing.ProofInput(
                ProofKind.LETTER, "001", happened_at=datetime(2026, 11, 24, 1, 0, tzinfo=UTC)))
        values = handling.placeholder_values(_get(cid))
        assert values["date"] == "24-11-2026"
    finally:
        clock.set_now(None)
