"""Flask commands for Twilio: simulate an inbound message, send a test message."""

from __future__ import annotations

import secrets

import click
from flask.cli import AppGroup
from sqlalchemy import select

from complaints.extensions import db

twilio_cli = AppGroup("twilio", help="SMS and WhatsApp through Twilio.")


@twilio_cli.command("simulate")
@click.option("--from", "sender", required=True, help="The sender, e.g. 081234567890.")
@click.option("--body", required=True, help="The message text.")
@click.option("--whatsapp", is_flag=True, help="Arrive as a WhatsApp message.")
def simulate(sender: str, body: str, whatsapp: bool) -> None:
    """Feed a message to the inbound service as if Twilio had posted it (demo, tests)."""
    from complaints.messaging import inbound, phone
    from complaints.messaging.models import Acknowledgement

    address = phone.address("whatsapp" if whatsapp else "sms", sender)
    sid = "SMsim" + secrets.token_hex(14)
    outcome = inbound.receive(inbound.Inbound(sid, address, body))
    click.echo(f"{outcome.action}: complaint {outcome.complaint_id} (MessageSid {sid})")
    ack = db.session.scalar(select(Acknowledgement).where(Acknowledgement.key == f"ack:{sid}"))
    if ack is not None:
        click.echo(f"acknowledgement to {ack.number}: {ack.body}")
    elif outcome.reply:
        click.echo(f"answer: {outcome.reply}")


@twilio_cli.command("post")
@click.option("--from", "sender", required=True, help="The sender, e.g. 081234567890.")
@click.option("--body", required=True, help="The message text.")
@click.option("--whatsapp", is_flag=True, help="Arrive as a WhatsApp message.")
@click.option("--url", default=None, help="Where the app listens (default PUBLIC_BASE_URL).")
def post(sender: str, body: str, whatsapp: bool, url: str | None) -> None:
    """Post a message to the running app's webhook, signed with TWILIO_AUTH_TOKEN as Twilio does."""
    import requests
    from flask import current_app
    from twilio.request_validator import RequestValidator

    from complaints.messaging import phone

    cfg = current_app.config
    if not cfg.get("TWILIO_AUTH_TOKEN"):
        raise click.ClickException("set TWILIO_AUTH_TOKEN (the same for the app and this command)")
    path = "/webhooks/twilio/messages"
    sid = "SMpost" + secrets.token_hex(13)
    params = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": "ACdemo",
              "From": phone.address("whatsapp" if whatsapp else "sms", sender),
              "To": cfg.get("TWILIO_SMS_FROM") or "", "Body": body, "NumSegments": "1",
              "NumMedia": "0"}
    public = cfg["PUBLIC_BASE_URL"].rstrip("/")
    signature = RequestValidator(cfg["TWILIO_AUTH_TOKEN"]).compute_signature(public + path, params)
    response = requests.post((url or public).rstrip("/") + path, data=params, timeout=10,
                             headers={"X-Twilio-Signature": signature})
    click.echo(f"{response.status_code} (MessageSid {sid}): {response.text.strip()}")


@twilio_cli.command("send-test")
@click.argument("to")
@click.option("--whatsapp", is_flag=True)
@click.option("--body", default="Pesan uji dari sistem pengaduan.")
def send_test(to: str, whatsapp: bool, body: str) -> None:
    """Send one message now (to Twilio when configured, else to the outbox log)."""
    from complaints.messaging import twilio_sender

    result = twilio_sender.send("whatsapp" if whatsapp else "sms", to, body,
                                "test:" + secrets.token_hex(8),
                                twilio_sender.status_callback_url())
    click.echo(f"{result.status}: {result.provider_id}")
