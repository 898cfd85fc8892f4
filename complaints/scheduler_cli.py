"""Flask commands of the scheduler: `flask scheduler run`, `flask jobs list|run`."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from complaints import scheduler

scheduler_cli = AppGroup("scheduler", help="The periodic-job scheduler (its own process).")
jobs_cli = AppGroup("jobs", help="List the periodic jobs or run one now.")


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


@scheduler_cli.command("run")
def scheduler_run():
    """Run the periodic jobs until stopped (one process next to the web server)."""
    _logging()
    scheduler.run_scheduler(current_app._get_current_object())  # type: ignore[attr-defined]


@jobs_cli.command("list")
def jobs_list():
    """List the jobs with their interval and last run."""
    last = scheduler.last_runs()
    for job in scheduler.JOBS:
        run = last.get(job.name)
        state = (f"{run.status} at {run.started_at:%Y-%m-%d %H:%M} UTC" if run else "never run")
        click.echo(f"{job.name:<20} every {str(job.every):<16} {state:<34} {job.description}")
    abandoned = scheduler.abandoned_runs()
    if abandoned:
        click.echo("\nAbandoned runs (a dead process, or past the job's maximum run time; "
                   "latest first):")
    for run in abandoned:
        click.echo(f"  {run.name} slot {run.scheduled_for:%Y-%m-%d %H:%M} UTC "
                   f"attempt {run.attempt}: {(run.error or '').partition(chr(10))[0]}")


@jobs_cli.command("run")
@click.argument("name")
def jobs_run(name):
    """Run one job now (outside its schedule)."""
    _logging()
    try:
        job = scheduler.job_named(name)
    except KeyError as exc:
        names = ", ".join(j.name for j in scheduler.JOBS)
        raise click.ClickException(f"no job {name!r} (one of {names})") from exc
    status = scheduler.run_job(current_app._get_current_object(), job, manual=True)  # type: ignore[attr-defined]
    click.echo(f"{name}: {status}")
    if status == "failed":
        raise SystemExit(1)
