"""core.db.autocommit_insert: one row as a statement of its own, on both databases."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, select

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


def test_it_is_committed_at_once_and_leaves_the_session_as_it_was(ctx, factory):
    user_id = factory.user(username="siti").id
    db.session.remove()
    user = db.session.get(User, user_id)  # the request's read transaction, a loaded row
    autocommit_insert(TABLE, row("at_once", user_id=user_id))
    assert len(stored("at_once")) == 1  # visible to any other connection already
    assert db.session().in_transaction()  # the read transaction was not ended
    assert not inspect(user).expired_attributes  # nor the loaded row expired
    db.session.rollback()
    assert len(stored("at_once")) == 1  # and the session's rollback does not undo it


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
