"""Freezing the month's register into the approved version, in one INSERT ... SELECT.

The rows are the register's (complaints/register/service.py): register-number order, the
recorded follow-up or else the latest public reply. They are copied by the database itself,
so a month of 100,000 complaints never passes through Python. Confidential identities are
never copied: the report is read widely.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import String, and_, case, func, insert, literal, select, type_coerce

from complaints.core.timefmt import office_tz
from complaints.extensions import db
from complaints.register.filters import Period
from complaints.register.service import RegisterRow
from complaints.reports.models import ReportVersion, SnapshotRow
from complaints.tickets.models import Complaint, ComplaintEvent, ComplaintType

BATCH = 1000
COLUMNS = ("version_id", "position", "number", "received_at", "complainant", "channel",
           "type_name", "weight", "status", "summary", "follow_up")


def _text(column):
    return type_coerce(column, String)


def _source(version: ReportVersion):
    start, end = Period(version.report.year, version.report.month).bounds(office_tz())
    reply = (select(ComplaintEvent.note)
             .where(ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.kind == "reply",
                    ComplaintEvent.public.is_(True))
             .order_by(ComplaintEvent.id.desc()).limit(1).correlate(Complaint).scalar_subquery())
    return (
        select(literal(version.id), func.row_number().over(order_by=(Complaint.year,
                                                                     Complaint.seq)),
               Complaint.number, Complaint.received_at,
               case((_text(Complaint.confidentiality) == "biasa",
                     func.coalesce(Complaint.complainant_name, "")), else_=""),
               _text(Complaint.channel), func.coalesce(ComplaintType.name_id, ""),
               func.coalesce(_text(Complaint.weight), ""), _text(Complaint.status),
               Complaint.summary,
               func.coalesce(func.nullif(Complaint.follow_up, ""), reply, ""))
        .outerjoin(ComplaintType, ComplaintType.id == Complaint.type_id)
        .where(and_(Complaint.received_at >= start, Complaint.received_at < end))
    )


def freeze_register(version: ReportVersion) -> int:
    """Copy the month's register rows into the version; return how many."""
    db.session.execute(insert(SnapshotRow).from_select(list(COLUMNS), _source(version)))
    return db.session.scalar(select(func.count(SnapshotRow.id))
                             .where(SnapshotRow.version_id == version.id)) or 0


def live_row(row: RegisterRow, position: int) -> dict:
    """Return a register row read now in the shape of a frozen one (for drafts' exports)."""
    return {
        "position": position, "number": row.number, "received_at": row.received_at,
        "complainant": "" if row.confidential else row.name, "channel": row.channel.value,
        "type_name": row.type_name, "weight": row.weight.value if row.weight else "",
        "status": row.status.value, "summary": row.summary,
        "follow_up": row.follow_up or row.reply,
    }


def snapshot_rows(version_id: int, batch: int = BATCH) -> Iterator[SnapshotRow]:
    """Yield the frozen register rows of a version in order, one batch query at a time."""
    after = 0
    while True:
        rows = list(db.session.scalars(
            select(SnapshotRow).where(SnapshotRow.version_id == version_id,
                                      SnapshotRow.position > after)
            .order_by(SnapshotRow.position).limit(batch)))
        if not rows:
            return
        yield from rows
        after = rows[-1].position
        if len(rows) < batch:
            return
