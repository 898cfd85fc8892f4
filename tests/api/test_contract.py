"""Contract tests generated from the OpenAPI document: every operation, every answer checked.

Each documented operation gets requests here; every response is validated against the
schema the document gives for its status and media type. A new operation without a case
fails test_every_operation_has_a_case.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from complaints.accounts.models import Division
from complaints.api.spec import API_PREFIX
from complaints.extensions import db
from complaints.tickets.models import ComplaintType
from tests.api.support import bearer, check_response

COMPLAINT = {"kind": "pengaduan", "confidentiality": "biasa", "complainant_name": "Siti",
             "complainant_email": "siti@example.org", "consent": True,
             "body": "Izin usaha saya belum selesai sejak tiga minggu."}


class Contract:
    """Sends requests by operation id and checks each answer against the document."""

    def __init__(self, client, document):
        self.client, self.document = client, document
        self.ops = {op["operationId"]: (path, method)
                    for path, item in document["paths"].items()
                    for method, op in item.items()}
        self.seen: set[str] = set()

    def call(self, op_id: str, path_args: dict | None = None, **kwargs):
        path, method = self.ops[op_id]
        response = self.client.open(API_PREFIX + path.format(**(path_args or {})),
                                    method=method.upper(), **kwargs)
        check_response(self.document, path, method, response)
        self.seen.add(op_id)
        return response


@pytest.fixture
def contract(client, document):
    return Contract(client, document)


def _catalogue(app):
    with app.app_context():
        type_id = db.session.scalar(select(ComplaintType.id).limit(1))
        division_id = db.session.scalar(select(Division.id).where(Division.code == "perizinan"))
        db.session.remove()
    return type_id, division_id


def _file(contract) -> dict:
    response = contract.call("file_complaint", json=COMPLAINT)
    assert response.status_code == 201
    return response.get_json()


def test_public_operations(contract):
    assert contract.call("list_services").get_json()["services"]
    created = _file(contract)
    who = {"query_string": {"number": created["number"]},
           "headers": {"X-Access-Code": created["access_code"]}}
    assert contract.call("public_complaint", **who).status_code == 200
    response = contract.call("public_message", json={"text": "Nomor berkas 12."}, **who)
    assert response.status_code == 201
    assert response.get_json()["timeline"][-1]["kind"] == "complainant_message"
    wrong = {"query_string": {"number": created["number"]}, "headers": {"X-Access-Code": "x"}}
    assert contract.call("public_complaint", **wrong).status_code == 404
    assert contract.call("file_complaint", json={"body": "short"}).status_code == 422
    assert contract.call("file_complaint", json={**COMPLAINT, "extra": 1}).status_code == 422
    assert contract.call("file_complaint", data="x").status_code == 415


def test_staff_operations(app, contract, world):
    type_id, division_id = _catalogue(app)
    created = _file(contract)
    cid = {"complaint_id": created["id"]}
    reg, han = bearer(world.registrar_token), bearer(world.handler_token)
    page = contract.call("list_complaints", headers=reg, query_string={"view": "untriaged"})
    assert created["id"] in [c["id"] for c in page.get_json()["items"]]
    detail = contract.call("get_complaint", cid, headers=reg).get_json()
    response = contract.call("register_complaint", cid, headers=reg,
                             json={"version": detail["version"]})
    assert response.status_code == 200 and response.get_json()["status"] == "registered"
    stale = contract.call("register_complaint", cid, headers=reg,
                          json={"version": detail["version"]})
    assert stale.status_code == 409
    version = response.get_json()["version"]
    triage = {"version": version, "type_id": type_id, "weight": "ringan",
              "division_id": division_id, "holder_id": world.handler_id}
    response = contract.call("triage_complaint", cid, headers=reg, json=triage)
    assert response.status_code == 200, response.get_json()
    version = response.get_json()["version"]
    response = contract.call("change_status", cid, headers=han,
                             json={"version": version, "action": "start_handling"})
    assert response.status_code == 200, response.get_json()
    note = contract.call("add_note", cid, headers=han, json={"text": "Ditelepon."})
    assert note.status_code == 201
    reply = contract.call("add_reply", cid, headers=han,
                          json={"version": note.get_json()["version"], "text": "Kami periksa."})
    assert reply.status_code == 201
    assert contract.call("read_register", headers=reg).status_code == 200
    catalogue = contract.call("get_catalogue", headers=reg).get_json()
    assert world.handler_id in [o["id"] for o in catalogue["officers"]]
    assert contract.call("read_register", headers=reg,
                         query_string={"nope": "1"}).status_code == 400
    assert contract.call("list_complaints", headers=reg,
                         query_string={"colour": "red"}).status_code == 400
    assert contract.call("get_complaint", {"complaint_id": 999999}, headers=reg).status_code == 404
    assert contract.call("get_complaint", cid).status_code == 401


def _approved_report(app, factory, registrar_id: int) -> int:
    """Compile January 2025, return it once with a note, resolve it and approve version 2."""
    from complaints.accounts.models import User
    from complaints.reports import service as reports

    sekretaris = factory.user(positions=[("sekretaris", None)])
    with app.app_context():
        registrar = db.session.get(User, registrar_id)
        boss = db.session.get(User, sekretaris.id)
        report = reports.compile_report(2025, 1, registrar)
        reports.submit(report.id, registrar)
        reports.return_report(report.id, boss, "Lengkapi tabel")
        note = reports.unresolved_notes(reports.get_report(report.id))[0]
        reports.resolve_note(note.id, registrar, "Sudah dilengkapi", report.id)
        reports.submit(report.id, registrar)
        reports.approve(report.id, boss)
        report_id = report.id
        db.session.remove()
    return report_id


def test_report_operations(app, contract, world, factory):
    report_id = _approved_report(app, factory, world.registrar_id)
    kadis = bearer(world.kadis_token)
    page = contract.call("list_reports", headers=kadis).get_json()
    assert page["items"][0] == {**page["items"][0], "id": report_id, "month": "2025-01",
                                "version": 2, "status": "approved"}
    assert page["next_after"] is None
    rid = {"report_id": report_id}
    detail = contract.call("get_report", rid, headers=kadis).get_json()
    assert detail["frozen"] and detail["figures"] and detail["current_version"] == 2
    assert [n["note"] for n in detail["notes"]] == ["Lengkapi tabel"]
    assert [h["status"] for h in detail["history"]] == ["returned", "approved"]
    first = contract.call("get_report", rid, headers=kadis, query_string={"version": "1"})
    assert first.get_json()["status"] == "returned" and not first.get_json()["frozen"]
    assert contract.call("get_report", rid, headers=kadis,
                         query_string={"version": "9"}).status_code == 404
    assert contract.call("get_report", {"report_id": 999999}, headers=kadis).status_code == 404
    assert contract.call("list_reports", headers=kadis,
                         query_string={"after": "2025-01"}).get_json()["items"] == []
    assert contract.call("list_reports", headers=kadis,
                         query_string={"after": "2025-13"}).status_code == 400
    assert contract.call("list_reports", headers=bearer(world.handler_token)).status_code == 403
    assert contract.call("list_reports").status_code == 401


def test_every_operation_has_a_case(client, document, world, app, factory):
    contract = Contract(client, document)
    test_public_operations(contract)
    test_staff_operations(app, contract, world)
    test_report_operations(app, contract, world, factory)
    assert contract.seen == set(contract.ops), set(contract.ops) - contract.seen


def test_routes_and_document_are_the_same(app, document):
    """Every API route is a documented operation and every operation a route (no drift)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in ("api.openapi", "api.docs"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                path = rule.rule.removeprefix(API_PREFIX).replace("<", "{").replace(">", "}")
                routes.add((path, method.lower(), rule.endpoint.removeprefix("api.")))
    documented = {(path, method, op["operationId"])
                  for path, item in document["paths"].items() for method, op in item.items()}
    assert routes == documented


def test_reports_page_with_the_keyset(app, contract, world):
    from complaints.reports import service as reports

    with app.app_context():
        for month in (3, 1, 2):
            reports.compile_report(2025, month)
        db.session.remove()
    kadis = bearer(world.kadis_token)
    first = contract.call("list_reports", headers=kadis, query_string={"limit": "2"}).get_json()
    assert [r["month"] for r in first["items"]] == ["2025-03", "2025-02"]
    assert first["next_after"] == "2025-02"
    rest = contract.call("list_reports", headers=kadis,
                         query_string={"limit": "2", "after": first["next_after"]}).get_json()
    assert [r["month"] for r in rest["items"]] == ["2025-01"] and rest["next_after"] is None
    assert {r["status"] for r in first["items"] + rest["items"]} == {"draft"}
