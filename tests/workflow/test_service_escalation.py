"""Escalation notices reach the right people once per complaint, kind and due date."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from complaints.accounts.models import Division, User
from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.inbox import service as inbox
from complaints.inbox.models import Notification
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.tickets.models import Channel, Complaint, Status, Weight
from complaints.tickets.service import apply_changes
from complaints.workflow import escalation
from complaints.workflow.deadline_models import EscalationNotice

WIB = ZoneInfo("Asia/Jakarta")


def wib(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_now(None)


@pytest.fixture
def office(ctx, factory):
    """A ringan complaint of Bidang Perizinan held by a handler, due Wed 25 Nov 16:00 WIB."""
    people = {
        "handler": factory.user(positions=[("handler", "perizinan")]),
        "kabid": factory.user(positions=[("kabid", "perizinan")]),
        "other_kabid": factory.user(positions=[("kabid", "data")]),
        "sekretaris": factory.user(positions=[("sekretaris", None)]),
        "registrar": factory.user(positions=[("registrar", None)]),
    }
    clock.set_now(wib(2026, 11, 20, 9))
    created = create_complaint(IntakeRecord(channel=Channel.EMAIL, body="Izin belum terbit"))
    division = db.session.scalar(select(Division).where(Division.code == "perizinan"))
    with write_transaction():
        complaint = db.session.get(Complaint, created.complaint.id)
        apply_changes(complaint, None, weight=Weight.RINGAN, division_id=division.id,
                      holder_id=people["handler"].id, status=Status.IN_HANDLING)
    return created.complaint.id, {k: u.id for k, u in people.items()}


def _notices() -> list[tuple[int, str]]:
    rows = db.session.scalars(select(Notification).order_by(Notification.user_id))
    return [(n.user_id, n.key) for n in rows]


def test_reminder_goes_to_the_holder_once(office):
    complaint_id, ids = office
    clock.set_now(wib(2026, 11, 23, 9))
    assert escalation.escalate() == 0
    clock.set_now(wib(2026, 11, 25, 9))
    assert escalation.escalate() == 1
    assert escalation.escalate() == 0
    assert _notices() == [(ids["handler"], "deadline_reminder")]
    (notice,) = db.session.scalars(select(Notification))
    assert notice.complaint_id == complaint_id
    assert notice.params["number"].startswith("ADU/2026/")


def test_overdue_goes_to_kabid_of_the_division_and_sekretaris_once(office):
    _complaint_id, ids = office
    clock.set_now(wib(2026, 11, 26, 9))
    assert escalation.escalate() == 1
    assert escalation.escalate() == 0
    assert sorted(_notices()) == sorted([(ids["kabid"], "deadline_overdue"),
                                         (ids["sekretaris"], "deadline_overdue")])
    assert db.session.scalar(select(db.func.count(EscalationNotice.id))) == 1


def test_a_new_due_date_fires_again(office):
    complaint_id, _ids = office
    clock.set_now(wib(2026, 11, 26, 9))
    escalation.escalate()
    with write_transaction():
        apply_changes(db.session.get(Complaint, complaint_id), None, weight=Weight.SEDANG)
    clock.set_now(wib(2026, 12, 2, 9))  # sedang: due Tue 1 December
    assert escalation.escalate() == 1
    assert db.session.scalar(select(db.func.count(EscalationNotice.id))) == 2


def test_closed_complaints_are_not_escalated(office):
    complaint_id, _ids = office
    with write_transaction():
        apply_changes(db.session.get(Complaint, complaint_id), None, status=Status.ANSWERED)
    clock.set_now(wib(2026, 12, 30, 9))
    assert escalation.escalate() == 0


def test_unrouted_complaint_reminds_the_registrars(ctx, factory):
    registrar = factory.user(positions=[("registrar", None)])
    clock.set_now(wib(2026, 11, 20, 9))
    create_complaint(IntakeRecord(channel=Channel.WEB, body="Belum ada yang menanggapi"))
    clock.set_now(wib(2026, 11, 25, 10))
    assert escalation.escalate() == 1
    assert _notices() == [(registrar.id, "deadline_reminder")]


def test_inbox_counts_and_marks_read(office):
    _complaint_id, ids = office
    clock.set_now(wib(2026, 11, 26, 9))
    escalation.escalate()
    kabid = db.session.get(User, ids["kabid"])
    assert inbox.unread_count(kabid) == 1
    (notice,) = inbox.notices_of(kabid)
    assert inbox.mark_read(kabid, notice.id) == 1
    assert inbox.mark_read(kabid, notice.id) == 0
    assert inbox.unread_count(kabid) == 0


def test_concurrent_runs_send_each_notice_once(app, office):
    import threading

    clock.set_now(wib(2026, 11, 26, 9))
    db.session.remove()
    barrier = threading.Barrier(3)
    results: list[int] = []

    def run() -> None:
        with app.app_context():
            barrier.wait()
            results.append(escalation.escalate())
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [0, 0, 1]
    assert len(_notices()) == 2  # the kabid and the sekretaris, once each
