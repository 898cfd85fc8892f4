"""The public portal through the test client: validation keeps input, no enumeration, limits."""

from __future__ import annotations

import io
import re
import sqlite3
from datetime import UTC, datetime

import pytest

from complaints.core import clock
from complaints.extensions import db
from complaints.public.models import Rating
from complaints.tickets.models import Attachment, Channel, Complaint, ComplaintEvent, Status
from complaints.tickets.service import apply_changes, record_event
from tests.conftest import make_app
from tests.support.statements import recorded

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"
PUBLIC_PAGES = ["/", "/layanan", "/layanan/sikot", "/adukan", "/lacak"]


def form(**overrides):
    data = {
        "kind": "pengaduan",
        "confidentiality": "biasa",
        "complainant_name": "Siti Aminah",
        "complainant_email": "siti@example.org",
        "complainant_phone": "",
        "service_id": "",
        "incident_date": "2026-11-02",
        "body": "Izin SIKOT saya belum selesai setelah tiga minggu.",
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def count(app, model=Complaint):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def errors(response) -> list[str]:
    page = response.get_data(as_text=True)
    return [
        re.sub(r"<br>", " | ", m)
        for m in re.findall(r'class="error" id="[^"]+">(.*?)</p>', page, re.S)
    ]


def test_home_lists_every_channel_hours_and_deadlines(app, client):
    page = client.get("/").get_data(as_text=True)
    for text in (
        "Jalan Jenderal Sudirman No. 464",
        "dpmptsppekanbaru@gmail.com",
        "(0761) 28262",
        "(0761) 42003",
        "08117515133",
        "07.30",
        "/login",
    ):
        assert text in page, text
    assert re.search(r"<td>3</td>.*<td>7</td>.*<td>15</td>", page, re.S)
    app.config["DEADLINE_BERAT_DAYS"] = 20
    assert "<td>20</td>" in client.get("/").get_data(as_text=True)


def test_staff_still_reach_their_queue_from_the_root(client, auth):
    auth.login_as("registrar")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/queue")


def test_service_standards_are_public(client):
    page = client.get("/layanan").get_data(as_text=True)
    assert "Surat Izin Praktik Ortosis Prostetis" in page
    code = re.search(r'href="/layanan/([^"]+)">Surat Izin Kerja Okupasi', page).group(1)
    detail = client.get(f"/layanan/{code}").get_data(as_text=True)
    for text in (
        "Persyaratan",
        "Prosedur",
        "2 hari kerja",
        "Tidak berbiaya",
        "Dasar hukum",
        "Fotokopi KTP",
        "Undang-Undang Nomor 25 Tahun 2009",
    ):
        assert text in detail, text
    assert client.get("/layanan/tidak-ada").status_code == 404


def test_a_complete_form_files_a_web_complaint_and_shows_the_code_once(app, client):
    data = form()
    data["files"] = [(io.BytesIO(PNG), "foto loket.png")]
    response = client.post("/adukan", data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"] == "/tanda-terima"
    page = client.get("/tanda-terima").get_data(as_text=True)
    number = re.search(r'id="number">([^<]+)<', page).group(1)
    code = re.search(r'id="code">([^<]+)<', page).group(1)
    assert number == "ADU/2026/000001" and len(code) == 14
    again = client.get("/tanda-terima")
    assert again.status_code == 302  # shown once
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint))
        assert complaint.channel == Channel.WEB and complaint.created_by_id is None
        assert complaint.incident_date.isoformat() == "2026-11-02"
        assert [a.original_name for a in complaint.attachments] == ["foto loket.png"]
    assert "ADU/2026/000001" in client.get("/lacak/pengaduan").get_data(as_text=True)


def test_a_submission_reads_nothing_of_the_complaint_after_its_commit(app, client):
    """The receipt and tracking session are filled from values read before the commit."""
    with app.app_context():
        engine = db.engine
    with recorded(engine, commits=True) as seen:
        response = client.post("/adukan", data=form())
    assert response.status_code == 302 and response.headers["Location"] == "/tanda-terima"
    inserted = next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO complaint "))
    committed = seen.index("COMMIT", inserted)
    after = [s for s in seen[committed:] if re.search(r"\bFROM complaint\b", s)]
    assert after == []
    page = client.get("/tanda-terima").get_data(as_text=True)
    number = re.search(r'id="number">([^<]+)<', page).group(1)
    assert re.search(r'id="code">([^<]{14})<', page)
    assert number in client.get("/lacak/pengaduan").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"complainant_name": ""}, "complainant_name", "Please give your name"),
        (
            {"complainant_email": "", "complainant_phone": ""},
            "complainant_email",
            "email address or a phone number",
        ),
        ({"complainant_email": "not-an-email"}, "complainant_email", "not an email address"),
        ({"complainant_phone": "call me"}, "complainant_phone", "not a phone number"),
        ({"body": "short"}, "body", "between 10 and 20,000"),
        ({"incident_date": "2099-01-01"}, "incident_date", "cannot be in the future"),
        ({"incident_date": "yesterday"}, "incident_date", "like 2026-11-23"),
        ({"consent": None}, "consent", "agree to the notice"),
        ({"confidentiality": "publik"}, "confidentiality", "one of the options"),
        ({"service_id": "9999"}, "service_id", "one of the options"),
    ],
)
def test_every_validation_error_is_next_to_its_field_and_input_is_kept(
    app, client, overrides, field, message
):
    client.post("/lang/en")
    response = client.post(
        "/adukan", data=form(**{"complainant_phone": "0812 3456 7890", **overrides})
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error">[^<]*{message}', page), errors(response)
    assert f'aria-describedby="{field}-error' in page or f"{field}-error" in page
    assert "Izin SIKOT saya belum selesai" in page or field == "body"
    if field != "complainant_email":
        assert "siti@example.org" in page
    assert count(app) == 0


def test_errors_speak_indonesian_by_default(client):
    response = client.post("/adukan", data=form(complainant_name="", consent=None))
    page = response.get_data(as_text=True)
    assert 'lang="id"' in page
    assert "Please" not in " ".join(errors(response))


def test_anonymous_needs_no_name_or_contact(app, client):
    response = client.post(
        "/adukan", data=form(confidentiality="anonim", complainant_name="", complainant_email="")
    )
    assert response.status_code == 302
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint))
        assert complaint.complainant_name is None and complaint.is_confidential


def test_good_files_are_kept_across_a_failed_submit(app, client):
    data = form(body="")
    data["files"] = [(io.BytesIO(PNG), "bukti.png"), (io.BytesIO(b"MZ\x90\x00exe"), "virus.pdf")]
    response = client.post("/adukan", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "virus.pdf" in " ".join(errors(response))
    assert "bukti.png" in page
    token = re.search(r'name="held" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    data = form(held=token)
    data["files"] = [(io.BytesIO(PDF), "surat.pdf")]
    response = client.post("/adukan", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        names = sorted(db.session.scalars(db.select(Attachment.original_name)))
    assert names == ["bukti.png", "surat.pdf"]
    assert not (
        app.instance_path
        and list(
            (__import__("pathlib").Path(app.config["INSTANCE_DIR"]) / "held-uploads").glob("*")
        )
    )


def test_a_held_file_can_be_removed_and_other_browsers_cannot_use_the_token(app, client):
    data = form(body="")
    data["files"] = [(io.BytesIO(PNG), "salah.png")]
    page = client.post("/adukan", data=data, content_type="multipart/form-data").get_data(
        as_text=True
    )
    token = re.search(r'name="held" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    other = app.test_client()
    assert other.post("/adukan", data=form(held=token)).status_code == 302
    response = client.post("/adukan", data={**form(held=token), "drop": "0"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0


def test_oversized_and_too_many_files_get_a_message_not_a_413(app, client):
    app.config["MAX_UPLOAD_BYTES"] = 1024
    data = form()
    data["files"] = [(io.BytesIO(PNG + b"\x00" * 4096), "besar.png")]
    response = client.post("/adukan", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and "besar.png" in " ".join(errors(response))
    app.config["MAX_UPLOADS_PER_FORM"] = 2
    data = form()
    data["files"] = [(io.BytesIO(PNG), f"f{i}.png") for i in range(3)]
    response = client.post("/adukan", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and "2" in " ".join(errors(response))
    assert count(app) == 0


def test_honeypot_is_answered_like_a_success_but_files_nothing(app, client):
    response = client.post("/adukan", data=form(website="http://spam.example"))
    assert response.status_code == 302
    assert count(app) == 0


def _file(client, **overrides):
    client.post("/adukan", data=form(**overrides))
    page = client.get("/tanda-terima").get_data(as_text=True)
    return (
        re.search(r'id="number">([^<]+)<', page).group(1),
        re.search(r'id="code">([^<]+)<', page).group(1),
    )


def test_tracking_gives_one_answer_for_a_wrong_number_or_a_wrong_code(app, client):
    number, code = _file(app.test_client())
    wrong_code = client.post("/lacak", data={"number": number, "code": "AAAA-BBBB-CCCC"})
    wrong_number = client.post(
        "/lacak", data={"number": "ADU/2026/000999", "code": "AAAA-BBBB-CCCC"}
    )
    assert wrong_code.status_code == wrong_number.status_code == 200
    body_a = wrong_code.get_data(as_text=True).replace(number, "NUMBER")
    body_b = wrong_number.get_data(as_text=True).replace("ADU/2026/000999", "NUMBER")
    assert body_a == body_b
    assert 'id="track-error"' in body_a
    assert client.get("/lacak/pengaduan").status_code == 302


def test_tracking_remembers_the_complaint_until_forgotten_or_the_code_is_reset(
    app, client, factory
):
    number, code = _file(app.test_client())
    response = client.post("/lacak", data={"number": number.lower(), "code": code.lower()})
    assert response.headers["Location"] == "/lacak/pengaduan"
    assert number in client.get("/lacak/pengaduan").get_data(as_text=True)
    client.post("/lacak/keluar")
    assert client.get("/lacak/pengaduan").status_code == 302
    client.post("/lacak", data={"number": number, "code": code})
    from complaints.intake.service import reset_access_code

    admin = factory.user(positions=[("registrar", None)])
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint))
        reset_access_code(complaint.id, db.session.get(type(admin), admin.id))
    assert client.get("/lacak/pengaduan").status_code == 302


def _answer(app, text="Izin Anda sudah terbit, silakan ambil di loket."):
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint))
        record_event(complaint, "reply", None, note=text, public=True)
        record_event(complaint, "note", None, note="catatan internal")
        apply_changes(complaint, None, note="internal", status=Status.ANSWERED)
        db.session.commit()


def test_reply_message_and_rating_on_the_tracking_page(app, client):
    _file(client)
    page = client.get("/lacak/pengaduan").get_data(as_text=True)
    assert 'action="/lacak/nilai"' not in page
    response = client.post("/lacak/pesan", data={"text": ""})
    assert response.status_code == 200 and 'id="text-error"' in response.get_data(as_text=True)
    response = client.post(
        "/lacak/pesan",
        data={"text": "Nomor berkas 77", "files": [(io.BytesIO(PDF), "berkas.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    _answer(app)
    page = client.get("/lacak/pengaduan").get_data(as_text=True)
    assert "Izin Anda sudah terbit" in page and "Nomor berkas 77" in page
    assert "catatan internal" not in page and "internal" not in page.split("<main")[1].lower()
    assert 'action="/lacak/nilai"' in page
    response = client.post("/lacak/nilai", data={"score": "9"})
    assert response.status_code == 200 and 'id="score-error"' in response.get_data(as_text=True)
    assert client.post("/lacak/nilai", data={"score": "4", "comment": "Cepat"}).status_code == 302
    assert client.post("/lacak/nilai", data={"score": "3"}).status_code == 302
    with app.app_context():
        (rating,) = db.session.scalars(db.select(Rating)).all()
        assert rating.score == 3
        kinds = [e.kind for e in db.session.scalars(db.select(ComplaintEvent))]
        assert "complainant_message" in kinds


def test_security_headers_on_every_public_page(client):
    for url in [*PUBLIC_PAGES, "/tanda-terima"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
        assert "Strict-Transport-Security" not in response.headers
        assert "<script>" not in response.get_data(as_text=True)
    secure = client.get("/", base_url="https://localhost")
    assert "max-age=" in secure.headers["Strict-Transport-Security"]


def test_no_page_needs_script_or_outside_assets(client):
    for url in PUBLIC_PAGES:
        page = client.get(url).get_data(as_text=True)
        assert "<script" not in page, url
        assert not re.search(r'(src|href)="(https?:)?//', page), url


def test_the_complaint_form_weighs_less_than_100_kb(client):
    page = client.get("/adukan")
    total = len(page.data)
    for href in re.findall(r'href="(/static/[^"]+)"', page.get_data(as_text=True)):
        total += len(client.get(href).data)
    assert total < 100 * 1024, total
    assert total < 20 * 1024  # the real figure is about 12 KB; keep it light


def test_english_by_switch(client):
    client.post("/lang/en", data={"next": "/adukan"})
    page = client.get("/adukan").get_data(as_text=True)
    assert 'lang="en"' in page and "Send the complaint" in page


def test_csrf_failure_is_explained_in_the_public_layout(tmp_path):
    app = make_app("sqlite", tmp_path, WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/adukan", data=form())
    assert response.status_code == 400
    assert "public.css" in response.get_data(as_text=True)


@pytest.fixture
def limited_app(tmp_path):
    app = make_app(
        "sqlite",
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="database://",
        PUBLIC_SUBMIT_LIMIT_IP="3 per hour",
        PUBLIC_SUBMIT_LIMIT_CONTACT="2 per hour",
        PUBLIC_TRACK_LIMIT_IP="3 per hour",
        PUBLIC_TRACK_LIMIT_NUMBER="2 per hour",
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def test_submitting_is_limited_per_contact_and_per_ip_with_a_friendly_page(limited_app):
    client = limited_app.test_client()
    for _ in range(4):  # failed attempts do not count
        assert client.post("/adukan", data=form(body="")).status_code == 200
    for _ in range(2):
        assert client.post("/adukan", data=form()).status_code == 302
    response = client.post("/adukan", data=form())
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "public.css" in page and 'lang="id"' in page and "Terlalu" in page
    assert (
        client.post("/adukan", data=form(complainant_email="lain@example.org")).status_code == 302
    )
    assert (
        client.post("/adukan", data=form(complainant_email="x@example.org")).status_code == 429
    )  # the IP has used its three
    assert count(limited_app) == 3


def test_the_submission_limit_holds_across_workers_and_sends_its_headers(limited_app, tmp_path):
    other = make_app(  # a second gunicorn worker: its own process state, the same database
        "sqlite",
        tmp_path,
        SQLALCHEMY_DATABASE_URI=limited_app.config["SQLALCHEMY_DATABASE_URI"],
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="database://",
        PUBLIC_SUBMIT_LIMIT_IP="3 per hour",
        PUBLIC_SUBMIT_LIMIT_CONTACT="2 per hour",
    )
    first = limited_app.test_client().post("/adukan", data=form())
    assert first.status_code == 302
    headers = first.headers
    assert (headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]) == ("2", "1")
    assert other.test_client().post("/adukan", data=form()).status_code == 302
    assert limited_app.test_client().post("/adukan", data=form()).status_code == 429
    assert other.test_client().post("/adukan", data=form()).status_code == 429
    with other.app_context():
        db.engine.dispose()


def test_under_the_limits_a_form_with_errors_keeps_what_was_typed(limited_app):
    client = limited_app.test_client()
    response = client.post("/adukan", data=form(body="", complainant_name="Siti Teliti"))
    assert response.status_code == 200 and 'value="Siti Teliti"' in response.get_data(as_text=True)
    assert (response.headers["X-RateLimit-Limit"], response.headers["Retry-After"]) == ("2", "0")


def test_at_the_limit_the_form_comes_back_with_what_was_typed_and_when_to_retry(limited_app):
    client = limited_app.test_client()
    clock.set_now(lambda: datetime(2026, 11, 23, 3, 10, tzinfo=UTC))  # 10:10 in Pekanbaru
    try:
        for _ in range(2):
            assert client.post("/adukan", data=form()).status_code == 302
        typed = form(body="Pengaduan ketiga yang panjang: izin saya tertahan di loket.",
                     complainant_name="Siti Teliti")
        response = client.post("/adukan", data=typed)
    finally:
        clock.set_now(None)
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and response.headers["Retry-After"] == "3600"
    assert 'value="Siti Teliti"' in page and "izin saya tertahan di loket.</textarea>" in page
    assert "Terlalu banyak pengaduan" in page and "11.10" in page  # 1 h after the first: 11:10 WIB
    assert 'aria-invalid="true"' not in page  # nothing is wrong with the fields
    assert count(limited_app) == 2


def test_submissions_count_in_the_app_database_whatever_the_limiter_storage(tmp_path):
    limits = tmp_path / "limits.sqlite3"
    app = make_app("sqlite", tmp_path, RATELIMIT_ENABLED=True,
                   RATELIMIT_STORAGE_URI=f"db+sqlite:///{limits}",
                   PUBLIC_SUBMIT_LIMIT_IP="1 per hour", PUBLIC_TRACK_LIMIT_IP="1 per hour")
    client = app.test_client()
    assert [client.post("/adukan", data=form()).status_code for _ in range(2)] == [302, 429]
    from complaints.core.ratelimit import RateLimitCounter

    with app.app_context():
        keys = list(db.session.scalars(db.select(RateLimitCounter.key)))
    assert len(keys) == 2 and all("/public.complain/" in key for key in keys)
    wrong = {"number": "ADU/2026/000009", "code": "X"}  # other routes keep Flask-Limiter
    assert [client.post("/lacak", data=wrong).status_code for _ in range(2)] == [200, 429]
    with sqlite3.connect(limits) as conn:
        rows = conn.execute("SELECT key FROM rate_limit_counter").fetchall()
    assert [key for (key,) in rows if "public.track" in key] and not [
        key for (key,) in rows if "public.complain" in key]
    with app.app_context():
        db.engine.dispose()


def test_tracking_failures_are_limited_per_number(limited_app):
    number, code = _file(limited_app.test_client())
    client = limited_app.test_client()
    for _ in range(2):
        assert client.post("/lacak", data={"number": number, "code": "X"}).status_code == 200
    assert client.post("/lacak", data={"number": number, "code": code}).status_code == 429


def test_a_service_page_preselects_its_service_on_the_form(client):
    page = client.get("/adukan?layanan=sikot").get_data(as_text=True)
    assert re.search(r'<option selected value="\d+">Surat Izin Kerja Okupasi', page)


def test_held_files_expire(app, client):
    data = form(body="")
    data["files"] = [(io.BytesIO(PNG), "lama.png")]
    client.post("/adukan", data=data, content_type="multipart/form-data")
    from complaints.public import jobs

    with app.app_context():
        assert jobs.purge_held_uploads() == 0
        app.config["PUBLIC_UPLOAD_HOLD_HOURS"] = -1
        assert jobs.purge_held_uploads() == 1


def test_behind_a_proxy_the_limit_counts_per_client(tmp_path):
    app = make_app(
        "sqlite",
        tmp_path,
        RATELIMIT_ENABLED=True,
        PROXY_FIX_HOPS=1,
        RATELIMIT_STORAGE_URI="database://",
        PUBLIC_TRACK_LIMIT_IP="1 per hour",
    )
    client = app.test_client()
    wrong = {"number": "ADU/2026/000009", "code": "X"}

    def post(ip):
        return client.post("/lacak", data=wrong, headers={"X-Forwarded-For": ip}).status_code

    assert [post("10.0.0.1"), post("10.0.0.1"), post("10.0.0.2")] == [200, 429, 200]
    with app.app_context():
        db.engine.dispose()


def test_staff_see_the_web_complaint_and_get_its_files_only_as_downloads(app, client, auth):
    data = form()
    data["files"] = [(io.BytesIO(PNG), "bukti.png")]
    client.post("/adukan", data=data, content_type="multipart/form-data")
    staff = app.test_client()
    from tests.conftest import AuthActions
    from tests.factories import Factory

    AuthActions(staff, Factory(app)).login_as("registrar")
    assert "ADU/2026/000001" in staff.get("/staff/queue").get_data(as_text=True)
    with app.app_context():
        attachment_id = db.session.scalar(db.select(Attachment.id))
    response = staff.get(f"/staff/attachments/{attachment_id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Type"] == "application/octet-stream"


def test_tracking_keeps_what_was_typed_when_a_field_is_missing(client):
    response = client.post("/lacak", data={"number": "ADU/2026/000123", "code": ""})
    page = response.get_data(as_text=True)
    assert 'value="ADU/2026/000123"' in page and 'id="code-error"' in page


def test_rate_limit_counters_hold_no_email_phone_or_address(limited_app):
    client = limited_app.test_client()
    client.post("/adukan", data=form(complainant_phone="0812 3456 7890"))
    from complaints.core.ratelimit import RateLimitCounter

    with limited_app.app_context():
        keys = " ".join(db.session.scalars(db.select(RateLimitCounter.key)))
    assert "email:" in keys and "phone:" in keys and "ip:" in keys
    for secret in ("siti@example.org", "081234567890", "127.0.0.1"):
        assert secret not in keys


def test_opening_hours_in_the_chosen_language(client):
    assert "Senin–Jumat" in client.get("/").get_data(as_text=True)
    client.post("/lang/en")
    assert "Monday–Friday" in client.get("/").get_data(as_text=True)
