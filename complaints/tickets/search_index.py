"""Trigram indexes that make the queue's free-text search fast on PostgreSQL.

The search is `ILIKE '%word%'` over a complaint's text and identity columns (see
queries.search_clause). PostgreSQL answers it from GIN indexes of the pg_trgm extension;
SQLite has no such index and scans, which is fine at the sizes SQLite is meant for. The
indexes live outside the models (autogenerate cannot express them): revision 0002 creates
them for migrated databases, the hook below for `create_all` (tests, quick set-ups).
"""

from __future__ import annotations

from sqlalchemy import event, text

from complaints.extensions import db

PREFIX = "ix_trgm_"
COLUMNS = ("summary", "body", "complainant_name", "complainant_phone", "complainant_email")


def is_managed_here(name: str | None) -> bool:
    """Return whether a database object is one of these indexes (not the models')."""
    return bool(name and name.startswith(PREFIX))


def statements() -> list[str]:
    """Return the DDL that creates the extension and the indexes (idempotent)."""
    return ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
        f"CREATE INDEX IF NOT EXISTS {PREFIX}complaint_{column} "
        f"ON complaint USING gin ({column} gin_trgm_ops)"
        for column in COLUMNS
    ]


@event.listens_for(db.metadata, "after_create")
def _create(target, connection, **_kw) -> None:
    """Create the indexes after `create_all` on PostgreSQL."""
    if connection.dialect.name == "postgresql" and "complaint" in target.tables:
        for statement in statements():
            connection.execute(text(statement))
