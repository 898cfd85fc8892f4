"""Bulk rows for plan tests: many complaints inserted at once, and EXPLAIN of a query."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text
from sqlalchemy.dialects import postgresql

from complaints.extensions import db
from complaints.tickets.models import Channel, Complaint, Status

# A realistic mix: most complaints are finished, a few are open.
STATUS_CYCLE = [Status.CLOSED] * 8 + [Status.ANSWERED, Status.IN_HANDLING]


def insert_complaints(count: int, divisions: list[int], holder_id: int | None = None,
                      year: int = 2020) -> None:
    """Insert `count` complaints with one executemany (no events: for plans, not rules)."""
    start = datetime(year, 1, 1, tzinfo=UTC)
    statuses = itertools.cycle(STATUS_CYCLE)
    rows = []
    for n in range(1, count + 1):
        at = start + timedelta(minutes=n)
        rows.append({
            "number": f"BULK/{year}/{n:06d}", "year": year, "seq": n, "version": 1,
            "kind": "pengaduan", "channel": Channel.WEB, "received_at": at, "created_at": at,
            "updated_at": at, "confidentiality": "biasa", "summary": f"Keluhan {n}",
            "body": f"Keluhan nomor {n}", "status": next(statuses),
            "division_id": divisions[n % len(divisions)],
            "holder_id": holder_id if n % 50 == 0 else None, "access_code_hash": "x",
        })
    db.session.execute(insert(Complaint), rows)
    db.session.commit()
    db.session.execute(text("ANALYZE complaint"))
    db.session.commit()


def explain(query) -> str:
    """Return PostgreSQL's plan of a query, as text."""
    sql = query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    return "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
