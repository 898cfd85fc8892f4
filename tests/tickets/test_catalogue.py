"""Admin editing of complaint types and services."""

from __future__ import annotations

from complaints.extensions import db
from complaints.tickets.models import ComplaintType, Service


def test_admin_adds_and_edits_a_type(app, client, auth):
    auth.login_as("admin")
    response = client.post("/admin/catalogue/types/new", data={
        "code": "pungli", "name_id": "Pungutan liar", "name_en": "Illegal levy", "sort": 9,
        "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(db.select(ComplaintType).filter_by(code="pungli"))
        assert item.name_en == "Illegal levy" and item.active
        type_id = item.id
    client.post(f"/admin/catalogue/types/{type_id}", data={
        "code": "pungli", "name_id": "Pungli", "name_en": "Illegal levy", "sort": 9})
    with app.app_context():
        item = db.session.get(ComplaintType, type_id)
        assert item.name_id == "Pungli" and not item.active


def test_duplicate_code_is_refused_and_input_kept(client, auth):
    auth.login_as("admin")
    response = client.post("/admin/catalogue/types/new", data={
        "code": "waktu", "name_id": "Nama baru yang diketik", "name_en": "x"})
    assert response.status_code == 200
    assert "Nama baru yang diketik" in response.get_data(as_text=True)


def test_admin_edits_a_service_standard(app, client, auth):
    auth.login_as("admin")
    with app.app_context():
        service = db.session.scalar(db.select(Service).filter_by(code="sikot"))
        service_id, name = service.id, service.name
    response = client.post(f"/admin/catalogue/services/{service_id}", data={
        "code": "sikot", "name": name, "duration": "1 hari kerja", "cost": "Gratis",
        "division_id": "None", "active": "y", "sort": 1})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Service, service_id).duration == "1 hari kerja"


def test_only_admin_edits_catalogues(client, auth):
    auth.login_as("registrar")
    assert client.get("/admin/catalogue/").status_code == 403
