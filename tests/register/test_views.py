"""The Buku Pengaduan page and its exports through the test client."""

from __future__ import annotations

import html
import http.server
import io
import threading
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from complaints.accounts.models import AuditLog, Position
from complaints.accounts.permissions import POSITION_PERMS, Perm
from complaints.core import clock
from complaints.core.pdf import StaticOnlyFetcher, render_pdf, static_file
from complaints.extensions import db
from complaints.register import pdf
from complaints.tickets.models import Confidentiality
from complaints.tickets.service import MASK


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_now(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    yield
    clock.set_now(None)


@pytest.fixture
def loopback():
    """A web server on 127.0.0.1 that counts every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _month(factory, **overrides):
    data = {"received_at": datetime(2026, 11, 10, 2, 30, tzinfo=UTC)}  # 09:30 WIB
    data.update(overrides)
    return factory.complaint(**data)[0]


def _secret(factory):
    return _month(factory, complainant_name="Siti Rahasia", complainant_phone="0813999",
                  complainant_address="Jl. Melati 7", confidentiality=Confidentiality.RAHASIA)


@pytest.mark.parametrize("position, expected", [
    ("loket", 403), ("registrar", 200), ("handler", 403), ("kabid", 200),
    ("sekretaris", 200), ("kadis", 200), ("admin", 403),
])
def test_page_per_role(client, auth, factory, position, expected):
    _month(factory)
    auth.login_as(position)
    response = client.get("/staff/register/?month=2026-11")
    assert response.status_code == expected
    if expected == 200:
        page = response.get_data(as_text=True)
        assert "ADU/2026/000001" in page and 'class="table-wrap"' in page
        assert ("export.xlsx" in page) == (position != "kabid")


def test_anonymous_is_sent_to_login(client):
    response = client.get("/staff/register/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("query", [
    "foo=1", "sort=number", "channel=pigeon", "month=2026-13", "year=abcd", "type=abc",
    "type=999", "division=99999999999", "after=zz", "status=open&status=closed",
])
@pytest.mark.parametrize("path", ["/staff/register/", "/staff/register/export.xlsx",
                                  "/staff/register/export.pdf"])
def test_unknown_filter_keys_and_values_answer_400(client, auth, path, query):
    auth.login_as("registrar")
    assert client.get(f"{path}?{query}").status_code == 400


def test_page_defaults_to_this_month_and_masks_for_kabid(client, auth, factory):
    _secret(factory)
    _month(factory, received_at=datetime(2026, 10, 3, 2, tzinfo=UTC))  # October
    auth.login_as("kabid")
    page = client.get("/staff/register/").get_data(as_text=True)
    assert "ADU/2026/000001" in page and "ADU/2026/000002" not in page
    assert "Siti Rahasia" not in page and "0813999" not in page and MASK in page
    assert "November 2026" in page


def test_registrar_sees_the_identity_and_the_view_is_audited(app, client, auth, factory):
    secret = _secret(factory)
    user = auth.login_as("registrar")
    page = client.get("/staff/register/?year=2026").get_data(as_text=True)
    assert "Siti Rahasia" in page and "Jl. Melati 7" in page
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "view_identity"))
        assert (entry.user_id, entry.object_id) == (user.id, secret.id)


def test_keyset_pages_through_a_long_month(app, client, auth, factory):
    app.config["PAGE_SIZE"] = 2
    for _ in range(5):
        _month(factory)
    auth.login_as("registrar")
    first = client.get("/staff/register/?month=2026-11").get_data(as_text=True)
    assert "ADU/2026/000002" in first and "ADU/2026/000003" not in first
    assert "after=2026-2" in first
    second = client.get("/staff/register/?month=2026-11&after=2026-2").get_data(as_text=True)
    assert "ADU/2026/000003" in second and "ADU/2026/000004" in second
    assert "ADU/2026/000002" not in second


def _xlsx(client, query="month=2026-11"):
    response = client.get(f"/staff/register/export.xlsx?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "buku-pengaduan-2026-11.xlsx" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data)).active


def test_xlsx_cells_for_the_registrar(app, client, auth, factory):
    _secret(factory)
    _month(factory, body="=HYPERLINK(\"http://evil.example\",\"klik\")")
    user = auth.login_as("registrar")
    sheet = _xlsx(client)
    assert "Dinas Penanaman Modal" in sheet["A1"].value
    assert sheet["A2"].value == "BUKU PENGADUAN — November 2026"
    assert sheet["A4"].value == "Nomor register" and sheet["B4"].value == "Tanggal diterima"
    assert sheet["A5"].value == "ADU/2026/000001"
    assert sheet["B5"].value == datetime(2026, 11, 10, 9, 30)  # a real date, in WIB
    assert sheet["B5"].is_date
    assert (sheet["C5"].value, sheet["D5"].value, sheet["E5"].value) == (
        "Siti Rahasia", "Jl. Melati 7", "0813999")
    formula = sheet["K6"]
    assert formula.value.startswith("=HYPERLINK") and formula.data_type == "s"
    assert sheet.freeze_panes == "B5"
    assert sheet.column_dimensions["K"].width == 50
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "register_export"))
        assert entry.user_id == user.id
        assert entry.detail == {"format": "xlsx", "filters": {"month": "2026-11"}, "rows": 2}


def test_control_characters_do_not_break_the_exports(client, auth, factory):
    _month(factory, body="Pesan SMS\x1b[0m dengan karakter\x01 kendali\x07")
    auth.login_as("registrar")
    sheet = _xlsx(client)
    assert sheet["K5"].value == "Pesan SMS\ufffd[0m dengan karakter\ufffd kendali\ufffd"
    flat = "".join(_pdf_text(client.get("/staff/register/export.pdf")).split())
    assert "PesanSMS\ufffd[0mdengankarakter\ufffdkendali\ufffd" in flat


def test_xlsx_is_masked_with_the_exporters_rights(client, auth, factory, monkeypatch):
    # No position of the office may export without seeing identities; a Kepala Bidang given
    # the export right shows that the exporter's own rights apply to the file.
    monkeypatch.setitem(POSITION_PERMS, Position.KABID,
                        POSITION_PERMS[Position.KABID] | {Perm.REGISTER_EXPORT})
    _secret(factory)
    auth.login_as("kabid")
    sheet = _xlsx(client)
    assert sheet["A5"].value == "ADU/2026/000001"
    assert (sheet["C5"].value, sheet["D5"].value, sheet["E5"].value) == (MASK, MASK, MASK)


def _pdf_bytes(response) -> bytes:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return response.data


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(_pdf_bytes(response)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_title_numbers_and_signature_block(client, auth, factory):
    factory.user(positions=[("sekretaris", None)], full_name="Hendra Sekretaris",
                 nip="197001012000031001")
    for _ in range(3):
        _month(factory)
    auth.login_as("registrar")
    text = _pdf_text(client.get("/staff/register/export.pdf?month=2026-11"))
    assert "BUKU PENGADUAN" in text and "November 2026" in text
    assert all(f"ADU/2026/00000{n}" in text for n in (1, 2, 3))
    assert "Diperiksa oleh Sekretaris" in text
    assert "Hendra Sekretaris" in text and "NIP. 197001012000031001" in text
    assert "Halaman 1 / 1" in text


def test_pdf_repeats_the_header_row_on_every_page(client, auth, factory):
    for _ in range(24):
        _month(factory, body="Izin praktik belum selesai setelah lewat batas waktu " * 3)
    auth.login_as("registrar")
    reader = PdfReader(io.BytesIO(_pdf_bytes(client.get("/staff/register/export.pdf"))))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert "Nomor register" in text and f"Halaman {number} / {len(texts)}" in text
    assert "BUKU PENGADUAN" in texts[0] and "Diperiksa oleh Sekretaris" in texts[-1]


def test_a_long_pdf_is_laid_out_in_parts_that_continue(client, auth, factory, monkeypatch):
    monkeypatch.setattr(pdf, "CHUNK_ROWS", 2)
    factory.user(positions=[("sekretaris", None)], full_name="Hendra Sekretaris")
    for _ in range(5):
        _month(factory)
    auth.login_as("registrar")
    response = client.get("/staff/register/export.pdf?month=2026-11")
    reader = PdfReader(io.BytesIO(_pdf_bytes(response)))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == 3
    assert [f"Halaman {n}" in text for n, text in enumerate(texts, start=1)] == [True] * 3
    assert "BUKU PENGADUAN" in texts[0] and "Diperiksa oleh Sekretaris" in texts[2]
    assert "Diperiksa oleh Sekretaris" not in texts[0] + texts[1]
    assert all(f"ADU/2026/00000{n}" in "".join(texts) for n in range(1, 6))
    assert "\n5 ADU/2026/000005" in "\n" + texts[2] or "5\nADU/2026/000005" in texts[2]


def test_pdf_never_fetches_what_the_complaint_text_names(client, auth, factory, loopback):
    base, hits = loopback
    body = (f'<img src="http://127.0.0.1:9/x"> <img src="{base}/img.png"> '
            f'<link href="file:///etc/passwd"> <link rel="stylesheet" href="{base}/x.css">')
    _month(factory, body=body)
    auth.login_as("sekretaris")
    text = _pdf_text(client.get("/staff/register/export.pdf?month=2026-11"))
    assert hits == []
    flat = "".join(text.split())
    assert '<imgsrc="http://127.0.0.1:9/x">' in flat and "root:x:0" not in text


def test_the_fetcher_refuses_network_and_files_outside_static(app, loopback):
    base, hits = loopback
    html = (f'<img src="{base}/a.png"><img src="http://127.0.0.1:9/x">'
            f'<link rel="stylesheet" href="{base}/b.css">'
            '<link rel="stylesheet" href="file:///etc/passwd">'
            '<img src="../../../../../etc/passwd"><img src="css/app.css"><p>ok</p>')
    with app.test_request_context():
        fetcher = StaticOnlyFetcher(app.static_folder)
        out = io.BytesIO()
        render_pdf(html, out, fetcher)
    assert out.getvalue().startswith(b"%PDF")
    assert hits == []
    assert f"{base}/a.png" in fetcher.refused and "file:///etc/passwd" in fetcher.refused
    assert fetcher.refused.count("file:///etc/passwd") == 2  # the relative escape as well
    assert not any(url.endswith("css/app.css") for url in fetcher.refused)


def test_the_fetcher_serves_only_real_files_inside_static(tmp_path):
    static = tmp_path / "static"
    (static / "img").mkdir(parents=True)
    logo = static / "img" / "logo.png"
    logo.write_bytes(b"\x89PNG")
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    (static / "img" / "link.png").symlink_to(secret)
    root = static.resolve()
    assert static_file(root, logo.as_uri()) == logo.resolve()
    for url in (secret.as_uri(), (static / "img" / "link.png").as_uri(),
                (static / "img").as_uri(), (static / "img" / "none.png").as_uri(),
                "file://example.org" + str(logo), "http://127.0.0.1/static/img/logo.png",
                "data:image/png;base64,iVBORw0KGgo=", logo.as_uri().replace("/img/", "/img/../../")
                + "secret.txt"):
        assert static_file(root, url) is None, url


def test_pdf_too_large_sends_back_with_a_message(app, client, auth, factory):
    app.config["REGISTER_PDF_MAX_ROWS"] = 1
    _month(factory)
    _month(factory)
    auth.login_as("registrar")
    response = client.get("/staff/register/export.pdf?month=2026-11&channel=surat")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/register/?month=2026-11&channel=surat")
    assert "XLSX" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_exports_are_refused_to_a_kabid(client, auth):
    auth.login_as("kabid")
    assert client.get("/staff/register/export.xlsx").status_code == 403
    assert client.get("/staff/register/export.pdf").status_code == 403


def test_english_page(client, auth, factory):
    _month(factory)
    auth.login_as("sekretaris")
    client.post("/lang/en", data={"next": "/"})
    page = client.get("/staff/register/?month=2026-11").get_data(as_text=True)
    assert "Register number" in page and "1 complaint" in page


@pytest.mark.parametrize(("query", "indonesian", "english"), [
    ("foo=1", "parameter tidak dikenal: foo", "unknown parameter: foo"),
    ("channel=pigeon", "nilai tidak dikenal: 'pigeon'", "unknown value 'pigeon'"),
    ("month=2026-13", "bulan tidak dikenal: '2026-13'", "unknown month '2026-13'"),
    ("year=abcd", "tahun tidak dikenal: 'abcd'", "unknown year 'abcd'"),
    ("type=abc", "bukan ID: 'abc'", "not an id: 'abc'"),
    ("type=999", "jenis pengaduan tidak dikenal: 999", "unknown complaint type 999"),
    ("service=999", "layanan tidak dikenal: 999", "unknown service 999"),
    ("division=999", "bidang tidak dikenal: 999", "unknown division 999"),
    ("after=zz", "penanda halaman tidak dikenal: 'zz'", "unknown cursor 'zz'"),
    ("status=open&status=closed", "parameter diberikan dua kali: status",
     "parameter given twice: status"),
])
def test_refusals_are_explained_in_the_readers_language(client, auth, query, indonesian,
                                                         english):
    auth.login_as("registrar")
    response = client.get(f"/staff/register/?{query}")
    assert response.status_code == 400
    assert indonesian in html.unescape(response.get_data(as_text=True))
    client.post("/lang/en", data={"next": "/"})
    page = html.unescape(client.get(f"/staff/register/?{query}").get_data(as_text=True))
    assert english in page and indonesian not in page
