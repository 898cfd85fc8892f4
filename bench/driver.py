"""Benchmark driver: ours vs the bare Flask limit vs django-helpdesk, in alternating rounds.

Run with `make bench` (or `make bench BENCH_QUICK=1`). Loopback only, bounded in count and
time; stops everything it started by process id. See bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(1, str(BENCH.parent))

import setup_helpdesk as hd  # noqa: E402
from adapters import SYSTEMS, Ours  # noqa: E402
from client import cpu_ms, machine_ticks, run_load  # noqa: E402
from report import print_table  # noqa: E402
from systems import VENV_BIN, Db, System, open_db, sample_fields  # noqa: E402

from tests.support.postgres import free_port  # noqa: E402

RUN = hd.WORK / "run"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    """One run: its settings and every measurement taken (one record per round)."""

    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.sizes = (10_000, 100_000) if self.quick else (100_000, 1_000_000)
        if args.sizes:
            self.sizes = tuple(int(n) for n in args.sizes.split(","))
        self.submits = (80, 15.0) if self.quick else (300, 30.0)  # count, seconds per round
        # 600 list views per system and round: the p95 is read from 30 slowest pages, not
        # 8, and the first pages after another system's round (slower while the caches
        # fill again) are under 2 % of the pages instead of about 7 %.
        self.lists = (100, 10.0) if self.quick else (600, 20.0)
        self.records: list[dict] = []
        self.notes: list[str] = []

    def measure(self, db: Db, system: System, metric: str, rnd: int, make_task,
                count: int, seconds: float, concurrency: int) -> None:
        """Run one bounded load and record rate, latency and CPU per operation."""
        app0, db0 = cpu_ms(system.app_pids()), cpu_ms(db.server_pids())
        own0, machine0 = time.process_time(), machine_ticks()
        res = run_load(make_task, count, seconds, concurrency)
        own = (time.process_time() - own0) * 1000
        busy, whole, steal_pct = machine_ticks().since(machine0)
        app1, db1 = cpu_ms(system.app_pids()), cpu_ms(db.server_pids())
        done = len(res.latencies)
        if res.errors:
            log(f"  {system.name} {metric}: {len(res.errors)} errors, first: {res.errors[0]}")
        if not done:
            return
        self.records.append({
            "db": db.kind, "metric": metric, "round": rnd, "system": system.name,
            "ops": done, "errors": len(res.errors), "rate": res.rate,
            "p50_ms": res.percentile(50) * 1000, "p95_ms": res.percentile(95) * 1000,
            "app_cpu_ms": (app1 - app0) / done,
            "db_cpu_ms": (db1 - db0) / done if db.kind == "postgresql" else None,
            # The load driver shares the cores: its own CPU (HTTP, cookies, form parsing).
            "driver_cpu_ms": own / done,
            # What else took the CPU meanwhile, as % of the machine's CPU time during the
            # round (all CPUs): its other processes and interrupt handling, and the
            # hypervisor (steal), so that a slow round can be told from slow code. In
            # ticks of 10 ms: coarse for a round shorter than a second.
            "other_pct": (100 * max(0.0, busy - (app1 - app0) - (db1 - db0) - own) / whole
                          if whole else 0.0),
            "steal_pct": steal_pct,
            # The machine's CPU time no one used (idle, waiting on a disk): the cores the
            # system left free while its clients waited, e.g. on a lock.
            "idle_pct": max(0.0, 100 * (whole - busy) / whole - steal_pct) if whole else 0.0,
        })
        log(f"  {system.name:<8} {metric:<14} round {rnd}: {done} ops, {res.rate:.1f}/s, "
            f"p50 {res.percentile(50) * 1000:.1f} ms, p95 {res.percentile(95) * 1000:.1f} ms, "
            f"steal {steal_pct:.1f} %")

    def phase(self, db: Db) -> None:
        """Prepare, start and measure the three systems on one database engine."""
        systems = [cls(db, free_port(), self.args.workers, RUN) for cls in SYSTEMS]
        for system in systems:
            log(f"{db.kind}: preparing {system.name}")
            system.prepare()
        try:
            for system in systems:
                system.start()
                system.login()
                self.notes.append(f"{db.kind}: {system.name} submissions via {system.submit_via}")
            self.rounds(db, systems)
            ours = next(s for s in systems if isinstance(s, Ours))
            extras(self, db, ours)
        finally:
            for system in systems:
                system.stop()

    def rounds(self, db: Db, systems: list[System]) -> None:
        counters = {s.name: itertools.count(1) for s in systems}
        for system in systems:  # warm-up: imports, caches, connections
            run_load(lambda s=system: s.submit_task(counters[s.name]), 4, 20, 2)
            run_load(system.list_task, 4, 20, 2)
        before = {s.name: s.count() for s in systems}
        for rnd in range(1, self.args.rounds + 1):
            for system in systems:
                self.measure(db, system, "submit", rnd,
                             lambda s=system: s.submit_task(counters[s.name]),
                             *self.submits, self.args.concurrency)
        for system in systems:
            made = system.count() - before[system.name]
            ok = sum(r["ops"] for r in self.records if r["system"] == system.name
                     and r["db"] == db.kind and r["metric"] == "submit")
            log(f"  {system.name}: {made} rows created for {ok} successful submissions")
        for size in self.sizes:
            for system in systems:
                began = time.monotonic()
                added = system.load(size)
                log(f"{db.kind}: loaded {added} rows into {system.name} "
                    f"in {time.monotonic() - began:.1f} s (now {system.count()})")
            for rnd in range(1, self.args.rounds + 1):
                for system in systems:
                    self.measure(db, system, f"list@{size}", rnd, system.list_task,
                                 *self.lists, self.args.workers)


def extras(bench: Bench, db: Db, ours: Ours) -> None:
    """Ours only: monthly report compile and email ingestion, when this build has them."""
    commands = ours.flask("--help").stdout
    group = next((g for g in ("reports", "report") if f"  {g} " in commands), None)
    if group is None:
        bench.notes.append(f"{db.kind}: monthly report compile: not available in this build")
    else:
        argv = os.environ.get("BENCH_REPORT_ARGS", "compile 2025-06").split()
        seconds, peak, code, err = timed(ours, [group, *argv])
        if code:
            bench.notes.append(f"{db.kind}: `flask {group} {' '.join(argv)}` failed: {err}")
        else:
            bench.notes.append(f"{db.kind}: monthly report at {ours.count()} complaints: "
                               f"{seconds:.2f} s, peak RSS {peak / 1024:.0f} MiB")
    if "ingest" not in ours.flask("mail", "--help").stdout:
        bench.notes.append(f"{db.kind}: email ingestion (flask mail ingest): "
                           "not available in this build")
        return
    count = 10 if bench.quick else 30
    before = ours.count()
    outcomes: dict[str, int] = {}
    began = time.monotonic()
    for i in range(count):
        done = ours.flask("mail", "ingest", stdin=email_message(db.kind, i))
        if done.returncode:
            bench.notes.append(f"{db.kind}: flask mail ingest failed: {done.stderr[-300:]}")
            return
        last = (done.stderr.strip().splitlines() or ["?"])[-1]  # "inbound #12: created"
        state = last.partition(": ")[2].split(" ")[0] or "?"
        outcomes[state] = outcomes.get(state, 0) + 1
    rate = count / (time.monotonic() - began)
    bench.notes.append(f"{db.kind}: email ingestion: {rate:.2f} messages/s ({count} messages, "
                       f"one `flask mail ingest` process each; outcomes {outcomes}; "
                       f"{ours.count() - before} complaints created)")


def email_message(kind: str, i: int) -> str:
    """Return a plain-text complaint email as a mail server would pipe it."""
    body = sample_fields(i)["body"]
    return (f"From: Pengadu Uji {i} <pengadu{i}@example.com>\r\n"
            f"To: dpmptsppekanbaru@gmail.com\r\nSubject: Keluhan izin praktik {i}\r\n"
            f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\r\n"
            f"Message-ID: <bench-{kind}-{i}-{time.time_ns()}@example.com>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{body}\r\n\r\nPengadu Uji {i}\r\n0812{i:08d}\r\n")


def timed(ours: Ours, args: list[str]) -> tuple[float, int, int, str]:
    """Run a flask command; return wall seconds, peak RSS (KiB), exit code, stderr tail."""
    began = time.monotonic()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([str(VENV_BIN / "flask"), *args], cwd=hd.ROOT,
                                env={**os.environ, **ours.env}, stdout=subprocess.DEVNULL,
                                stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage (peak RSS)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-300:]
    return time.monotonic() - began, usage.ru_maxrss, proc.returncode, tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000/100,000 rows")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, all systems")
    parser.add_argument("--concurrency", type=int, default=4, help="submitting clients")
    parser.add_argument("--dbs", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="", help="override the row counts, e.g. 1000,5000")
    args = parser.parse_args()
    shutil.rmtree(RUN, ignore_errors=True)
    RUN.mkdir(parents=True)
    hd.install()
    hd.write_project()
    bench = Bench(args)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for kind in args.dbs.split(","):
        db, cluster = open_db(kind, RUN, ("ours", "limit", "helpdesk"))
        try:
            bench.phase(db)
        finally:
            if cluster is not None:
                cluster.stop()
    out = hd.WORK / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"started": started, "quick": bench.quick, "sizes": bench.sizes,
                               "submits": bench.submits, "lists": bench.lists,
                               "args": vars(args), "records": bench.records,
                               "notes": bench.notes}, indent=1))
    log(f"raw results: {out}")
    print_table(bench.records, bench.notes, bench.sizes)


if __name__ == "__main__":
    main()
