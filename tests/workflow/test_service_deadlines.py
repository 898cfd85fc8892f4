"""Stored due dates follow weight, status, the clock and added days off (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.tickets.models import Channel, Complaint, Status, Weight
from complaints.tickets.service import apply_changes, record_event
from complaints.workflow import calendar_service, deadline_service
from complaints.workflow.deadline_models import DayOff

WIB = ZoneInfo("Asia/Jakarta")


def wib(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_now(None)


def _received(ctx, when) -> int:
    clock.set_now(when)
    result = create_complaint(IntakeRecord(channel=Channel.SURAT, body="Izin lambat",
                                           received_at=when))
    return result.complaint.id


def _change(complaint_id: int, when: datetime, **changes) -> Complaint:
    clock.set_now(when)
    with write_transaction():
        complaint = db.session.get(Complaint, complaint_id)
        apply_changes(complaint, None, **changes)
    db.session.expire_all()
    return db.session.get(Complaint, complaint_id)


def _event(complaint_id: int, when: datetime, kind: str) -> Complaint:
    clock.set_now(when)
    with write_transaction():
        record_event(db.session.get(Complaint, complaint_id), kind)
    db.session.expire_all()
    return db.session.get(Complaint, complaint_id)


def test_first_response_due_is_stored_at_intake(ctx):
    complaint = db.session.get(Complaint, _received(ctx, wib(2026, 11, 20, 9)))
    assert complaint.first_response_due_at == wib(2026, 11, 25, 16)
    assert complaint.due_at is None
    assert complaint.next_due_at == wib(2026, 11, 25, 16)


def test_weight_sets_and_moves_the_resolution_due_date(ctx):
    cid = _received(ctx, wib(2026, 11, 20, 9))
    complaint = _change(cid, wib(2026, 11, 23, 9), weight=Weight.RINGAN)
    assert complaint.due_at == wib(2026, 11, 25, 16)
    complaint = _change(cid, wib(2026, 11, 23, 10), weight=Weight.BERAT)
    # 15 working days from Friday 20 November: three full weeks.
    assert complaint.due_at == wib(2026, 12, 11, 16)
    complaint = _change(cid, wib(2026, 11, 23, 11), status=Status.TRIAGED)
    assert complaint.first_response_at == wib(2026, 11, 23, 11)
    assert complaint.next_due_at == complaint.due_at  # first response met


def test_answered_complaint_has_nothing_pending(ctx):
    cid = _received(ctx, wib(2026, 11, 20, 9))
    _change(cid, wib(2026, 11, 23, 9), weight=Weight.SEDANG, status=Status.IN_HANDLING)
    complaint = _change(cid, wib(2026, 11, 24, 9), status=Status.ANSWERED)
    assert complaint.due_at == wib(2026, 12, 1, 16)
    assert complaint.next_due_at is None


def test_pause_and_resume_move_the_due_date_by_the_office_hours_paused(ctx):
    cid = _received(ctx, wib(2026, 11, 20, 9))
    _change(cid, wib(2026, 11, 23, 9), weight=Weight.RINGAN, status=Status.IN_HANDLING)
    paused = _event(cid, wib(2026, 11, 24, 8), "clock_paused")
    assert paused.clock_paused and paused.due_at is None and paused.next_due_at is None
    # Resumed two working days later at the same hour: 17 office hours, two office days.
    resumed = _event(cid, wib(2026, 11, 26, 8), "clock_resumed")
    assert not resumed.clock_paused
    assert resumed.due_at == wib(2026, 11, 27, 16)
    assert resumed.next_due_at == resumed.due_at


def test_added_day_off_moves_open_due_dates(ctx):
    cid = _received(ctx, wib(2026, 11, 20, 9))
    _change(cid, wib(2026, 11, 23, 9), weight=Weight.RINGAN)
    calendar_service.add_day_off(date(2026, 11, 24), "Banjir: kantor tutup")
    db.session.expire_all()
    assert db.session.get(Complaint, cid).due_at == wib(2026, 11, 26, 16)
    (row,) = calendar_service.list_days_off(2026)
    calendar_service.remove_day_off(row.id)
    db.session.expire_all()
    assert db.session.get(Complaint, cid).due_at == wib(2026, 11, 25, 16)


def test_day_off_needs_a_reason_and_is_added_once(ctx):
    with pytest.raises(calendar_service.CalendarError):
        calendar_service.add_day_off(date(2026, 11, 24), " ")
    calendar_service.add_day_off(date(2026, 11, 24), "Rapat kerja")
    with pytest.raises(calendar_service.CalendarError):
        calendar_service.add_day_off(date(2026, 11, 24), "lagi")


def test_settings_change_the_days(app):
    from tests.conftest import make_app

    del app
    # A fresh app with other settings (SQLite file of its own).
    import tempfile
    from pathlib import Path

    other = make_app("sqlite", Path(tempfile.mkdtemp()), DEADLINE_RINGAN_DAYS=5,
                     WORKDAYS_CUTI_BERSAMA_OFF=False)
    with other.app_context():
        cid = _received(None, wib(2026, 12, 22, 9))
        complaint = _change(cid, wib(2026, 12, 22, 10), weight=Weight.RINGAN)
        # 23, 28, 29, 30, 31 December (24 is a working day without cuti bersama).
        assert complaint.due_at == wib(2026, 12, 30, 16)
        assert deadline_service.refresh_all_open() == 1
        db.session.remove()


def test_a_day_off_added_elsewhere_counts_for_the_next_complaint(app):
    # Another worker adds the day: no cache of this process may hide it.
    with app.app_context():
        before = db.session.get(Complaint, _received(app, wib(2026, 11, 20, 9)))
        assert before.first_response_due_at == wib(2026, 11, 25, 16)
    with app.app_context(), db.engine.begin() as other:
        other.execute(DayOff.__table__.insert().values(
            day=date(2026, 11, 24), reason="Rapat kerja", created_at=wib(2026, 11, 19)))
    with app.app_context():
        after = db.session.get(Complaint, _received(app, wib(2026, 11, 20, 9)))
        assert after.first_response_due_at == wib(2026, 11, 26, 16)
    with app.app_context():
        calendar_service.remove_day_off(db.session.scalar(select(DayOff.id)))
    with app.app_context():
        again = db.session.get(Complaint, _received(app, wib(2026, 11, 20, 9)))
        assert again.first_response_due_at == wib(2026, 11, 25, 16)


def test_built_calendars_are_kept_per_process_and_bounded(ctx):
    for n in range(calendar_service._BUILT_MAX + 3):
        with ctx.app_context(), write_transaction():
            db.session.add(DayOff(day=date(2027, 1, 4 + n), reason=f"Libur {n}"))
        with ctx.app_context():
            cal = calendar_service.work_calendar()
            assert date(2027, 1, 4 + n) in cal.extra_days_off
            assert calendar_service.work_calendar() is cal  # once per app context
    assert 0 < len(calendar_service._BUILT) <= calendar_service._BUILT_MAX
