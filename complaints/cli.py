"""Flask commands: seed, users, i18n."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from complaints.accounts import service as accounts
from complaints.accounts.models import Position, User
from complaints.extensions import db

seed_cli = AppGroup("seed", help="Load reference or demo data (idempotent).")
users_cli = AppGroup("users", help="Manage staff users and their positions.")
i18n_cli = AppGroup("i18n", help="Translations.")


@seed_cli.command("reference")
def seed_reference_command():
    """Load divisions, services and complaint types."""
    from complaints.core.seed import seed_reference

    seed_reference()
    click.echo("Reference data loaded.")


@seed_cli.command("demo")
def seed_demo_command():
    """Load the demo office and print the demo logins."""
    from complaints.core.seed import DEMO_PASSWORD, seed_demo

    users = seed_demo()
    click.echo("")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, positions in users:
        click.echo(f"  {username:<12} {positions}")
    click.echo("")


def _parse_positions(values: tuple[str, ...]) -> list[tuple[Position, str | None]]:
    parsed = []
    for value in values:
        name, _, division = value.partition(":")
        try:
            parsed.append((Position(name), division or None))
        except ValueError as exc:
            choices = ", ".join(p.value for p in Position)
            raise click.BadParameter(f"unknown position {name!r} (one of {choices})") from exc
    return parsed


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--email", default=None)
@click.option("--phone", default=None)
@click.option("--position", "positions", multiple=True,
              help="POSITION or POSITION:DIVISION_CODE, repeatable (e.g. kabid:perizinan).")
@click.password_option(help="The password (asked when not given).")
def users_create(username, full_name, email, phone, positions, password):
    """Create a staff user."""
    try:
        accounts.create_user(username, full_name, password, email=email, phone=phone,
                             positions=_parse_positions(positions))
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"User {username} created.")


@users_cli.command("list")
def users_list():
    """List users with their positions."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        positions = ", ".join(
            a.position.value + (f":{a.division.code}" if a.division else "")
            + (" (Plt.)" if a.acting else "")
            for a in user.assignments
        )
        state = "" if user.active else " [inactive]"
        click.echo(f"{user.username:<16} {user.full_name:<30} {positions}{state}")


def _user(username: str) -> User:
    user = accounts.user_by_username(username)
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user


@users_cli.command("set-password")
@click.argument("username")
@click.password_option()
def users_set_password(username, password):
    """Set a user's password (and unlock the account)."""
    try:
        accounts.set_password(_user(username).id, password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Password set.")


@users_cli.command("assign")
@click.argument("username")
@click.argument("position")
@click.option("--acting", is_flag=True, help="Acting for the position (Plt.).")
@click.option("--until", "ends_on", type=click.DateTime(["%Y-%m-%d"]), default=None)
def users_assign(username, position, acting, ends_on):
    """Give a user POSITION or POSITION:DIVISION_CODE."""
    ((pos, division),) = _parse_positions((position,))
    try:
        accounts.assign_position(_user(username).id, pos, division, acting=acting,
                                 ends_on=ends_on.date() if ends_on else None)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Position assigned.")


@users_cli.command("deactivate")
@click.argument("username")
def users_deactivate(username):
    """Stop a user from logging in (and end their sessions)."""
    user = _user(username)
    accounts.update_user(user.id, full_name=user.full_name, email=user.email, phone=user.phone,
                         nip=user.nip, active=False)
    click.echo(f"User {username} deactivated.")


@i18n_cli.command("compile")
def i18n_compile():
    """Compile the translation fragments."""
    from complaints.core.i18n import compile_catalogs

    for path in compile_catalogs(force=True):
        click.echo(f"compiled {path}")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    from complaints.mail.cli import mail_cli
    from complaints.messaging.cli import twilio_cli
    from complaints.notifications.cli import outbox_cli
    from complaints.reports.cli import demo_cli, reports_cli
    from complaints.scheduler_cli import jobs_cli, scheduler_cli
    from complaints.workflow.calendar_cli import calendar_cli

    groups = (seed_cli, users_cli, i18n_cli, scheduler_cli, jobs_cli, calendar_cli, outbox_cli,
              mail_cli, twilio_cli, reports_cli, demo_cli)
    for group in groups:
        app.cli.add_command(group)
