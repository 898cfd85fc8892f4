"""Claiming, heartbeating and finishing job runs; runs whose process died are abandoned.

A run claims its slot by inserting (job, slot, attempt) into job_run; the unique key
lets one process win. While the job runs a thread refreshes heartbeat_at. A "running"
row whose heartbeat is older than the job's limit, or whose process on this host is
gone, was left by a crash (process killed, machine restarted): it is marked
"abandoned" with the reason and the slot may be claimed again as the next attempt.
A run that hangs inside a live process would keep beating for ever: the heartbeat
thread also watches the job's maximum run time, and past it marks the run abandoned
and calls back (the scheduler then exits so that its supervisor restarts it).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.core.jobruns import JobRun
from complaints.extensions import db

log = logging.getLogger("complaints.scheduler")
HOST = socket.gethostname()[:255]


def pid_alive(pid: int) -> bool:
    """Return whether a process of that id exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists but belongs to someone else
        return True
    return True


def abandon_reason(run: JobRun, now: datetime, limit: timedelta, host: str = HOST,
                   alive=pid_alive) -> str | None:
    """Return why a running row was left behind by a dead process, or None if it may live."""
    if run.host == host and run.pid is not None and not alive(run.pid):
        return f"process {run.pid} on {run.host} is gone"
    beat = run.heartbeat_at or run.started_at
    if now - beat > limit:
        return (f"no heartbeat from process {run.pid} on {run.host} since "
                f"{beat:%Y-%m-%d %H:%M:%S} UTC (limit {int(limit.total_seconds())} s)")
    return None


def overtime_reason(elapsed: timedelta, limit: timedelta | None) -> str | None:
    """Return why a run that has lasted `elapsed` must stop counting as alive, or None."""
    if limit is None or elapsed <= limit:
        return None
    return f"ran longer than its maximum of {int(limit.total_seconds())} s"


def time_out(run_id: int, reason: str) -> bool:
    """Mark a running run abandoned for running too long; return whether it was running."""
    with write_transaction():
        result = db.session.execute(
            update(JobRun).where(JobRun.id == run_id, JobRun.status == "running")
            .values(status="abandoned", finished_at=clock.now(), error=reason)
            .execution_options(synchronize_session=False))
    return result.rowcount == 1  # type: ignore[attr-defined]


def _mark_abandoned(run: JobRun, reason: str, now: datetime) -> bool:
    """Mark the row abandoned unless another process did first; return whether we did."""
    result = db.session.execute(
        update(JobRun).where(JobRun.id == run.id, JobRun.status == "running")
        .values(status="abandoned", finished_at=now, error=reason)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    log.warning("job %s: run of slot %s (attempt %s) abandoned: %s", run.name,
                run.scheduled_for.isoformat(), run.attempt, reason)
    return True


def _next_attempt(name: str, slot: datetime, limit: timedelta, now: datetime) -> int | None:
    """Return the attempt number free for the slot, or None when it ran or is running."""
    latest = db.session.scalar(
        select(JobRun).where(JobRun.name == name, JobRun.scheduled_for == slot)
        .order_by(JobRun.attempt.desc()).limit(1))
    if latest is None:
        return 0
    if latest.status == "abandoned":
        return latest.attempt + 1
    if latest.status != "running":
        return None
    reason = abandon_reason(latest, now, limit)
    if reason is None or not _mark_abandoned(latest, reason, now):
        return None
    return latest.attempt + 1


def claim(name: str, slot: datetime, manual: bool, limit: timedelta) -> int | None:
    """Insert the run's row; None when another process ran or is running the slot."""
    try:
        with write_transaction():
            now = clock.now()
            attempt = _next_attempt(name, slot, limit, now)
            if attempt is None:
                return None
            run = JobRun(name=name, scheduled_for=slot, attempt=attempt, started_at=now,
                         heartbeat_at=now, manual=manual, host=HOST, pid=os.getpid())
            db.session.add(run)
            db.session.flush()
            return run.id
    except IntegrityError:  # a concurrent claim inserted the same attempt first
        return None


def finish(run_id: int, error: str | None) -> None:
    """Record the end of the run (kept "abandoned" if it was declared dead meanwhile)."""
    with write_transaction():
        run = db.session.get(JobRun, run_id)
        assert run is not None
        status = "failed" if error else "ok"
        if run.status == "abandoned":
            log.warning("job %s: run %s finished (%s) after it was declared abandoned",
                        run.name, run_id, status)
            run.error = f"{run.error}\n(the run ended later: {status})\n{error or ''}"[-4000:]
            return
        run.finished_at = clock.now()
        run.status = status
        run.error = error


def reap(limits: dict[str, timedelta], default: timedelta) -> list[tuple[str, datetime]]:
    """Mark every running row left by a dead process abandoned; return (job, slot) pairs."""
    now = clock.now()
    running = db.session.scalars(select(JobRun).where(JobRun.status == "running")).all()
    stale = [(run, reason) for run in running
             if (reason := abandon_reason(run, now, limits.get(run.name, default)))]
    db.session.rollback()  # end the read: the write lock is taken only when there is work
    if not stale:
        return []
    with write_transaction():  # the conditional update lets one of racing reapers win
        return [(run.name, run.scheduled_for) for run, reason in stale
                if _mark_abandoned(run, reason, now)]


def slot_abandoned(name: str, slot: datetime) -> bool:
    """Return whether the slot's latest attempt was abandoned (so it should run again)."""
    status = db.session.scalar(
        select(JobRun.status).where(JobRun.name == name, JobRun.scheduled_for == slot)
        .order_by(JobRun.attempt.desc()).limit(1))
    return status == "abandoned"


class Heartbeat:
    """A thread refreshing the run's heartbeat_at every `every` seconds until stopped.

    With `max_run` it also watches the run's length: past it the run is marked abandoned
    and `on_overtime(reason)` is called in this thread (the job's own thread is stuck).
    """

    def __init__(self, app: Flask, run_id: int, every: float, max_run: timedelta | None = None,
                 on_overtime: Callable[[str], None] | None = None):
        self.app, self.run_id, self.every = app, run_id, every
        self.max_run, self.on_overtime = max_run, on_overtime
        self._started = time.monotonic()  # the real elapsed time, whatever the clock says
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{run_id}",
                                        daemon=True)

    def __enter__(self) -> Heartbeat:
        self._started = time.monotonic()
        if self.every > 0 or self.max_run is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _elapsed(self) -> timedelta:
        return timedelta(seconds=time.monotonic() - self._started)

    def _wait(self) -> float | None:
        """Return how long to sleep until the next beat or the maximum, None for ever."""
        waits = [self.every] if self.every > 0 else []
        if self.max_run is not None:
            left = (self.max_run - self._elapsed()).total_seconds()
            waits.append(max(left, 0) + 0.01)  # wake just past the maximum, not at it
        return min(waits) if waits else None

    def _beat(self) -> None:
        while not self._stop.wait(self._wait()):
            reason = overtime_reason(self._elapsed(), self.max_run)
            if reason:
                self._time_out(reason)
                return
            if self.every > 0:
                with self.app.app_context():
                    try:
                        self.beat_once()
                    except SQLAlchemyError:  # a busy database: the next beat tries again
                        log.warning("job run %s: heartbeat failed", self.run_id, exc_info=True)
                    finally:
                        db.session.remove()

    def _time_out(self, reason: str) -> None:
        """Stop vouching for the run; the callback runs even when the database fails."""
        with self.app.app_context():
            try:
                time_out(self.run_id, reason)
            except SQLAlchemyError:  # on restart the run is abandoned as its process is gone
                log.warning("job run %s: could not mark it timed out", self.run_id,
                            exc_info=True)
            finally:
                db.session.remove()
        if self.on_overtime is not None:
            self.on_overtime(reason)

    def beat_once(self) -> None:
        """Write one heartbeat (warns when the run was meanwhile declared abandoned)."""
        with write_transaction():
            result = db.session.execute(
                update(JobRun).where(JobRun.id == self.run_id, JobRun.status == "running")
                .values(heartbeat_at=clock.now())
                .execution_options(synchronize_session=False))
        if result.rowcount == 0:  # type: ignore[attr-defined]
            log.warning("job run %s: still running but already declared abandoned",
                        self.run_id)
