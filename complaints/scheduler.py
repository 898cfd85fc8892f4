"""The one table of periodic jobs, and the wrapper that runs a job safely and once.

The scheduler starts only from `flask scheduler run`, never in create_app: each web
worker would otherwise start its own copy. Each run claims its time slot by inserting
(job, slot, attempt) into job_run, whose unique key makes a second scheduler process (or
a second claim of the same slot) skip it, on SQLite and PostgreSQL alike. A run left
"running" by a crash is abandoned and its slot runs again (see scheduler_runs). A run
that hangs past its job's maximum run time is abandoned too, and the process exits with
EXIT_OVERTIME: Python cannot stop the stuck thread, so the supervisor restarts the
scheduler, whose recovery runs the slot again.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import signal
import threading
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import func, select

from complaints import scheduler_runs
from complaints.core import clock
from complaints.core.jobruns import JobRun
from complaints.extensions import db

log = logging.getLogger("complaints.scheduler")
# Slots are counted from this instant, so every process agrees on them (midnight UTC is
# 07:00 WIB, before the office opens: daily jobs run then).
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
# The exit status when a job hung past its maximum (EX_TEMPFAIL: restart and try again).
EXIT_OVERTIME = 75


@dataclass(frozen=True)
class Job:
    """A periodic job: its name, the function ("module:function") and its interval."""

    name: str
    target: str
    every: timedelta
    description: str
    # How long a running row may go without heartbeat before it counts as abandoned
    # (None: SCHEDULER_STALE_AFTER_SECONDS; SCHEDULER_STALE_AFTER overrides per job).
    stale_after: timedelta | None = None
    # The longest a run may take (None: SCHEDULER_MAX_RUN_SECONDS; SCHEDULER_MAX_RUN
    # overrides per job). Past it the run is abandoned and the scheduler restarts.
    max_run: timedelta | None = None

    def function(self):
        """Return the job's function (imported on first use)."""
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)


JOBS: tuple[Job, ...] = (
    Job("escalate", "complaints.workflow.jobs:escalate", timedelta(minutes=15),
        "Remind holders before due dates; tell Kepala Bidang and Sekretaris when overdue"),
    Job("refresh_due_dates", "complaints.workflow.jobs:refresh_due_dates", timedelta(days=1),
        "Recompute due dates of open complaints (holiday data or settings changed)",
        max_run=timedelta(hours=2)),  # every open complaint, once a day
    Job("send_outbox", "complaints.notifications.jobs:send_outbox", timedelta(seconds=60),
        "Send due outbox messages (email, SMS, WhatsApp), retrying with backoff"),
    Job("poll_imap", "complaints.mail.jobs:poll_imap", timedelta(seconds=120),
        "Fetch the office mailbox over IMAP (does nothing without MAIL_IMAP_HOST)"),
    Job("purge_held_uploads", "complaints.public.jobs:purge_held_uploads", timedelta(hours=1),
        "Delete files held for a public form that was never submitted"),
    Job("sweep_orphan_files", "complaints.tickets.jobs:sweep_orphan_files", timedelta(hours=6),
        "Delete attachment files without a row (left by a crash), after a grace period",
        max_run=timedelta(hours=2)),  # walks the whole upload folder
    Job("compile_monthly_report", "complaints.reports.jobs:compile_previous_month",
        timedelta(days=1),
        "On the first working day of a month, compile last month's report draft",
        max_run=timedelta(hours=2)),  # a month of complaints and its PDF
)


def job_named(name: str, jobs: tuple[Job, ...] = JOBS) -> Job:
    """Return the job of that name, or raise KeyError."""
    for job in jobs:
        if job.name == name:
            return job
    raise KeyError(name)


def slot_of(job: Job, now: datetime) -> datetime:
    """Return the start of the interval the time falls in (the run's scheduled time)."""
    count = (now - EPOCH) // job.every
    return EPOCH + count * job.every


def stale_limit(job: Job) -> timedelta:
    """Return how long the job's running row may go without a heartbeat (app config)."""
    config = current_app.config
    seconds = config["SCHEDULER_STALE_AFTER"].get(job.name)
    if seconds is not None:
        return timedelta(seconds=seconds)
    return job.stale_after or timedelta(seconds=config["SCHEDULER_STALE_AFTER_SECONDS"])


def max_run_limit(job: Job) -> timedelta | None:
    """Return the longest the job may run (app config; None when the setting is 0)."""
    config = current_app.config
    seconds = config["SCHEDULER_MAX_RUN"].get(job.name)
    if seconds is None and job.max_run is not None:
        return job.max_run
    if seconds is None:
        seconds = config["SCHEDULER_MAX_RUN_SECONDS"]
    return timedelta(seconds=seconds) if seconds > 0 else None


def exit_process(status: int) -> None:
    """End the process now: the hung thread cannot be stopped, so nothing may wait for it."""
    logging.shutdown()  # flush the log first
    os._exit(status)


def _overtime(job: Job, slot: datetime, reason: str) -> None:
    """Log the hung run once and exit, so that the supervisor restarts the scheduler."""
    log.error("job %s: slot %s %s; abandoned, the scheduler exits (status %s) to be "
              "restarted", job.name, slot.isoformat(), reason, EXIT_OVERTIME)
    exit_process(EXIT_OVERTIME)


def run_job(app: Flask, job: Job, manual: bool = False) -> str:
    """Run the job for the current slot unless it ran; return "ok", "failed" or "skipped"."""
    with app.app_context():
        try:
            now = clock.now()
            slot = now if manual else slot_of(job, now)
            run_id = scheduler_runs.claim(job.name, slot, manual, stale_limit(job))
            if run_id is None:
                log.info("job %s: slot %s already run, skipped", job.name, slot.isoformat())
                return "skipped"
            error = None
            with scheduler_runs.Heartbeat(
                    app, run_id, app.config["SCHEDULER_HEARTBEAT_SECONDS"], max_run_limit(job),
                    lambda reason: _overtime(job, slot, reason)):
                try:
                    result = job.function()()
                    log.info("job %s: slot %s done (%s)", job.name, slot.isoformat(), result)
                except Exception:  # noqa: BLE001 - a failing job must not stop the scheduler
                    db.session.rollback()
                    error = traceback.format_exc()[-4000:]
                    log.exception("job %s: slot %s failed", job.name, slot.isoformat())
            scheduler_runs.finish(run_id, error)
            return "failed" if error else "ok"
        finally:
            db.session.remove()


def recover(app: Flask, jobs: tuple[Job, ...] = JOBS) -> dict[str, str]:
    """Abandon runs left by dead processes; run again each job whose current slot it was."""
    with app.app_context():
        try:
            limits = {job.name: stale_limit(job) for job in jobs}
            default = timedelta(seconds=app.config["SCHEDULER_STALE_AFTER_SECONDS"])
            scheduler_runs.reap(limits, default)
            now = clock.now()
            again = [job for job in jobs
                     if scheduler_runs.slot_abandoned(job.name, slot_of(job, now))]
        finally:
            db.session.remove()
    return {job.name: run_job(app, job) for job in again}


def catch_up(app: Flask, jobs: tuple[Job, ...] = JOBS) -> dict[str, str]:
    """Run each job whose current slot has no run yet: a missed run, caught up once."""
    results = recover(app, jobs)
    return {job.name: results.get(job.name) or run_job(app, job) for job in jobs}


def build_scheduler(app: Flask, jobs: tuple[Job, ...] = JOBS, poll_seconds: float | None = None):
    """Return a BlockingScheduler firing each job at its interval, aligned to EPOCH.

    poll_seconds fires every job more often than its interval (the slot claim keeps it
    to one run per interval); tests use it with an injected clock.
    """
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = BlockingScheduler(timezone=UTC)
    for job in jobs:
        seconds = poll_seconds or job.every.total_seconds()
        scheduler.add_job(run_job, IntervalTrigger(seconds=seconds, start_date=EPOCH,
                                                   timezone=UTC),
                          args=[app, job], id=job.name, name=job.name, coalesce=True,
                          max_instances=1, misfire_grace_time=None)
    # Runs left "running" by a crashed process are found here, and their slot runs again.
    recover_seconds = poll_seconds or app.config["SCHEDULER_RECOVER_SECONDS"]
    scheduler.add_job(recover, IntervalTrigger(seconds=recover_seconds, start_date=EPOCH,
                                               timezone=UTC),
                      args=[app, jobs], id="_recover", name="recover", coalesce=True,
                      max_instances=1, misfire_grace_time=None)
    return scheduler


def run_scheduler(app: Flask, jobs: tuple[Job, ...] = JOBS, poll_seconds: float | None = None,
                  run_for: float | None = None) -> None:
    """Catch up missed runs, then run the jobs until stopped (SIGTERM, Ctrl-C, run_for)."""
    catch_up(app, jobs)
    scheduler = build_scheduler(app, jobs, poll_seconds)

    def stop(*_args) -> None:
        scheduler.shutdown(wait=False)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    if run_for is not None:
        timer = threading.Timer(run_for, stop)
        timer.daemon = True
        timer.start()
    log.info("scheduler started with %s", ", ".join(j.name for j in jobs))
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
    log.info("scheduler stopped")


def last_runs() -> dict[str, JobRun]:
    """Return the latest run of each job."""
    latest = (select(JobRun.name, func.max(JobRun.id).label("id")).group_by(JobRun.name)
              .subquery())
    rows = db.session.scalars(select(JobRun).join(latest, JobRun.id == latest.c.id))
    return {run.name: run for run in rows}


def abandoned_runs(limit: int = 10) -> list[JobRun]:
    """Return the latest runs that were abandoned (left "running" by a dead process)."""
    return list(db.session.scalars(select(JobRun).where(JobRun.status == "abandoned")
                                   .order_by(JobRun.id.desc()).limit(limit)))
