"""Reading the Buku Pengaduan: the selection of complaints and its rows as a viewer sees them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import defer

from complaints.accounts.models import Division, Position, User
from complaints.accounts.permissions import can_view_complaint
from complaints.accounts.service import users_with_position
from complaints.core import clock
from complaints.core.timefmt import office_tz
from complaints.extensions import db
from complaints.register.filters import QueryError, RegisterFilter
from complaints.tickets.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    ComplaintType,
    Kind,
    Service,
    Status,
    Weight,
)
from complaints.tickets.service import audit_identity_view, identity_for

BATCH_SIZE = 500  # rows per query when streaming an export: memory stays flat


@dataclass(frozen=True)
class RegisterRow:
    """One line of the Buku Pengaduan, as the viewer may see it (identity masked or not)."""

    id: int
    number: str
    year: int
    seq: int
    received_at: datetime  # in office time
    name: str
    address: str
    phone: str
    masked: bool
    confidential: bool
    kind: Kind
    channel: Channel
    type_name: str
    service_name: str
    division_name: str
    weight: Weight | None
    status: Status
    summary: str
    follow_up: str
    reply: str  # the latest public answer to the complainant
    reply_at: datetime | None
    can_open: bool


@dataclass(frozen=True)
class Lookups:
    """Names of the small catalogues, loaded once instead of once per row."""

    types: dict[int, str]
    services: dict[int, str]
    divisions: dict[int, str]


@dataclass
class RegisterPage:
    """One page of the register and what the page needs around it."""

    rows: list[RegisterRow]
    total: int
    next_after: tuple[int, int] | None


@dataclass(frozen=True)
class Examiner:
    """Who signs the register: the user holding the Sekretaris position today."""

    name: str
    nip: str
    acting: bool


def load_lookups(locale: str) -> Lookups:
    """Return the names of types (in the locale), services and divisions by id."""
    types = {t.id: t.label(locale) for t in db.session.scalars(select(ComplaintType))}
    services = {s.id: s.name for s in db.session.scalars(select(Service))}
    divisions = {d.id: d.name for d in db.session.scalars(select(Division))}
    return Lookups(types, services, divisions)


def check_references(flt: RegisterFilter) -> None:
    """Refuse a type, service or division id that does not exist."""
    for model, value, reason in (
        (ComplaintType, flt.type_id, _l("unknown complaint type %(id)s", id=flt.type_id)),
        (Service, flt.service_id, _l("unknown service %(id)s", id=flt.service_id)),
        (Division, flt.division_id, _l("unknown division %(id)s", id=flt.division_id)),
    ):
        if value is not None and db.session.get(model, value) is None:
            raise QueryError(reason)


def _selection(flt: RegisterFilter, tz: ZoneInfo) -> list:
    start, end = flt.period.bounds(tz)
    clauses = [Complaint.received_at >= start, Complaint.received_at < end]
    for column, value in (
        (Complaint.channel, flt.channel), (Complaint.weight, flt.weight),
        (Complaint.status, flt.status), (Complaint.type_id, flt.type_id),
        (Complaint.service_id, flt.service_id), (Complaint.division_id, flt.division_id),
    ):
        if value is not None:
            clauses.append(column == value)
    return clauses


def register_query(flt: RegisterFilter, tz: ZoneInfo,
                   after: tuple[int, int] | None = None) -> Select:
    """Return the select of the register's complaints in register-number order (pure)."""
    query = select(Complaint).options(defer(Complaint.body)).where(*_selection(flt, tz))
    cursor = after if after is not None else flt.after
    if cursor is not None:
        year, seq = cursor
        query = query.where(or_(Complaint.year > year,
                                and_(Complaint.year == year, Complaint.seq > seq)))
    return query.order_by(Complaint.year, Complaint.seq)


def count_query(flt: RegisterFilter, tz: ZoneInfo) -> Select:
    """Return the select counting the whole selection (ignoring the cursor) (pure)."""
    return select(func.count(Complaint.id)).where(*_selection(flt, tz))


def latest_replies(complaint_ids: list[int]) -> dict[int, tuple[str, datetime]]:
    """Return the latest public reply (text, time) of each complaint that has one."""
    if not complaint_ids:
        return {}
    rows = db.session.execute(
        select(ComplaintEvent.complaint_id, ComplaintEvent.note, ComplaintEvent.at)
        .where(ComplaintEvent.complaint_id.in_(complaint_ids),
               ComplaintEvent.kind == "reply", ComplaintEvent.public.is_(True))
        .order_by(ComplaintEvent.complaint_id, ComplaintEvent.id)
    )
    return {cid: (note or "", at) for cid, note, at in rows}


def build_rows(complaints: list[Complaint], viewer: User, lookups: Lookups,
               tz: ZoneInfo) -> list[RegisterRow]:
    """Return the register lines of the complaints, masking identities the viewer may not see."""
    replies = latest_replies([c.id for c in complaints])
    rows = []
    for c in complaints:
        identity = identity_for(c, viewer)
        reply, reply_at = replies.get(c.id, ("", None))
        rows.append(RegisterRow(
            id=c.id, number=c.number, year=c.year, seq=c.seq,
            received_at=c.received_at.astimezone(tz),
            name=identity.name, address=identity.address, phone=identity.phone,
            masked=identity.masked, confidential=c.is_confidential, kind=c.kind,
            channel=c.channel, type_name=lookups.types.get(c.type_id or 0, ""),
            service_name=lookups.services.get(c.service_id or 0, ""),
            division_name=lookups.divisions.get(c.division_id or 0, ""),
            weight=c.weight, status=c.status, summary=c.summary,
            follow_up=c.follow_up or "", reply=reply,
            reply_at=reply_at.astimezone(tz) if reply_at else None,
            can_open=can_view_complaint(viewer, c),
        ))
    return rows


def _audit(viewer: User, complaints: list[Complaint], rows: list[RegisterRow],
           where: str) -> None:
    # Only confidential identities shown unmasked are audited (one autocommitted INSERT,
    # which leaves the rows read as they are); with none, nothing is written.
    shown = [c for c, r in zip(complaints, rows, strict=True) if r.confidential and not r.masked]
    if shown:
        audit_identity_view(viewer, shown, where)


def register_page(flt: RegisterFilter, viewer: User, locale: str, size: int) -> RegisterPage:
    """Return one page of the register; the confidential identities shown are audited."""
    check_references(flt)
    tz = office_tz()
    complaints = list(db.session.scalars(register_query(flt, tz).limit(size + 1)))
    has_next = len(complaints) > size
    complaints = complaints[:size]
    total = db.session.scalar(count_query(flt, tz)) or 0
    rows = build_rows(complaints, viewer, load_lookups(locale), tz)
    _audit(viewer, complaints, rows, "register")
    next_after = (rows[-1].year, rows[-1].seq) if has_next and rows else None
    return RegisterPage(rows, total, next_after)


def iter_rows(flt: RegisterFilter, viewer: User, locale: str, where: str = "register_export",
              batch_size: int = BATCH_SIZE) -> Iterator[RegisterRow]:
    """Yield every row of the selection in order, one batch query at a time.

    Each batch is read, turned into plain rows and audited before the next is read,
    so memory does not grow with the size of the month.
    """
    tz = office_tz()
    lookups = load_lookups(locale)
    cursor = flt.after
    while True:
        complaints = list(db.session.scalars(register_query(flt, tz, cursor).limit(batch_size)))
        if not complaints:
            return
        rows = build_rows(complaints, viewer, lookups, tz)
        _audit(viewer, complaints, rows, where)
        del complaints
        yield from rows
        if len(rows) < batch_size:
            return
        cursor = (rows[-1].year, rows[-1].seq)


def count_rows(flt: RegisterFilter) -> int:
    """Return how many complaints the selection holds."""
    return db.session.scalar(count_query(flt, office_tz())) or 0


def examiner() -> Examiner | None:
    """Return the Sekretaris who examines the register today (None when nobody holds it)."""
    holders = users_with_position(Position.SEKRETARIS)
    if not holders:
        return None
    user = holders[0]
    today = clock.now().date()
    acting = all(a.acting for a in user.assignments
                 if a.position == Position.SEKRETARIS and a.is_current(today))
    return Examiner(user.full_name, user.nip or "", acting)
