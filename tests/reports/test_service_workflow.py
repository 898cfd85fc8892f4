"""The review workflow: steps allowed and forbidden by role, notes, versions, the snapshot."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from complaints.accounts.models import User
from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.inbox.models import Notification
from complaints.notifications.models import OutboxMessage
from complaints.reports import service
from complaints.reports.models import VersionStatus
from complaints.reports.service import ReportError, ReportForbidden
from complaints.reports.snapshot import snapshot_rows
from complaints.tickets.models import Complaint, Status
from complaints.tickets.service import apply_changes
from tests.reports.fixtures import AFTER, build_march, wib


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_now(None)


@pytest.fixture
def people(factory):
    names = {"registrar": "registrar", "sekretaris": "sekretaris", "kadis": "kadis",
             "handler": "handler"}
    made = {}
    for role, position in names.items():
        division = "perizinan" if role == "handler" else None
        made[role] = factory.user(f"r_{role}", positions=[(position, division)],
                                  email=f"{role}@example.test").id
    return made


def _u(people, role) -> User:
    return db.session.get(User, people[role])


def _compiled(factory, people):
    build_march(factory)
    clock.set_now(AFTER)
    return service.compile_report(2026, 3, _u(people, "registrar")).id


def test_a_month_that_has_not_ended_cannot_be_compiled_or_submitted(ctx, people, backend):
    clock.set_now(wib(2026, 3, 31, 22))
    with pytest.raises(ReportError):
        service.compile_report(2026, 3, _u(people, "registrar"))
    assert service.provisional(2026, 3)["received"] == 0


def test_the_whole_review_and_who_may_do_each_step(ctx, factory, people, backend):
    report_id = _compiled(factory, people)
    assert service.compile_report(2026, 3).id == report_id  # idempotent (the job)
    for role in ("sekretaris", "kadis", "handler"):
        with pytest.raises(ReportForbidden):
            service.submit(report_id, _u(people, role))
    service.save_narrative(report_id, _u(people, "registrar"), "Ringkasan", "Simpulan", "Saran")
    service.submit(report_id, _u(people, "registrar"))
    with pytest.raises(ReportError):
        service.save_narrative(report_id, _u(people, "registrar"), "x", "y", "z")
    for role in ("registrar", "kadis"):
        with pytest.raises(ReportForbidden):
            service.approve(report_id, _u(people, role))
        with pytest.raises(ReportForbidden):
            service.return_report(report_id, _u(people, role), "Perbaiki")
    with pytest.raises(ReportError):
        service.return_report(report_id, _u(people, "sekretaris"), "  ")
    draft = service.return_report(report_id, _u(people, "sekretaris"), "Tabel jenis kurang")
    assert draft.number == 2 and draft.summary == "Ringkasan"
    service.save_narrative(report_id, _u(people, "registrar"), "Ringkasan 2", "S", "R")
    service.submit(report_id, _u(people, "registrar"))
    with pytest.raises(ReportError, match="belum diselesaikan"):
        service.approve(report_id, _u(people, "sekretaris"))
    report = service.get_report(report_id)
    note = service.unresolved_notes(report)[0]
    with pytest.raises(ReportForbidden):
        service.resolve_note(note.id, _u(people, "sekretaris"), "ok")
    service.resolve_note(note.id, _u(people, "registrar"), "Sudah dilengkapi")
    with pytest.raises(ReportError, match="disetujui"):
        service.acknowledge(report_id, _u(people, "kadis"))
    approved = service.approve(report_id, _u(people, "sekretaris"))
    assert approved.status == VersionStatus.APPROVED and approved.register_rows == 5
    assert approved.approved_by_id == people["sekretaris"]
    with pytest.raises(ReportError):
        service.save_narrative(report_id, _u(people, "registrar"), "x", "y", "z")
    with pytest.raises(ReportForbidden):
        service.acknowledge(report_id, _u(people, "sekretaris"))
    service.acknowledge(report_id, _u(people, "kadis"))
    versions = service.get_report(report_id).versions
    assert [v.status for v in versions] == [VersionStatus.RETURNED, VersionStatus.APPROVED]
    assert versions[0].notes[0].note == "Tabel jenis kurang"
    assert versions[1].acknowledged_by_id == people["kadis"]


def test_each_step_notifies_the_next_person_in_the_app_and_by_email(ctx, factory, people,
                                                                      backend):
    report_id = _compiled(factory, people)
    service.submit(report_id, _u(people, "registrar"))
    service.approve(report_id, _u(people, "sekretaris"))
    keys = {(n.user_id, n.key) for n in db.session.scalars(select(Notification))}
    assert (people["sekretaris"], "report_submitted") in keys
    assert (people["kadis"], "report_delivered") in keys
    assert (people["registrar"], "report_approved") in keys
    mails = {m.recipient for m in db.session.scalars(select(OutboxMessage))}
    assert {"sekretaris@example.test", "kadis@example.test"} <= mails


def test_the_approved_snapshot_does_not_change_when_complaints_are_edited(ctx, factory, people,
                                                                           backend):
    report_id = _compiled(factory, people)
    service.submit(report_id, _u(people, "registrar"))
    version = service.approve(report_id, _u(people, "sekretaris"))
    before_rows = [(r.number, r.status, r.weight) for r in snapshot_rows(version.id)]
    before_figures = dict(version.figures)
    with write_transaction():
        for complaint in db.session.scalars(select(Complaint)):
            apply_changes(complaint, None, status=Status.REJECTED)
    clock.set_now(wib(2026, 5, 1, 9))
    version = service.get_report(report_id).current
    db.session.refresh(version)
    assert version.figures == before_figures
    assert [(r.number, r.status, r.weight) for r in snapshot_rows(version.id)] == before_rows
    assert "rejected" not in {status for _n, status, _w in before_rows}
    assert service.provisional(2026, 3)["by"]["status"] == {"rejected": 5}


def test_a_correction_after_approval_is_a_new_version_with_a_reason(ctx, factory, people,
                                                                     backend):
    report_id = _compiled(factory, people)
    with pytest.raises(ReportError):
        service.correct(report_id, _u(people, "registrar"), "terlalu awal")
    service.submit(report_id, _u(people, "registrar"))
    service.approve(report_id, _u(people, "sekretaris"))
    with pytest.raises(ReportError):
        service.correct(report_id, _u(people, "registrar"), "")
    draft = service.correct(report_id, _u(people, "registrar"), "Salah ketik di simpulan")
    assert draft.number == 2 and draft.reason == "Salah ketik di simpulan"
    service.submit(report_id, _u(people, "registrar"))
    service.approve(report_id, _u(people, "sekretaris"))
    statuses = [v.status for v in service.get_report(report_id).versions]
    assert statuses == [VersionStatus.SUPERSEDED, VersionStatus.APPROVED]
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 8


def test_confidential_identities_never_enter_the_snapshot(ctx, factory, people, backend):
    clock.set_now(wib(2026, 5, 4, 9))
    factory.complaint(complainant_name="Rahasia Sekali", confidentiality="rahasia")
    factory.complaint(complainant_name="Budi Terbuka")
    clock.set_now(wib(2026, 6, 2, 9))
    report = service.compile_report(2026, 5, _u(people, "registrar"))
    other = service.compile_report(2026, 4, _u(people, "registrar"))
    service.submit(report.id, _u(people, "registrar"))
    service.return_report(report.id, _u(people, "sekretaris"), "Periksa lagi")
    note = service.unresolved_notes(service.get_report(report.id))[0]
    with pytest.raises(ReportError):
        service.resolve_note(note.id, _u(people, "registrar"), "ok", other.id)
    service.resolve_note(note.id, _u(people, "registrar"), "ok", report.id)
    service.submit(report.id, _u(people, "registrar"))
    version = service.approve(report.id, _u(people, "sekretaris"))
    names = sorted(r.complainant for r in snapshot_rows(version.id))
    assert names == ["", "Budi Terbuka"]
