"""The scheduler: one run per job and interval across processes, catch-up, `flask jobs`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from complaints import scheduler
from complaints.core import clock
from complaints.core.jobruns import JobRun
from complaints.extensions import db

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 WIB on a Monday, a 15-minute slot


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_now(None)


class Procs:
    """Scheduler subprocesses sharing one database and one injected clock."""

    def __init__(self, app, tmp_path: Path):
        self.url = app.config["SQLALCHEMY_DATABASE_URI"]
        self.tmp = tmp_path
        self.clock_file = tmp_path / "clock.txt"
        self.count_file = tmp_path / "count.txt"
        self.count_file.touch()
        self.running: list[tuple[subprocess.Popen, Path]] = []
        self.started = 0

    def set_clock(self, value: datetime) -> None:
        tmp = self.clock_file.with_suffix(".new")
        tmp.write_text(value.isoformat())
        tmp.replace(self.clock_file)  # atomic: a process never reads half a time

    def start(self, poll: float | None) -> tuple[subprocess.Popen, Path]:
        self.started += 1
        log = self.tmp / f"sched-{self.started}.log"
        command = [sys.executable, "-m", "tests.support.scheduler_proc", "--db", self.url,
                   "--clock-file", str(self.clock_file), "--count-file", str(self.count_file),
                   "--log", str(log)]
        if poll:
            command += ["--poll", str(poll)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(command, cwd=ROOT, env=env)
        self.running.append((proc, log))
        return proc, log

    def wait_started(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        for proc, log in self.running:
            while "scheduler started" not in (log.read_text() if log.exists() else ""):
                assert proc.poll() is None, log.read_text() if log.exists() else "died"
                assert time.monotonic() < deadline, "scheduler process did not start"
                time.sleep(0.1)

    def stop_all(self) -> None:
        for proc, _log in self.running:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _log in self.running:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.running = []

    def settle(self, app, runs: int, timeout: float = 60) -> None:
        """Wait until every job has its expected runs recorded, then one second more."""
        deadline = time.monotonic() + timeout
        while len(_runs(app, "count")) < runs or len(_runs(app, "escalate")) < runs:
            assert time.monotonic() < deadline, "the scheduler processes did not run the jobs"
            time.sleep(0.1)
        time.sleep(1.0)

    def logs(self) -> str:
        return "".join(p.read_text() for p in self.tmp.glob("sched-*.log"))


@pytest.fixture
def procs(app, tmp_path):
    runner = Procs(app, tmp_path)
    yield runner
    runner.stop_all()


def _runs(app, name: str) -> list[tuple[datetime, str]]:
    with app.app_context():
        rows = db.session.scalars(select(JobRun).where(JobRun.name == name)
                                  .order_by(JobRun.scheduled_for))
        result = [(r.scheduled_for, r.status) for r in rows]
        db.session.remove()
        return result


@pytest.mark.both_db
@pytest.mark.slow
def test_two_scheduler_processes_run_each_job_once_per_interval(app, procs):
    procs.set_clock(T0 + timedelta(minutes=1))
    procs.start(poll=0.2)
    procs.start(poll=0.2)
    procs.wait_started()
    # Both processes fire every job every 0.2 s; each phase lasts until its run is seen
    # and then a second more, in which any second run would show.
    procs.settle(app, 1)  # the slot of T0
    procs.set_clock(T0 + timedelta(minutes=16))  # the next 15-minute slot
    procs.settle(app, 2)
    procs.set_clock(T0 + timedelta(hours=3, minutes=7))  # many slots later: one run
    procs.settle(app, 3)
    procs.stop_all()

    slots = [T0, T0 + timedelta(minutes=15), T0 + timedelta(hours=3)]
    assert _runs(app, "count") == [(s, "ok") for s in slots]
    assert _runs(app, "escalate") == [(s, "ok") for s in slots]
    assert _runs(app, "refresh_due_dates") == [(datetime(2026, 11, 23, tzinfo=UTC), "ok")]
    lines = procs.count_file.read_text().splitlines()
    assert len(lines) == 3  # the job's body ran once per interval, in one process or other
    logs = procs.logs()
    assert logs.count("already run, skipped") > 10  # the processes really competed
    assert len({line.split()[0] for line in logs.splitlines() if "skipped" in line}) == 2


@pytest.mark.slow
def test_a_missed_run_is_caught_up_once_on_restart(app, procs):
    procs.set_clock(T0)
    procs.start(poll=None)  # the real intervals: nothing fires during the test
    procs.wait_started()
    procs.stop_all()
    procs.set_clock(T0 + timedelta(hours=2, minutes=20))  # eight 15-minute runs missed
    procs.start(poll=None)
    procs.wait_started()
    procs.stop_all()
    assert _runs(app, "count") == [(T0, "ok"), (T0 + timedelta(hours=2, minutes=15), "ok")]
    assert len(procs.count_file.read_text().splitlines()) == 2


def test_slots_are_aligned_to_the_epoch():
    job = scheduler.job_named("escalate")
    assert scheduler.slot_of(job, T0 + timedelta(minutes=14, seconds=59)) == T0
    assert scheduler.slot_of(job, T0 + timedelta(minutes=15)) == T0 + timedelta(minutes=15)
    daily = scheduler.job_named("refresh_due_dates")
    assert scheduler.slot_of(daily, T0) == datetime(2026, 11, 23, tzinfo=UTC)


def test_run_job_claims_the_slot_once_and_records_failures(app):
    clock.set_now(T0)
    ok = scheduler.Job("ok", "complaints.workflow.jobs:refresh_due_dates", timedelta(minutes=5),
                       "")
    broken = scheduler.Job("broken", "tests.test_scheduler:_boom", timedelta(minutes=5), "")
    assert scheduler.run_job(app, ok) == "ok"
    assert scheduler.run_job(app, ok) == "skipped"
    assert scheduler.run_job(app, broken) == "failed"
    with app.app_context():
        run = db.session.scalar(select(JobRun).where(JobRun.name == "broken"))
        assert run.status == "failed" and "RuntimeError: boom" in run.error
        assert run.finished_at == T0
    assert scheduler.catch_up(app, (ok, broken)) == {"ok": "skipped", "broken": "skipped"}


def _boom():
    raise RuntimeError("boom")


def test_flask_jobs_run_and_list(app, runner, factory):
    clock.set_now(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    factory.complaint()
    clock.set_now(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))  # long overdue
    factory.user(positions=[("sekretaris", None)])
    first = runner.invoke(args=["jobs", "run", "escalate"])
    assert first.exit_code == 0, first.output
    assert "escalate: ok" in first.output
    clock.set_now(datetime(2026, 11, 30, 2, 1, tzinfo=UTC))
    again = runner.invoke(args=["jobs", "run", "escalate"])
    assert again.exit_code == 0
    with app.app_context():
        from complaints.inbox.models import Notification

        assert db.session.scalar(select(db.func.count(Notification.id))) == 1
        runs = db.session.scalars(select(JobRun).where(JobRun.name == "escalate")).all()
        assert [r.manual for r in runs] == [True, True]
    listing = runner.invoke(args=["jobs", "list"])
    assert "escalate" in listing.output and "ok at" in listing.output
    assert "refresh_due_dates" in listing.output and "never run" in listing.output
    unknown = runner.invoke(args=["jobs", "run", "nope"])
    assert unknown.exit_code != 0 and "no job" in unknown.output


def test_create_app_starts_no_scheduler(app):
    import threading

    assert not [t for t in threading.enumerate() if "APScheduler" in t.name]
