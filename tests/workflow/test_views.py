"""End to end through the staff UI: ringan, sedang and berat complaints, registered to closed."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from complaints.extensions import db
from complaints.tickets.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    ComplaintType,
    Status,
    Weight,
)
from complaints.workflow import admin
from complaints.workflow.models import Coordination, ReplyProof

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Office:
    """The test client acting as the different officers of the office."""

    def __init__(self, app, client, auth, factory):
        self.app, self.client, self.auth = app, client, auth
        self.users = {
            "registrar": factory.user(positions=[("registrar", None)]),
            "handler": factory.user(positions=[("handler", "perizinan")]),
            "kabid": factory.user(positions=[("kabid", "perizinan")]),
            "kadis": factory.user(positions=[("kadis", None)]),
            "loket": factory.user(positions=[("loket", None)]),
        }
        with app.app_context():
            admin.seed_defaults()
        self.who = None

    def as_(self, role: str) -> Office:
        if self.who != role:
            self.auth.logout()
            self.auth.login(self.users[role].username)
            self.who = role
        return self

    def complaint(self, cid: int) -> Complaint:
        with self.app.app_context():
            row = db.session.get(Complaint, cid)
            db.session.expunge(row)
            return row

    def page(self, cid: int) -> str:
        response = self.client.get(f"/staff/complaints/{cid}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def do(self, cid: int, action: str, prefix: str | None = None, version: int | None = None,
           **fields) -> str:
        """Post an action with the version the page shows now; return the page after it."""
        prefix = prefix if prefix is not None else action
        version = version if version is not None else self.complaint(cid).version
        key = (lambda name: f"{prefix}-{name}") if prefix else (lambda name: name)
        data = {key("version"): str(version)}
        data.update({key(k): v for k, v in fields.items()})
        response = self.client.post(f"/staff/complaints/{cid}/{action}", data=data,
                                    content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return self.page(cid)

    def ids(self) -> dict:
        from complaints.accounts.models import Division

        with self.app.app_context():
            return {
                "perizinan": db.session.scalar(
                    select(Division.id).where(Division.code == "perizinan")),
                **{code: db.session.scalar(select(ComplaintType.id)
                                           .where(ComplaintType.code == code))
                   for code in ("waktu", "biaya", "informasi")},
            }

    def triage(self, cid: int, weight: Weight, type_code: str) -> str:
        ids = self.ids()
        page = self.client.get(f"/staff/complaints/{cid}/triage")
        assert page.status_code == 200
        response = self.client.post(f"/staff/complaints/{cid}/triage", data={
            "version": str(self.complaint(cid).version), "type_id": ids[type_code],
            "weight": weight.value, "division_id": ids["perizinan"],
            "holder_id": self.users["handler"].id, "service_id": "",
        })
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return page.get_data(as_text=True)


@pytest.fixture
def office(app, client, auth, factory):
    return Office(app, client, auth, factory)


def _kinds(app, cid: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(ComplaintEvent.kind).where(
            ComplaintEvent.complaint_id == cid).order_by(ComplaintEvent.id)))


def test_ringan_letter_from_registration_to_closed(app, office, factory):
    complaint, _code = factory.complaint(channel=Channel.SURAT, complainant_phone="0812345",
                                         body="Mohon informasi persyaratan SIKOT")
    cid = complaint.id
    assert f'action="/staff/complaints/{cid}/register"' not in office.as_("loket").page(cid)
    page = office.as_("registrar").page(cid)
    assert f'action="/staff/complaints/{cid}/register"' in page
    assert f"/staff/complaints/{cid}/close" not in page
    office.do(cid, "register")
    triage_page = office.triage(cid, Weight.RINGAN, "informasi")
    assert "persyaratan" in triage_page  # the suggestion names the keyword it matched
    assert office.complaint(cid).status == Status.TRIAGED

    page = office.as_("handler").page(cid)
    assert f"/staff/complaints/{cid}/start" in page and "/triage" not in page
    office.do(cid, "start")
    office.do(cid, "answer", text="Persyaratan SIKOT: ijazah, STR, surat sehat.")
    assert office.complaint(cid).status == Status.ANSWERED
    page = office.do(cid, "close")  # refused: no proof of reply yet
    assert "flash-error" in page
    assert office.complaint(cid).status == Status.ANSWERED
    office.do(cid, "proof", kind="call", reference="0812345, 24-11-2026 09:00")
    page = office.do(cid, "close")
    assert office.complaint(cid).status == Status.CLOSED
    assert f"/staff/complaints/{cid}/reopen" not in office.as_("handler").page(cid)
    kinds = _kinds(app, cid)
    assert kinds.count("status") == 5 and "reply" in kinds and "reply_proof" in kinds


def test_sedang_email_with_reclassification_decided_by_kabid(app, office, factory):
    complaint, _code = factory.complaint(channel=Channel.EMAIL, complainant_phone=None,
                                         complainant_email="warga@example.org",
                                         body="Izin saya lama sekali")
    cid = complaint.id
    office.as_("registrar").do(cid, "register")
    office.triage(cid, Weight.RINGAN, "waktu")
    page = office.as_("kabid").do(cid, "reclassify", weight="sedang", reason="")
    assert "flash-error" in page and office.complaint(cid).weight == Weight.RINGAN
    office.do(cid, "reclassify", weight="sedang", reason="Sudah tiga minggu, perlu keputusan")
    assert office.complaint(cid).weight == Weight.SEDANG
    page = office.page(cid)
    assert "Kepala Bidang" in page  # who must decide is shown

    office.as_("handler").do(cid, "start")
    page = office.do(cid, "coordinate", note="Dibawa ke Kabid dan Kadis")
    assert office.complaint(cid).status == Status.IN_COORDINATION
    assert f"/staff/complaints/{cid}/coordination" not in page  # the handler does not decide
    office.do(cid, "coordination", held_on="2026-01-05", participants="Kabid", outcome="x")
    with app.app_context():
        assert db.session.scalar(select(Coordination.id)) is None

    page = office.as_("kabid").page(cid)
    assert f"/staff/complaints/{cid}/coordination" in page
    office.do(cid, "coordination", held_on="2026-01-05",
              participants="Kepala Bidang Perizinan; Kepala Dinas",
              outcome="Izin diterbitkan besok; petugas ditegur.")
    page = office.page(cid)
    assert "Izin diterbitkan besok; petugas ditegur." in page  # prefilled as the answer
    office.do(cid, "answer", text="Izin diterbitkan besok; petugas ditegur.")
    page = office.as_("handler").page(cid)
    assert '<option value="email">' in page and '<option value="letter">' not in page
    office.do(cid, "proof", kind="email", reference="<jawaban-1@dpmptsp>")
    office.do(cid, "close")
    assert office.complaint(cid).status == Status.CLOSED
    assert _kinds(app, cid).count("weight") == 2


def test_berat_in_person_decided_by_kadis_with_the_walikota(app, office, factory):
    complaint, _code = factory.complaint(channel=Channel.LANGSUNG, complainant_phone=None,
                                         body="Ada pungli saat pengurusan SIKRO")
    cid = complaint.id
    office.as_("registrar").do(cid, "register")
    triage_page = office.triage(cid, Weight.BERAT, "biaya")
    assert "pungli" in triage_page and "badge-weight-berat" in triage_page
    office.as_("handler").do(cid, "start")
    office.as_("kadis").do(cid, "coordinate")
    page = office.as_("kabid").page(cid)
    assert f"/staff/complaints/{cid}/answer" not in page
    assert f"/staff/complaints/{cid}/coordination" not in page
    page = office.as_("kadis").page(cid)
    assert "Walikota" in page
    office.do(cid, "coordination", held_on="2026-01-06", participants="Kepala Dinas",
              officials="Asisten I Setdako Pekanbaru", outcome="Diserahkan ke Inspektorat.",
              file=(io.BytesIO(PNG), "notulen.png"))
    with app.app_context():
        row = db.session.scalar(select(Coordination))
        assert row.attachment.original_name == "notulen.png"
        assert row.attachment.public is False
    office.do(cid, "answer", text="Kasus diserahkan ke Inspektorat Kota Pekanbaru.")
    page = office.as_("registrar").do(cid, "close")
    assert "flash-error" in page and office.complaint(cid).status == Status.ANSWERED
    office.do(cid, "proof", kind="meeting", reference="Loket pengaduan, 24-11-2026")
    office.do(cid, "close")
    assert office.complaint(cid).status == Status.CLOSED
    with app.app_context():
        assert db.session.scalar(select(ReplyProof.kind)) == "meeting"


def test_second_officer_with_a_stale_form_is_told_and_sees_the_new_state(app, office, factory):
    complaint, _code = factory.complaint()
    cid = complaint.id
    office.as_("registrar").do(cid, "register")
    office.triage(cid, Weight.RINGAN, "waktu")
    stale = office.complaint(cid).version  # the kabid's page was rendered now
    office.as_("handler").do(cid, "start")
    page = office.as_("kabid").do(cid, "reclassify", version=stale, weight="berat",
                                  reason="Ada indikasi pungli")
    assert "flash-error" in page and "Ada indikasi pungli" in page  # the reason is kept
    assert office.complaint(cid).weight == Weight.RINGAN
    assert "badge-status-in_handling" in page


def test_triage_shows_duplicates_and_merges(app, office, factory):
    first, _c = factory.complaint(channel=Channel.SURAT, complainant_phone="0812 1111 2222",
                                  body="Permohonan SIKTG belum selesai")
    second, _c = factory.complaint(channel=Channel.TELEPON, complainant_phone="+62 812-1111-2222",
                                   contact_number="+62 812-1111-2222", body="Telepon soal SIKTG")
    office.as_("registrar").do(second.id, "register")
    page = office.client.get(f"/staff/complaints/{second.id}/triage").get_data(as_text=True)
    assert first.number in page
    office.do(second.id, "merge", other_id=first.id)
    assert office.complaint(second.id).status == Status.CLOSED
    assert second.number in office.page(first.id)


def test_admin_edits_canned_replies_and_keyword_rules(app, client, auth, factory, office):
    auth.login_as("admin", None)
    response = client.post("/admin/canned-replies", data={
        "title": "Terima kasih", "body": "Terima kasih {name} atas pengaduan {number}.",
        "sort": "1", "active": "y"})
    assert response.status_code == 302
    response = client.post("/admin/keyword-rules", data={
        "keyword": "minta imbalan", "weight": "berat", "type_code": "biaya",
        "reason": "Permintaan imbalan", "active": "y"})
    assert response.status_code == 302
    assert "minta imbalan" in client.get("/admin/keyword-rules").get_data(as_text=True)
    complaint, _c = factory.complaint(complainant_name="Siti", body="Petugas minta imbalan")
    office.who = None
    office.as_("registrar").do(complaint.id, "register")
    page = client.get(f"/staff/complaints/{complaint.id}/triage").get_data(as_text=True)
    assert "Permintaan imbalan" in page
    office.triage(complaint.id, Weight.BERAT, "biaya")
    office.as_("handler").do(complaint.id, "start")
    with app.app_context():
        from complaints.workflow.models import CannedReply

        canned_id = db.session.scalar(select(CannedReply.id).where(
            CannedReply.title == "Terima kasih"))
    page = client.get(f"/staff/complaints/{complaint.id}?canned={canned_id}")
    assert f"Terima kasih Siti atas pengaduan {complaint.number}." in page.get_data(as_text=True)


def test_actions_need_the_csrf_token_and_the_version(app, office, factory):
    import re

    complaint, _code = factory.complaint()
    cid = complaint.id
    page = office.as_("registrar").page(cid)
    response = office.client.post(f"/staff/complaints/{cid}/register", data={})
    assert response.status_code == 302
    assert office.complaint(cid).status == Status.RECEIVED  # no version: nothing happens
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = office.client.post(f"/staff/complaints/{cid}/register",
                                      data={"register-version": str(complaint.version)})
        assert response.status_code == 400
        page = office.page(cid)
        token = re.search(r'name="register-csrf_token"[^>]*value="([^"]+)"', page).group(1)
        response = office.client.post(f"/staff/complaints/{cid}/register", data={
            "register-version": str(complaint.version), "register-csrf_token": token})
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert office.complaint(cid).status == Status.REGISTERED


def test_forward_reopen_and_information_request_through_the_ui(app, office, factory):
    complaint, _code = factory.complaint(body="Izin usaha restoran saya ditolak")
    cid = complaint.id
    office.as_("registrar").do(cid, "register")
    page = office.do(cid, "forward", agency="", reason="Bukan kewenangan")
    assert "flash-error" in page and office.complaint(cid).status == Status.REGISTERED
    page = office.do(cid, "forward", agency="Dinas Pariwisata Kota Pekanbaru",
                     reason="Izin restoran bukan kewenangan DPMPTSP")
    assert office.complaint(cid).status == Status.FORWARDED
    assert "Dinas Pariwisata Kota Pekanbaru" in page
    office.as_("kadis").do(cid, "reopen", reason="Ternyata menyangkut izin kami")
    assert office.complaint(cid).status == Status.REGISTERED
    office.as_("registrar").triage(cid, Weight.RINGAN, "informasi")
    office.as_("handler").do(cid, "start")
    page = office.do(cid, "request-info", prefix="info", text="Mohon kirim nomor permohonan.")
    assert f"/staff/complaints/{cid}/resume" in page
    assert f"/staff/complaints/{cid}/request-info" not in page  # already waiting
    page = office.do(cid, "resume")
    assert f"/staff/complaints/{cid}/request-info" in page
    kinds = _kinds(app, cid)
    assert kinds.count("clock_paused") == 1 and kinds.count("clock_resumed") == 1
