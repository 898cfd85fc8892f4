"""`flask calendar`: list and maintain the local days off."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from complaints.core import clock
from complaints.workflow import calendar as workdays
from complaints.workflow import calendar_service

calendar_cli = AppGroup("calendar", help="The working-day calendar: holidays and local days off.")


@calendar_cli.command("add-day")
@click.argument("day", type=click.DateTime(["%Y-%m-%d"]))
@click.argument("reason")
def add_day(day, reason):
    """Add a local day off or office closure (DAY as YYYY-MM-DD)."""
    try:
        calendar_service.add_day_off(day.date(), reason)
    except calendar_service.CalendarError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{day.date().isoformat()} added as a day off; open due dates recomputed.")


@calendar_cli.command("remove-day")
@click.argument("day", type=click.DateTime(["%Y-%m-%d"]))
def remove_day(day):
    """Remove an added day off."""
    rows = [r for r in calendar_service.list_days_off(day.year) if r.day == day.date()]
    if not rows:
        raise click.ClickException(f"{day.date().isoformat()} is not an added day off")
    calendar_service.remove_day_off(rows[0].id)
    click.echo(f"{day.date().isoformat()} removed; open due dates recomputed.")


@calendar_cli.command("list")
@click.option("--year", type=int, default=None, help="The year (default: this year).")
def list_days(year):
    """List national holidays, cuti bersama and local days off of a year."""
    year = year or clock.now().year
    days: list[tuple[date, str]] = list(workdays.holiday_names(year))
    days += [(r.day, f"{r.reason} (local)") for r in calendar_service.list_days_off(year)]
    for day, name in sorted(days):
        click.echo(f"{day.isoformat()} {day:%a}  {name}")
