"""PostgreSQL (psycopg) connections: reads in autocommit, rollbacks that keep the
connection's prepared statements. Installed as engine events by core.db.init_app.

A transaction begun outside write_transaction() reads in autocommit until its first
statement that is no plain read: each read then costs no BEGIN, and the end of the
request no COMMIT or ROLLBACK, two round trips of the server fewer. Under PostgreSQL's
READ COMMITTED every statement sees a snapshot of its own inside a transaction too, so
the reads see the same rows either way. psycopg is imported here only on demand: SQLite
installs never load it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

# The key, in a pooled connection's info, that says whether on_begin switches its autocommit.
_MANAGED = "complaints.reads_in_autocommit"
_single: ContextVar[bool] = ContextVar("single_statement", default=False)

# Whether a statement only reads: by its text, as the driver gets it (bounded memo).
_READS: dict[str, bool] = {}
_LOCKS = ("FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE")


def on_begin(conn, writes: bool) -> None:
    """A psycopg Connection's transaction begins: in autocommit unless it writes."""
    if not _manages_autocommit(conn):
        return
    info = conn.info
    dbapi_connection = conn.connection.dbapi_connection
    if _MANAGED not in info:
        # A connection its owner put in autocommit for good is left as it is.
        info[_MANAGED] = not dbapi_connection.autocommit
    if info[_MANAGED]:
        _set_autocommit(dbapi_connection, not writes)


def before_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    """Begin the real transaction on psycopg before the first statement that is no read.

    A write in a transaction that reads in autocommit (a flush outside
    write_transaction(), a row lock, a savepoint) turns autocommit off first, so that it
    and every statement after it are one transaction, committed or rolled back as the
    session says. A statement run under single_statement() runs as it is.
    """
    if conn.dialect.driver != "psycopg" or _single.get():
        return
    dbapi_connection = cursor.connection
    if (dbapi_connection.autocommit and not _only_reads(statement)
            and conn.info.get(_MANAGED) and _manages_autocommit(conn)):
        _set_autocommit(dbapi_connection, False)


@contextmanager
def single_statement() -> Iterator[None]:
    """Run the block's statements as they are: in autocommit when the transaction reads
    in autocommit (each atomic by itself), else in the transaction."""
    token = _single.set(True)
    try:
        yield
    finally:
        _single.reset(token)


def _manages_autocommit(conn) -> bool:
    """Whether the reads of conn's transactions may run in autocommit: not when anyone
    chose an isolation level (the engine's, or the connection's own)."""
    return (conn.dialect.isolation_level is None
            and "isolation_level" not in conn.get_execution_options())


def _set_autocommit(dbapi_connection, on: bool) -> None:
    """Switch a psycopg connection's autocommit when it is idle (it must be to switch)."""
    if dbapi_connection.autocommit is not on and not dbapi_connection.info.transaction_status:
        dbapi_connection.autocommit = on  # transaction_status 0: IDLE


def _only_reads(statement: str) -> bool:
    """Whether the statement is a plain SELECT: no write, no row lock, nothing held."""
    known = _READS.get(statement)
    if known is None:
        text = statement.lstrip().upper()
        known = text.startswith("SELECT") and not any(lock in text for lock in _LOCKS)
        if len(_READS) > 4096:
            _READS.clear()
        _READS[statement] = known
    return known


def rollback_keeping_prepared(dbapi_connection) -> None:
    """End a psycopg connection's clean transaction with a plain ROLLBACK.

    psycopg's rollback() forgets every statement it prepared on the connection (a
    statement prepared inside a failed transaction may not exist on the server). Every
    request that only reads ends with a rollback, so no statement would ever reach the
    five runs after which psycopg prepares it: each would be parsed and planned again on
    every request. Prepared statements are not transactional in PostgreSQL, so after a
    transaction without an error they are all still there; psycopg's rollback() then
    finds the connection idle and leaves them be. A failed transaction, or any error
    here, is left to psycopg's own rollback.
    """
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    from psycopg import Error
    from psycopg.pq import TransactionStatus

    # Idle (autocommit, or nothing begun), failed or closed: psycopg's rollback() alone.
    if dbapi_connection.info.transaction_status != TransactionStatus.INTRANS:
        return
    with suppress(Error):  # psycopg's rollback() comes next and reports (or recovers)
        dbapi_connection.execute("ROLLBACK", prepare=False)


def on_rollback(conn) -> None:
    """A Connection's rollback, before the driver's (see rollback_keeping_prepared)."""
    if conn.dialect.driver == "psycopg" and not conn.closed and not conn.invalidated:
        rollback_keeping_prepared(conn.connection.dbapi_connection)


def on_reset(dbapi_connection, connection_record, reset_state) -> None:
    """A connection given back to the pool inside a transaction, before its rollback."""
    rollback_keeping_prepared(dbapi_connection)
