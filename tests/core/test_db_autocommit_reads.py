"""core.db on PostgreSQL: a transaction outside write_transaction() reads in autocommit.

Each read then costs no BEGIN and the request's end no ROLLBACK or COMMIT. The first
statement that is no plain read (a write, a row lock, a savepoint) begins the real
transaction, so what the session writes is still one transaction, undone by its rollback.
Connections that someone else put in autocommit, or gave an isolation level, are left
as they are.
"""

from contextlib import contextmanager
from pathlib import Path

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine, event, select, text

from complaints.accounts.models import AuditLog, User
from complaints.core import clock
from complaints.core.db import autocommit_insert, write_transaction
from complaints.extensions import db

pytestmark = pytest.mark.postgresql_only

TABLE = AuditLog.__table__


def server_status():
    """Return the server's transaction status on the session's connection."""
    return db.session.connection().connection.dbapi_connection.info.transaction_status


@contextmanager
def protocol_trace(tmp_path):
    """Yield a list, filled at the end with the simple queries (BEGIN, COMMIT …) that
    libpq sent on every connection checked out meanwhile and the server's transaction
    status after each statement ("ready:I" idle, "ready:T" in a transaction), from
    libpq's own protocol trace."""
    traced, queries = [], []

    def checkout(dbapi_connection, record, proxy):
        out = open(tmp_path / f"trace-{len(traced)}.txt", "w")  # noqa: SIM115
        traced.append((dbapi_connection, out))
        dbapi_connection.pgconn.trace(out.fileno())

    event.listen(db.engine.pool, "checkout", checkout)
    try:
        yield queries
    finally:
        event.remove(db.engine.pool, "checkout", checkout)
        for dbapi_connection, out in traced:
            dbapi_connection.pgconn.untrace()
            out.close()
            for line in Path(out.name).read_text().splitlines():
                fields = line.split("\t")  # when, F(rontend) or B(ackend), length, message
                if len(fields) > 4 and fields[1] == "F" and fields[3] == "Query":
                    queries.append(fields[4].strip().strip('"'))
                elif len(fields) > 4 and fields[1] == "B" and fields[3] == "ReadyForQuery":
                    queries.append(f"ready:{fields[4].strip()}")  # I idle, T in a transaction


def stored(action: str) -> int:
    with db.engine.connect() as conn:  # another connection: only committed rows count
        return len(conn.execute(select(TABLE.c.id).where(TABLE.c.action == action)).all())


def test_reads_outside_a_write_transaction_open_no_transaction_on_the_server(ctx, factory):
    user_id = factory.user(username="siti").id
    db.session.remove()
    assert db.session.get(User, user_id).username == "siti"
    db.session.scalar(select(AuditLog.id))
    assert db.session().in_transaction()  # as far as the session knows
    assert server_status() == TransactionStatus.IDLE  # no BEGIN was sent
    db.session.remove()


def test_a_write_there_begins_the_transaction_and_the_rollback_undoes_it(ctx, factory):
    factory.user(username="siti")
    db.session.remove()
    db.session.scalar(select(User.id))  # read in autocommit
    db.session.execute(TABLE.insert(), {"username": "budi", "action": "undone"})
    assert server_status() == TransactionStatus.INTRANS
    db.session.execute(TABLE.insert(), {"username": "budi", "action": "undone"})
    assert stored("undone") == 0  # not committed yet
    db.session.rollback()
    assert stored("undone") == 0
    db.session.execute(TABLE.insert(), {"username": "budi", "action": "kept"})
    db.session.commit()
    assert stored("kept") == 1
    assert server_status() == TransactionStatus.IDLE  # the next transaction reads again


def test_a_flush_of_new_rows_is_one_transaction_with_what_follows(ctx):
    db.session.add(AuditLog(username="budi", action="flushed"))
    db.session.flush()
    assert server_status() == TransactionStatus.INTRANS
    db.session.rollback()
    assert stored("flushed") == 0


def test_a_row_lock_is_held_in_a_transaction_until_the_session_ends(ctx, factory):
    user_id = factory.user(username="siti").id
    db.session.remove()
    db.session.execute(select(User).where(User.id == user_id).with_for_update())
    assert server_status() == TransactionStatus.INTRANS
    db.session.rollback()


def test_a_write_transaction_is_one_transaction_from_its_first_read(ctx):
    with write_transaction():
        db.session.scalar(select(User.id))
        assert server_status() == TransactionStatus.INTRANS


def test_a_read_only_request_sends_neither_begin_nor_its_end(ctx, factory, tmp_path):
    user_id = factory.user(username="siti").id
    db.session.remove()
    with protocol_trace(tmp_path) as queries:
        db.session.get(User, user_id)  # as a page: the logged-in user, its rows
        db.session.scalar(select(AuditLog.id))
        autocommit_insert(TABLE, {"at": clock.now(), "username": "siti", "action": "page"})
        db.session.remove()  # the end of the request
    assert stored("page") == 1
    assert "BEGIN" not in queries and "COMMIT" not in queries and "ROLLBACK" not in queries
    assert queries.count("ready:I") >= 3 and "ready:T" not in queries  # never in one


def test_connections_kept_in_autocommit_by_their_owner_stay_so(ctx):
    engine = create_engine(db.engine.url)

    def own(dbapi_connection, record):
        dbapi_connection.autocommit = True

    event.listen(engine, "connect", own)
    try:
        with engine.begin() as conn:  # a write there begins no transaction of ours
            conn.execute(TABLE.delete().where(TABLE.c.action == "nothing"))
            assert conn.connection.dbapi_connection.autocommit is True
        raw = engine.raw_connection()
        assert raw.dbapi_connection.autocommit is True
        raw.close()
    finally:
        engine.dispose()


def test_an_isolation_level_chosen_by_the_caller_is_left_as_it_is(ctx):
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(TABLE.insert(), {"username": "budi", "action": "autocommitted"})
        assert conn.connection.dbapi_connection.info.transaction_status == (
            TransactionStatus.IDLE)
        conn.rollback()
    assert stored("autocommitted") == 1
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        conn.execute(text("SELECT 1"))
        assert conn.connection.dbapi_connection.info.transaction_status == (
            TransactionStatus.INTRANS)  # a snapshot of its own: a real transaction
        conn.rollback()
