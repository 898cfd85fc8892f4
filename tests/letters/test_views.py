"""Reply letters through the test client: the form, the PDF download, the dispatch."""

from __future__ import annotations

from sqlalchemy import select

from complaints.extensions import db
from complaints.letters.models import ReplyLetter


def test_write_download_and_dispatch_a_letter(app, client, auth, factory):
    auth.login_as("registrar")
    factory.user(full_name="Ir. Kepala Dinas", nip="196803031995031003",
                 positions=[("kadis", None)])
    complaint, _ = factory.complaint(complainant_name="Siti Aminah",
                                     complainant_address="Jl. Riau 5")
    form = client.get(f"/staff/complaints/{complaint.id}/letters/new").get_data(as_text=True)
    assert "Siti Aminah" in form and f"Pengaduan Nomor {complaint.number}" in form
    response = client.post(f"/staff/complaints/{complaint.id}/letters/new", data={
        "subject": "Tanggapan", "addressee": "Siti Aminah\nJl. Riau 5",
        "attachments_line": "-", "body": "Izin Saudara telah terbit."})
    assert response.status_code == 302
    with app.app_context():
        letter = db.session.scalar(select(ReplyLetter))
        attachment_id, letter_id = letter.attachment_id, letter.id
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    assert letter.number in page
    pdf = client.get(f"/staff/attachments/{attachment_id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    response = client.post(f"/staff/letters/{letter_id}/dispatch", data={
        "method": "courier", "dispatched_on": "2026-11-24", "note": "JNE 123"})
    assert response.status_code == 302
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    assert "JNE 123" in page
    with app.app_context():
        assert db.session.get(ReplyLetter, letter_id).dispatch_method.value == "courier"


def test_empty_decision_keeps_the_form(app, client, auth, factory):
    auth.login_as("registrar")
    complaint, _ = factory.complaint()
    response = client.post(f"/staff/complaints/{complaint.id}/letters/new", data={
        "subject": "Tanggapan", "addressee": "Budi", "body": ""})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ReplyLetter)) is None


def test_handler_of_another_division_is_refused(app, client, auth, factory):
    auth.login_as("handler")
    complaint, _ = factory.complaint()
    assert client.get(f"/staff/complaints/{complaint.id}/letters/new").status_code == 403
