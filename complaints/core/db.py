"""Database helpers: UTC timestamps, SQLite tuning, write transactions that lock up front,
PostgreSQL reads in autocommit and rollbacks that keep the connection's prepared
statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

from complaints.extensions import db

_write_lock_wanted: ContextVar[bool] = ContextVar("write_lock_wanted", default=False)
_in_write: ContextVar[bool] = ContextVar("in_write", default=False)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always returned as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not accepted; use complaints.core.clock.now()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:  # the fields as they are, in UTC (faster than replace())
            return datetime(value.year, value.month, value.day, value.hour, value.minute,
                            value.second, value.microsecond, UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect, coltype):
        """Return the conversion of each value read: the impl's, then process_result_value.

        As one function where the impl is SQLite's text parsed by datetime.fromisoformat:
        parsed with the UTC offset appended, the value is aware at once. TypeDecorator's
        chain of three calls and a datetime.replace() cost some 1 µs a value, and a page
        of the queue reads a hundred of them.
        """
        from sqlalchemy.engine import processors

        if self.impl_instance.result_processor(dialect, coltype) is not processors.str_to_datetime:
            return super().result_processor(dialect, coltype)
        convert = self.process_result_value
        parse_iso = datetime.fromisoformat

        def process(value):
            if value is None:
                return None
            try:  # naive UTC, as process_bind_param stores it
                read = parse_iso(value + "+00:00")
            except ValueError:  # an offset of its own (or not a timestamp: raises below)
                return convert(parse_iso(value), dialect)
            # A date alone takes no offset: read naive, converted as any other value.
            return read if read.tzinfo is not None else convert(read, dialect)

        return process


def _on_connect(dbapi_connection, connection_record):
    """Tune each new SQLite connection: WAL, busy timeout, foreign keys, manual BEGIN."""
    if not _is_sqlite_dbapi(dbapi_connection):
        return
    # pysqlite's own transaction handling would BEGIN late and deferred; we emit BEGIN.
    dbapi_connection.isolation_level = None
    from flask import current_app, has_app_context

    timeout = current_app.config["SQLITE_BUSY_TIMEOUT_MS"] if has_app_context() else 30000
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _is_sqlite_dbapi(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def _on_begin(conn):
    """Start SQLite transactions ourselves: IMMEDIATE inside a write transaction.

    On psycopg, a transaction begun outside write_transaction() reads in autocommit until
    its first write (see _before_statement): each read then costs no BEGIN, and the end
    of the request no COMMIT or ROLLBACK, two round trips of the server fewer. Under
    PostgreSQL's READ COMMITTED every statement sees a snapshot of its own inside a
    transaction too, so the reads see the same rows either way.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_lock_wanted.get() else "BEGIN")
    elif conn.dialect.driver == "psycopg" and _manages_autocommit(conn):
        info = conn.info
        dbapi_connection = conn.connection.dbapi_connection
        if _MANAGED not in info:
            # A connection its owner put in autocommit for good is left as it is.
            info[_MANAGED] = not dbapi_connection.autocommit
        if info[_MANAGED]:
            _set_autocommit(dbapi_connection, not _write_lock_wanted.get())


# The key, in a pooled connection's info, that says whether _on_begin switches its autocommit.
_MANAGED = "complaints.reads_in_autocommit"


def _manages_autocommit(conn) -> bool:
    """Whether the reads of conn's transactions may run in autocommit: not when anyone
    chose an isolation level (the engine's, or the connection's own)."""
    return (conn.dialect.isolation_level is None
            and "isolation_level" not in conn.get_execution_options())


def _set_autocommit(dbapi_connection, on: bool) -> None:
    """Switch a psycopg connection's autocommit when it is idle (it must be to switch)."""
    if dbapi_connection.autocommit is not on and not dbapi_connection.info.transaction_status:
        dbapi_connection.autocommit = on  # transaction_status 0: IDLE


# Whether a statement only reads: by its text, as the driver gets it (bounded memo).
_READS: dict[str, bool] = {}
_LOCKS = ("FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE")


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


def _before_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    """Begin the real transaction on psycopg before the first statement that is no read.

    Reads of a transaction outside write_transaction() run in autocommit (_on_begin).
    A write there (a flush outside write_transaction(), a row lock, a savepoint) turns
    autocommit off first, so that it and every statement after it are one transaction,
    committed or rolled back as the session says. A statement marked as one of its own
    (single_statement()) runs in autocommit as it is.
    """
    if conn.dialect.driver != "psycopg" or _single.get():
        return
    dbapi_connection = cursor.connection
    if (dbapi_connection.autocommit and not _only_reads(statement)
            and conn.info.get(_MANAGED) and _manages_autocommit(conn)):
        _set_autocommit(dbapi_connection, False)


_single: ContextVar[bool] = ContextVar("single_statement", default=False)


def _rollback_keeping_prepared(dbapi_connection) -> None:
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


def _on_rollback(conn) -> None:
    """A Connection's rollback, before the driver's (see _rollback_keeping_prepared)."""
    if conn.dialect.driver == "psycopg" and not conn.closed and not conn.invalidated:
        _rollback_keeping_prepared(conn.connection.dbapi_connection)


def _on_reset(dbapi_connection, connection_record, reset_state) -> None:
    """A connection given back to the pool inside a transaction, before its rollback."""
    _rollback_keeping_prepared(dbapi_connection)


def init_app(app) -> None:
    """Install the engine and session event handlers once per process."""
    from complaints.core import files

    files.init_app(app)
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
        event.listen(Engine, "begin", _on_begin)
        event.listen(Engine, "before_cursor_execute", _before_statement)
        event.listen(Engine, "rollback", _on_rollback)
        event.listen(Pool, "reset", _on_reset)


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block as one transaction that takes the write lock first, then commit.

    On SQLite a transaction that reads and then writes fails with "database is locked"
    when another writer got in between; taking the lock at BEGIN makes writers queue
    on the busy timeout instead. Nested use joins the outer transaction.
    """
    if _in_write.get():
        yield
        return
    session = db.session()  # the real Session behind the scoped proxy
    if session.in_transaction():
        # Close the read transaction a request may have opened (e.g. loading the user).
        session.commit()
    lock_token = _write_lock_wanted.set(True)
    in_token = _in_write.set(True)
    try:
        session.connection()  # BEGIN (IMMEDIATE on SQLite) now, before any read
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _in_write.reset(in_token)
        _write_lock_wanted.reset(lock_token)


def transactional(fn):
    """Decorate a service function so that it runs inside write_transaction()."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        with write_transaction():
            return fn(*args, **kwargs)

    return wrapper


def utcnow_default() -> datetime:
    """Column default: the application clock."""
    from complaints.core import clock

    return clock.now()


def autocommit_rows(sql: str, params: tuple = (), then: tuple[str, tuple] | None = None) -> list:
    """Run one read in autocommit on a pooled connection and return its rows.

    sql is in the "?" parameter style and is converted for the driver. No transaction is
    begun and ended around it: a session's own would cost a BEGIN and a ROLLBACK or COMMIT
    more (two round trips on PostgreSQL). then: an optional statement run afterwards on
    the same connection, on its own (its rows are not returned).
    """
    with _autocommit_cursor() as cursor:
        cursor.execute(driver_sql(sql), params)
        rows = list(cursor.fetchall())
        if then is not None:
            cursor.execute(driver_sql(then[0]), then[1])
        return rows


@contextmanager
def _autocommit_cursor() -> Iterator[Any]:
    """Yield a cursor of a pooled connection in autocommit; give the connection back after."""
    connection = db.engine.raw_connection()
    dbapi: Any = connection.dbapi_connection
    # SQLite connections are in autocommit already (_on_connect; we emit BEGIN ourselves).
    plain = not _is_sqlite_dbapi(dbapi)
    try:
        if plain:
            dbapi.autocommit = True
        cursor = connection.cursor()
        yield cursor
        cursor.close()
    finally:
        if plain:
            dbapi.autocommit = False
        connection.close()  # back to the pool


# INSERT statements of autocommit_insert, by (table, columns, dialect): built once.
_INSERTS: dict[tuple, tuple[str, list]] = {}


def autocommit_insert(table: Any, values: dict) -> None:
    """Insert one row that is committed at once, leaving the request's loaded rows be.

    For rows that are written whatever the request does next, such as an audit line.
    Inside a write transaction the row joins it instead (on SQLite a second connection
    would wait for our own lock). Otherwise, when the request's transaction has only
    read (see _read_only_transaction), it ends with the row: on PostgreSQL the INSERT
    runs on its connection (in autocommit, as its reads did; see _on_begin) and the
    transaction ends, which costs no second connection (its checkout and ping);
    on SQLite it commits first (see _commit_keeping_rows for why) and the INSERT runs as
    a statement of its own, atomic by itself, on a pooled connection in autocommit, as
    it does on both engines beside a transaction with changes of its own. Column types
    convert the values as in any SQLAlchemy insert (timestamps, JSON).
    """
    if _in_write.get():
        db.session.execute(table.insert(), values)
        return
    dialect = db.engine.dialect
    key = (table.name, tuple(values), dialect.name)
    plan = _INSERTS.get(key)
    if plan is None:
        quote = dialect.identifier_preparer.quote
        columns = [table.c[name] for name in values]
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)})"
               f" VALUES ({', '.join('?' * len(columns))})")
        plan = _INSERTS[key] = (driver_sql(sql), [_processor(c, dialect) for c in columns])
    sql, processors = plan
    params = tuple(value if convert is None else convert(value)
                   for convert, value in zip(processors, values.values(), strict=True))
    session = db.session()
    if _read_only_transaction(session):
        if dialect.name != "sqlite":
            # In autocommit when the transaction only read (psycopg; see _on_begin), else
            # in the transaction, committed with it.
            token = _single.set(True)
            try:
                session.connection().exec_driver_sql(sql, params)
            finally:
                _single.reset(token)
            _commit_keeping_rows(session)
            return
        _commit_keeping_rows(session)
    with _autocommit_cursor() as cursor:
        cursor.execute(sql, params)


def _read_only_transaction(session) -> bool:
    """Whether the session is in a transaction that has only read, as far as it knows.

    Not when it has changes (new, changed or deleted rows), files pending (core.files)
    or a savepoint: those are the request's own business. Writes go through
    write_transaction(), so a transaction outside one has only read.
    """
    from complaints.core import files

    return (session.in_transaction() and session.get_nested_transaction() is None
            and not (session.new or session.dirty or session.deleted)
            and not files.pending_paths(session))


def _commit_keeping_rows(session) -> None:
    """Commit the session's transaction without expiring its loaded rows.

    On SQLite, before the autocommit INSERT: in WAL mode a commit past the log's
    checkpoint size copies the log back into the database, but only up to the oldest
    open read transaction. With the request's own read transaction open at every audit
    INSERT, the newest frames were never copied, the log was never restarted and grew by
    every page, and each commit paid for another checkpoint (an INSERT 0.3 ms instead of
    0.03 ms on the bench's 1,000,000-complaint file).
    """
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def _processor(column: Any, dialect: Any):
    """Return the column's value conversion for this driver (the dialect's own type)."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def driver_sql(sql: str) -> str:
    """Return a "?"-style statement in the driver's parameter style ("?" or "%s")."""
    return sql if db.engine.dialect.paramstyle == "qmark" else sql.replace("?", "%s")


def dialect_insert(name: str):
    """Return the INSERT … ON CONFLICT construct of PostgreSQL or else SQLite.

    Imported here on demand: the PostgreSQL dialect costs start-up time on SQLite.
    """
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert
