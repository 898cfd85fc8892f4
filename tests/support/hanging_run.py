"""A process that claims a job slot and hangs, for the tests that kill it mid-run.

python -m tests.support.hanging_run --db URL --name JOB --now ISO
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta

from complaints import create_app
from complaints.core import clock
from complaints.scheduler import Job, run_job


def hang() -> str:
    """Never return within a test (the test kills the process)."""
    time.sleep(600)
    return "woke up"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--now", required=True)
    args = parser.parse_args()
    clock.set_now(datetime.fromisoformat(args.now))
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": args.db})
    run_job(app, Job(args.name, "tests.support.hanging_run:hang", timedelta(minutes=15), ""))


if __name__ == "__main__":
    main()
