"""The public submission quota, counted in the application database with the complaint.

A complaint filed on the web form or through the public API counts against fixed-window
limits per client address (PUBLIC_SUBMIT_LIMIT_IP) and per email and per phone
(PUBLIC_SUBMIT_LIMIT_CONTACT). The counters are rows of rate_limit_counter (the table of
complaints.core.ratelimit), keyed by an HMAC pseudonym, never the address itself, in the
key format Flask-Limiter used for these routes, so running windows carry over.

check() reads every counter of a submission in one SELECT (autocommit) before the form is
validated and refuses when one is at its limit; now and then it also deletes counters
expired an hour ago. hit() counts them all in one INSERT … ON CONFLICT
… RETURNING inside the complaint's own write transaction: a submission that fails or is
refused counts nothing, and when concurrent submissions push a count above its limit,
QuotaExceeded rolls that complaint back, so no limit is ever exceeded. Off when
RATELIMIT_ENABLED is false (the testing configuration).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from flask import current_app, g, has_app_context
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests

from complaints.core import clock
from complaints.core.db import autocommit_rows, driver_sql
from complaints.core.ratelimit import PURGE, PURGE_CHANCE, UPSERT_MANY
from complaints.extensions import db

WINDOWS_KEY = "_submission_quota"  # g: the windows of this request, for the headers
HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After")
SELECT = "SELECT key, count, expires_at FROM rate_limit_counter WHERE key IN ({keys})"


@dataclass(frozen=True)
class Counter:
    """One limit of a submission: the counter's key and its rate."""

    key: str
    limit: RateLimitItem


@dataclass(frozen=True)
class Window:
    """A counter's state: submissions counted in its window and when the window ends."""

    counter: Counter
    used: int
    reset: float

    @property
    def remaining(self) -> int:
        return max(0, self.counter.limit.amount - self.used)


class QuotaExceeded(TooManyRequests):
    """A limit is reached; answered as 429 (the description names the limit, as before)."""

    def __init__(self, windows: list[Window]):
        super().__init__(description=str(windows[0].counter.limit))
        self.windows = windows

    def retry_at(self) -> datetime:
        """Return when every full window has ended (the submission may be sent again)."""
        return datetime.fromtimestamp(max(w.reset for w in self.windows), UTC)


@lru_cache(maxsize=16)
def _rate(setting: str) -> RateLimitItem:
    return parse(setting)


def pseudonym(kind: str, value: str) -> str:
    """Return a keyed hash, so the counters hold no email, phone or IP address."""
    if not value:
        return ""
    key = current_app.config["SECRET_KEY"].encode()
    return kind + ":" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def counters(scope: str, ip: str, email: str | None, phone: str | None) -> tuple[Counter, ...]:
    """Return the counters of a submission (scope: the route); none when limits are off.

    Email is compared trimmed and in lower case, phone by its digits; an empty one is skipped.
    """
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return ()
    contact = _rate(config["PUBLIC_SUBMIT_LIMIT_CONTACT"])
    keys = (
        (pseudonym("ip", ip or ""), _rate(config["PUBLIC_SUBMIT_LIMIT_IP"])),
        (pseudonym("email", (email or "").strip().lower()), contact),
        (pseudonym("phone", "".join(ch for ch in phone or "" if ch.isdigit())), contact),
    )
    return tuple(Counter(limit.key_for(key, scope), limit) for key, limit in keys if key)


def _remember(windows: list[Window]) -> None:
    if has_app_context():
        g.setdefault(WINDOWS_KEY, {}).update({w.counter.key: w for w in windows})


def check(submission: tuple[Counter, ...]) -> None:
    """Refuse (QuotaExceeded) when a counter of the submission is at its limit: one SELECT."""
    if not submission:
        return
    keys = [c.key for c in submission]
    now = clock.now().timestamp()
    purge = now - 3600 if random.random() < PURGE_CHANCE else None  # long-expired rows
    sql = SELECT.format(keys=", ".join("?" * len(keys)))
    # A read in autocommit: the write transaction that follows (BEGIN IMMEDIATE on SQLite)
    # must start afresh anyway. The occasional purge runs there too, on its own: inside a
    # submission's transaction it could lock rows in an order that deadlocks with another
    # submission on PostgreSQL.
    then = (PURGE, (purge,)) if purge is not None else None
    rows = {k: (n, at) for k, n, at in autocommit_rows(sql, tuple(keys), then)}
    windows = []
    for counter in submission:
        used, reset = rows.get(counter.key, (0, now))
        windows.append(Window(counter, int(used), float(reset)) if reset > now
                       else Window(counter, 0, now))
    _remember(windows)
    full = [w for w in windows if w.used >= w.counter.limit.amount]
    if full:
        raise QuotaExceeded(full)


def hit(submission: tuple[Counter, ...]) -> None:
    """Count the submission; call it inside the complaint's write transaction.

    Raises QuotaExceeded, which rolls the transaction back, when a concurrent submission
    took the last place first. Counters are written in key order, so that concurrent
    transactions lock their rows in the same order.
    """
    if not submission:
        return
    now = clock.now().timestamp()
    ordered = sorted({c.key: c for c in submission}.values(), key=lambda c: c.key)
    params: list = []
    for counter in ordered:
        params += [counter.key, now + counter.limit.get_expiry()]
    sql = driver_sql(UPSERT_MANY.format(rows=", ".join(["(?, 1, ?)"] * len(ordered))))
    result = db.session.connection().exec_driver_sql(sql, (*params, now, now))
    rows = {k: (n, at) for k, n, at in result}
    windows = [Window(c, min(int(rows[c.key][0]), c.limit.amount), float(rows[c.key][1]))
               for c in submission]
    _remember(windows)
    over = [c for c in submission if rows[c.key][0] > c.limit.amount]
    if over:
        raise QuotaExceeded([w for w in windows if w.counter in over])


def add_headers(response):
    """Add the X-RateLimit-* and Retry-After headers of the request's submission quota.

    They describe a refused limit (the one ending last), else the one with the fewest
    submissions left.
    """
    windows = g.pop(WINDOWS_KEY, None) if has_app_context() else None
    if not windows or not current_app.config.get("RATELIMIT_HEADERS_ENABLED"):
        return response
    shown = sorted(windows.values(), key=lambda w: (w.remaining, -w.reset))[0]
    if shown.remaining == 0:
        shown = max((w for w in windows.values() if w.remaining == 0), key=lambda w: w.reset)
    now = clock.now().timestamp()
    values = (shown.counter.limit.amount, shown.remaining, int(shown.reset),
              max(0, math.ceil(shown.reset - now)))
    response.headers.update(dict(zip(HEADERS, map(str, values), strict=True)))
    return response
