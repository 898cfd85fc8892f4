"""Commands: `flask reports compile YYYY-MM` and `flask demo bulk-load N`."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

reports_cli = AppGroup("reports", help="Monthly complaint reports.")
demo_cli = AppGroup("demo", help="Demo and load-test data.")


@reports_cli.command("compile")
@click.argument("month")
def compile_command(month: str):
    """Compile (or refresh) the draft report of MONTH (YYYY-MM) now."""
    from complaints.reports.service import ReportError, compile_report
    from complaints.reports.stats import month_of

    try:
        year, number = month_of(month)
        started = time.perf_counter()
        report = compile_report(year, number)
    except ValueError as exc:  # ReportError is one
        raise click.ClickException(str(exc)) from exc
    except ReportError as exc:  # pragma: no cover - subclass of ValueError
        raise click.ClickException(str(exc)) from exc
    version = report.current
    click.echo(f"Report {report.slug}: version {version.number} ({version.status.value}), "
               f"{version.figures['received']} complaints, "
               f"compiled in {time.perf_counter() - started:.2f} s.")


@demo_cli.command("bulk-load")
@click.argument("count", type=click.IntRange(1, 10_000_000))
@click.option("--seed", default=7, show_default=True, help="Random seed (same seed, same data).")
def bulk_load_command(count: int, seed: int):
    """Load COUNT synthetic complaints spread over the last 12 months (fast, batched)."""
    from complaints.reports.bulk import bulk_load
    from complaints.workflow.calendar_service import work_calendar

    started = time.perf_counter()

    def progress(totals: dict) -> None:
        if totals["complaints"] % 100_000 == 0:
            click.echo(f"  {totals['complaints']} complaints "
                       f"({time.perf_counter() - started:.0f} s)")

    totals = bulk_load(count, work_calendar(), current_app.config["REGISTER_PREFIX"], seed,
                       progress)
    click.echo(f"Loaded {totals['complaints']} complaints, {totals['events']} events, "
               f"{totals['ratings']} ratings in {time.perf_counter() - started:.1f} s.")
