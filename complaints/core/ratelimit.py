"""A rate-limit storage in a SQL database, so limits hold across gunicorn workers and hosts.

Flask-Limiter's "memory://" storage counts per process: with four workers a limit of
five becomes twenty. This storage keeps the fixed-window counters in a table of the
application's database (RATELIMIT_STORAGE_URI = "database://", the default) or of any
other SQLAlchemy database ("db+sqlite:////path/limits.sqlite3", "db+postgresql+psycopg://…").
Each hit is one atomic INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and
PostgreSQL alike; each read is one SELECT. The statements are plain SQL on the driver's
connection in autocommit mode: a limited request does about eight of them, and building
and compiling SQLAlchemy statements for each cost more than the database work.
Within a request the storage keeps one connection and remembers the rows it read or
wrote, so the response headers (remaining hits, reset time) need no further query.
"""

from __future__ import annotations

import random
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask, current_app, g, has_request_context
from limits.storage import Storage
from sqlalchemy import Float, Integer, String, Table, create_engine, delete, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.pool import StaticPool

from complaints.core import clock
from complaints.extensions import Model

APP_DATABASE = "database://"
PREFIX = "db+"
PURGE_CHANCE = 0.01  # how often a hit also deletes long-expired counters
EXTENSION = "complaints.ratelimit"  # app.extensions key: per-request connections are released

SELECT_ROW = "SELECT count, expires_at FROM rate_limit_counter WHERE key = ?"
# One statement for one or more counters ({rows}: "(?, ?, ?)" each, key, hits, window end):
# a new counter, or the next hits in the window, or a new window. The two "?" after the
# rows are now (in seconds since the epoch), twice.
UPSERT_MANY = (
    "INSERT INTO rate_limit_counter (key, count, expires_at) VALUES {rows} "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN rate_limit_counter.expires_at <= ? THEN excluded.count "
    "ELSE rate_limit_counter.count + excluded.count END, "
    "expires_at = CASE WHEN rate_limit_counter.expires_at <= ? THEN excluded.expires_at "
    "ELSE rate_limit_counter.expires_at END "
    "RETURNING key, count, expires_at"
)
UPSERT = UPSERT_MANY.format(rows="(?, ?, ?)")
PURGE = "DELETE FROM rate_limit_counter WHERE expires_at < ?"


class RateLimitCounter(Model):
    """One fixed-window counter of the rate limiter."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch


TABLE: Table = RateLimitCounter.__table__  # type: ignore[assignment]


def _now() -> float:
    return clock.now().timestamp()


def _autocommit(dbapi_connection, connection_record) -> None:
    """Let every statement commit itself: one statement is one atomic operation here."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
    else:
        dbapi_connection.autocommit = True


@dataclass
class _RequestSlot:
    """The connection and the counters seen during one request."""

    connection: object | None = None
    rows: dict[str, tuple[int, float] | None] = field(default_factory=dict)


class DatabaseStorage(Storage):
    """Fixed-window counters in a SQL table (see the module docstring)."""

    STORAGE_SCHEME = ["db+sqlite", "db+postgresql", "db+postgresql+psycopg"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        url = (uri or "").removeprefix(PREFIX)
        kwargs: dict = {"pool_pre_ping": True}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        self.engine = create_engine(url, **kwargs)
        event.listen(self.engine, "connect", _autocommit)
        # The statements are written with "?"; psycopg takes "%s".
        qmark = self.engine.dialect.paramstyle == "qmark"
        self._sql = {
            name: sql if qmark else sql.replace("?", "%s")
            for name, sql in (("select", SELECT_ROW), ("upsert", UPSERT), ("purge", PURGE))
        }
        self._ready = False
        self._lock = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return (SQLAlchemyError, self.engine.dialect.loaded_dbapi.Error)

    def _ensure_table(self) -> None:
        if self._ready:
            return
        with self._lock:
            TABLE.create(self.engine, checkfirst=True)
            self._ready = True

    def _slot(self) -> _RequestSlot | None:
        """Return this request's connection and rows (None outside a request of our app)."""
        if not has_request_context() or EXTENSION not in current_app.extensions:
            return None
        slots = g.setdefault("_ratelimit_slots", {})
        return slots.setdefault(id(self), _RequestSlot())

    @contextmanager
    def _cursor(self, slot: _RequestSlot | None):
        """Yield a cursor on the request's connection, or on a connection of its own."""
        self._ensure_table()
        if slot is not None and slot.connection is None:
            slot.connection = self.engine.raw_connection()
        connection = slot.connection if slot is not None else self.engine.raw_connection()
        cursor = connection.cursor()  # type: ignore[attr-defined]
        try:
            yield cursor
        finally:
            cursor.close()
            if slot is None:
                connection.close()  # type: ignore[attr-defined]  # back to the pool

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count a hit in the key's window (a new window when the old one expired)."""
        now = _now()
        slot = self._slot()
        with self._cursor(slot) as cursor:
            cursor.execute(self._sql["upsert"], (key, amount, now + expiry, now, now))
            _, count, expires_at = cursor.fetchall()[0]  # fetchall: SQLite ends the statement
            if random.random() < PURGE_CHANCE:
                cursor.execute(self._sql["purge"], (now - 3600,))
        if slot is not None:
            slot.rows[key] = (int(count), float(expires_at))
        return int(count)

    def _row(self, key: str) -> tuple[int, float] | None:
        slot = self._slot()
        if slot is not None and key in slot.rows:
            return slot.rows[key]
        with self._cursor(slot) as cursor:
            cursor.execute(self._sql["select"], (key,))
            found = cursor.fetchall()
        row = (int(found[0][0]), float(found[0][1])) if found else None
        if slot is not None:
            slot.rows[key] = row
        return row

    def get(self, key: str) -> int:
        """Return the hits in the key's current window (0 when none or expired)."""
        row = self._row(key)
        if row is None or row[1] <= _now():
            return 0
        return row[0]

    def get_expiry(self, key: str) -> float:
        """Return when the key's window ends (now when there is none)."""
        row = self._row(key)
        now = _now()
        if row is None or row[1] <= now:
            return now
        return row[1]

    def check(self) -> bool:
        """Return whether the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def _forget(self, key: str | None = None) -> None:
        slot = self._slot()
        if slot is None:
            return
        if key is None:
            slot.rows.clear()
        else:
            slot.rows.pop(key, None)

    def reset(self) -> int | None:
        """Delete every counter; return how many there were."""
        self._ensure_table()
        self._forget()
        with self.engine.begin() as conn:
            return conn.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        """Delete the key's counter."""
        self._ensure_table()
        self._forget(key)
        with self.engine.begin() as conn:
            conn.execute(delete(TABLE).where(TABLE.c.key == key))


def release(exc: BaseException | None = None) -> None:
    """Give the request's rate-limit connections back to their pools."""
    for slot in g.pop("_ratelimit_slots", {}).values():
        if slot.connection is not None:
            slot.connection.close()


def configure(app: Flask) -> None:
    """Point "database://" (the default storage) at the application's own database."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or APP_DATABASE
    if uri == APP_DATABASE:
        uri = PREFIX + app.config["SQLALCHEMY_DATABASE_URI"]
    app.config["RATELIMIT_STORAGE_URI"] = uri
    app.extensions[EXTENSION] = True
    app.teardown_request(release)
