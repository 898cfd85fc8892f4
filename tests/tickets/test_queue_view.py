"""The staff queue page with complaints in it."""

from __future__ import annotations

import re

from tests.support.statements import recorded


def test_queue_shows_each_complaint_with_its_status_badge(client, auth, factory):
    auth.login_as("registrar")
    complaint, _ = factory.complaint()
    response = client.get("/staff/queue?view=all")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert complaint.number in page
    assert "badge-status-received" in page


def test_queue_page_reads_the_rows_once_and_audits_identity_views(app, client, auth, factory):
    from sqlalchemy import select

    from complaints.accounts.models import AuditLog
    from complaints.extensions import db
    from complaints.tickets.models import Confidentiality

    auth.login_as("registrar")
    for i in range(30):
        factory.complaint(confidentiality=Confidentiality.ANONIM if i % 3 == 0
                          else Confidentiality.BIASA)
    with app.app_context():
        engine = db.engine
    with recorded(engine) as statements:
        assert client.get("/staff/queue?view=all").status_code == 200
    complaint_selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")
                         and re.search(r"FROM complaint\b", s)]
    assert len(complaint_selects) == 1, complaint_selects  # no row reloaded one by one
    with app.app_context():
        (entry,) = db.session.scalars(select(AuditLog).where(AuditLog.action == "view_identity"))
        assert len(entry.detail["ids"]) == 10


def _filters(page: str) -> str:
    return page[page.index('<nav class="tabs"'):page.index("</form>", page.index(
        'class="filters"')) + len("</form>")]


def test_the_filter_form_is_rendered_once_per_language_filter_and_catalogue(app, client, auth):
    from flask import template_rendered

    from complaints.core.db import write_transaction
    from complaints.extensions import db
    from complaints.tickets import queue_page
    from complaints.tickets.models import Service

    auth.login_as("registrar")
    rendered: list[str] = []

    def seen(sender, template, context, **extra):
        rendered.append(template.name)

    template_rendered.connect(seen, app)
    try:
        first = client.get("/staff/queue?view=all&status=received").get_data(as_text=True)
        again = client.get("/staff/queue?view=all&status=received").get_data(as_text=True)
        other = client.get("/staff/queue?view=open").get_data(as_text=True)
        assert rendered.count("tickets/_queue_filters.html") == 2  # the repeat came from the cache
        assert _filters(first) == _filters(again)
        assert '<option value="received" selected>' in _filters(first)
        assert '<option value="received" selected>' not in _filters(other)
        app.extensions[queue_page.FILTERS_EXTENSION].clear()  # the cached form is the fresh one
        assert _filters(client.get("/staff/queue?view=all&status=received")
                        .get_data(as_text=True)) == _filters(first)
        with app.app_context(), write_transaction():
            db.session.scalars(db.select(Service).where(Service.active.is_(True))).first() \
                .name = "Layanan yang baru dinamai"
        renamed = client.get("/staff/queue?view=all&status=received").get_data(as_text=True)
        assert "Layanan yang baru dinamai" in _filters(renamed)  # an edit shows at once
        client.post("/lang/en", data={"next": "/staff/queue"})
        english = client.get("/staff/queue?view=all&status=received").get_data(as_text=True)
        assert ">All</a>" in _filters(english) and ">Semua</a>" in _filters(first)
    finally:
        template_rendered.disconnect(seen, app)
