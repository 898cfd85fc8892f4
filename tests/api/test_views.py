"""API answers: problem documents, strict input, masking and audit, rate limits, token pages."""

from __future__ import annotations

import re

import pytest

from complaints.accounts.models import AuditLog
from complaints.extensions import db
from complaints.tickets.models import Channel, Complaint, Confidentiality
from tests.api.support import bearer, make_token
from tests.conftest import make_app

GOOD = {"body": "Izin usaha saya belum selesai sejak lama.", "consent": True,
        "complainant_name": "Siti", "complainant_phone": "081234567890"}


def test_filed_complaint_uses_the_intake_with_channel_api(app, client):
    response = client.post("/api/v1/public/complaints", json=GOOD)
    assert response.status_code == 201
    data = response.get_json()
    assert re.match(r"^\w+/\d{4}/\d{6}$", data["number"])
    assert data["received_at"].endswith("+07:00")
    with app.app_context():
        complaint = db.session.get(Complaint, data["id"])
        assert complaint.channel == Channel.API
        assert complaint.events[0].kind == "created"


@pytest.mark.parametrize(("body", "field"), [
    ({**GOOD, "complainant_name": ""}, "complainant_name"),
    ({**GOOD, "complainant_phone": "abc"}, "complainant_phone"),
    ({"body": GOOD["body"], "consent": True, "complainant_name": "Siti"}, "complainant_email"),
    ({**GOOD, "incident_date": "2999-01-01"}, "incident_date"),
    ({**GOOD, "service_id": 999999}, "service_id"),
    ({**GOOD, "consent": False}, "consent"),
    ({**GOOD, "body": "pendek"}, "body"),
    ({**GOOD, "body": "nul \x00 dalam teks panjang"}, "body"),
    ({**GOOD, "colour": "red"}, "colour"),
])
def test_the_web_form_rules_apply(client, body, field):
    response = client.post("/api/v1/public/complaints", json=body)
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert response.headers["Content-Type"] == "application/problem+json"
    assert field in problem["errors"] and problem["title"] and problem["detail"]


def test_anonymous_complaint_needs_no_name(client):
    body = {"body": GOOD["body"], "consent": True, "confidentiality": "anonim"}
    assert client.post("/api/v1/public/complaints", json=body).status_code == 201


@pytest.mark.parametrize(("kwargs", "status"), [
    ({"data": "{not json", "content_type": "application/json"}, 400),
    ({"json": [1, 2]}, 422),
    ({"data": "body=x"}, 415),
])
def test_malformed_bodies_are_4xx(client, kwargs, status):
    assert client.post("/api/v1/public/complaints", **kwargs).status_code == status


def test_wrong_number_or_code_same_answer(client):
    data = client.post("/api/v1/public/complaints", json=GOOD).get_json()
    wrong_code = client.get("/api/v1/public/complaint", query_string={"number": data["number"]},
                            headers={"X-Access-Code": "AAAA-BBBB-CCCC"})
    wrong_number = client.get("/api/v1/public/complaint",
                              query_string={"number": "ADU/1999/000001"},
                              headers={"X-Access-Code": data["access_code"]})
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert wrong_code.get_json() == wrong_number.get_json()


def test_huge_or_bad_ids_are_404(app, client, factory):
    user = factory.user(positions=[("registrar", None)])
    headers = bearer(make_token(app, user))
    for value in ("99999999999999999999", "0", "-1", "abc"):
        assert client.get(f"/api/v1/complaints/{value}", headers=headers).status_code == 404
    for query in ({"after": "99999999999999"}, {"limit": "0"}, {"view": "x"},
                  {"view": ["all", "open"]}):
        assert client.get("/api/v1/complaints", headers=headers,
                          query_string=query).status_code == 400


def test_confidential_identity_masked_for_handler_and_audited_for_registrar(app, client,
                                                                             factory):
    handler = factory.user(positions=[("handler", "perizinan")])
    registrar = factory.user(positions=[("registrar", None)])
    complaint, _ = factory.complaint(confidentiality=Confidentiality.RAHASIA,
                                     complainant_name="Rahasia Sekali")
    with app.app_context():
        row = db.session.get(Complaint, complaint.id)
        row.holder_id = handler.id
        db.session.commit()
    seen = client.get(f"/api/v1/complaints/{complaint.id}",
                      headers=bearer(make_token(app, handler))).get_json()
    assert seen["complainant"]["masked"] and seen["complainant"]["name"] == "•••"
    seen = client.get(f"/api/v1/complaints/{complaint.id}",
                      headers=bearer(make_token(app, registrar))).get_json()
    assert seen["complainant"]["name"] == "Rahasia Sekali"
    with app.app_context():
        audits = db.session.query(AuditLog).filter_by(action="view_identity").all()
        assert [a.user_id for a in audits] == [registrar.id]


def test_submissions_are_rate_limited(tmp_path):
    app = make_app("sqlite", tmp_path, RATELIMIT_ENABLED=True, PUBLIC_SUBMIT_LIMIT_IP="2 per hour",
                   PUBLIC_SUBMIT_LIMIT_CONTACT="10 per hour")
    client = app.test_client()
    answers = [client.post("/api/v1/public/complaints", json=GOOD).status_code
               for _ in range(3)]
    assert answers == [201, 201, 429]
    response = client.post("/api/v1/public/complaints", json=GOOD)
    assert response.headers["Content-Type"] == "application/problem+json"


def test_submissions_are_limited_per_contact_and_invalid_ones_do_not_count(tmp_path):
    app = make_app("sqlite", tmp_path, RATELIMIT_ENABLED=True, PUBLIC_SUBMIT_LIMIT_IP="9 per hour",
                   PUBLIC_SUBMIT_LIMIT_CONTACT="2 per hour")
    client = app.test_client()
    post = client.post

    assert [post("/api/v1/public/complaints", json={**GOOD, "body": "pendek"}).status_code
            for _ in range(3)] == [422, 422, 422]
    answers = [post("/api/v1/public/complaints", json=GOOD) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[0].headers["X-RateLimit-Remaining"] == "1"
    refused = answers[2]
    assert refused.get_json()["detail"].endswith("(batas: 2 per 1 hour). Coba lagi nanti.")
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert 3590 < int(refused.headers["Retry-After"]) <= 3600
    other = {**GOOD, "complainant_phone": "081299990000"}
    assert post("/api/v1/public/complaints", json=other).status_code == 201
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Complaint)) == 3


def test_web_form_and_api_keep_their_own_counters_under_the_same_rules(tmp_path):
    app = make_app("sqlite", tmp_path, RATELIMIT_ENABLED=True, PUBLIC_SUBMIT_LIMIT_IP="1 per hour")
    client = app.test_client()
    web = {"kind": "pengaduan", "confidentiality": "biasa", "complainant_name": "Siti",
           "complainant_phone": "081234567890", "body": GOOD["body"], "consent": "y"}
    assert [client.post("/adukan", data=web).status_code for _ in range(2)] == [302, 429]
    assert [client.post("/api/v1/public/complaints", json=GOOD).status_code
            for _ in range(2)] == [201, 429]


def test_docs_page_lists_every_operation_without_script(client, document):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "<script" not in page and "http://" not in page.split("<body")[1].split("curl")[0]
    for item in document["paths"].values():
        for op in item.values():
            assert f'id="{op["operationId"]}"' in page


def test_token_page_shows_a_new_token_once(app, client, auth):
    auth.login_as("handler")
    page = client.post("/account/tokens", data={"name": "skrip", "scopes": ["complaints:read"]})
    text = page.get_data(as_text=True)
    token = re.search(r"pgd_[A-Za-z0-9_-]{40,}", text)
    assert token, text[:2000]
    assert client.get("/api/v1/complaints", headers=bearer(token[0])).status_code == 200
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "skrip" in listing and token[0] not in listing
    refused = client.post("/account/tokens",
                          data={"name": "x", "scopes": ["complaints:triage"]})
    assert refused.status_code == 200
    assert not re.search(r"pgd_[A-Za-z0-9_-]{40,}", refused.get_data(as_text=True))


def test_admin_revokes_a_users_token(app, client, auth, factory):
    user = factory.user(positions=[("registrar", None)])
    token = make_token(app, user)
    auth.login_as("admin", division=None)
    page = client.get(f"/admin/users/{user.id}/tokens").get_data(as_text=True)
    token_id = re.search(r"/tokens/(\d+)/revoke", page)[1]
    response = client.post(f"/admin/users/{user.id}/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/complaints", headers=bearer(token)).status_code == 401


def _triaged(app, client, factory, world_tokens):
    """File through the API and triage to the handler; return (id, version)."""
    from complaints.accounts.models import Division
    from complaints.tickets.models import ComplaintType

    registrar, handler = world_tokens
    data = client.post("/api/v1/public/complaints", json=GOOD).get_json()
    cid = data["id"]
    version = client.post(f"/api/v1/complaints/{cid}/register", headers=bearer(registrar),
                          json={"version": 1}).get_json()["version"]
    with app.app_context():
        type_id = db.session.query(ComplaintType.id).first()[0]
        division_id = db.session.query(Division.id).filter_by(code="perizinan").scalar()
        db.session.remove()
    answer = client.post(f"/api/v1/complaints/{cid}/triage", headers=bearer(registrar),
                         json={"version": version, "type_id": type_id, "weight": "ringan",
                               "division_id": division_id, "holder_id": handler[1]})
    assert answer.status_code == 200, answer.get_json()
    return cid, answer.get_json()["version"]


def test_rule_refusals_are_422_and_stale_replies_409(app, client, factory):
    registrar = factory.user(positions=[("registrar", None)])
    handler = factory.user(positions=[("handler", "perizinan")])
    handler_token = make_token(app, handler)
    cid, version = _triaged(app, client, factory,
                            (make_token(app, registrar), (handler_token, handler.id)))
    refused = client.post(f"/api/v1/complaints/{cid}/status", headers=bearer(handler_token),
                          json={"version": version, "action": "close"})
    assert refused.status_code == 422 and refused.get_json()["detail"]
    stale = client.post(f"/api/v1/complaints/{cid}/replies", headers=bearer(handler_token),
                        json={"version": version - 1, "text": "Halo"})
    assert stale.status_code == 409
    bad_refs = client.post(f"/api/v1/complaints/{cid}/triage",
                           headers=bearer(make_token(app, registrar)),
                           json={"version": version, "type_id": 99999, "weight": "ringan",
                                 "division_id": 99999, "holder_id": handler.id})
    assert bad_refs.status_code == 422
    assert set(bad_refs.get_json()["errors"]) == {"type_id", "division_id"}


def test_register_of_a_month_and_keyset_pages(app, client, factory):
    registrar = factory.user(positions=[("registrar", None)])
    headers = bearer(make_token(app, registrar))
    for _ in range(3):
        factory.complaint()
    page = client.get("/api/v1/register", headers=headers).get_json()
    assert page["total"] == 3 and len(page["rows"]) == 3
    assert client.get("/api/v1/register", headers=headers,
                      query_string={"month": "2026-13"}).status_code == 400
    first = client.get("/api/v1/complaints", headers=headers,
                       query_string={"limit": "2", "view": "all"}).get_json()
    assert len(first["items"]) == 2 and first["next_after"]
    rest = client.get("/api/v1/complaints", headers=headers,
                      query_string={"limit": "2", "view": "all",
                                    "after": str(first["next_after"])}).get_json()
    assert len(rest["items"]) == 1 and rest["next_after"] is None
    ids = [c["id"] for c in first["items"] + rest["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3


def test_tracking_is_rate_limited_on_failures(tmp_path):
    app = make_app("sqlite", tmp_path, RATELIMIT_ENABLED=True, PUBLIC_TRACK_LIMIT_IP="2 per hour")
    client = app.test_client()
    answers = [client.get("/api/v1/public/complaint", query_string={"number": "ADU/2026/1"},
                          headers={"X-Access-Code": "x"}).status_code for _ in range(3)]
    assert answers == [404, 404, 429]
