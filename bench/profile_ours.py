"""Profile our app in-process (pyinstrument): staff submissions and the queue page.

Usage: .venv/bin/python bench/profile_ours.py [--rows 100000] [--requests 50]
(needs `pip install pyinstrument` in .venv; works on a SQLite file in bench/.work/).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(1, str(BENCH.parent))

from adapters import Ours  # noqa: E402
from client import parse_form  # noqa: E402
from systems import OURS_STAFF_FORM, STAFF_PASSWORD, STAFF_USER, Db  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    work = BENCH / ".work" / "profile"
    work.mkdir(parents=True, exist_ok=True)
    ours = Ours(Db("sqlite", work), 0, 1, work)
    if not (work / "ours.sqlite3").exists():
        ours.prepare()
    ours.load(args.rows)
    os.environ.update(ours.env)
    from pyinstrument import Profiler

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
        assert client.get("/staff/queue?view=all").status_code == 200

    for name, task in (("submission (GET form + POST)", submit), ("queue page", queue)):
        task()  # warm
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.requests):
            task()
        profiler.stop()
        print(f"===== {name}: {args.requests} requests, {args.rows} rows =====")
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
