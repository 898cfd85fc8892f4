"""CPU per public submission (GET + POST /adukan) under gunicorn, beside in-process figures.

Usage: .venv/bin/python bench/profile_gunicorn_form.py [--requests 300] [--root PATH]
       [--py-spy FILE [--top 60] [--match REGEX]]

Starts one gunicorn sync worker of the checkout at --root on a fresh SQLite file (the
production config of profile_public_form.py), sends GET /healthz and GET+POST /adukan from
one cookie-keeping client over loopback, and prints the worker's CPU milliseconds per
request read from /proc: the part of a submission's cost that the in-process profile does
not see (HTTP parsing in gunicorn, real headers and cookies). --py-spy records the worker
with py-spy during the submissions (collapsed stacks in FILE) and prints the inclusive
share of the frames matching --match (default: every frame), largest first.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(1, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

from client import Client, cpu_ms, descendants, parse_form  # noqa: E402
from profile_public_form import build_app, environment  # noqa: E402
from spy import Recorder, print_shares  # noqa: E402

from tests.support.postgres import free_port  # noqa: E402


def submit(client: Client, i: int) -> None:
    page = client.get("/adukan")
    fields, _ = parse_form(page.body, "body")
    fields.update(complainant_name=f"Pengadu {i}", complainant_email=f"g{i}@example.com",
                  complainant_phone=f"0813{i:08d}", consent="y",
                  body=f"Izin belum terbit padahal berkas lengkap, mohon kejelasan ({i}).")
    answer = client.post("/adukan", fields)
    assert answer.status == 302, (answer.status, answer.body[:300])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--root", type=Path, default=BENCH.parent)
    parser.add_argument("--py-spy", type=Path, dest="spy", help="record the worker here")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--match", default="")
    args = parser.parse_args()
    root = args.root.resolve()
    work = BENCH / ".work" / "gunicorn-form" / root.name
    build_app(root, work)  # fresh database with reference data; sets the environment
    port = free_port()
    env = {**os.environ, **environment(work), "PYTHONPATH": str(root)}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen([str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                            cwd=root, env=env, start_new_session=True)
    try:
        client = Client(port)
        for _ in range(100):
            try:
                if client.get("/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        for i in range(30):  # warm-up
            submit(client, i)
        pids = [proc.pid]  # the master and its worker, as the bench counts them
        begin = cpu_ms(pids)
        for _ in range(args.requests):
            client.get("/healthz")
        health = (cpu_ms(pids) - begin) / args.requests
        worker = next(pid for pid in descendants(proc.pid) if pid != proc.pid)
        recorder = Recorder(worker, args.spy) if args.spy else None
        begin = cpu_ms(pids)
        for i in range(args.requests):
            submit(client, 1000 + i)
        pair = (cpu_ms(pids) - begin) / args.requests
        print(f"gunicorn worker CPU ms ({root}): healthz {health:.2f}, GET+POST /adukan {pair:.2f}")
        if recorder is not None:
            recorder.stop()
            print_shares(args.spy, root, args.match, args.top)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
