"""Where delays happen: stations in office hours, per complaint and per month (both DBs)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.tickets.models import Channel, Complaint
from complaints.tickets.service import apply_changes, hand_over
from complaints.workflow import delays

WIB = ZoneInfo("Asia/Jakarta")


def wib(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_now(None)


@pytest.fixture
def moves(ctx, factory):
    """Two complaints passing registrar -> handler -> kabid in November 2026."""
    registrar = factory.user(positions=[("registrar", None)], full_name="Rina Registrar")
    handler = factory.user(positions=[("handler", "perizinan")], full_name="Hadi Handler")
    kabid = factory.user(positions=[("kabid", "perizinan")], full_name="Kiki Kabid")
    ids = []
    for day in (23, 24):
        clock.set_now(wib(2026, 11, day, 8))
        cid = create_complaint(IntakeRecord(channel=Channel.SURAT, body="Lambat")).complaint.id
        clock.set_now(wib(2026, 11, day, 10))  # 2 office hours unrouted
        with write_transaction():
            apply_changes(db.session.get(Complaint, cid), None, holder_id=handler.id)
        clock.set_now(wib(2026, 11, day + 2, 10))  # 2 office days (17 h) with the handler
        hand_over(cid, kabid.id, db.session.get(type(registrar), registrar.id))
        ids.append(cid)
    return ids, {"registrar": registrar.id, "handler": handler.id, "kabid": kabid.id}


def test_complaint_stations_in_office_hours(moves):
    (first, _second), people = moves
    clock.set_now(wib(2026, 11, 27, 10))
    complaint = db.session.get(Complaint, first)
    found = [(s.holder_id, round(s.hours, 2)) for s in delays.complaint_stations(complaint)]
    # With the kabid from Wed 25 10:00 to Fri 27 10:00: two office days.
    assert found == [(None, 2.0), (people["handler"], 17.0), (people["kabid"], 17.0)]


def test_month_report_ranks_stations_by_total_wait(moves):
    _ids, people = moves
    clock.set_now(wib(2026, 11, 30, 16))
    rows = delays.waits_by_station(2026, 11)
    by_holder = {r.holder_id: r for r in rows}
    assert by_holder[people["handler"]].count == 2
    assert by_holder[people["handler"]].total_hours == 34.0
    assert by_holder[people["handler"]].median_hours == 17.0
    assert by_holder[None].total_hours == 4.0
    # kabid: first from Wed 25 10:00, second from Thu 26 10:00, until Mon 30 16:00.
    assert by_holder[people["kabid"]].total_hours == pytest.approx(31.5 + 23.0)
    assert rows[0].holder_id == people["kabid"]


def test_month_report_clips_to_the_month(moves):
    clock.set_now(wib(2027, 1, 15, 16))
    december = delays.waits_by_station(2026, 12)
    assert {r.count for r in december} == {2}  # both still with the kabid
    assert delays.waits_by_station(2026, 10) == []


def test_position_of_a_person(moves):
    _ids, people = moves
    from flask import current_app

    from complaints.accounts.models import User

    with current_app.test_request_context():
        label = delays.position_of(db.session.get(User, people["kabid"]),
                                   wib(2026, 11, 1).date())
    assert "Kepala Bidang" in label and "Perizinan" in label
