"""Staff pages of the quarantine: who sees them, mail shown as text, raw as a download."""

from __future__ import annotations

import pytest

from complaints.extensions import db
from complaints.mail.ingest import ingest
from complaints.mail.models import InboundMail, Outcome
from tests.support.mailfixtures import eml

pytestmark = pytest.mark.usefixtures("frozen_clock")

HOSTILE = (b"From: Promo <promo@lists.example>\nSubject: <b>Diskon</b>\n"
           b"Message-ID: <promo-1@lists.example>\nList-Id: promo.lists.example\n"
           b"Content-Type: text/html; charset=utf-8\n\n"
           b"<p>Halo <script>alert('x')</script><img src=x onerror=alert(1)>teman</p>\n")


def _ingest(app, raw):
    with app.app_context():
        return ingest(raw)


@pytest.mark.parametrize("role,code", [("registrar", 200), ("sekretaris", 200), ("admin", 200),
                                       ("loket", 403), ("handler", 403), ("kadis", 403)])
def test_quarantine_is_for_registrar_sekretaris_and_admin(client, auth, role, code):
    auth.login_as(role)
    assert client.get("/staff/mail/quarantine").status_code == code


def test_anonymous_is_sent_to_login(client):
    assert client.get("/staff/mail/quarantine").status_code == 302


def test_mail_html_is_never_rendered(app, client, auth):
    result = _ingest(app, HOSTILE)
    auth.login_as("registrar")
    listing = client.get("/staff/mail/quarantine").get_data(as_text=True)
    assert "&lt;b&gt;Diskon&lt;/b&gt;" in listing and "<b>Diskon</b>" not in listing
    page = client.get(f"/staff/mail/quarantine/{result.inbound_id}").get_data(as_text=True)
    assert "Halo" in page and "teman" in page
    assert "alert" not in page and "onerror" not in page


def test_raw_download_is_an_attachment(app, client, auth):
    result = _ingest(app, HOSTILE)
    auth.login_as("sekretaris")
    response = client.get(f"/staff/mail/quarantine/{result.inbound_id}/raw")
    assert response.status_code == 200 and response.data == HOSTILE
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_make_a_ticket_anyway_and_dismiss(app, client, auth):
    promo = _ingest(app, HOSTILE)
    bounce = _ingest(app, eml("12"))
    auth.login_as("registrar")
    assert client.post(f"/staff/mail/quarantine/{promo.inbound_id}/ticket").status_code == 302
    assert client.post(f"/staff/mail/quarantine/{bounce.inbound_id}/dismiss").status_code == 302
    again = client.post(f"/staff/mail/quarantine/{promo.inbound_id}/ticket",
                        follow_redirects=True).get_data(as_text=True)
    assert "not in the quarantine" in again
    with app.app_context():
        assert db.session.get(InboundMail, promo.inbound_id).outcome == Outcome.TICKET
        assert db.session.get(InboundMail, bounce.inbound_id).resolved_at is not None


def test_retry_from_the_page(app, client, auth):
    app.config["MAIL_MAX_MESSAGE_BYTES"] = 50
    result = _ingest(app, eml("01"))
    app.config["MAIL_MAX_MESSAGE_BYTES"] = 10**6
    auth.login_as("admin")
    client.post(f"/staff/mail/quarantine/{result.inbound_id}/retry")
    with app.app_context():
        assert db.session.get(InboundMail, result.inbound_id).outcome == Outcome.TICKET
