"""A job hung past its maximum run time: the rule, the limits and the process exit."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from complaints import scheduler
from complaints.core.jobruns import JobRun
from complaints.extensions import db
from complaints.scheduler_runs import overtime_reason

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(("elapsed", "limit", "expected"), [
    (timedelta(seconds=0), timedelta(seconds=60), None),
    (timedelta(seconds=60), timedelta(seconds=60), None),  # at the maximum: still allowed
    (timedelta(seconds=60.5), timedelta(seconds=60), "ran longer than its maximum of 60 s"),
    (timedelta(hours=3), timedelta(minutes=30), "ran longer than its maximum of 1800 s"),
    (timedelta(days=9), None, None),  # no maximum
])
def test_overtime_rule(elapsed, limit, expected):
    assert overtime_reason(elapsed, limit) == expected


@pytest.mark.parametrize(("job", "config", "expected"), [
    (scheduler.Job("a", "m:f", timedelta(minutes=1), ""), {}, timedelta(minutes=30)),
    (scheduler.Job("a", "m:f", timedelta(minutes=1), "", max_run=timedelta(hours=2)), {},
     timedelta(hours=2)),
    (scheduler.Job("a", "m:f", timedelta(minutes=1), ""), {"SCHEDULER_MAX_RUN_SECONDS": 90},
     timedelta(seconds=90)),
    (scheduler.Job("a", "m:f", timedelta(minutes=1), "", max_run=timedelta(hours=2)),
     {"SCHEDULER_MAX_RUN": {"a": 45}}, timedelta(seconds=45)),
    (scheduler.Job("a", "m:f", timedelta(minutes=1), ""), {"SCHEDULER_MAX_RUN_SECONDS": 0},
     None),
])
def test_the_maximum_of_a_job(app, job, config, expected):
    app.config.update(config)
    with app.app_context():
        assert scheduler.max_run_limit(job) == expected


def test_every_job_has_a_maximum_of_at_least_30_minutes(app):
    with app.app_context():
        for job in scheduler.JOBS:
            limit = scheduler.max_run_limit(job)
            assert limit is not None and limit >= timedelta(minutes=30), job.name


def test_the_scheduler_process_exits_when_a_job_hangs_past_its_maximum(app, tmp_path):
    clock_file, log = tmp_path / "clock.txt", tmp_path / "sched.log"
    clock_file.write_text((T0 + timedelta(minutes=1)).isoformat())
    command = [sys.executable, "-m", "tests.support.scheduler_proc", "--db",
               app.config["SQLALCHEMY_DATABASE_URI"], "--clock-file", str(clock_file),
               "--count-file", str(tmp_path / "count.txt"), "--log", str(log),
               "--hang-max", "1"]
    proc = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == scheduler.EXIT_OVERTIME, proc.stderr
    text = log.read_text()
    assert text.count("ran longer than its maximum of 1 s") == 1, text
    assert "ERROR complaints.scheduler job hang" in text
    assert "Traceback" not in text + proc.stderr
    with app.app_context():
        (run,) = db.session.scalars(select(JobRun).where(JobRun.name == "hang")).all()
        assert run.status == "abandoned"
        assert run.error == "ran longer than its maximum of 1 s"
        db.session.remove()


@pytest.mark.parametrize(("second_status", "runs", "status"), [(0, 2, 0), (3, 2, 3)])
def test_make_runs_wrapper_restarts_the_scheduler_only_after_a_hung_job(
        tmp_path, second_status, runs, status):
    count = tmp_path / "runs"
    # The fake scheduler exits 75 (a job hung) the first time, then second_status.
    fake = (f'echo run >> "{count}"; [ "$(wc -l < "{count}")" -ge 2 ] && exit {second_status};'
            " exit 75")
    proc = subprocess.run([str(ROOT / "scripts" / "run_scheduler.sh"), "sh", "-c", fake],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == status
    assert len(count.read_text().splitlines()) == runs
    assert "status 75" in proc.stderr
