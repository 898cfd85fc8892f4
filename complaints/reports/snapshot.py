"""Freezing the month's register into the approved version, streamed in batches."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import insert, select

from complaints.accounts.models import User
from complaints.extensions import db
from complaints.register.filters import Period, RegisterFilter
from complaints.register.service import RegisterRow, iter_rows
from complaints.reports.models import ReportVersion, SnapshotRow

BATCH = 1000


def _frozen(row: RegisterRow, position: int, version_id: int) -> dict:
    # Confidential identities never enter the snapshot: the report is read widely.
    name = "" if row.confidential else row.name
    return {
        "version_id": version_id, "position": position, "number": row.number,
        "received_at": row.received_at.strftime("%Y-%m-%d %H:%M"),
        "complainant": name[:200], "channel": row.channel.value,
        "type_name": row.type_name[:120], "weight": row.weight.value if row.weight else "",
        "status": row.status.value, "summary": row.summary[:300],
        "follow_up": row.follow_up or row.reply,
    }


def freeze_register(version: ReportVersion, viewer: User) -> int:
    """Copy the month's register rows into the version (batched inserts); return how many."""
    flt = RegisterFilter(period=Period(version.report.year, version.report.month))
    batch: list[dict] = []
    count = 0
    for row in iter_rows(flt, viewer, "id", where="report_snapshot"):
        count += 1
        batch.append(_frozen(row, count, version.id))
        if len(batch) >= BATCH:
            db.session.execute(insert(SnapshotRow), batch)
            batch = []
    if batch:
        db.session.execute(insert(SnapshotRow), batch)
    return count


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
