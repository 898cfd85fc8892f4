"""A client written only from the published OpenAPI document, against a live server.

It reads the document over HTTP, finds each operation by its operationId and builds URLs
from the document's paths and server: files a complaint, follows it by number and code,
and with a staff token registers, triages and answers it; the complainant sees the answer.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.api.support import live_server, make_token
from tests.conftest import make_app


class Client:
    """A tiny API client driven by the document."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base
        with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=10) as answer:
            self.doc = json.load(answer)
        self.server = base + self.doc["servers"][0]["url"]
        self.token = token
        self.ops = {op["operationId"]: (path, method.upper())
                    for path, item in self.doc["paths"].items() for method, op in item.items()}

    def __call__(self, op_id: str, body=None, query=None, headers=None, **path_args):
        path, method = self.ops[op_id]
        url = self.server + path.format(**path_args)
        if query:
            url += "?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(url, method=method, headers=dict(headers or {}))
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        if body is not None:
            request.data = json.dumps(body).encode()
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)


@pytest.fixture
def served(tmp_path):
    from tests.factories import Factory

    app = make_app("sqlite", tmp_path)
    factory = Factory(app)
    registrar = factory.user(positions=[("registrar", None)])
    handler = factory.user(positions=[("handler", "perizinan")])
    with live_server(app) as live:
        yield live.url, make_token(app, registrar), make_token(app, handler)


def test_file_follow_triage_and_answer_from_the_document(served):
    base, registrar_token, handler_token = served
    public = Client(base)
    status, services = public("list_services")
    assert status == 200
    status, filed = public("file_complaint", {
        "body": "Izin usaha saya belum terbit sejak tiga minggu.", "consent": True,
        "complainant_name": "Siti", "complainant_email": "siti@example.org",
        "service_id": services["services"][0]["id"]})
    assert status == 201, filed
    follow = {"query": {"number": filed["number"]},
              "headers": {"X-Access-Code": filed["access_code"]}}
    status, seen = public("public_complaint", **follow)
    assert (status, seen["status"]) == (200, "received")

    registrar = Client(base, registrar_token)
    status, found = registrar("list_complaints", query={"q": filed["number"]})
    assert [c["number"] for c in found["items"]] == [filed["number"]]
    complaint_id = found["items"][0]["id"]
    status, complaint = registrar("register_complaint", {"version": found["items"][0]["version"]},
                                  complaint_id=complaint_id)
    assert status == 200, complaint
    status, catalogue = registrar("get_catalogue")
    officer = catalogue["officers"][0]
    status, complaint = registrar("triage_complaint", {
        "version": complaint["version"], "type_id": catalogue["types"][0]["id"],
        "weight": "ringan", "division_id": officer["division_ids"][0],
        "holder_id": officer["id"]}, complaint_id=complaint_id)
    assert (status, complaint["status"]) == (200, "triaged"), complaint

    handler = Client(base, handler_token)
    status, complaint = handler("change_status", {"version": complaint["version"],
                                                  "action": "start_handling"},
                                complaint_id=complaint_id)
    assert status == 200, complaint
    status, complaint = handler("change_status", {
        "version": complaint["version"], "action": "answer",
        "text": "Izin Anda telah terbit dan dapat diambil di loket."},
        complaint_id=complaint_id)
    assert (status, complaint["status"]) == (200, "answered"), complaint

    status, seen = public("public_complaint", **follow)
    assert seen["status"] == "answered"
    assert seen["replies"][-1]["text"].startswith("Izin Anda telah terbit")
    status, seen = public("public_message", {"text": "Terima kasih."}, **follow)
    assert status == 201 and seen["timeline"][-1]["kind"] == "complainant_message"
