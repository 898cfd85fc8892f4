"""The report pages, dashboards and exports: figures read back from the PDF and the XLSX."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from complaints.accounts.models import User
from complaints.core import clock
from complaints.extensions import db
from complaints.reports import service
from tests.reports.fixtures import AFTER, build_march


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_now(None)


def _approved_march(app, factory) -> int:
    with app.app_context():
        build_march(factory)
        clock.set_now(AFTER)
        reg = factory.user("rep_reg", positions=[("registrar", None)])
        sek = factory.user("rep_sek", positions=[("sekretaris", None)], full_name="Siti Sekretaris",
                           nip="197001012000032001")
        factory.user("rep_kadis", positions=[("kadis", None)], full_name="Kadis Utama",
                     nip="196501011990031001")
        report = service.compile_report(2026, 3, db.session.get(User, reg.id))
        service.save_narrative(report.id, db.session.get(User, reg.id), "Ringkasan bulan Maret",
                               "Simpulan", "Tindak lanjut")
        service.submit(report.id, db.session.get(User, reg.id))
        service.approve(report.id, db.session.get(User, sek.id))
        report_id = report.id
        db.session.remove()
    return report_id


def _page_figures(html: str) -> list[str]:
    return re.findall(r'data-figure="\d+">([^<]*)<', html)


def test_page_pdf_and_xlsx_show_the_same_figures(app, client, factory, auth):
    report_id = _approved_march(app, factory)
    auth.login("rep_kadis")
    page = client.get(f"/staff/reports/{report_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    figures = _page_figures(html)
    assert figures[:3] == ["5", "4", "1"] and "<svg" in html
    pdf = client.get(f"/staff/reports/{report_id}/export.pdf")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "LAPORAN PENGADUAN PELAYANAN PUBLIK" in text
    assert "Siti Sekretaris" in text and "196501011990031001" in text
    assert "Ringkasan bulan Maret" in text
    flat = re.sub(r"\s+", " ", text)
    xlsx = client.get(f"/staff/reports/{report_id}/export.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.data), read_only=True)
    summary = list(wb.worksheets[0].iter_rows(values_only=True))
    cells = {row[0]: row[1] for row in summary if row and len(row) > 1}
    register = list(wb.worksheets[1].iter_rows(values_only=True))
    assert len(register) == 1 + 5
    headline_labels = re.findall(r"<dt>([^<]*)</dt>", html)
    for text, value in zip(headline_labels, figures, strict=True):
        assert str(cells[text]) == value
        assert f"{text} {value}" in flat


def test_kadis_reads_it_on_the_dashboard_and_acknowledges(app, client, factory, auth):
    report_id = _approved_march(app, factory)
    auth.login("rep_kadis")
    assert client.get("/").headers["Location"].endswith("/staff/dashboard/kadis")
    dash = client.get("/staff/dashboard/kadis").get_data(as_text=True)
    assert "2026-03" in dash
    assert client.post(f"/staff/reports/{report_id}/acknowledge").status_code == 302
    dash = client.get("/staff/dashboard/kadis").get_data(as_text=True)
    assert f"/staff/reports/{report_id}\"" not in dash
    auth.logout()
    auth.login("rep_sek")
    assert client.get("/").headers["Location"].endswith("/staff/dashboard/sekretaris")
    assert client.post(f"/staff/reports/{report_id}/acknowledge").status_code == 403


def test_the_demo_story_through_the_pages(app, client, factory, auth):
    with app.app_context():
        build_march(factory)
    clock.set_now(AFTER)
    factory.user("story_reg", positions=[("registrar", None)])
    factory.user("story_sek", positions=[("sekretaris", None)])
    factory.user("story_kadis", positions=[("kadis", None)])
    auth.login("story_reg")
    assert "2026-03" in client.get("/staff/reports/provisional?month=2026-03").get_data(True)
    answer = client.post("/staff/reports/compile", data={"month": "2026-03"})
    url = answer.headers["Location"]
    report_id = int(url.rsplit("/", 1)[1])
    client.post(f"{url}/narrative", data={"summary": "Ringkasan", "conclusions": "S",
                                          "recommendations": "R"})
    client.post(f"{url}/submit")
    auth.logout()
    auth.login("story_sek")
    assert f"/staff/reports/{report_id}" in client.get("/staff/dashboard/sekretaris").get_data(True)
    client.post(f"{url}/return", data={"note": "Tambahkan analisis"})
    auth.logout()
    auth.login("story_reg")
    page = client.get(url).get_data(as_text=True)
    assert "Tambahkan analisis" in page
    note_id = int(re.search(r"/notes/(\d+)/resolve", page).group(1))
    client.post(f"{url}/notes/{note_id}/resolve", data={"response": "Sudah"})
    client.post(f"{url}/submit")
    auth.logout()
    auth.login("story_sek")
    client.post(f"{url}/approve")
    auth.logout()
    auth.login("story_kadis")
    assert f"/staff/reports/{report_id}" in client.get("/staff/dashboard/kadis").get_data(True)
    client.post(f"{url}/acknowledge")
    with app.app_context():
        version = service.get_report(report_id).current
        assert version.number == 2 and version.acknowledged_at is not None
        assert version.register_rows == 5
