"""Runs left "running" by a crash are abandoned and their slot runs again (both databases)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from complaints import scheduler, scheduler_runs
from complaints.core import clock
from complaints.core.jobruns import JobRun
from complaints.extensions import db

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # the start of a 15-minute slot
BODIES: list[str] = []


@pytest.fixture(autouse=True)
def _reset():
    BODIES.clear()
    yield
    clock.set_now(None)


def body() -> str:
    """A job body that records that it ran and takes a moment (so racers overlap)."""
    BODIES.append(threading.current_thread().name)
    time.sleep(0.3)
    return "done"


def _job(name: str = "count", **kwargs) -> scheduler.Job:
    return scheduler.Job(name, "tests.test_service_scheduler:body", timedelta(minutes=15), "",
                         **kwargs)


def _runs(app, name: str = "count") -> list[JobRun]:
    with app.app_context():
        rows = db.session.scalars(select(JobRun).where(JobRun.name == name)
                                  .order_by(JobRun.scheduled_for, JobRun.attempt)).all()
        db.session.expunge_all()
        db.session.remove()
        return list(rows)


def _left_running(app, slot: datetime, beat: datetime, name: str = "count") -> None:
    """Insert the row a scheduler on another machine left when it died."""
    with app.app_context():
        db.session.add(JobRun(name=name, scheduled_for=slot, started_at=beat, heartbeat_at=beat,
                              host="another-host", pid=4321, status="running"))
        db.session.commit()
        db.session.remove()


def _kill_mid_run(app, name: str) -> int:
    """Start a process that claims the slot of T0 and hangs, kill it; return its pid."""
    command = [sys.executable, "-m", "tests.support.hanging_run", "--db",
               app.config["SQLALCHEMY_DATABASE_URI"], "--name", name, "--now", T0.isoformat()]
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 60
        while not [r for r in _runs(app, name) if r.status == "running"]:
            assert proc.poll() is None, "the hanging process died before claiming its slot"
            assert time.monotonic() < deadline, "the hanging process never claimed its slot"
            time.sleep(0.1)
    finally:
        proc.kill()
        proc.wait()
    return proc.pid


def test_a_killed_run_is_abandoned_and_its_slot_runs_again(app):
    pid = _kill_mid_run(app, "count")
    (left,) = _runs(app)
    assert (left.status, left.pid, left.host) == ("running", pid, scheduler_runs.HOST)
    clock.set_now(T0 + timedelta(minutes=1))  # same slot, long before any time limit
    assert scheduler.catch_up(app, (_job(),)) == {"count": "ok"}
    abandoned, again = _runs(app)
    assert (abandoned.attempt, abandoned.status) == (0, "abandoned")
    assert abandoned.error == f"process {pid} on {scheduler_runs.HOST} is gone"
    assert abandoned.finished_at == T0 + timedelta(minutes=1)
    assert (again.scheduled_for, again.attempt, again.status) == (T0, 1, "ok")
    assert again.pid == os.getpid() and len(BODIES) == 1
    assert scheduler.run_job(app, _job()) == "skipped"  # the slot is done now


def test_a_silent_run_elsewhere_is_abandoned_after_the_jobs_limit(app):
    _left_running(app, T0, T0)
    clock.set_now(T0 + timedelta(minutes=4, seconds=59))  # default limit: 300 s
    assert scheduler.run_job(app, _job()) == "skipped"
    assert [r.status for r in _runs(app)] == ["running"]
    clock.set_now(T0 + timedelta(minutes=5, seconds=1))
    assert scheduler.run_job(app, _job()) == "ok"
    abandoned, again = _runs(app)
    assert abandoned.status == "abandoned" and "no heartbeat from process 4321" in abandoned.error
    assert "on another-host since 2026-11-23 03:00:00 UTC (limit 300 s)" in abandoned.error
    assert (again.attempt, again.status) == (1, "ok")


def test_the_limit_is_set_per_job(app):
    app.config["SCHEDULER_STALE_AFTER"] = {"count": 60}
    _left_running(app, T0, T0)
    _left_running(app, T0, T0, name="other")
    clock.set_now(T0 + timedelta(minutes=2))
    assert scheduler.run_job(app, _job()) == "ok"
    assert scheduler.run_job(app, _job("other")) == "skipped"
    assert scheduler.run_job(app, _job("other", stale_after=timedelta(seconds=90))) == "ok"


def test_recover_marks_old_slots_and_reruns_only_the_current_one(app):
    _left_running(app, T0 - timedelta(hours=1), T0 - timedelta(hours=1))  # an old slot
    _left_running(app, T0, T0)  # the current slot
    _left_running(app, T0, T0 + timedelta(minutes=6), name="fresh")  # a recent heartbeat
    clock.set_now(T0 + timedelta(minutes=10))
    assert scheduler.recover(app, (_job(), _job("fresh"))) == {"count": "ok"}
    assert [(r.scheduled_for, r.status) for r in _runs(app)] == [
        (T0 - timedelta(hours=1), "abandoned"), (T0, "abandoned"), (T0, "ok")]
    assert [r.status for r in _runs(app, "fresh")] == ["running"]
    assert scheduler.recover(app, (_job(), _job("fresh"))) == {}


@pytest.mark.parametrize("round_", range(3))
def test_two_schedulers_racing_for_an_abandoned_slot_run_it_once(app, round_):
    slot = T0 + round_ * timedelta(minutes=15)
    _left_running(app, slot, slot)
    clock.set_now(slot + timedelta(minutes=10))
    start = threading.Barrier(2)
    results: list[str] = []

    def scheduler_process() -> None:
        start.wait(timeout=30)
        results.append(scheduler.run_job(app, _job()))

    racers = [threading.Thread(target=scheduler_process, name=f"racer-{n}") for n in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
    assert sorted(results) == ["ok", "skipped"]
    assert len(BODIES) == 1
    assert [(r.attempt, r.status) for r in _runs(app)] == [(0, "abandoned"), (1, "ok")]


def test_a_heartbeat_keeps_a_long_run_from_being_abandoned(app):
    app.config["SCHEDULER_HEARTBEAT_SECONDS"] = 0.05
    job = _job(stale_after=timedelta(seconds=0.2))  # the real clock: body takes 0.3 s
    first = threading.Thread(target=lambda: scheduler.run_job(app, job), name="first")
    first.start()
    while not BODIES:
        time.sleep(0.01)
    time.sleep(0.25)  # older than the limit, but the heartbeat is fresh
    assert scheduler.run_job(app, job) == "skipped"
    first.join(timeout=30)
    (run,) = _runs(app)
    assert run.status == "ok" and run.heartbeat_at > run.started_at


def test_a_run_that_ends_after_being_abandoned_stays_abandoned(app):
    clock.set_now(T0)
    with app.app_context():
        run_id = scheduler_runs.claim("count", T0, False, timedelta(seconds=300))
        assert run_id is not None
        db.session.execute(db.update(JobRun).values(host="another-host"))
        db.session.commit()
        clock.set_now(T0 + timedelta(minutes=6))
        assert scheduler_runs.reap({}, timedelta(seconds=300)) == [("count", T0)]
        scheduler_runs.finish(run_id, None)
        db.session.remove()
    (run,) = _runs(app)
    assert run.status == "abandoned" and "(the run ended later: ok)" in run.error


def test_flask_jobs_list_shows_abandoned_runs(app, runner):
    _left_running(app, T0, T0, name="escalate")
    clock.set_now(T0 + timedelta(minutes=6))
    scheduler.recover(app, ())
    listing = runner.invoke(args=["jobs", "list"])
    assert "abandoned at 2026-11-23 03:00 UTC" in listing.output
    assert "Abandoned runs" in listing.output
    assert "escalate slot 2026-11-23 03:00 UTC attempt 0: no heartbeat" in listing.output


RELEASE = threading.Event()


def stuck() -> str:
    """A job body that hangs until the test releases it (a stuck network call)."""
    RELEASE.wait(timeout=60)
    return "late"


def test_a_run_past_its_maximum_is_abandoned_and_its_slot_runs_again(app, monkeypatch):
    RELEASE.clear()
    exits: list[int] = []

    def exit_process(status: int) -> None:  # the real one ends the process
        exits.append(status)
        RELEASE.set()

    monkeypatch.setattr(scheduler, "exit_process", exit_process)
    app.config["SCHEDULER_HEARTBEAT_SECONDS"] = 30  # no beat in time: the maximum decides
    app.config["SCHEDULER_MAX_RUN"] = {"count": 1}
    clock.set_now(T0 + timedelta(minutes=1))
    hung = scheduler.Job("count", "tests.test_service_scheduler:stuck", timedelta(minutes=15), "")
    scheduler.run_job(app, hung)  # returns once the watchdog released the body
    assert exits == [scheduler.EXIT_OVERTIME]
    (run,) = _runs(app)
    assert (run.attempt, run.status) == (0, "abandoned")
    assert run.error.startswith("ran longer than its maximum of 1 s")
    assert "(the run ended later: ok)" in run.error  # finish() keeps the status, adds a note
    assert run.finished_at == T0 + timedelta(minutes=1)
    assert scheduler.run_job(app, _job()) == "ok"  # the next attempt of the same slot
    assert [(r.attempt, r.status) for r in _runs(app)] == [(0, "abandoned"), (1, "ok")]
    assert scheduler.run_job(app, _job()) == "skipped"
