"""Through the web pages: the receipt by email or SMS, the question on the tracking page,
the complainant's answer restarting the clock, and reopening within the window."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from complaints.extensions import db
from complaints.notifications.jobs import send_outbox
from complaints.notifications.senders import read_log
from complaints.tickets.models import Complaint, Status
from complaints.workflow import handling
from tests.integration.helpers import fresh, kinds, office, outbox_rows, to_handling

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _form(**overrides) -> dict:
    data = {"kind": "pengaduan", "confidentiality": "biasa", "complainant_name": "Siti Aminah",
            "complainant_email": "siti@example.org", "complainant_phone": "",
            "service_id": "", "incident_date": "2026-11-02",
            "body": "Izin SIKOT saya belum selesai setelah tiga minggu.",
            "consent": "y"}
    data.update(overrides)
    return data


def _file(client, **overrides) -> tuple[str, str]:
    response = client.post("/adukan", data=_form(**overrides),
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get("/tanda-terima").get_data(as_text=True)
    return (re.search(r'id="number">([^<]+)<', page).group(1),
            re.search(r'id="code">([^<]+)<', page).group(1))


def test_web_form_sends_the_email_receipt_with_the_real_tracking_link(app, client):
    number, code = _file(client)
    with app.app_context():
        (ack,) = outbox_rows()
        assert (ack.channel.value, ack.kind, ack.recipient) == (
            "email", "acknowledgement", "siti@example.org")
        assert number in ack.body_text and code in ack.body_text
        assert "/lacak" in ack.body_text and "tiga minggu" not in ack.body_text
        assert send_outbox()["sent"] == 1
        (entry,) = read_log(app.config["OUTBOX_LOG"])
        assert entry["kind"] == "acknowledgement" and code in entry["body"]
        # The link in the message opens the tracking page, which takes the number and code.
        path = re.search(r"https?://[^/\s]+(/\S*)", entry["body"]).group(1)
    page = client.get(path)
    assert page.status_code == 200 and number in page.get_data(as_text=True)


def test_web_form_in_english_with_only_a_phone_gets_an_sms_receipt(app, client):
    client.post("/lang/en")
    number, code = _file(client, complainant_email="", complainant_phone="0812 3456 7890")
    with app.app_context():
        (ack,) = outbox_rows()
        assert (ack.channel.value, ack.recipient) == ("sms", "+6281234567890")
        assert number in ack.body_text and code in ack.body_text
        assert ack.language == "en" and "Access code" in ack.body_text


@pytest.mark.parametrize("contact,channel", [
    ({"complainant_email": "ahmad@example.org"}, "email"),
    ({}, "sms"),  # the form's mobile number
    ({"complainant_phone": ""}, None),  # no contact: nothing to send
])
def test_staff_letter_intake_acknowledges_a_given_contact(app, client, auth, contact, channel):
    auth.login_as("loket")
    data = {"received_at": "2026-11-20T09:30", "kind": "pengaduan",
            "complainant_name": "Ahmad Fauzi", "complainant_phone": "0812 3456 7890",
            "confidentiality": "biasa", "letter_number": "005/SM/2026/114",
            "letter_via": "kotak_saran", "body": "Izin saya belum selesai."}
    data.update(contact)
    response = client.post("/staff/intake/surat", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        rows = outbox_rows()
        assert [r.channel.value for r in rows] == ([channel] if channel else [])
        assert all(r.kind == "acknowledgement" for r in rows)


def test_question_on_tracking_page_and_answer_resumes_clock_then_reopen(app, client, factory):
    number, code = _file(client)
    with app.app_context():
        people = office(factory)
        cid = db.session.scalar(select(Complaint.id))
        to_handling(cid, people)
        handling.request_info(cid, None, people["handler"], "Mohon kirim nomor berkas Anda.")
        assert handling.is_paused(fresh(cid))
    client.post("/lacak", data={"number": number, "code": code})
    page = client.get("/lacak/pengaduan").get_data(as_text=True)
    assert "Mohon kirim nomor berkas Anda." in page
    response = client.post("/lacak/pesan", data={"text": "Nomor berkas 123/IZ/2026"},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        assert not handling.is_paused(fresh(cid))
        assert kinds(cid)[-2:] == ["complainant_message", "clock_resumed"]
        handling.answer(cid, None, people["handler"], "Izin Anda sudah terbit.")
    page = client.get("/lacak/pengaduan").get_data(as_text=True)
    assert 'id="reopen"' in page
    response = client.post("/lacak/buka-kembali", data={"reason": "Izinnya belum saya terima."})
    assert response.status_code == 302
    with app.app_context():
        complaint = fresh(cid)
        assert complaint.status == Status.IN_HANDLING
        assert "Izinnya belum saya terima." in [e.note for e in complaint.events]
    assert 'id="reopen"' not in client.get("/lacak/pengaduan").get_data(as_text=True)
