"""A rate-limit storage in a SQL database, so limits hold across gunicorn workers and hosts.

Flask-Limiter's "memory://" storage counts per process: with four workers a limit of
five becomes twenty. This storage keeps the fixed-window counters in a table of the
application's database (RATELIMIT_STORAGE_URI = "database://", the default) or of any
other SQLAlchemy database ("db+sqlite:////path/limits.sqlite3", "db+postgresql+psycopg://…").
Each hit is one atomic INSERT … ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import random
import threading

from flask import Flask
from limits.storage import Storage
from sqlalchemy import Float, Integer, String, Table, case, create_engine, delete, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.pool import StaticPool

from complaints.core import clock
from complaints.core.db import dialect_insert
from complaints.extensions import Model

APP_DATABASE = "database://"
PREFIX = "db+"
PURGE_CHANCE = 0.01  # how often a hit also deletes long-expired counters


class RateLimitCounter(Model):
    """One fixed-window counter of the rate limiter."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch


TABLE: Table = RateLimitCounter.__table__  # type: ignore[assignment]


def _now() -> float:
    return clock.now().timestamp()


class DatabaseStorage(Storage):
    """Fixed-window counters in a SQL table (see the module docstring)."""

    STORAGE_SCHEME = ["db+sqlite", "db+postgresql", "db+postgresql+psycopg"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        url = (uri or "").removeprefix(PREFIX)
        kwargs: dict = {"pool_pre_ping": True}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        self.engine = create_engine(url, **kwargs)
        self._ready = False
        self._lock = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def _ensure_table(self) -> None:
        if self._ready:
            return
        with self._lock:
            TABLE.create(self.engine, checkfirst=True)
            self._ready = True

    def _upsert(self, key: str, expiry: int, amount: int, now: float):
        name = self.engine.dialect.name
        insert = dialect_insert("sqlite" if name == "sqlite" else "postgresql")
        expired = TABLE.c.expires_at <= now
        stmt = insert(TABLE).values(key=key, count=amount, expires_at=now + expiry)
        stmt = stmt.on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={
                "count": _case(expired, amount, TABLE.c.count + amount),
                "expires_at": _case(expired, now + expiry, TABLE.c.expires_at),
            },
        )
        return stmt.returning(TABLE.c.count)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count a hit in the key's window (a new window when the old one expired)."""
        self._ensure_table()
        now = _now()
        with self.engine.begin() as conn:
            count = conn.execute(self._upsert(key, expiry, amount, now)).scalar_one()
            if random.random() < PURGE_CHANCE:
                conn.execute(delete(TABLE).where(TABLE.c.expires_at < now - 3600))
        return int(count)

    def _row(self, key: str):
        self._ensure_table()
        with self.engine.connect() as conn:
            return conn.execute(
                select(TABLE.c.count, TABLE.c.expires_at).where(TABLE.c.key == key)
            ).first()

    def get(self, key: str) -> int:
        """Return the hits in the key's current window (0 when none or expired)."""
        row = self._row(key)
        if row is None or row.expires_at <= _now():
            return 0
        return int(row.count)

    def get_expiry(self, key: str) -> float:
        """Return when the key's window ends (now when there is none)."""
        row = self._row(key)
        now = _now()
        if row is None or row.expires_at <= now:
            return now
        return float(row.expires_at)

    def check(self) -> bool:
        """Return whether the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        """Delete every counter; return how many there were."""
        self._ensure_table()
        with self.engine.begin() as conn:
            return conn.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        """Delete the key's counter."""
        self._ensure_table()
        with self.engine.begin() as conn:
            conn.execute(delete(TABLE).where(TABLE.c.key == key))


def _case(condition, if_true, if_false):
    return case((condition, if_true), else_=if_false)


def configure(app: Flask) -> None:
    """Point "database://" (the default storage) at the application's own database."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or APP_DATABASE
    if uri == APP_DATABASE:
        uri = PREFIX + app.config["SQLALCHEMY_DATABASE_URI"]
    app.config["RATELIMIT_STORAGE_URI"] = uri
