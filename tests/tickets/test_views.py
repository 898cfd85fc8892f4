"""The staff queue and the complaint page through the test client."""

from __future__ import annotations

import html
import re

import pytest

from complaints.accounts.models import AuditLog, Division
from complaints.extensions import db
from complaints.tickets.attachments import Upload
from complaints.tickets.models import Complaint, ComplaintEvent, Confidentiality

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MORE = re.compile(r'<a class="button" href="([^"]+)">')


def _numbers(page: str) -> list[str]:
    return re.findall(r'class="number" href="[^"]+">([^<]+)</a>', page)


def _division(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Division.id).where(Division.code == code))


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_more_link_walks_every_row_exactly_once(app, client, auth, factory, sort):
    app.config["PAGE_SIZE"] = 3
    made = [factory.complaint(body=f"nomor {n}")[0].number for n in range(8)]
    auth.login_as("registrar", None)
    url, seen, pages = f"/staff/queue?view=all&sort={sort}&channel=surat", [], 0
    while url:
        page = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
        seen += _numbers(page)
        pages += 1
        link = MORE.search(page)
        url = link.group(1) if link else None
        if url:
            assert "channel=surat" in url and f"sort={sort}" in url
    assert seen == (list(reversed(made)) if sort == "newest" else made)
    assert pages == 3


def test_unknown_filter_keys_and_values_answer_400(client, auth):
    auth.login_as("registrar", None)
    assert client.get("/staff/queue?order_by=id").status_code == 400
    assert client.get("/staff/queue?status=nonsense").status_code == 400
    assert client.get("/staff/queue?after=abc").status_code == 400


@pytest.mark.parametrize(("query", "indonesian", "english"), [
    ("order_by=id", "parameter tidak dikenal: order_by", "unknown parameter: order_by"),
    ("status=nonsense", "nilai tidak dikenal: 'nonsense'", "unknown value 'nonsense'"),
    ("after=abc", "bukan angka: 'abc'", "not a number: 'abc'"),
    ("view=x", "tampilan tidak dikenal: 'x'", "unknown view 'x'"),
    ("sort=x", "urutan tidak dikenal: 'x'", "unknown sort 'x'"),
])
def test_refused_filters_are_explained_in_the_readers_language(client, auth, query,
                                                                indonesian, english):
    auth.login_as("registrar", None)
    response = client.get(f"/staff/queue?{query}")
    assert response.status_code == 400
    assert indonesian in html.unescape(response.get_data(as_text=True))
    client.post("/lang/en", data={"next": "/"})
    page = html.unescape(client.get(f"/staff/queue?{query}").get_data(as_text=True))
    assert english in page and indonesian not in page
    assert client.get("/staff/queue?status=&channel=&q=").status_code == 200


def test_handler_sees_own_division_and_what_they_hold(app, client, auth, factory):
    from complaints.tickets.service import hand_over

    mine, _ = factory.complaint(division_id=_division(app, "perizinan"))
    other, _ = factory.complaint(division_id=_division(app, "sekretariat"))
    held, _ = factory.complaint(division_id=_division(app, "sekretariat"))
    handler = auth.login_as("handler")
    registrar = factory.user(positions=[("registrar", None)])
    with app.app_context():
        hand_over(held.id, handler.id, registrar)
    page = client.get("/staff/queue?view=all").get_data(as_text=True)
    assert set(_numbers(page)) == {mine.number, held.number}
    assert client.get(f"/staff/complaints/{other.id}").status_code == 403
    assert client.get(f"/staff/complaints/{held.id}").status_code == 200
    page = client.get("/staff/queue?view=mine").get_data(as_text=True)
    assert _numbers(page) == [held.number]


def test_queue_masks_confidential_identities_and_audits_who_saw_them(app, client, auth,
                                                                      factory):
    factory.complaint(confidentiality=Confidentiality.ANONIM, complainant_name="Nama Anonim")
    factory.complaint(complainant_name="Nama Biasa")
    auth.login_as("loket", None)
    page = client.get("/staff/queue").get_data(as_text=True)
    assert "Nama Biasa" in page and "Nama Anonim" not in page
    auth.logout()
    auth.login_as("sekretaris", None)
    assert "Nama Anonim" in client.get("/staff/queue").get_data(as_text=True)
    with app.app_context():
        (row,) = db.session.scalars(db.select(AuditLog).where(
            AuditLog.action == "view_identity")).all()
        assert row.detail["where"] == "queue"


def test_search_through_the_queue(client, auth, factory):
    target, _ = factory.complaint(body="Sertifikat tidak terbit")
    factory.complaint(body="Lain hal")
    auth.login_as("registrar", None)
    assert _numbers(client.get("/staff/queue?q=sertifikat").get_data(as_text=True)) == [
        target.number]
    assert _numbers(client.get(f"/staff/queue?q={target.number}").get_data(as_text=True)) == [
        target.number]


def test_complaint_page_note_and_handover_go_on_the_kartu_kendali(app, client, auth, factory):
    complaint, _ = factory.complaint(division_id=_division(app, "perizinan"))
    handler = factory.user(positions=[("handler", "perizinan")], full_name="Hana Handler")
    auth.login_as("registrar", None)
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    assert complaint.number in page and "Hana Handler" in page
    assert client.post(f"/staff/complaints/{complaint.id}/notes",
                       data={"text": "Cek berkas"}).status_code == 302
    response = client.post(f"/staff/complaints/{complaint.id}/handover",
                           data={"to_user_id": handler.id, "note": "Mohon ditangani",
                                 "version": "1"})
    assert response.status_code == 302
    with app.app_context():
        kinds = list(db.session.scalars(db.select(ComplaintEvent.kind).order_by(
            ComplaintEvent.id)))
        assert kinds == ["created", "note", "handover"]
        assert db.session.get(Complaint, complaint.id).holder_id == handler.id


def test_stale_handover_is_refused(app, client, auth, factory):
    complaint, _ = factory.complaint()
    first = factory.user(positions=[("handler", "perizinan")])
    second = factory.user(positions=[("handler", "perizinan")])
    auth.login_as("registrar", None)
    client.post(f"/staff/complaints/{complaint.id}/handover",
                data={"to_user_id": first.id, "version": "1"})
    client.post(f"/staff/complaints/{complaint.id}/handover",
                data={"to_user_id": second.id, "version": "1"})
    with app.app_context():
        assert db.session.get(Complaint, complaint.id).holder_id == first.id


def test_attachment_is_sent_only_as_a_download(client, auth, factory):
    complaint, _ = factory.complaint(uploads=[Upload("surat.png", PNG, "image/png")])
    auth.login_as("registrar", None)
    page = client.get(f"/staff/complaints/{complaint.id}").get_data(as_text=True)
    link = re.search(r'href="(/staff/attachments/\d+)"', page)
    assert link, "the complaint page links its attachment"
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert response.data == PNG
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "surat.png" in response.headers["Content-Disposition"]


def test_queue_and_detail_render_for_the_registrar(client, auth, factory):
    complaint, _ = factory.complaint(summary="Izin lambat", complainant_name="Ahmad Fauzi")
    auth.login_as("registrar")
    page = client.get("/staff/queue").get_data(as_text=True)
    assert complaint.number in page and "Izin lambat" in page and "Ahmad Fauzi" in page
    detail = client.get(f"/staff/complaints/{complaint.id}")
    assert detail.status_code == 200
    assert "Kartu kendali" in detail.get_data(as_text=True)
