"""Pages of deadlines: due dates and badges, queue views, the calendar admin, delays."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from complaints.core import clock
from complaints.extensions import db
from complaints.workflow.deadline_models import DayOff

WIB = ZoneInfo("Asia/Jakarta")


def wib(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_now(None)


def _two_complaints(factory):
    clock.set_now(wib(2026, 11, 16, 9))
    old, _ = factory.complaint(body="Lama sekali belum dijawab")
    clock.set_now(wib(2026, 11, 23, 9))
    new, _ = factory.complaint(body="Baru saja masuk")
    return old, new


def test_detail_shows_due_dates_and_the_overdue_badge(client, auth, factory):
    old, _new = _two_complaints(factory)
    auth.login_as("registrar")
    page = client.get(f"/staff/complaints/{old.id}").get_data(as_text=True)
    assert "badge-overdue" in page
    assert "First response due" in page or "Batas tanggapan pertama" in page


def test_queue_views_due_soon_and_overdue(client, auth, factory):
    old, new = _two_complaints(factory)
    auth.login_as("registrar")
    overdue = client.get("/staff/queue?view=overdue").get_data(as_text=True)
    assert old.number in overdue and new.number not in overdue
    assert "badge-overdue" in overdue
    clock.set_now(wib(2026, 11, 26, 9))  # the new one is due today at 16:00
    soon = client.get("/staff/queue?view=due_soon").get_data(as_text=True)
    assert new.number in soon and old.number not in soon
    assert "badge-due-soon" in soon
    assert client.get("/staff/queue?view=later").status_code == 400


def test_admin_adds_and_removes_a_day_off(app, client, auth):
    auth.login_as("admin")
    page = client.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert "Idul Fitri" in page and "Cuti Bersama" in page
    response = client.post("/admin/calendar", data={"day": "2026-11-27", "reason": "Banjir"})
    assert response.status_code == 302
    with app.app_context():
        (row,) = db.session.scalars(db.select(DayOff)).all()
        assert row.reason == "Banjir"
    again = client.post("/admin/calendar", data={"day": "2026-11-27", "reason": "Lagi"})
    assert again.status_code == 200  # shown again with the error
    assert client.post(f"/admin/calendar/{row.id}/delete").status_code == 302
    assert client.post(f"/admin/calendar/{row.id}/delete").status_code == 404
    with app.app_context():
        assert db.session.scalars(db.select(DayOff)).all() == []


def test_calendar_is_for_admins(client, auth):
    auth.login_as("sekretaris")
    assert client.get("/admin/calendar").status_code == 403


def test_delays_page_for_sekretaris_and_kadis_only(client, auth, factory):
    clock.set_now(datetime(2026, 11, 23, 3, tzinfo=UTC))
    factory.complaint()
    clock.set_now(datetime(2026, 11, 25, 3, tzinfo=UTC))
    auth.login_as("sekretaris")
    page = client.get("/staff/delays?month=2026-11")
    assert page.status_code == 200
    assert "17.0" in page.get_data(as_text=True)  # two office days unrouted
    assert client.get("/staff/delays?month=November").status_code == 400
    auth.logout()
    auth.login_as("handler")
    assert client.get("/staff/delays").status_code == 403


def test_complaint_page_shows_station_office_hours(client, auth, factory):
    clock.set_now(wib(2026, 11, 20, 15))
    complaint, _ = factory.complaint()
    clock.set_now(wib(2026, 11, 23, 9))
    auth.login_as("registrar")
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    # Friday 15:00 to Monday 09:00 is 2.5 office hours (1 on Friday, 1.5 on Monday).
    assert "2.5" in page
