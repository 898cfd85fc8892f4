"""The register's selection, boundaries in office time, order, keyset paging and masking."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from complaints.accounts.models import AuditLog, Division, User
from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.register import service
from complaints.register.filters import Period, QueryError, RegisterFilter, parse_filter
from complaints.tickets.models import (
    Channel,
    Complaint,
    ComplaintType,
    Confidentiality,
    Service,
    Status,
    Weight,
)
from complaints.tickets.service import MASK, apply_changes, record_event

WIB = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 11, 23)
NOVEMBER = RegisterFilter(Period(2026, 11))


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_now(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    yield
    clock.set_now(None)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _get(user: User) -> User:
    return db.session.get(User, user.id)


def _change(complaint_id: int, **changes) -> None:
    with write_transaction():
        apply_changes(db.session.get(Complaint, complaint_id), None, **changes)


def _numbers(flt: RegisterFilter, viewer: User, size: int = 50) -> list[str]:
    return [r.number for r in service.register_page(flt, _get(viewer), "id", size).rows]


# --- parsing (pure) -------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    ({}, Period(2026, 11)),
    ({"month": "2026-02"}, Period(2026, 2)),
    ({"year": "2025"}, Period(2025)),
    ({"year": "2025", "month": ""}, Period(2025)),
    ({"month": "", "year": ""}, Period(2026, 11)),
])
def test_period_defaults_to_this_month_and_a_year_can_be_chosen(args, expected):
    assert parse_filter(MultiDict(args), TODAY).period == expected


@pytest.mark.parametrize("args", [
    {"sort": "number"}, {"q": "x"}, {"month": "2026-13"}, {"month": "2026-1"},
    {"month": "26-11"}, {"year": "1999"}, {"year": "20x6"}, {"channel": "pigeon"},
    {"weight": "HEAVY"}, {"status": "open"}, {"type": "abc"}, {"type": "0"},
    {"service": "1; DROP TABLE complaint"}, {"division": "99999999999"},
    {"after": "x"}, {"after": "2026-"}, {"channel": ["surat", "email"]},
])
def test_unknown_keys_and_values_are_refused(args):
    with pytest.raises(QueryError):
        parse_filter(MultiDict(args), TODAY)


def test_filter_args_round_trip_without_the_cursor():
    args = MultiDict({"month": "2026-03", "channel": "surat", "weight": "berat",
                      "status": "closed", "type": "2", "service": "3", "division": "4",
                      "after": "2026-17"})
    flt = parse_filter(args, TODAY)
    assert flt.after == (2026, 17)
    assert parse_filter(MultiDict(flt.args()), TODAY) == RegisterFilter(**{
        **flt.__dict__, "after": None})
    assert flt.args(with_cursor=True)["after"] == "2026-17"


@pytest.mark.parametrize("period, start, end", [
    (Period(2026, 11), utc(2026, 10, 31, 17), utc(2026, 11, 30, 17)),
    (Period(2026, 12), utc(2026, 11, 30, 17), utc(2026, 12, 31, 17)),
    (Period(2026, 1), utc(2025, 12, 31, 17), utc(2026, 1, 31, 17)),
    (Period(2026), utc(2025, 12, 31, 17), utc(2026, 12, 31, 17)),
])
def test_period_bounds_are_midnight_wib(period, start, end):
    assert period.bounds(WIB) == (start, end)


def test_period_navigation_wraps_years():
    assert Period(2026, 1).previous() == Period(2025, 12)
    assert Period(2026, 12).following() == Period(2027, 1)
    assert Period(2026).previous() == Period(2025)


# --- the selection (SQLite and PostgreSQL) -------------------------------------------

def test_month_boundaries_follow_office_time(ctx, factory, backend):
    viewer = factory.user(positions=[("registrar", None)])
    for when in (utc(2026, 10, 31, 16, 59), utc(2026, 10, 31, 17, 0),
                 utc(2026, 11, 30, 16, 59, 59), utc(2026, 11, 30, 17, 0)):
        factory.complaint(received_at=when)
    assert _numbers(NOVEMBER, viewer) == ["ADU/2026/000002", "ADU/2026/000003"]
    assert _numbers(RegisterFilter(Period(2026, 10)), viewer) == ["ADU/2026/000001"]
    assert _numbers(RegisterFilter(Period(2026, 12)), viewer) == ["ADU/2026/000004"]


def test_year_boundary_follows_office_time_and_register_year(ctx, factory, backend):
    viewer = factory.user(positions=[("registrar", None)])
    factory.complaint(received_at=utc(2025, 12, 31, 16, 59))  # 31 Dec 23:59 WIB
    factory.complaint(received_at=utc(2025, 12, 31, 17, 0))  # 1 Jan 00:00 WIB
    assert _numbers(RegisterFilter(Period(2025)), viewer) == ["ADU/2025/000001"]
    assert _numbers(RegisterFilter(Period(2026)), viewer) == ["ADU/2026/000001"]


def test_ordered_by_register_number_not_by_date(ctx, factory, backend):
    viewer = factory.user(positions=[("registrar", None)])
    factory.complaint(received_at=utc(2026, 11, 20, 3))
    factory.complaint(received_at=utc(2026, 11, 2, 3))  # a letter recorded late
    factory.complaint(received_at=utc(2026, 11, 10, 3))
    assert _numbers(NOVEMBER, viewer) == [f"ADU/2026/00000{n}" for n in (1, 2, 3)]


def test_keyset_pages_and_stream_cover_the_month_once_in_order(ctx, factory, backend):
    viewer = factory.user(positions=[("registrar", None)])
    for day in range(1, 8):
        factory.complaint(received_at=utc(2026, 11, day, 3))
    seen, flt = [], NOVEMBER
    while True:
        page = service.register_page(flt, _get(viewer), "id", 3)
        assert page.total == 7
        seen += [r.number for r in page.rows]
        if page.next_after is None:
            break
        flt = RegisterFilter(flt.period, after=page.next_after)
    expected = [f"ADU/2026/{n:06d}" for n in range(1, 8)]
    assert seen == expected
    streamed = [r.number for r in service.iter_rows(NOVEMBER, _get(viewer), "id", batch_size=2)]
    assert streamed == expected


def test_each_filter_narrows_the_selection(ctx, factory, backend):
    viewer = factory.user(positions=[("registrar", None)])
    division = db.session.scalar(select(Division.id).where(Division.code == "perizinan"))
    kind = db.session.scalar(select(ComplaintType.id).where(ComplaintType.code == "biaya"))
    sikot = db.session.scalar(select(Service.id).where(Service.code == "sikot"))
    plain, _ = factory.complaint(received_at=utc(2026, 11, 5, 3))
    marked, _ = factory.complaint(received_at=utc(2026, 11, 6, 3), channel=Channel.EMAIL,
                                  type_id=kind, service_id=sikot)
    _change(marked.id, weight=Weight.BERAT, status=Status.TRIAGED, division_id=division)
    for field, value in (("channel", Channel.EMAIL), ("weight", Weight.BERAT),
                         ("status", Status.TRIAGED), ("type_id", kind),
                         ("service_id", sikot), ("division_id", division)):
        flt = RegisterFilter(NOVEMBER.period, **{field: value})
        assert _numbers(flt, viewer) == [marked.number], field
    flt = RegisterFilter(NOVEMBER.period, status=Status.RECEIVED)
    assert _numbers(flt, viewer) == [plain.number]


def test_unknown_catalogue_ids_are_refused(ctx, factory, backend):
    viewer = factory.user(positions=[("registrar", None)])
    for field in ("type_id", "service_id", "division_id"):
        with pytest.raises(QueryError):
            service.register_page(RegisterFilter(NOVEMBER.period, **{field: 999}),
                                  _get(viewer), "id", 10)


def test_row_shows_follow_up_and_the_latest_public_reply(ctx, factory, backend):
    viewer = factory.user(positions=[("registrar", None)])
    complaint, _ = factory.complaint(received_at=utc(2026, 11, 5, 3))
    with write_transaction():
        row = db.session.get(Complaint, complaint.id)
        row.follow_up = "Diteruskan ke Bidang Perizinan"
        record_event(row, "reply", None, note="Jawaban pertama", public=True)
        record_event(row, "reply", None, note="Jawaban kedua", public=True)
        record_event(row, "reply", None, note="Catatan internal", public=False)
    (line,) = service.register_page(NOVEMBER, _get(viewer), "id", 10).rows
    assert line.follow_up == "Diteruskan ke Bidang Perizinan"
    assert line.reply == "Jawaban kedua"
    assert line.received_at.utcoffset().total_seconds() == 7 * 3600


# --- masking per role ------------------------------------------------------------------

def _two_complaints(factory):
    division = db.session.scalar(select(Division.id).where(Division.code == "perizinan"))
    secret, _ = factory.complaint(received_at=utc(2026, 11, 5, 3), complainant_name="Rahasia",
                                  complainant_phone="0811", confidentiality=Confidentiality.ANONIM,
                                  division_id=division)
    other, _ = factory.complaint(received_at=utc(2026, 11, 6, 3), complainant_name="Terbuka")
    return secret, other


@pytest.mark.parametrize("position, division, secret_name, open_name", [
    ("registrar", None, "Rahasia", "Terbuka"),
    ("sekretaris", None, "Rahasia", "Terbuka"),
    ("kadis", None, "Rahasia", "Terbuka"),
    # A Kepala Bidang reads the whole register but sees identities only of complaints
    # of the division and never a confidential one.
    ("kabid", "perizinan", MASK, MASK),
])
def test_identity_is_masked_by_the_viewers_rights(ctx, factory, backend, position, division,
                                                  secret_name, open_name):
    secret, other = _two_complaints(factory)
    viewer = factory.user(positions=[(position, division)])
    rows = service.register_page(NOVEMBER, _get(viewer), "id", 10).rows
    assert [(r.name, r.masked) for r in rows] == [
        (secret_name, secret_name == MASK), (open_name, open_name == MASK)]
    assert all(r.phone in ("", MASK, "0811", "081200000001") for r in rows)


def test_kabid_sees_open_identities_of_the_division(ctx, factory, backend):
    division = db.session.scalar(select(Division.id).where(Division.code == "perizinan"))
    factory.complaint(received_at=utc(2026, 11, 5, 3), complainant_name="Warga",
                      division_id=division)
    viewer = factory.user(positions=[("kabid", "perizinan")])
    (row,) = service.register_page(NOVEMBER, _get(viewer), "id", 10).rows
    assert (row.name, row.masked, row.can_open) == ("Warga", False, True)


def test_shown_confidential_identities_are_audited_masked_ones_not(ctx, factory, backend):
    secret, _other = _two_complaints(factory)
    kabid = factory.user(positions=[("kabid", "perizinan")])
    service.register_page(NOVEMBER, _get(kabid), "id", 10)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "view_identity")) is None
    registrar = factory.user(positions=[("registrar", None)])
    service.register_page(NOVEMBER, _get(registrar), "id", 10)
    list(service.iter_rows(NOVEMBER, _get(registrar), "id"))
    db.session.rollback()  # a new read transaction sees the rows written in autocommit
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "view_identity")
                                 .order_by(AuditLog.id)).all()
    assert [(e.user_id, e.object_id, e.detail["where"]) for e in entries] == [
        (registrar.id, secret.id, "register"), (registrar.id, secret.id, "register_export")]


def test_examiner_is_the_current_sekretaris(ctx, factory, backend):
    assert service.examiner() is None
    factory.user(positions=[("sekretaris", None)], full_name="Hendra, S.E.",
                 nip="197001012000031001")
    assert service.examiner() == service.Examiner("Hendra, S.E.", "197001012000031001", False)
