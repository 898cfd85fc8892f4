"""The staff queue page with complaints in it."""

from __future__ import annotations


def test_queue_shows_each_complaint_with_its_status_badge(client, auth, factory):
    auth.login_as("registrar")
    complaint, _ = factory.complaint()
    response = client.get("/staff/queue?view=all")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert complaint.number in page
    assert "badge-status-received" in page
