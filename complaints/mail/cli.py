"""Flask commands: flask mail ingest (pipe from a mail server) | poll | quarantine."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from complaints.mail import service
from complaints.mail.ingest import TemporaryFailure, ingest
from complaints.mail.jobs import poll_imap

EX_TEMPFAIL = 75  # sysexits.h: the mail server keeps the message and tries again
mail_cli = AppGroup("mail", help="Incoming email.")


@mail_cli.command("ingest")
@click.option("--mailbox", default=None, help="Mailbox name in idempotency keys.")
def ingest_command(mailbox):
    """Read one raw message on stdin: exit 0 when taken, 75 to have it delivered again."""
    raw = sys.stdin.buffer.read()
    try:
        result = ingest(raw, mailbox or current_app.config["MAIL_INBOX_NAME"])
    except TemporaryFailure as exc:
        click.echo(f"temporary failure: {exc}", err=True)
        sys.exit(EX_TEMPFAIL)
    except Exception as exc:  # noqa: BLE001 - never bounce a complaint for our own bug
        click.echo(f"temporary failure: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EX_TEMPFAIL)
    state = "duplicate" if result.duplicate else result.outcome.value
    click.echo(f"inbound #{result.inbound_id}: {state} {result.reason or ''}".strip(), err=True)


@mail_cli.command("poll")
def poll_command():
    """Fetch new mail from the IMAP mailbox once (what the scheduler's job does)."""
    report = poll_imap()
    if report is None:
        raise click.ClickException("MAIL_IMAP_HOST is not set")
    click.echo(f"fetched {report.fetched}, handled {report.handled} "
               f"({report.duplicates} seen before), deferred {report.deferred}")
    for error in report.errors:
        click.echo(error, err=True)


@mail_cli.command("quarantine")
def quarantine_command():
    """List the open quarantine and the mailbox totals."""
    for row in service.quarantined():
        click.echo(f"#{row.id:<6} {row.reason or '':<22} {row.from_addr or '-':<30} "
                   f"{row.subject or ''}"[:200])
    click.echo(" ".join(f"{k}={v}" for k, v in service.totals().items()))
