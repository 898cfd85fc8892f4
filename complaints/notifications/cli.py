"""Flask commands: flask outbox send | list | retry."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from complaints.extensions import db
from complaints.notifications import outbox
from complaints.notifications.jobs import send_outbox
from complaints.notifications.models import OutboxMessage, OutStatus

outbox_cli = AppGroup("outbox", help="The outbox of outgoing messages (every channel).")


@outbox_cli.command("send")
def send_command():
    """Send every due message now (what the scheduler's job does)."""
    counts = send_outbox()
    click.echo(f"sent {counts['sent']}, retrying {counts['failed']}, dead {counts['dead']}, "
               f"held {counts['held']}")


@outbox_cli.command("list")
@click.option("--status", type=click.Choice([s.value for s in OutStatus]), default=None,
              help="Only messages in this state (default: everything not sent).")
@click.option("--limit", default=50, show_default=True)
def list_command(status, limit):
    """List messages of the outbox."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == OutStatus(status))
    else:
        query = query.where(OutboxMessage.status != OutStatus.SENT)
    for row in db.session.scalars(query):
        click.echo(f"#{row.id:<6} {row.status.value:<8} {row.channel.value:<8} {row.kind:<16} "
                   f"{row.recipient:<30} tries={row.attempts} {row.last_error or ''}"[:200])


@outbox_cli.command("retry")
@click.argument("message_id", type=int)
def retry_command(message_id):
    """Queue a failed or dead message again."""
    if outbox.retry(message_id) is None:
        raise click.ClickException("no failed or dead message with that id")
    click.echo("queued")
