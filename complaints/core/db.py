"""Database helpers: UTC timestamps, SQLite tuning, write transactions that lock up front,
one-statement reads and inserts in autocommit (PostgreSQL's connections: core.postgres)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

from complaints.core import postgres
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
    """Start SQLite transactions ourselves: IMMEDIATE inside a write transaction. On
    psycopg, read outside one in autocommit (core.postgres.on_begin)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_lock_wanted.get() else "BEGIN")
    elif conn.dialect.driver == "psycopg":
        postgres.on_begin(conn, writes=_write_lock_wanted.get())


def init_app(app) -> None:
    """Install the engine and session event handlers once per process."""
    from complaints.core import files

    files.init_app(app)
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
        event.listen(Engine, "begin", _on_begin)
        event.listen(Engine, "before_cursor_execute", postgres.before_statement)
        event.listen(Engine, "rollback", postgres.on_rollback)
        event.listen(Pool, "reset", postgres.on_reset)


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
    runs on its connection (in autocommit, as its reads did; see core.postgres) and the
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
            # In autocommit when the transaction only read (core.postgres), else in the
            # transaction, committed with it.
            with postgres.single_statement():
                session.connection().exec_driver_sql(sql, params)
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
