"""The queue page's rows, formatters and filter lists agree with the general rules (both DBs)."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import session
from flask_babel import format_date, format_datetime, refresh, to_user_timezone
from flask_login import login_user
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from complaints.accounts.models import AuditLog, Division, Position, User
from complaints.accounts.service import add_audit, assign_position, autocommit_audit
from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.core.i18n import datetime_formatter, day_formatter
from complaints.extensions import db
from complaints.intake import catalog
from complaints.tickets import queries, queue_page, service
from complaints.tickets.models import (
    Channel,
    Complaint,
    ComplaintType,
    Confidentiality,
    Service,
    Status,
    Weight,
)
from tests.support.statements import recorded

pytestmark = pytest.mark.both_db


def _division(code: str) -> int:
    return db.session.scalar(select(Division.id).where(Division.code == code))


def _page(app, user_id: int, lang: str = "id", **args):
    with app.test_request_context("/staff/queue"):
        session["lang"] = lang
        refresh()  # the app context (and its cached locale) is shared with ctx
        user = db.session.get(User, user_id)
        login_user(user)
        flt = queries.parse_filter(MultiDict({"view": "all", **args}))
        page = queue_page.load_page(flt, user, 50)
        rows = db.session.scalars(queries.queue_query(flt, user).limit(50)).all()
        expected = {c.id: service.identity_for(c, user) for c in rows}
        return page, rows, expected


@pytest.mark.parametrize("role", ["registrar", "handler", "kabid", "sekretaris", "loket"])
def test_rows_show_and_audit_identities_as_the_general_rule_does(app, ctx, factory, role):
    perizinan, other = _division("perizinan"), _division("sekretariat")
    user = factory.user(positions=[(role, "perizinan")])
    for i, conf in enumerate([*Confidentiality, *Confidentiality]):
        factory.complaint(confidentiality=conf, complainant_name=f"Nama {i} <b>",
                          division_id=perizinan if i % 2 else other)
    page, rows, identities = _page(app, user.id)
    html = str(page.html)
    assert page.count == len(rows) == html.count('<li class="row">') > 0
    assert re.findall(r'href="/staff/complaints/(\d+)"', html) == [str(c.id) for c in rows]
    assert re.findall(r'<span class="who">([^<]*)</span>', html) == [
        str(escape(identities[c.id].name or "(tanpa nama)")) for c in rows]
    assert "<b>" not in html  # names are escaped
    expected_audit = [c.id for c in rows if c.is_confidential and not identities[c.id].masked]
    assert page.shown_ids == expected_audit


def test_page_reads_with_a_constant_number_of_statements(app, ctx, factory):
    user = factory.user(positions=[("registrar", None)])
    counts = []
    for total in (3, 30):
        while db.session.scalar(select(db.func.count(Complaint.id))) < total:
            factory.complaint(confidentiality=Confidentiality.RAHASIA)
        statements: list[str] = []
        with app.test_request_context("/staff/queue"):
            viewer = db.session.get(User, user.id)
            login_user(viewer)
            flt = queries.parse_filter(MultiDict({"view": "all"}))
            viewer.assignments  # noqa: B018 - loaded with the user in a request
            with recorded(db.engine) as seen:
                page = queue_page.load_page(flt, viewer, 50)
                queue_page.filter_choices("id")
            statements.extend(seen)
        assert page.count == total
        counts.append(len(statements))
    assert counts == [2, 2]  # the rows, the filter lists: nothing per row


def test_filter_choices_are_the_catalog_lists_and_follow_edits(app, ctx):
    for lang in ("id", "en"):
        with app.test_request_context("/"):
            session["lang"] = lang
            refresh()  # the app context (and its cached locale) is shared with ctx
            assert queue_page.filter_choices(lang) == {
                "type": catalog.type_choices(), "service": catalog.service_choices(),
                "division": catalog.division_choices()}
    with write_transaction():
        db.session.scalars(select(Service)).first().active = False
        db.session.scalars(select(ComplaintType)).first().name_en = "Renamed type"
        db.session.scalars(select(Division)).first().name = "A renamed division"
    with app.test_request_context("/"):
        session["lang"] = "en"
        refresh()
        choices = queue_page.filter_choices("en")
        assert choices == {"type": catalog.type_choices(), "service": catalog.service_choices(),
                           "division": catalog.division_choices()}
        assert "Renamed type" in dict(choices["type"]).values()
        assert choices["division"][0][1] == "A renamed division"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_formatters_print_what_flask_babel_prints(app, ctx, lang):
    moments = [datetime(2026, 3, 10, 16, 59, tzinfo=UTC), datetime(2026, 3, 10, 17, 0, tzinfo=UTC),
               datetime(2025, 12, 31, 23, 30, tzinfo=UTC), datetime(2026, 1, 1, 5, 0)]
    with app.test_request_context("/"):
        session["lang"] = lang
        refresh()  # the app context (and its cached locale) is shared with ctx
        day, moment = day_formatter(), datetime_formatter("short")
        for value in moments:
            assert day(value) == format_date(to_user_timezone(value).date())
            assert moment(value) == format_datetime(value, "short")
        assert day(None) == moment(None) == ""


def test_autocommit_audit_writes_what_add_audit_writes(app, ctx, factory):
    user = factory.user(positions=[("registrar", None)])
    with (app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.0.0.9"}),
          write_transaction()):
        viewer = db.session.get(User, user.id)
        add_audit("view_identity", viewer, object_type="complaint", detail={"ids": [1, 2]})
        autocommit_audit("view_identity", viewer.id, viewer.username, object_type="complaint",
                         detail={"ids": [1, 2]})
    first, second = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()[-2:]
    fields = ("user_id", "username", "action", "object_type", "object_id", "ip", "detail",
              "note")
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]
    assert second.ip == "10.0.0.9" and second.at is not None


def _html(app, user_id: int, lang: str = "id") -> str:
    page, _rows, _identities = _page(app, user_id, lang)
    return str(page.html)


def test_kept_lines_are_the_freshly_rendered_ones(app, ctx, factory):
    user = factory.user(positions=[("registrar", None)])
    for i in range(3):
        factory.complaint(complainant_name=f"Nama {i}", summary=f"Ringkasan {i}")
    first = _html(app, user.id)
    assert len(app.extensions[queue_page.ROWS_EXTENSION]) == 3
    assert _html(app, user.id) == first  # from the kept lines
    app.extensions.pop(queue_page.ROWS_EXTENSION)
    assert _html(app, user.id) == first  # rendered anew


def test_a_changed_complaint_shows_on_the_next_page(app, ctx, factory):
    user = factory.user(positions=[("registrar", None)])
    complaint, _code = factory.complaint(summary="Sebelum diubah", complainant_name="Nama Lama")
    before = _html(app, user.id)
    with write_transaction():
        row = db.session.get(Complaint, complaint.id)
        row.summary, row.complainant_name = "Sesudah diubah", "Nama Baru"
        row.status, row.weight = Status.CLOSED, Weight.BERAT
    after = _html(app, user.id)
    assert "Sebelum diubah" in before and "Nama Lama" in before
    assert "Sesudah diubah" in after and "Nama Baru" in after
    assert "Sebelum diubah" not in after and "Nama Lama" not in after
    assert f"badge-status-{Status.CLOSED}" in after and f"badge-weight-{Weight.BERAT}" in after
    assert '<span class="due">' in before and '<span class="due">' not in after  # closed


def test_kept_lines_follow_the_language(app, ctx, factory):
    user = factory.user(positions=[("registrar", None)])
    factory.complaint(channel=Channel.WEB)
    indonesian, english = _html(app, user.id, "id"), _html(app, user.id, "en")
    assert "Situs web" in indonesian and "Website" in english and indonesian != english
    app.extensions.pop(queue_page.ROWS_EXTENSION)
    assert _html(app, user.id, "en") == english and _html(app, user.id, "id") == indonesian


def test_one_viewers_kept_lines_never_show_another_an_identity(app, ctx, factory):
    perizinan, other = _division("perizinan"), _division("sekretariat")
    users = [factory.user(positions=[(role, "perizinan")]) for role in ("registrar", "handler")]
    for i, conf in enumerate([*Confidentiality, *Confidentiality]):
        factory.complaint(confidentiality=conf, complainant_name=f"Nama {i}",
                          division_id=perizinan if i % 2 else other)
    shown = set()
    for user in [*users, *reversed(users)]:
        page, rows, identities = _page(app, user.id)
        who = re.findall(r'<span class="who">([^<]*)</span>', str(page.html))
        assert who == [str(escape(identities[c.id].name or "(tanpa nama)")) for c in rows]
        shown.add(tuple(who))
    assert len(shown) == 2  # the two positions see different names, each only their own


def test_a_due_date_passing_shows_as_overdue_on_the_next_page(app, ctx, factory):
    user = factory.user(positions=[("registrar", None)])
    complaint, _code = factory.complaint()
    assert complaint.next_due_at is not None
    try:
        clock.set_now(complaint.next_due_at - timedelta(days=20))
        assert "badge-overdue" not in _html(app, user.id)
        clock.set_now(complaint.next_due_at + timedelta(hours=1))
        assert "badge-overdue" in _html(app, user.id)
    finally:
        clock.set_now(None)


def test_at_most_rows_max_lines_are_kept(app, ctx, factory, monkeypatch):
    monkeypatch.setattr(queue_page, "ROWS_MAX", 2)
    user = factory.user(positions=[("registrar", None)])
    for _ in range(3):
        factory.complaint()
    html = _html(app, user.id)
    assert html.count('<li class="row">') == 3
    assert len(app.extensions[queue_page.ROWS_EXTENSION]) == 2
    assert _html(app, user.id) == html


def _shown(app, user_id: int, **args) -> list[int]:
    page, _rows, _identities = _page(app, user_id, **args)
    return [int(i) for i in re.findall(r'href="/staff/complaints/(\d+)"', str(page.html))]


def test_kept_statements_follow_the_viewer_and_the_filter(app, ctx, factory):
    perizinan, other = _division("perizinan"), _division("sekretariat")
    handler = factory.user(positions=[("handler", "perizinan")])
    mine, _code = factory.complaint(division_id=perizinan, channel=Channel.EMAIL)
    theirs, _code = factory.complaint(division_id=other, channel=Channel.EMAIL)
    for _ in range(2):  # the second time from the kept statements
        assert _shown(app, handler.id) == [mine.id]
        assert _shown(app, handler.id, channel="email") == [mine.id]
        assert _shown(app, handler.id, channel="surat") == []
        assert _shown(app, handler.id, after=str(mine.id)) == []
    assert len(app.extensions[queue_page.STATEMENTS_EXTENSION]) == 4
    # A new position is a new viewer: the page shows what it may see now.
    with app.test_request_context("/"):
        assign_position(handler.id, Position.HANDLER, "sekretariat")
    assert _shown(app, handler.id) == [theirs.id, mine.id]
    assert _shown(app, handler.id, after=str(theirs.id)) == [mine.id]
    registrar = factory.user(positions=[("registrar", None)])
    assert _shown(app, registrar.id, channel="email") == [theirs.id, mine.id]


def test_filters_differing_in_any_field_have_their_own_kept_statement(ctx):
    base = queries.QueueFilter()
    for field in dataclasses.fields(queries.QueueFilter):
        if field.name != "extra":  # the one field queue_query does not read
            other = dataclasses.replace(base, **{field.name: object()})
            assert queue_page._filter_values(other) != queue_page._filter_values(base), field


def test_the_due_views_are_built_at_the_time_of_each_page(app, ctx, factory):
    user = factory.user(positions=[("registrar", None)])
    complaint, _code = factory.complaint()
    try:
        clock.set_now(complaint.next_due_at - timedelta(days=20))
        assert _shown(app, user.id, view="overdue") == []
        clock.set_now(complaint.next_due_at + timedelta(hours=1))
        assert _shown(app, user.id, view="overdue") == [complaint.id]
        clock.set_now(complaint.next_due_at - timedelta(days=20))
        assert _shown(app, user.id, view="overdue") == []
    finally:
        clock.set_now(None)
    assert queue_page.STATEMENTS_EXTENSION not in app.extensions
