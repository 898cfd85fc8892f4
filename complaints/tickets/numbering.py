"""Gapless per-year sequences for the register and outgoing letters."""

from __future__ import annotations

from sqlalchemy import update

from complaints.core.db import dialect_insert
from complaints.extensions import db
from complaints.tickets.models import Counter


def next_in_sequence(name: str, year: int) -> int:
    """Return the next number of a per-year sequence; call inside write_transaction().

    The counter row is incremented in the caller's transaction: a rollback gives the
    number back (no gaps), and the row lock (PostgreSQL) or the write lock taken at
    BEGIN (SQLite) makes concurrent callers queue (no duplicates).
    """
    dialect = db.session.get_bind().dialect.name
    insert = dialect_insert(dialect)
    db.session.execute(
        insert(Counter).values(name=name, year=year, last=0).on_conflict_do_nothing()
    )
    result = db.session.execute(
        update(Counter)
        .where(Counter.name == name, Counter.year == year)
        .values(last=Counter.last + 1)
        .returning(Counter.last)
        .execution_options(synchronize_session=False)
    )
    return int(result.scalar_one())


def format_register_number(prefix: str, year: int, seq: int) -> str:
    """Return the readable register number, e.g. ADU/2026/000123."""
    return f"{prefix}/{year}/{seq:06d}"
