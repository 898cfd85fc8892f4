"""Time the monthly report compile in-process, section by section, at bench scale.

Usage:
  .venv/bin/python bench/profile_report.py --db sqlite --rows 1000000 [--month 2025-06]
      [--repeat 3] [--profile] [--process] [--bulk N] [--analyze] [--ordered] [--cold]
  .venv/bin/python bench/profile_report.py --db postgresql --pg-port PORT ...

Loads rows the way `make bench` does (bench/adapters.py `Ours.load`; spread over 2025) into
bench/.work/report-<db>/ (SQLite) or the database "ours" of a running PostgreSQL on
127.0.0.1:PORT (a throwaway cluster is started, and stopped at the end, without --pg-port).
`--bulk N` adds N complaints from `flask demo bulk-load` (events, answers, ratings).
Prints wall and CPU seconds of each part of complaints.reports.figures.compile_figures
(median of --repeat runs after one warm run), the peak RSS, and with --process the whole
`flask reports compile MONTH` process as the bench times it. --profile: pyinstrument.
--ordered gives the rows received times in the order of their ids, as in the office's
register, instead of the bench's shuffle (SQLite: its own data set, report-sqlite-ordered).
--cold (SQLite) drops the database file's pages from the operating system's page cache
(posix_fadvise) and opens a new connection before each measured run, as for a compile
that finds the file out of memory (the bench measures it warm, after the list rounds).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(1, str(BENCH.parent))

import systems  # noqa: E402
from adapters import Ours  # noqa: E402
from systems import Db  # noqa: E402

from tests.support.postgres import PostgresCluster, find_bindir  # noqa: E402


def database_work(args) -> Path:
    """Return the folder of this data set (the SQLite file, the instance folder)."""
    suffix = args.suffix or ("-ordered" if args.ordered else "")
    return BENCH / ".work" / f"report-{args.db}{suffix}"


def database(args) -> tuple[Ours, PostgresCluster | None]:
    """Return our system on the chosen engine, prepared (and a cluster to stop, if started)."""
    work = database_work(args)
    work.mkdir(parents=True, exist_ok=True)
    cluster, port, fresh = None, args.pg_port, False
    if args.db == "postgresql":
        import psycopg

        if port is None:
            bindir = find_bindir()
            if bindir is None:
                raise SystemExit("PostgreSQL binaries not found")
            cluster = PostgresCluster(bindir)
            cluster.start()
            port = cluster.port
        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            fresh = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'ours'"
                                 ).fetchone() is None
            if fresh:
                conn.execute('CREATE DATABASE "ours"')
    else:
        fresh = not (work / "ours.sqlite3").exists()
    ours = Ours(Db(args.db, work, port), 0, 1, work)
    if fresh:
        ours.prepare()
    return ours, cluster


def load(ours: Ours, args) -> None:
    """Top the complaint table up to --rows (bench shape), then add --bulk rows."""
    began = time.perf_counter()
    added = ours.load(args.rows)
    print(f"loaded {added} rows in {time.perf_counter() - began:.1f} s (now {ours.count()})")
    if args.bulk:
        done = ours.flask("demo", "bulk-load", str(args.bulk))
        print(done.stdout.strip().splitlines()[-1] if done.returncode == 0 else done.stderr)
    if args.analyze and args.db == "sqlite":  # the bench itself never runs ANALYZE on SQLite
        conn = ours.db.connect("ours")
        conn.execute("ANALYZE")
        conn.close()


def sections(year: int, month: int):
    """Return (name, callable) for each part of compile_figures, and the whole."""
    from datetime import timedelta

    from complaints.core import clock
    from complaints.reports import figures as f
    from complaints.workflow.calendar_service import work_calendar

    cal = work_calendar()
    start, end = f.month_bounds(year, month, cal.tz)
    offset = start.astimezone(cal.tz).utcoffset() or timedelta(0)
    now = clock.now()
    return [
        ("tables", lambda: f.tables(start, end)),
        ("answered_in", lambda: f.answered_in(start, end)),
        ("closed_in", lambda: f.closed_in(start, end)),
        ("timeliness", lambda: f.timeliness(start, end, cal, offset)),
        ("overdue", lambda: f.overdue(end, now, cal)),
        ("satisfaction", lambda: f.satisfaction(start, end)),
        ("trend", lambda: f.trend(year, month, cal.tz)),
        ("compile_figures", lambda: f.compile_figures(year, month, now, cal)),
    ]


def measure(args) -> None:
    """Time each section in-process (median of --repeat after a warm run)."""
    from complaints import create_app
    from complaints.extensions import db
    from complaints.reports.stats import month_of

    year, month = month_of(args.month)
    app = create_app()
    with app.app_context():
        parts = sections(year, month)
        for name, fn in parts:
            if not args.cold:
                fn()
                db.session.rollback()
            walls, cpus = [], []
            for _ in range(args.repeat):
                if args.cold:
                    db.session.remove()
                    db.engine.dispose()  # a new connection: SQLite's own cache empty too
                    evict(args)
                w0, c0 = time.perf_counter(), time.process_time()
                fn()
                walls.append(time.perf_counter() - w0)
                cpus.append(time.process_time() - c0)
                db.session.rollback()
            print(f"  {name:<16} wall {statistics.median(walls):7.3f} s   "
                  f"app CPU {statistics.median(cpus):7.3f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak RSS of this process: {peak:.0f} MiB")
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.001)
            profiler.start()
            parts[-1][1]()
            profiler.stop()
            db.session.rollback()
            print(profiler.output_text(unicode=True, color=False, show_all=False))


def whole_process(ours: Ours, args) -> None:
    """Time `flask reports compile MONTH` as the bench does (process start-up included)."""
    from driver import timed

    for _ in range(args.repeat):
        if args.cold:
            evict(args)
        seconds, peak, code, err = timed(ours, ["reports", "compile", args.month])
        print(f"  flask reports compile {args.month}: {seconds:.2f} s, peak RSS "
              f"{peak / 1024:.0f} MiB{'' if code == 0 else ' FAILED ' + err}")


def evict(args) -> None:
    """Drop the SQLite database file's pages from the operating system's page cache."""
    for path in database_work(args).glob("ours.sqlite3*"):
        if path.name.endswith("-shm"):  # mapped by SQLite: left as it is
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-port", type=int, default=None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bulk", type=int, default=0)
    parser.add_argument("--month", default="2025-06")
    parser.add_argument("--suffix", default="",
                        help="a separate SQLite data set, e.g. -bulk (PostgreSQL: another port)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE on SQLite first")
    parser.add_argument("--process", action="store_true")
    parser.add_argument("--ordered", action="store_true",
                        help="received times in the order of the ids, as in a real register")
    parser.add_argument("--cold", action="store_true",
                        help="SQLite: the file out of the page cache before each run")
    args = parser.parse_args()
    if args.cold and args.db != "sqlite":
        parser.error("--cold is for SQLite (a PostgreSQL server keeps its own cache)")
    systems.RECEIPT_ORDER = args.ordered
    ours, cluster = database(args)
    try:
        load(ours, args)
        os.environ.update(ours.env)
        measure(args)
        if args.process:
            whole_process(ours, args)
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
