"""trigram indexes for the queue's free-text search (PostgreSQL only)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The queue searches with ILIKE '%word%'. On PostgreSQL, GIN indexes of the pg_trgm
extension answer that without reading every complaint. pg_trgm is a trusted extension:
the owner of the database may create it. Where it is not available, or the migrating role
may not create it, this revision logs a warning and leaves search unindexed (still
correct, slower); `flask db downgrade 0001 && flask db upgrade` adds it once it can.
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

COLUMNS = ("summary", "body", "complainant_name", "complainant_phone", "complainant_email")
log = logging.getLogger("alembic.runtime.migration")


def _can_index(bind) -> bool:
    installed = bind.execute(sa.text(
        "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first()
    if installed:
        return True
    available = bind.execute(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first()
    allowed = bind.execute(sa.text(
        "SELECT has_database_privilege(current_database(), 'CREATE')")).scalar()
    if not (available and allowed):
        log.warning("pg_trgm is not available to this role: queue search stays unindexed")
        return False
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    return True


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _can_index(bind):
        return
    for column in COLUMNS:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_trgm_complaint_{column} "
                   f"ON complaint USING gin ({column} gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_trgm_complaint_{column}")
