"""The call log pages through the test client."""

from __future__ import annotations

from sqlalchemy import select

from complaints.extensions import db
from complaints.messaging.models import CallDirection, CallLog, CallMedium, CallOutcome
from complaints.tickets.models import ComplaintEvent


def _call(**overrides):
    data = {"direction": "outgoing", "medium": "phone", "number": "0812 3456 7890",
            "outcome": "answered", "summary": "Menjelaskan syarat SIKTG"}
    data.update(overrides)
    return data


def test_quick_form_on_the_complaint_page(app, client, auth, factory):
    auth.login_as("loket")
    complaint, _ = factory.complaint()
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    assert 'id="calls"' in page and f"/staff/complaints/{complaint.id}/calls" in page
    response = client.post(f"/staff/complaints/{complaint.id}/calls", data=_call())
    assert response.status_code == 302
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    assert "Menjelaskan syarat SIKTG" in page
    with app.app_context():
        call = db.session.scalar(select(CallLog))
        assert (call.direction, call.medium, call.outcome) == (
            CallDirection.OUTGOING, CallMedium.PHONE, CallOutcome.ANSWERED)
        assert db.session.scalar(select(ComplaintEvent.kind).where(
            ComplaintEvent.kind == "call_logged")) == "call_logged"


def test_standalone_page_with_time_in_wib(app, client, auth, factory):
    auth.login_as("loket")
    complaint, _ = factory.complaint()
    response = client.post("/staff/calls", data=_call(
        direction="incoming", medium="fax", outcome="reached", at="2026-11-23T10:15",
        complaint_number=complaint.number))
    assert response.status_code == 302
    page = client.get("/staff/calls").get_data(as_text=True)
    assert complaint.number in page and "Menjelaskan syarat SIKTG" in page
    with app.app_context():
        call = db.session.scalar(select(CallLog))
        assert call.at.hour == 3 and call.complaint_id == complaint.id  # 10:15 WIB


def test_unknown_register_number_is_reported(app, client, auth):
    auth.login_as("loket")
    response = client.post("/staff/calls", data=_call(complaint_number="ADU/1999/000009"))
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(CallLog)) is None


def test_empty_summary_is_refused(app, client, auth, factory):
    auth.login_as("loket")
    complaint, _ = factory.complaint()
    client.post(f"/staff/complaints/{complaint.id}/calls", data=_call(summary=""))
    with app.app_context():
        assert db.session.scalar(select(CallLog)) is None


def test_handler_cannot_log_on_another_divisions_complaint(app, client, auth, factory):
    auth.login_as("handler")
    complaint, _ = factory.complaint()
    assert client.post(f"/staff/complaints/{complaint.id}/calls", data=_call()).status_code \
        == 403
    assert client.get("/staff/calls").status_code == 403


def test_cli_simulate_and_send_test(app, runner, tmp_path):
    result = runner.invoke(args=["twilio", "simulate", "--from", "081234567890", "--body",
                                 "BARU izin belum terbit", "--whatsapp"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created: complaint 1")
    assert "Kode akses" in result.output
    result = runner.invoke(args=["twilio", "send-test", "081234567890"])
    assert result.exit_code == 0 and "outbox-log:test:" in result.output
    assert "+6281234567890" in (tmp_path / "outbox.log").read_text(encoding="utf-8")
