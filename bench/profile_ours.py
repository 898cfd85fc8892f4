"""Profile our app in-process: staff submissions and the queue page.

Usage: .venv/bin/python bench/profile_ours.py [--rows 100000] [--requests 50]
           [--only queue|submit] [--measure] [--pg-port PORT]
Without --measure: a pyinstrument profile of each task (`pip install pyinstrument` in .venv).
With --measure: CPU ms per request (time.process_time over --requests after a warm-up)
and SQL statements per request, next to GET /healthz measured in the same run.
Works on a SQLite file in bench/.work/profile with the production config, or with
--pg-port on the database "ours" of a PostgreSQL server already running on 127.0.0.1
(e.g. a throwaway cluster: tests/support/postgres.py), so that several runs share it.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(1, str(BENCH.parent))

from adapters import Ours  # noqa: E402
from client import parse_form  # noqa: E402
from systems import OURS_STAFF_FORM, STAFF_PASSWORD, STAFF_USER, Db  # noqa: E402

QUEUE = "/staff/queue?view=all"


def measure(app, name, task, requests: int) -> None:
    """Print CPU ms and SQL statements per request of one task."""
    from sqlalchemy import event

    from complaints.extensions import db

    with app.app_context():
        engine = db.engine
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    for _ in range(5):
        task()  # warm
    event.listen(engine, "before_cursor_execute", count)
    start = time.process_time()
    for _ in range(requests):
        task()
    spent = time.process_time() - start
    event.remove(engine, "before_cursor_execute", count)
    print(f"{name:32} {spent * 1000 / requests:7.2f} ms CPU/request "
          f"{len(statements) / requests:5.1f} SQL statements/request ({requests} requests)")


def profile(name, task, requests: int, rows: int) -> None:
    """Print a pyinstrument profile of one task."""
    from pyinstrument import Profiler

    task()  # warm
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(requests):
        task()
    profiler.stop()
    print(f"===== {name}: {requests} requests, {rows} rows =====")
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--only", choices=("queue", "submit"))
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--pg-port", type=int, help="use PostgreSQL on this local port")
    args = parser.parse_args()
    work = BENCH / ".work" / "profile"
    work.mkdir(parents=True, exist_ok=True)
    if args.pg_port:
        ours = Ours(Db("postgresql", work, args.pg_port), 0, 1, work)
        conn = ours.db.connect("ours")
        ready = conn.execute("SELECT to_regclass('complaint')").fetchone()[0] is not None
        conn.close()
    else:
        ours = Ours(Db("sqlite", work), 0, 1, work)
        ready = (work / "ours.sqlite3").exists()
    if not ready:
        ours.prepare()
    ours.load(args.rows)
    os.environ.update(ours.env)
    from complaints import create_app

    app = create_app()
    client = app.test_client()
    fields, _ = parse_form(client.get("/login").get_data(as_text=True), "password")
    fields.update(username=STAFF_USER, password=STAFF_PASSWORD)
    assert client.post("/login", data=fields).status_code == 302
    counter = itertools.count()

    def submit():
        page = client.get(OURS_STAFF_FORM).get_data(as_text=True)
        defaults, _ = parse_form(page, "body")
        answer = client.post(OURS_STAFF_FORM, data=ours.fill(defaults, next(counter)))
        assert answer.status_code == 302, answer.status_code

    def queue():
        assert client.get(QUEUE).status_code == 200

    def healthz():
        assert client.get("/healthz").status_code == 200

    tasks = [("submission (GET form + POST)", submit), ("queue page", queue)]
    tasks = [(n, t) for n, t in tasks if args.only is None or args.only in n]
    if args.measure:
        for name, task in [("GET /healthz (baseline)", healthz), *tasks]:
            measure(app, name, task, args.requests)
        return
    for name, task in tasks:
        profile(name, task, args.requests, args.rows)


if __name__ == "__main__":
    main()
