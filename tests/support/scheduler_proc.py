"""A scheduler process for tests: the real scheduler, an injected clock read from a file.

python -m tests.support.scheduler_proc --db URL --clock-file F --count-file C
    [--poll SECONDS] [--log FILE] [--hang-max SECONDS]

The clock file holds an ISO datetime the test moves; the extra job "count" appends one
line per run to the count file, so the test sees how often a job body really ran.
With --hang-max the only job is "hang", which hangs past that maximum run time.
"""

from __future__ import annotations

import argparse
import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

from complaints import create_app
from complaints.core import clock
from complaints.scheduler import JOBS, Job, run_scheduler

COUNT_JOB = Job("count", "tests.support.scheduler_proc:count_job", timedelta(minutes=15),
                "test job: appends a line per run")


def count_job() -> str:
    """Append the process id and the injected time to the count file."""
    with open(os.environ["SCHEDULER_TEST_COUNT_FILE"], "a") as handle:
        handle.write(f"{os.getpid()} {clock.now().isoformat()}\n")
    return "counted"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--clock-file", required=True)
    parser.add_argument("--count-file", required=True)
    parser.add_argument("--poll", type=float, default=None)
    parser.add_argument("--log", default=None)
    parser.add_argument("--hang-max", type=int, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, filename=args.log,
                        format=f"{os.getpid()} %(levelname)s %(name)s %(message)s")
    os.environ["SCHEDULER_TEST_COUNT_FILE"] = args.count_file
    clock_file = Path(args.clock_file)
    clock.set_now(lambda: datetime.fromisoformat(clock_file.read_text().strip()))
    # The jobs that delete files must only see the test's folder, never instance/.
    folder = Path(args.count_file).parent
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": args.db,
                                 "INSTANCE_DIR": str(folder / "instance"),
                                 "UPLOAD_DIR": str(folder / "uploads")})
    jobs = (*JOBS, COUNT_JOB)
    if args.hang_max is not None:
        jobs = (Job("hang", "tests.support.hanging_run:hang", timedelta(minutes=15),
                    "test job: hangs", max_run=timedelta(seconds=args.hang_max)),)
    run_scheduler(app, jobs, poll_seconds=args.poll)


if __name__ == "__main__":
    main()
