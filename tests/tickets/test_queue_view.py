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
