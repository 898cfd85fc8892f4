"""The Outbox page, its retry action and the "not delivered" badge on a complaint."""

from __future__ import annotations

import pytest

from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.notifications import held, outbox
from complaints.notifications.jobs import send_outbox
from complaints.notifications.models import OutboxMessage, OutStatus
from complaints.tickets.models import Channel

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _dead_message(app, factory):
    complaint, _ = factory.complaint(channel=Channel.EMAIL, complainant_email="x@contoh.id",
                                     acknowledge=True)
    with app.app_context():
        row = db.session.query(OutboxMessage).filter_by(recipient="x@contoh.id").one()
        with write_transaction():
            row.status, row.claimed_by = OutStatus.SENDING, "w"
        outbox.mark_failed(row.id, "w", "SMTP 550: no such user", row.created_at, True)
        return complaint, row.id


@pytest.mark.parametrize("role,code", [("registrar", 200), ("sekretaris", 200), ("admin", 200),
                                       ("loket", 403), ("handler", 403), ("kabid", 403)])
def test_outbox_page_access(client, auth, role, code):
    auth.login_as(role)
    assert client.get("/staff/outbox/").status_code == code


def test_outbox_lists_waiting_dead_and_the_local_log(app, client, auth, factory):
    factory.complaint(channel=Channel.EMAIL, complainant_email="a@contoh.id", acknowledge=True)
    with app.app_context():
        send_outbox()
    complaint, dead_id = _dead_message(app, factory)
    auth.login_as("registrar")
    page = client.get("/staff/outbox/").get_data(as_text=True)
    assert "SMTP 550: no such user" in page and "x@contoh.id" in page
    assert "a@contoh.id" in page  # from the local outbox log
    assert client.post(f"/staff/outbox/{dead_id}/retry").status_code == 302
    with app.app_context():
        assert db.session.get(OutboxMessage, dead_id).status == OutStatus.PENDING


def test_complaint_page_shows_not_delivered(app, auth, factory):
    # The include the staff complaint page carries (rendered alone: see the report about
    # tickets/detail.html, whose macros import without context on main).
    from flask import render_template_string
    from flask_login import login_user

    complaint, _dead_id = _dead_message(app, factory)
    user = factory.user(positions=[("registrar", None)])
    with app.test_request_context("/"):
        login_user(db.session.get(type(user), user.id))
        html = render_template_string('{% include "notifications/_undelivered.html" %}',
                                      complaint=complaint)
    assert "undelivered" in html and "SMTP 550" in html and "retry" in html


def test_send_now_delivers_to_the_local_log(app, client, auth, factory):
    factory.complaint(channel=Channel.EMAIL, complainant_email="b@contoh.id", acknowledge=True)
    auth.login_as("sekretaris")
    page = client.post("/staff/outbox/send", follow_redirects=True).get_data(as_text=True)
    assert "Terkirim: 1" in page and "b@contoh.id" in page


def test_outbox_shows_a_held_message_with_its_reason(app, client, auth, factory):
    factory.complaint(channel=Channel.EMAIL, complainant_email="h@contoh.id", acknowledge=True)
    with app.app_context():
        row = db.session.query(OutboxMessage).filter_by(recipient="h@contoh.id").one()
        with write_transaction():
            row.status, row.claimed_by = OutStatus.SENDING, "w"
        held.mark_held(row.id, "w", "outside WhatsApp's 24-hour window", row.created_at)
    auth.login_as("registrar")
    page = client.get("/staff/outbox/").get_data(as_text=True)
    assert "ditahan sampai pengadu mengirim pesan" in page and "h@contoh.id" in page
    assert "24-hour window" in page
