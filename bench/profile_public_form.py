"""CPU per request of the public complaint form, split at service.submit (in-process).

Usage: .venv/bin/python bench/profile_public_form.py [--requests 200] [--rounds 3]
       [--root PATH] [--profile] [--statements] [--lock]

Measures with time.process_time(), through app.test_client(), with the production config on
a fresh SQLite file in bench/.work/public-form/: GET /healthz (the baseline of the same
run: the machine is shared), GET /adukan, POST /adukan (a valid complaint, each with its
own email and phone, limits set out of reach but enforced) and, of the POST, the part
spent inside complaints.public.service.submit; "outside" is the rest (the quota check, form,
validation, session, redirect). --root imports the application from another checkout
(e.g. `git archive <commit> | tar -x -C /tmp/old`) to compare before and after in one run;
--profile prints a pyinstrument profile of the GET and the POST (`pip install
pyinstrument` in .venv); --statements counts the SQL statements of a POST: those sent
through SQLAlchemy (before_cursor_execute) and every statement SQLite ran on any
connection, raw ones (the rate-limit storage) and BEGIN/COMMIT included; --lock times how
long a POST holds SQLite's write lock (from its BEGIN IMMEDIATE to the end of the commit):
another worker's submission waits that long at its own BEGIN IMMEDIATE, its core idle.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(1, str(BENCH))

from client import parse_form  # noqa: E402


def environment(work: Path) -> dict[str, str]:
    """Return the production environment of the measured app."""
    return {
        "APP_CONFIG": "production", "DATABASE_URL": f"sqlite:///{work / 'form.sqlite3'}",
        "INSTANCE_PATH": str(work), "SECRET_KEY": "bench-" + "k" * 40,
        "SESSION_COOKIE_SECURE": "0", "OUTBOX_LOG": str(work / "outbox.log"),
        "PUBLIC_SUBMIT_LIMIT_IP": "1000000 per hour",
        "PUBLIC_SUBMIT_LIMIT_CONTACT": "1000000 per hour",
    }


class StatementCount:
    """Counts statements: through SQLAlchemy, and all that SQLite ran (its trace callback)."""

    def __init__(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self.sqlalchemy = self.sqlite = 0
        event.listen(Engine, "before_cursor_execute", self._sqlalchemy)
        event.listen(Engine, "connect", self._connect)

    def _sqlalchemy(self, *args) -> None:
        self.sqlalchemy += 1

    def _traced(self, statement: str) -> None:
        self.sqlite += 1

    def _connect(self, dbapi_connection, record) -> None:
        if hasattr(dbapi_connection, "set_trace_callback"):
            dbapi_connection.set_trace_callback(self._traced)


class LockClock:
    """Times each write transaction from its BEGIN IMMEDIATE to the end of its commit."""

    def __init__(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
        from sqlalchemy.orm import Session

        self.held: list[float] = []
        self._began: float | None = None
        event.listen(Engine, "after_cursor_execute", self._statement)
        event.listen(Session, "after_commit", self._committed)

    def _statement(self, conn, cursor, statement, *args) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            self._began = time.perf_counter()

    def _committed(self, session) -> None:
        if self._began is not None:
            self.held.append(time.perf_counter() - self._began)
            self._began = None


def build_app(root: Path, work: Path, database_url: str | None = None, fresh: bool = True):
    """Return the app of the checkout at root, on a database with reference data.

    The database is a fresh SQLite file in work unless database_url names another one.
    """
    if fresh:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    os.environ.update(environment(work))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(root))
    from complaints import create_app
    from complaints.extensions import db

    app = create_app()
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed", "reference"])
    assert result.exit_code == 0, result.output
    return app


class SubmitClock:
    """Wraps service.submit of the public views and sums the CPU spent inside it."""

    def __init__(self) -> None:
        from complaints.public import views

        self.inner, self.spent = views.service.submit, 0.0
        views.service.submit = self

    def __call__(self, *args, **kwargs):
        began = time.process_time()
        try:
            return self.inner(*args, **kwargs)
        finally:
            self.spent += time.process_time() - began


def filled_forms(client, count: int, start: int) -> list[dict]:
    """Return count valid submissions, each with its CSRF token and its own contact."""
    forms = []
    for i in range(start, start + count):
        fields, _ = parse_form(client.get("/adukan").get_data(as_text=True), "body")
        fields.update(complainant_name=f"Pengadu Uji {i}", complainant_email=f"p{i}@example.com",
                      complainant_phone=f"0812{i:08d}", consent="y",
                      body="Izin praktik belum terbit padahal berkas sudah lengkap sejak "
                           f"minggu lalu, mohon kejelasan ({i}).")
        forms.append(fields)
    return forms


def cpu_ms(task, items) -> float:
    """Return the CPU milliseconds per item of task(item)."""
    began = time.process_time()
    for item in items:
        task(item)
    return (time.process_time() - began) * 1000 / len(items)


def one_round(client, clock: SubmitClock, requests: int, start: int) -> dict[str, float]:
    """Measure each request kind once over the given number of requests."""
    forms = filled_forms(client, requests, start)

    def health(_):
        assert client.get("/healthz").status_code == 200

    def page(_):
        assert client.get("/adukan").status_code == 200

    def post(fields):
        assert client.post("/adukan", data=fields).status_code == 302

    figures = {"healthz": cpu_ms(health, range(requests)),
               "GET /adukan": cpu_ms(page, range(requests))}
    clock.spent = 0.0
    figures["POST /adukan"] = cpu_ms(post, forms)
    figures["  inside submit"] = clock.spent * 1000 / requests
    figures["  outside submit"] = figures["POST /adukan"] - figures["  inside submit"]
    return figures


def statements(client, counter: StatementCount, requests: int) -> None:
    """Print the SQL statements per POST /adukan (mean over the requests)."""
    forms = filled_forms(client, requests, 2 * 10**6)
    counter.sqlalchemy = counter.sqlite = 0
    for fields in forms:
        assert client.post("/adukan", data=fields).status_code == 302
    print(f"SQL statements per POST /adukan (mean of {requests}): "
          f"{counter.sqlalchemy / requests:.1f} through SQLAlchemy, "
          f"{counter.sqlite / requests:.1f} run by SQLite (raw and BEGIN/COMMIT included)")


def lock_held(client, clock: LockClock, requests: int) -> None:
    """Print how long a POST /adukan holds the write lock, against its CPU."""
    forms = filled_forms(client, requests, 3 * 10**6)
    clock.held.clear()
    post = cpu_ms(lambda fields: client.post("/adukan", data=fields), forms)
    held = statistics.median(clock.held) * 1000
    print(f"Write lock held per POST /adukan (median of {len(clock.held)}): {held:.2f} ms, "
          f"{held / post:.0%} of the POST's {post:.2f} ms of CPU")


def profile(client, requests: int) -> None:
    """Print a pyinstrument profile of the GET and of the POST."""
    from pyinstrument import Profiler

    forms = filled_forms(client, requests, 10**6)
    for name, task, items in (
        ("GET /adukan", lambda _: client.get("/adukan"), range(requests)),
        ("POST /adukan", lambda fields: client.post("/adukan", data=fields), forms),
    ):
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for item in items:
            task(item)
        profiler.stop()
        print(f"===== {name}: {requests} requests =====")
        print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--root", type=Path, default=BENCH.parent)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--lock", action="store_true")
    args = parser.parse_args()
    counter = StatementCount() if args.statements else None
    locks = LockClock() if args.lock else None
    app = build_app(args.root.resolve(), BENCH / ".work" / "public-form" / args.root.resolve().name)
    client = app.test_client()
    clock = SubmitClock()
    one_round(client, clock, 20, 0)  # warm-up: templates compiled, caches filled
    rounds = [one_round(client, clock, args.requests, (r + 1) * args.requests)
              for r in range(args.rounds)]
    print(f"CPU ms per request, median of {args.rounds} rounds of {args.requests} "
          f"({args.root.resolve()}):")
    for name in rounds[0]:
        values = [r[name] for r in rounds]
        print(f"  {name:18s} {statistics.median(values):6.2f}   "
              f"(rounds: {', '.join(f'{v:.2f}' for v in values)})")
    if counter is not None:
        statements(client, counter, 50)
    if locks is not None:
        lock_held(client, locks, args.requests)
    if args.profile:
        profile(client, args.requests)


if __name__ == "__main__":
    main()
