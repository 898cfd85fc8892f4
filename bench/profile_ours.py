"""Measure and profile our app in-process: CPU and SQL statements per operation.

Usage: .venv/bin/python bench/profile_ours.py [--mode staff,public,create,queue]
       [--rows 100000] [--requests 100] [--db sqlite|postgresql] [--profile] [--sql]

Modes: staff = the staff walk-in form (GET + POST, logged in); public = the public form
/adukan (GET + POST, anonymous, consent ticked); create = create_complaint() alone, as the
public form calls it (web channel, acknowledgement queued), one app context per call;
queue = the staff queue page. Each mode prints CPU ms per operation (time.process_time()
over --requests operations after a warm-up) and SQL statements per operation, next to
GET /healthz measured in the same run as the baseline (the machine is shared); on
PostgreSQL also the server's CPU ms per operation (all backends, from /proc).
--profile adds a pyinstrument profile per mode (`pip install pyinstrument` in .venv);
--sql prints the statements of one operation. Works on a SQLite file in
bench/.work/profile/, or on a throwaway PostgreSQL cluster (--db postgresql).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(1, str(BENCH.parent))

from adapters import Ours  # noqa: E402
from client import cpu_ms, parse_form  # noqa: E402
from systems import (  # noqa: E402
    OURS_PUBLIC_FORM,
    OURS_STAFF_FORM,
    STAFF_PASSWORD,
    STAFF_USER,
    Db,
    open_db,
    sample_fields,
)

MODES = ("staff", "public", "create", "queue")


class Statements:
    """Counts the SQL statements the engine sends (and keeps the last operation's)."""

    def __init__(self) -> None:
        self.count = 0
        self.last: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.count += 1
        self.last.append(" ".join(statement.split())[:160])


def tasks(app, ours: Ours, counter) -> dict:
    """Return one callable per mode, each doing one operation."""
    staff = app.test_client()
    fields, _ = parse_form(staff.get("/login").get_data(as_text=True), "password")
    fields.update(username=STAFF_USER, password=STAFF_PASSWORD)
    assert staff.post("/login", data=fields).status_code == 302
    public = app.test_client()
    ours.public_form = OURS_PUBLIC_FORM

    def submit(client, url):
        def run():
            page = client.get(url).get_data(as_text=True)
            defaults, _ = parse_form(page, "body")
            answer = client.post(url, data=ours.fill(defaults, next(counter)))
            assert answer.status_code == 302, answer.status_code
        return run

    def create():
        from complaints.intake.service import IntakeRecord, create_complaint
        from complaints.tickets.models import Channel

        i = next(counter)
        sample = sample_fields(i)
        record = IntakeRecord(
            channel=Channel.WEB, body=sample["body"], summary=sample["summary"],
            complainant_name=sample["complainant_name"],
            complainant_phone=sample["complainant_phone"],
            complainant_email=sample["complainant_email"], acknowledge=True, language="id")
        with app.app_context():
            assert create_complaint(record).created

    def queue():
        assert staff.get("/staff/queue?view=all").status_code == 200

    healthz = app.test_client()

    def health():
        assert healthz.get("/healthz").status_code == 200

    return {"healthz": health, "staff": submit(staff, OURS_STAFF_FORM),
            "public": submit(public, OURS_PUBLIC_FORM), "create": create, "queue": queue}


def measure(task, requests: int, statements: Statements,
            db: Db) -> tuple[float, float, float]:
    """Return (CPU ms, statements, database server CPU ms) per operation."""
    for _ in range(3):
        task()  # warm-up: templates compiled, caches filled
    statements.count = 0
    server = cpu_ms(db.server_pids())
    began = time.process_time()
    for _ in range(requests):
        task()
    cpu = (time.process_time() - began) * 1000 / requests
    return cpu, statements.count / requests, (cpu_ms(db.server_pids()) - server) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", default="public,create",
                        help=f"comma-separated, of {', '.join(MODES)}")
    parser.add_argument("--rows", type=int, default=10_000, help="complaints loaded first")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--profile", action="store_true", help="pyinstrument per mode")
    parser.add_argument("--sql", action="store_true", help="print one operation's statements")
    args = parser.parse_args()
    modes = [m for m in args.mode.split(",") if m]
    if unknown := set(modes) - set(MODES):
        raise SystemExit(f"unknown mode(s): {', '.join(sorted(unknown))}")
    work = BENCH / ".work" / f"profile-{args.db}"
    work.mkdir(parents=True, exist_ok=True)
    db, cluster = open_db(args.db, work, ("ours",))
    try:
        run(args, modes, db, work)
    finally:
        if cluster is not None:
            cluster.stop()


def run(args, modes: list[str], db: Db, work: Path) -> None:
    """Prepare the database, then measure (and optionally profile) each mode."""
    ours = Ours(db, 0, 1, work)
    if db.kind == "postgresql" or not db.sqlite_path("ours").exists():
        ours.prepare()
    ours.load(args.rows)
    os.environ.update(ours.env)
    from sqlalchemy import event

    from complaints import create_app
    from complaints.extensions import db as sa

    app = create_app()
    statements = Statements()
    with app.app_context():
        event.listen(sa.engine, "before_cursor_execute", statements)
    todo = tasks(app, ours, itertools.count(int(time.time()) * 1000))
    print(f"# {db.kind}, {args.rows} rows loaded, {args.requests} operations per mode, "
          f"CPU by time.process_time()")
    for name in ["healthz", *modes]:
        cpu, per_op, server = measure(todo[name], args.requests, statements, db)
        print(f"{name:8} {cpu:7.2f} ms CPU/op  {per_op:6.1f} statements/op"
              + (f"  {server:6.2f} ms server CPU/op" if db.kind == "postgresql" else ""))
        if args.sql:
            statements.last = []
            todo[name]()
            kinds = Counter(s.split()[0].upper() for s in statements.last)
            print("   ", dict(kinds))
            for line in statements.last:
                print("     ", line)
    if args.profile:
        profile(todo, modes, args.requests)


def profile(todo: dict, modes: list[str], requests: int) -> None:
    """Print a pyinstrument profile of each mode."""
    from pyinstrument import Profiler

    for name in modes:
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(requests):
            todo[name]()
        profiler.stop()
        print(f"===== {name}: {requests} operations =====")
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
