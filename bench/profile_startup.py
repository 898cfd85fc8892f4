"""Time process start-up: `import wsgi`, `flask --help` and one `flask mail ingest` per message.

Usage: .venv/bin/python bench/profile_startup.py [--runs 7] [--importtime]
Works on a SQLite file in bench/.work/startup/ (prepared once, as the bench prepares ours).
Prints the median wall and CPU (user+sys of the child) seconds of each command; the CPU
figure is the steadier one on a shared machine. --importtime: the slowest imports.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(1, str(BENCH.parent))

from adapters import Ours  # noqa: E402
from driver import email_message  # noqa: E402
from systems import ROOT, VENV_BIN, Db  # noqa: E402


def timed(args: list[str], env: dict, runs: int, stdin=None) -> tuple[float, float, str]:
    """Return the median wall and CPU seconds over `runs` runs, and the last stderr."""
    walls, cpus, err = [], [], ""
    for i in range(runs):
        before = os.times()
        began = time.monotonic()
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                              input=stdin(i) if stdin else None)
        walls.append(time.monotonic() - began)
        after = os.times()
        cpus.append((after.children_user - before.children_user)
                    + (after.children_system - before.children_system))
        err = done.stderr
        if done.returncode:
            raise SystemExit(f"{' '.join(args)} failed: {err[-500:]}")
    return statistics.median(walls), statistics.median(cpus), err


def importtime(env: dict, top: int = 25) -> None:
    """Print the imports with the largest cumulative time whose parent is our own code."""
    done = subprocess.run([str(VENV_BIN / "python"), "-X", "importtime", "-c", "import wsgi"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if found:
            rows.append((int(found[2]), len(found[3]), found[4]))
    pending: list[tuple[int, int, str]] = []
    found_parents = []
    for cumulative, indent, name in rows:  # children are printed before their parent
        children = [p for p in pending if p[1] > indent]
        pending = [p for p in pending if p[1] <= indent]
        if name.startswith(("complaints", "wsgi")):
            found_parents += [(c, n, name) for c, i, n in children
                              if i == indent + 2 and not n.startswith("complaints")]
        pending.append((cumulative, indent, name))
    for cumulative, name, parent in sorted(found_parents, reverse=True)[:top]:
        print(f"  {cumulative / 1000:7.1f} ms  {name:<36} <- {parent}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()
    work = BENCH / ".work" / "startup"
    work.mkdir(parents=True, exist_ok=True)
    ours = Ours(Db("sqlite", work), 0, 1, work)
    if not (work / "ours.sqlite3").exists():
        ours.prepare()
    env = {**os.environ, **ours.env}
    python, flask = str(VENV_BIN / "python"), str(VENV_BIN / "flask")
    stamp = time.time_ns()
    for name, argv, stdin in (
        ("python -c pass", [python, "-c", "pass"], None),
        ("python -c 'import wsgi'", [python, "-c", "import wsgi"], None),
        ("flask --help", [flask, "--help"], None),
        ("flask mail ingest (one message)", [flask, "mail", "ingest"],
         lambda i: email_message(f"startup-{stamp}", i)),
    ):
        wall, cpu, err = timed(argv, env, args.runs, stdin)
        tail = err.strip().splitlines()[-1] if err.strip() else ""
        print(f"{name:<34} wall {wall:6.2f} s   CPU {cpu:6.2f} s   {tail[:60]}")
    if args.importtime:
        importtime(env)


if __name__ == "__main__":
    main()
