"""API error texts follow Accept-Language: Indonesian by default, English on request."""

from __future__ import annotations

import pytest

from tests.api.support import bearer, make_token

GOOD = {"body": "Izin usaha saya belum selesai sejak lama.", "consent": True,
        "complainant_name": "Siti", "complainant_phone": "081234567890"}
UNKNOWN = {**GOOD, "colour": "red", "complainant_name": "x" * 500}


def _post(client, body, language: str | None = None):
    headers = {"Accept-Language": language} if language else {}
    return client.post("/api/v1/public/complaints", json=body, headers=headers)


@pytest.mark.parametrize(("language", "expected"), [
    (None, "id"), ("en", "en"), ("en-US,en;q=0.9", "en"), ("id-ID", "id"),
    ("fr, de;q=0.5", "id"), ("*", "id"), ("en;q=0.4, id;q=0.8", "id"),
])
def test_the_language_comes_from_accept_language(client, language, expected):
    response = _post(client, UNKNOWN, language)
    assert response.status_code == 422
    assert response.headers["Content-Language"] == expected
    assert "Accept-Language" in response.headers["Vary"]
    detail = response.get_json()["detail"]
    if expected == "id":
        assert detail == "Permintaan memuat isian yang tidak sah atau tidak dikenal."
    else:
        assert detail == "The request has invalid or unknown fields."


def test_schema_messages_are_translated(client):
    indonesian = _post(client, UNKNOWN).get_json()
    assert indonesian["title"] == "Isi tidak dapat diproses"
    assert indonesian["errors"]["colour"] == ["Isian tidak dikenal."]
    assert indonesian["errors"]["complainant_name"] == ["Paling banyak 200 karakter."]
    english = _post(client, UNKNOWN, "en").get_json()
    assert english["title"] == "Unprocessable content"
    assert english["errors"]["colour"] == ["Unknown field."]
    assert english["errors"]["complainant_name"] == ["Must be at most 200 characters long."]
    missing = _post(client, {"consent": True}, "en").get_json()
    assert missing["errors"]["body"] == ["This field is required."]
    wrong = _post(client, {**GOOD, "consent": "yes"}, "en").get_json()
    assert wrong["errors"]["consent"] == ["Must be of type boolean.", "Must be true."]


def test_the_web_forms_rules_speak_the_callers_language(client):
    body = {**GOOD, "incident_date": "2999-01-01"}  # a rule of the web form, not the schema
    indonesian, english = _post(client, body).get_json(), _post(client, body, "en").get_json()
    assert indonesian["detail"] == "Pengaduan tidak sah."
    assert english["detail"] == "The complaint is not valid."
    assert indonesian["errors"]["incident_date"] != english["errors"]["incident_date"]


def test_token_and_lookup_errors_are_translated(client):
    assert client.get("/api/v1/complaints").get_json()["detail"] == (
        "Berikan bearer token yang sah pada header Authorization.")
    english = client.get("/api/v1/complaints", headers={"Accept-Language": "en"})
    assert english.status_code == 401 and english.headers["WWW-Authenticate"]
    assert english.get_json()["detail"] == (
        "Give a valid bearer token in the Authorization header.")
    lookup = client.get("/api/v1/public/complaint?number=ADU/2026/000999&code=ABCDEFGH")
    assert lookup.status_code in (400, 404)
    assert lookup.headers["Content-Language"] == "id"


def test_errors_outside_operations_are_translated_problems(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"
    assert missing.get_json() == {"type": "about:blank", "title": "Tidak ditemukan",
                                  "status": 404, "detail": "Tidak ada apa pun di alamat ini."}
    method = client.delete("/api/v1/openapi.json", headers={"Accept-Language": "en"})
    assert method.status_code == 405 and "GET" in method.headers["Allow"]
    assert method.get_json()["title"] == "Method not allowed"


def test_staff_errors_are_translated(client, world):
    headers = {**bearer(world.registrar_token), "Accept-Language": "en"}
    assert client.get("/api/v1/complaints/999999", headers=headers).get_json()["detail"] == (
        "No such complaint.")
    indonesian = client.get("/api/v1/complaints/999999", headers=bearer(world.registrar_token))
    assert indonesian.get_json()["detail"] == "Pengaduan tidak ditemukan."
    bad = client.get("/api/v1/complaints?colour=red", headers=headers)
    assert bad.status_code == 400
    assert bad.get_json()["detail"] == "Unknown query parameter: colour"


def test_the_documentation_page_keeps_the_interface_language(client):
    page = client.get("/api/v1/docs", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert 'lang="id"' in page.get_data(as_text=True)


# The queue's parameters are all refused by their schema first (see
# test_schema_messages_are_translated); the register's period and ids are checked after it.
@pytest.mark.parametrize(("path", "query", "indonesian", "english"), [
    ("/api/v1/register", {"year": "1999"}, "tahun tidak dikenal: '1999'",
     "unknown year '1999'"),
    ("/api/v1/register", {"month": "2026-13"}, "bulan tidak dikenal: '2026-13'",
     "unknown month '2026-13'"),
    ("/api/v1/register", {"division": "999"}, "bidang tidak dikenal: 999",
     "unknown division 999"),
])
def test_refused_filters_are_explained_in_the_callers_language(app, client, factory, path,
                                                                query, indonesian, english):
    headers = bearer(make_token(app, factory.user(positions=[("registrar", None)])))
    response = client.get(path, headers=headers, query_string=query)
    assert response.status_code == 400
    assert response.get_json()["detail"] == f"Filter tidak sah: {indonesian}"
    response = client.get(path, headers={**headers, "Accept-Language": "en"},
                          query_string=query)
    assert response.get_json()["detail"] == f"Invalid filter: {english}"
