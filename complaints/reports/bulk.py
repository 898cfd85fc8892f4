"""`flask demo bulk-load N`: synthetic complaints for measuring, written straight into the tables.

Rows are generated and written in batches (COPY on PostgreSQL, executemany on SQLite), so
memory stays flat whatever N is. Register numbers come from the counter table (a block per
year), so they stay unique next to complaints made through intake.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import func, select, text, update

from complaints.accounts.models import Division
from complaints.core import clock
from complaints.core.db import dialect_insert
from complaints.extensions import db
from complaints.tickets.models import Complaint, ComplaintEvent, ComplaintType, Counter, Service
from complaints.workflow.calendar import WorkCalendar, add_working_days

BATCH = 10_000
CHANNELS = {"web": 25, "email": 15, "whatsapp": 15, "sms": 10, "surat": 10, "langsung": 10,
            "telepon": 8, "lapor": 5, "fax": 1, "lainnya": 1}
KINDS = {"pengaduan": 80, "saran": 12, "masukan": 8}
WEIGHTS = {"ringan": 60, "sedang": 30, "berat": 10}
DONE = {"closed": 70, "answered": 20, "rejected": 3, "forwarded": 2, "in_handling": 5}
FRESH = {"received": 15, "registered": 15, "triaged": 20, "in_handling": 25, "answered": 25}
SCORES = {1: 5, 2: 15, 3: 45, 4: 35}
DAYS_BY_WEIGHT = {"ringan": 3, "sedang": 7, "berat": 15}
COMPLAINT_COLUMNS = ("id", "number", "year", "seq", "version", "kind", "channel", "received_at",
                     "created_at", "updated_at", "confidentiality", "summary", "body", "status",
                     "access_code_hash", "clock_paused", "weight", "division_id", "service_id",
                     "type_id", "first_response_due_at", "first_response_at", "due_at",
                     "next_due_at", "closed_at")
EVENT_COLUMNS = ("id", "complaint_id", "at", "kind", "from_value", "to_value", "note", "public")
RATING_COLUMNS = ("id", "complaint_id", "score", "status_at_rating", "created_at", "updated_at")
NO_LOGIN = "bulk-load:no-access-code"  # not a hash: no access code opens these complaints


def _pick(rng: random.Random, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]


@dataclass
class Plan:
    """What one bulk load needs while generating rows."""

    rng: random.Random
    now: datetime
    cal: WorkCalendar
    divisions: list[int]
    services: list[int]
    types: list[int]
    prefix: str


@lru_cache(maxsize=4096)
def _due(day, n: int, cal: WorkCalendar) -> datetime:
    return add_working_days(datetime.combine(day, time(12), tzinfo=cal.tz), n, cal)


def one(plan: Plan, cid: int, year: int, seq: int, received: datetime
        ) -> tuple[tuple, list[tuple], tuple | None]:
    """Return a complaint row, its event rows (ids filled later) and maybe a rating row."""
    rng = plan.rng
    age = (plan.now - received).days
    status = _pick(rng, DONE if age > 30 else FRESH)
    weight = None if status in ("received", "registered") else _pick(rng, WEIGHTS)
    day = received.astimezone(plan.cal.tz).date()
    first_due = _due(day, 3, plan.cal)
    due = _due(day, DAYS_BY_WEIGHT[weight], plan.cal) if weight else None
    answered = closed = None
    if status in ("answered", "closed", "rejected", "forwarded"):
        days = min(int(rng.expovariate(1 / 4)), 30)
        answered = min(add_working_days(received, days, plan.cal)
                       - timedelta(hours=rng.uniform(0.5, 8)), plan.now)
        answered = max(answered, received + timedelta(minutes=10))
        if status == "closed":
            closed = min(answered + timedelta(days=rng.uniform(0.5, 6)), plan.now)
    channel = _pick(rng, CHANNELS)
    row = (cid, f"{plan.prefix}/{year}/{seq:06d}", year, seq, 1, _pick(rng, KINDS), channel,
           received, received, closed or answered or received, "biasa",
           f"Keluhan sintetis {cid}", "Data uji beban (bulk-load).", status, NO_LOGIN, False,
           weight, rng.choice(plan.divisions) if plan.divisions and weight else None,
           rng.choice(plan.services) if plan.services else None,
           rng.choice(plan.types) if plan.types and weight else None,
           first_due, answered, due, None if answered else (due or first_due), closed)
    events: list[tuple] = [(cid, received, "created", None, channel, None, False)]
    if weight:
        events.append((cid, received + timedelta(minutes=30), "weight", None, weight, None, False))
    if answered:
        events.append((cid, answered, "reply", None, None, "Jawaban atas pengaduan.", True))
        events.append((cid, answered, "status", "in_handling", "answered", None, False))
    if closed:
        events.append((cid, closed, "status", "answered", "closed", None, False))
    rating = None
    if answered and rng.random() < 0.3:
        at = min(answered + timedelta(days=1), plan.now)
        rating = (cid, _pick(rng, SCORES), "answered", at, at)
    return row, events, rating


def day_counts(n: int, now: datetime, cal: WorkCalendar, days: int = 365) -> list[tuple]:
    """Return (local day, how many) for the last `days` days: weekdays get ten times more."""
    today = now.astimezone(cal.tz).date()
    span = [today - timedelta(days=back) for back in range(days - 1, -1, -1)]
    weights = [1.0 if d.weekday() < 5 else 0.1 for d in span]
    total = sum(weights)
    counts = [int(n * w / total) for w in weights]
    for index in range(n - sum(counts)):
        counts[-1 - (index % len(counts))] += 1
    return list(zip(span, counts, strict=True))


def reserve(name: str, year: int, count: int) -> int:
    """Take a block of `count` numbers of a per-year counter; return the first."""
    dialect = db.engine.dialect.name
    insert = dialect_insert(dialect)
    db.session.execute(insert(Counter).values(name=name, year=year, last=0)
                       .on_conflict_do_nothing())
    last = db.session.execute(
        update(Counter).where(Counter.name == name, Counter.year == year)
        .values(last=Counter.last + count).returning(Counter.last)
        .execution_options(synchronize_session=False)).scalar_one()
    return int(last) - count + 1


def _naive(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def write(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Write rows into a table: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    raw = db.session.connection().connection.driver_connection
    if db.engine.dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(  # type: ignore[union-attr]
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_naive(v) for v in row])
        return
    marks = ", ".join("?" for _ in columns)
    converted = [[(_naive(v).strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime)
                   else v) for v in row] for row in rows]
    raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # type: ignore[union-attr]
                    converted)


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _plan(seed: int, prefix: str, cal: WorkCalendar) -> Plan:
    return Plan(random.Random(seed), clock.now(), cal,
                list(db.session.scalars(select(Division.id))),
                list(db.session.scalars(select(Service.id))),
                list(db.session.scalars(select(ComplaintType.id))), prefix)


def _generate(plan: Plan, days: list[tuple], firsts: dict[int, int]) -> Iterator[tuple]:
    """Yield (complaint row, events, rating) in received order, numbered per year."""
    cid = _next_id(Complaint)
    seqs = dict(firsts)
    for day, count in days:
        start = datetime.combine(day, time(7, 30), tzinfo=plan.cal.tz)
        moments = sorted(start + timedelta(hours=plan.rng.uniform(0, 8.5)) for _ in range(count))
        for moment in moments:
            received = min(moment.astimezone(UTC), plan.now - timedelta(minutes=1))
            yield one(plan, cid, day.year, seqs[day.year], received)
            seqs[day.year] += 1
            cid += 1


def _fix_sequences() -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("complaint", "complaint_event", "complaint_rating"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def bulk_load(n: int, cal: WorkCalendar, prefix: str, seed: int = 7,
              progress=None) -> dict[str, int]:
    """Load n synthetic complaints over the last 12 months; return how many rows of each."""
    plan = _plan(seed, prefix, cal)
    days = day_counts(n, plan.now, cal)
    per_year: dict[int, int] = {}
    for day, count in days:
        per_year[day.year] = per_year.get(day.year, 0) + count
    firsts = {year: reserve("register", year, count) for year, count in per_year.items()}
    db.session.commit()
    from complaints.public.models import Rating

    event_id, rating_id = _next_id(ComplaintEvent), _next_id(Rating)
    totals = {"complaints": 0, "events": 0, "ratings": 0}
    complaints: list[tuple] = []
    events: list[tuple] = []
    ratings: list[tuple] = []
    for row, row_events, rating in _generate(plan, days, firsts):
        complaints.append(row)
        for event in row_events:
            events.append((event_id, *event))
            event_id += 1
        if rating:
            ratings.append((rating_id, *rating))
            rating_id += 1
        if len(complaints) >= BATCH:
            _flush(complaints, events, ratings, totals, progress)
    _flush(complaints, events, ratings, totals, progress)
    _fix_sequences()
    db.session.commit()
    return totals


def _flush(complaints: list, events: list, ratings: list, totals: dict, progress) -> None:
    write("complaint", COMPLAINT_COLUMNS, complaints)
    write("complaint_event", EVENT_COLUMNS, events)
    write("complaint_rating", RATING_COLUMNS, ratings)
    db.session.commit()
    for key, rows in (("complaints", complaints), ("events", events), ("ratings", ratings)):
        totals[key] += len(rows)
        rows.clear()
    if progress:
        progress(totals)
