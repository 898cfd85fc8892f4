"""core.db.autocommit_insert: one row as a statement of its own, on both databases."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, inspect, select

from complaints.accounts.models import AuditLog, User
from complaints.core.db import autocommit_insert, write_transaction
from complaints.extensions import db

pytestmark = pytest.mark.both_db

TABLE = AuditLog.__table__
AT = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)


def row(action: str, **extra) -> dict:
    return {"at": AT, "user_id": None, "username": "budi", "action": action,
            "object_type": "complaint", "object_id": 7, "ip": None,
            "detail": {"where": "queue", "ids": [3, 1, 2]}, **extra}


def stored(action: str) -> list[AuditLog]:
    with db.engine.connect() as conn:  # another connection: only committed rows count
        return list(conn.execute(select(TABLE).where(TABLE.c.action == action)))


def test_the_row_is_stored_with_its_columns_converted_as_sqlalchemy_would(ctx):
    autocommit_insert(TABLE, row("converted"))
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "converted"))
    assert entry.at == AT  # the UTC timestamp type, aware again when read
    assert entry.detail == {"where": "queue", "ids": [3, 1, 2]}  # JSON
    assert (entry.username, entry.object_type, entry.object_id) == ("budi", "complaint", 7)


def test_it_is_committed_at_once_and_leaves_the_sessions_rows_as_they_were(ctx, factory):
    user_id = factory.user(username="siti").id
    db.session.remove()
    user = db.session.get(User, user_id)  # the request's read transaction, a loaded row
    autocommit_insert(TABLE, row("at_once", user_id=user_id))
    assert len(stored("at_once")) == 1  # visible to any other connection already
    assert not db.session().in_transaction()  # the read transaction ended with the row
    assert not inspect(user).expired_attributes  # the loaded row is not expired
    assert user.username == "siti"
    db.session.rollback()
    assert len(stored("at_once")) == 1  # and the session's rollback does not undo it


def test_on_postgresql_the_row_is_written_on_the_sessions_own_connection(ctx, factory):
    user_id = factory.user(username="siti").id
    db.session.remove()
    db.session.get(User, user_id)  # the request's read transaction
    checkouts = []

    def checkout(*args):
        checkouts.append(args)

    event.listen(db.engine.pool, "checkout", checkout)
    try:
        autocommit_insert(TABLE, row("joined_read"))
    finally:
        event.remove(db.engine.pool, "checkout", checkout)
    assert len(stored("joined_read")) == 1
    postgresql = db.engine.dialect.name == "postgresql"
    # PostgreSQL: on the session's own connection, in autocommit as its reads were.
    # SQLite: committed first, then on a pooled connection in autocommit (the session's,
    # given back by the commit).
    assert len(checkouts) == (0 if postgresql else 1)


def wal_bytes() -> int:
    wal = Path(db.engine.url.database + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_pages_that_audit_let_the_sqlite_log_be_checkpointed_and_restarted(ctx, factory):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the write-ahead log of SQLite")
    user_id = factory.user(username="siti").id
    db.session.remove()
    for i in range(1500):  # as many pages: each reads in its session, then audits
        db.session.get(User, user_id)
        autocommit_insert(TABLE, row("page", object_id=i))
        db.session.remove()
    # With the page's own read transaction open at each commit, the checkpoint after it
    # could never copy the newest frames back, the log was never restarted and grew by
    # some 14 KiB a page (20 MB here), each commit paying for a checkpoint again.
    pages = db.session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert wal_bytes() < 2 * pages * 4096
    assert len(stored("page")) == 1500


def test_a_session_with_changes_of_its_own_is_left_in_its_transaction(ctx, factory):
    user_id = factory.user(username="siti").id
    db.session.remove()
    user = db.session.get(User, user_id)  # read in the session's transaction
    user.full_name = "Siti Changed"  # a change not flushed
    autocommit_insert(TABLE, row("beside_changes"))
    assert db.session().in_transaction()
    assert len(stored("beside_changes")) == 1
    db.session.rollback()
    assert db.session.get(User, user_id).full_name != "Siti Changed"  # never committed


def test_a_session_with_files_pending_is_left_in_its_transaction(ctx, tmp_path):
    from complaints.core import files

    path = tmp_path / "upload.bin"
    path.write_bytes(b"x")
    files.track(db.session(), path)  # written, its row not committed yet
    autocommit_insert(TABLE, row("beside_files"))
    assert db.session().in_transaction()
    db.session.rollback()
    assert not os.path.exists(path)  # still deleted with the rollback, not kept


def test_inside_a_write_transaction_it_joins_it(ctx):
    with pytest.raises(RuntimeError), write_transaction():
        autocommit_insert(TABLE, row("joined"))
        raise RuntimeError("the transaction fails")
    assert stored("joined") == []  # rolled back with it (no second connection waited)
    with write_transaction():
        autocommit_insert(TABLE, row("joined"))
    assert len(stored("joined")) == 1


def test_the_statement_is_built_once_per_table_and_columns(ctx):
    from complaints.core import db as core_db

    autocommit_insert(TABLE, row("built_once"))
    plans = dict(core_db._INSERTS)
    autocommit_insert(TABLE, row("built_once"))
    assert plans == core_db._INSERTS
    assert len(stored("built_once")) == 2
