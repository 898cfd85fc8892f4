"""The staff queue and complaint page through the test client."""

from __future__ import annotations

from complaints.tickets.models import Confidentiality


def test_queue_and_detail_render_for_the_registrar(client, auth, factory):
    complaint, _ = factory.complaint(summary="Izin lambat", complainant_name="Ahmad Fauzi")
    auth.login_as("registrar")
    page = client.get("/staff/queue").get_data(as_text=True)
    assert complaint.number in page and "Izin lambat" in page and "Ahmad Fauzi" in page
    detail = client.get(f"/staff/complaints/{complaint.id}")
    assert detail.status_code == 200
    assert "Kartu kendali" in detail.get_data(as_text=True)


def test_confidential_identity_is_masked_for_the_counter(client, auth, factory):
    complaint, _ = factory.complaint(complainant_name="Rahasia Orang",
                                     confidentiality=Confidentiality.RAHASIA)
    auth.login_as("loket")
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    assert "Rahasia Orang" not in page
    assert "•••" in page
