"""The blank complaint form served from its per-process cache: same HTML, fresh catalogue."""

from __future__ import annotations

import re

from flask import render_template

from complaints.extensions import db
from complaints.intake import catalog
from complaints.public import blank_form
from complaints.public.forms import ComplaintForm
from complaints.tickets.models import Service
from tests.conftest import make_app


def _page(client, url="/adukan") -> str:
    html = client.get(url).get_data(as_text=True)
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)


def _fresh_fields(app, url: str, selected_code: str | None = None) -> str:
    """Render the fields the way an uncached request does: a new form, widgets and all."""
    with app.test_request_context(url):
        app.preprocess_request()
        form = ComplaintForm()
        form.service_id.choices = blank_form.service_choices(catalog.service_choices())
        if selected_code:
            form.service_id.data = db.session.scalar(
                db.select(Service.id).where(Service.code == selected_code)
            )
        return render_template("public/_complain_fields.html", form=form, held=[])


def test_the_cached_form_is_the_form_rendered_afresh(app, client):
    first = _page(client)
    assert _page(client) == first  # the second answer comes from the cache
    assert _fresh_fields(app, "/adukan") in first
    chosen = _page(client, "/adukan?layanan=sikot")
    assert _fresh_fields(app, "/adukan", "sikot") in chosen
    assert re.search(r'<option selected value="\d+">Surat Izin Kerja Okupasi', chosen)
    client.post("/lang/en", data={"next": "/adukan"})
    english = _page(client)
    assert "Send the complaint" in english and english != first
    with app.app_context():
        assert len(app.extensions[blank_form.EXTENSION]) == 3


def test_a_catalogue_edit_shows_at_once_in_every_worker(app, client, tmp_path):
    assert "Surat Izin Kerja Okupasi" in _page(client)  # now cached in this worker
    other = make_app("sqlite", tmp_path / "other", SQLALCHEMY_DATABASE_URI=app.config[
        "SQLALCHEMY_DATABASE_URI"])
    with other.app_context():  # another worker edits the catalogue
        sikot = db.session.scalar(db.select(Service).where(Service.code == "sikot"))
        sikot.name = "Izin Kerja Okupasi (baru)"
        db.session.commit()
    page = _page(client)
    assert "Izin Kerja Okupasi (baru)" in page and "Surat Izin Kerja Okupasi" not in page
    with other.app_context():
        db.session.scalar(db.select(Service).where(Service.code == "sikot")).active = False
        db.session.commit()
        db.engine.dispose()
    assert "Izin Kerja Okupasi" not in _page(client)
    assert "Izin Kerja Okupasi" not in _page(client, "/adukan?layanan=sikot")


def test_the_cache_is_bounded(app, client, monkeypatch):
    monkeypatch.setattr(blank_form, "MAX_ENTRIES", 2)
    for url in ("/adukan", "/adukan?layanan=sikot", "/adukan?layanan=nope"):
        client.get(url)
    client.post("/lang/en", data={"next": "/adukan"})
    client.get("/adukan")
    with app.app_context():
        assert len(app.extensions[blank_form.EXTENSION]) == 2


def test_a_form_with_errors_keeps_what_was_typed(client):
    page = client.post("/adukan", data={"body": "short", "complainant_name": "Siti"})
    html = page.get_data(as_text=True)
    assert 'value="Siti"' in html and 'aria-invalid="true"' in html and "short</textarea>" in html


def test_not_sure_needs_no_catalogue_but_a_chosen_service_is_checked(app, client):
    with app.app_context():
        sikot = db.session.scalar(db.select(Service).where(Service.code == "sikot"))
        sikot_id, sikot_name = sikot.id, sikot.name
    base = {"kind": "pengaduan", "confidentiality": "anonim", "consent": "y"}
    # Not sure, and the form fails: the page still offers every service.
    page = client.post("/adukan", data={**base, "service_id": "None", "body": "short"})
    assert sikot_name in page.get_data(as_text=True)
    body = "Izin SIKOT saya belum selesai setelah tiga minggu."
    with app.app_context():
        db.session.get(Service, sikot_id).active = False
        db.session.commit()
    refused = client.post("/adukan", data={**base, "service_id": str(sikot_id), "body": body})
    assert refused.status_code == 200 and 'id="service_id-error"' in refused.get_data(as_text=True)
    sent = client.post("/adukan", data={**base, "service_id": "None", "body": body})
    assert sent.status_code == 302


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)


def test_each_visitor_gets_a_working_token_of_their_own(tmp_path):
    app = make_app("sqlite", tmp_path, WTF_CSRF_ENABLED=True)
    one, two = app.test_client(), app.test_client()
    first, again = (one.get("/adukan").get_data(as_text=True) for _ in range(2))
    other = two.get("/adukan").get_data(as_text=True)
    assert blank_form.TOKEN_MARK not in first + other
    assert _token(first) and _token(other) != _token(first)
    assert again.count(_token(again)) == 2  # the form and the language switch
    base = {"kind": "pengaduan", "confidentiality": "anonim", "consent": "y",
            "service_id": "None", "body": "Izin SIKOT saya belum selesai setelah tiga minggu."}
    assert one.post("/adukan", data=base).status_code == 400  # no token: refused
    sent = one.post("/adukan", data={**base, "csrf_token": _token(first)})
    assert sent.status_code == 302
    assert two.post("/adukan", data={**base, "csrf_token": _token(first)}).status_code == 400


def test_a_pending_message_is_shown_once_never_cached(app, client):
    _page(client)
    with client.session_transaction() as state:
        state["_flashes"] = [("info", "Pesan sekali tampil")]
    assert "Pesan sekali tampil" in _page(client)
    assert "Pesan sekali tampil" not in _page(client)
    with app.app_context():
        assert len(app.extensions[blank_form.EXTENSION]) == 1
