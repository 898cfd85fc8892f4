"""Gapless per-year sequences for the register and outgoing letters."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.sql.dml import Insert

from complaints.core.db import dialect_insert
from complaints.extensions import db
from complaints.tickets.models import Counter

# One prepared statement per dialect: built once, so each number costs one round trip and
# no statement construction.
_NEXT: dict[str, Insert] = {}


def _next_statement(dialect: str) -> Insert:
    statement = _NEXT.get(dialect)
    if statement is None:
        insert = dialect_insert(dialect)
        statement = _NEXT[dialect] = (
            insert(Counter)
            .values(name=bindparam("name"), year=bindparam("year"), last=1)
            .on_conflict_do_update(index_elements=[Counter.name, Counter.year],
                                   set_={"last": Counter.last + 1})
            .returning(Counter.last)
        )
    return statement


def next_in_sequence(name: str, year: int) -> int:
    """Return the next number of a per-year sequence; call inside write_transaction().

    One upsert increments the counter row (creating it at 1) in the caller's transaction:
    a rollback gives the number back (no gaps), and the row lock (PostgreSQL) or the write
    lock taken at BEGIN (SQLite) makes concurrent callers queue (no duplicates).
    """
    connection = db.session.connection()
    result = connection.execute(_next_statement(connection.dialect.name),
                                {"name": name, "year": year})
    return int(result.scalar_one())


def format_register_number(prefix: str, year: int, seq: int) -> str:
    """Return the readable register number, e.g. ADU/2026/000123."""
    return f"{prefix}/{year}/{seq:06d}"
