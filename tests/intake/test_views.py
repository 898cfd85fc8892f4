"""Staff intake forms through the test client."""

from __future__ import annotations

import io

from complaints.extensions import db
from complaints.tickets.models import Attachment, Channel, Complaint

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _letter_form(**overrides):
    data = {
        "received_at": "2026-11-20T09:30",
        "kind": "pengaduan",
        "complainant_name": "Ahmad Fauzi",
        "complainant_phone": "0812 3456 7890",
        "confidentiality": "biasa",
        "letter_number": "005/SM/2026/114",
        "letter_via": "kotak_saran",
        "body": "Izin saya belum selesai setelah dua minggu.",
    }
    data.update(overrides)
    return data


def test_letter_is_numbered_with_scan_and_receipt(app, client, auth):
    auth.login_as("loket")
    data = _letter_form()
    data["files"] = [(io.BytesIO(PNG), "scan surat.png")]
    response = client.post("/staff/intake/surat", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"])
    page = receipt.get_data(as_text=True)
    assert "ADU/2026/000001" in page
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint))
        assert complaint.channel == Channel.SURAT
        assert complaint.letter_number == "005/SM/2026/114"
        assert complaint.received_at.hour == 2  # 09:30 WIB is 02:30 UTC
        (attachment,) = db.session.scalars(db.select(Attachment)).all()
        assert attachment.original_name == "scan surat.png"
        assert attachment.stored_name != "scan surat.png"
        assert attachment.content_type == "image/png"


def test_wrong_file_type_is_refused_and_the_form_keeps_what_was_typed(app, client, auth):
    auth.login_as("loket")
    data = _letter_form()
    data["files"] = [(io.BytesIO(b"MZ\x90\x00 not an image"), "virus.png")]
    response = client.post("/staff/intake/surat", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "virus.png" in page  # the message names the file
    assert "Ahmad Fauzi" in page and "005/SM/2026/114" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Complaint.id))) == 0


def test_too_large_file_gets_a_message_not_a_413(app, client, auth):
    app.config["MAX_UPLOAD_BYTES"] = 1024
    auth.login_as("loket")
    data = _letter_form()
    data["files"] = [(io.BytesIO(PNG + b"\x00" * 2048), "big.png")]
    response = client.post("/staff/intake/surat", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "big.png" in response.get_data(as_text=True)


def test_call_needs_the_number_and_keeps_input(client, auth):
    auth.login_as("registrar")
    response = client.post("/staff/intake/telepon", data={
        "received_at": "2026-11-20T10:00", "kind": "pengaduan", "confidentiality": "biasa",
        "body": "Telepon tentang SIKOT", "complainant_name": "Siti",
    })
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Telepon tentang SIKOT" in page
    assert 'aria-invalid="true"' in page


def test_walk_in_and_call_are_numbered_in_sequence(app, client, auth):
    user = auth.login_as("loket")
    common = {"received_at": "2026-11-20T10:00", "kind": "pengaduan", "confidentiality": "biasa"}
    r1 = client.post("/staff/intake/telepon", data={**common, "contact_number": "0761 28262",
                                                     "body": "Keluhan lewat telepon"})
    r2 = client.post("/staff/intake/langsung", data={**common, "officer_on_duty_id": user.id,
                                                      "body": "Keluhan tatap muka"})
    assert r1.status_code == r2.status_code == 302
    with app.app_context():
        numbers = db.session.scalars(db.select(Complaint.number).order_by(Complaint.id)).all()
    assert numbers == ["ADU/2026/000001", "ADU/2026/000002"]


def test_unknown_channel_is_404(client, auth):
    auth.login_as("loket")
    assert client.get("/staff/intake/telegram").status_code == 404
    assert client.get("/staff/intake/email").status_code == 404


def test_handler_may_not_record(client, auth):
    auth.login_as("handler")
    assert client.get("/staff/intake/surat").status_code == 403
