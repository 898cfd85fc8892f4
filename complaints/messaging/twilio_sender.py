"""Sends one SMS or WhatsApp message through Twilio, or to the local outbox log.

The outbox (complaints.notifications) calls send() for each claimed message; the errors
below are the outbox's own TransientError (retry with backoff) and PermanentError (dead
letter), so the worker needs no translation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from flask import current_app

from complaints.core import clock
from complaints.messaging import phone
from complaints.notifications.senders import (
    PermanentError,
    TransientError,
    append_to_log,
    logged,
    register_sender,
)

if TYPE_CHECKING:
    from twilio.rest import Client

log = logging.getLogger(__name__)
CHANNELS = ("sms", "whatsapp")
MAX_BODY = 1600  # Twilio refuses longer bodies (error 21617); replies are fitted before
TWILIO_API_HOST = "https://api.twilio.com"
# Error codes Twilio answers with a 4xx that nevertheless clear up by themselves.
TRANSIENT_TWILIO_CODES = {20429, 30001, 30008}


class SendError(Exception):
    """The message was not accepted by the provider."""


class TransientSendError(SendError, TransientError):
    """Worth retrying later: 429, 5xx, timeouts, connection errors."""


class PermanentSendError(SendError, PermanentError):
    """Never worth retrying: invalid number (21211), unverified sender, bad request."""


class WindowClosedSendError(PermanentSendError):
    """WhatsApp refused free text: 24 hours passed since the person's last message (63016)."""

    CODE = 63016


@dataclass(frozen=True)
class SendResult:
    """What the provider answered: its message id (MessageSid) and first status."""

    provider_id: str
    status: str


def is_configured(config: dict | None = None) -> bool:
    """Return whether Twilio credentials are set (else messages go to the outbox log)."""
    cfg = config if config is not None else current_app.config
    return bool(cfg.get("TWILIO_ACCOUNT_SID") and cfg.get("TWILIO_AUTH_TOKEN"))


def make_client(config: dict) -> Client:
    """Return a twilio Client with a timeout (and a base URL when one is configured)."""
    from complaints.messaging import twilio_client  # twilio and requests load on first send

    return twilio_client.make_client(config)


def sender_address(channel: str, config: dict) -> str:
    """Return our own From address for the channel."""
    if channel == "whatsapp":
        return phone.address("whatsapp", config["TWILIO_WHATSAPP_FROM"])
    return config["TWILIO_SMS_FROM"]


def send(channel: str, to: str, body: str, idempotency_key: str,
         status_callback_url: str | None = None, config: dict | None = None) -> SendResult:
    """Send one message, or append it to the outbox log when Twilio is not configured."""
    cfg = config if config is not None else current_app.config
    if channel not in CHANNELS:
        raise PermanentSendError(f"unknown channel {channel!r}")
    if not body.strip() or len(body) > MAX_BODY:
        raise PermanentSendError(f"body of {len(body)} characters (1 to {MAX_BODY} allowed)")
    try:
        recipient = phone.address(channel, to)
    except phone.InvalidNumber as exc:
        raise PermanentSendError(str(exc)) from exc
    if not is_configured(cfg):
        return _append_to_log(cfg["OUTBOX_LOG"], channel, recipient, body, idempotency_key)
    return _send_twilio(cfg, channel, recipient, body, idempotency_key, status_callback_url)


def _send_twilio(cfg: dict, channel: str, recipient: str, body: str, key: str,
                 callback: str | None) -> SendResult:
    from complaints.messaging import twilio_client  # twilio and requests load on first send

    return twilio_client.send_twilio(cfg, channel, recipient, body, key, callback)


def classify(status: int, code: int | None, message: str = "") -> SendError:
    """Return the error for an HTTP failure: transient for 429/5xx/known codes."""
    text = f"twilio {status} (code {code}): {message}"
    if status == 429 or status >= 500 or code in TRANSIENT_TWILIO_CODES:
        return TransientSendError(text)
    return PermanentSendError(text)


def with_key(url: str, key: str) -> str:
    """Return the status callback URL carrying our idempotency key (to join the outbox row)."""
    joiner = "&" if urlsplit(url).query else "?"
    return url + joiner + urlencode({"key": key})


def status_callback_url(config: dict | None = None) -> str | None:
    """Return the public status callback URL, or None when Twilio cannot reach us."""
    cfg = config if config is not None else current_app.config
    base = (cfg.get("PUBLIC_BASE_URL") or "").rstrip("/")
    host = urlsplit(base).hostname or ""
    if not base or host in {"localhost", "127.0.0.1", "::1"} or host.endswith(".local"):
        return None
    return base + "/webhooks/twilio/status"


def _append_to_log(path: str, channel: str, recipient: str, body: str, key: str) -> SendResult:
    """Append the message as one JSON line (once per key) and return a local id."""
    log_file = Path(path)
    if not logged(log_file, key):
        entry = {"at": clock.now().isoformat(), "channel": channel, "to": recipient,
                 "key": key, "body": body}
        try:
            append_to_log(log_file, entry)
        except TransientError as exc:
            raise TransientSendError(str(exc)) from exc
    return SendResult(f"outbox-log:{key}", "logged")


class OutboxSender:
    """Adapter for the outbox worker: send(envelope) -> provider id, close()."""

    def __init__(self, config: dict) -> None:
        self.config = config

    def send(self, envelope) -> str:
        """Send an outbox envelope (channel, recipient, body_text, idempotency_key)."""
        from complaints.messaging.status import record_status

        result = send(envelope.channel, envelope.recipient, envelope.body_text or "",
                      envelope.idempotency_key, status_callback_url(self.config), self.config)
        # Its own transaction, before the outbox marks the row sent: a status callback that
        # arrives first still finds the row to join (statuses only move forward).
        try:
            record_status(result.provider_id, result.status or "queued",
                          outbox_key=envelope.idempotency_key)
        except Exception:  # noqa: BLE001 - Twilio took it: a retry would send it twice
            log.exception("status of %s not recorded", result.provider_id)
        return result.provider_id

    def close(self) -> None:
        """Nothing to close: the twilio client holds no connection between sends."""


def outbox_sender_factory(config: dict) -> OutboxSender | None:
    """Return the sender for the outbox, or None (use the outbox's log) without Twilio."""
    return OutboxSender(config) if is_configured(config) else None


def init_app(app) -> None:
    """Plug the Twilio sender into the outbox for SMS, and the window-aware one for WhatsApp."""
    from complaints.messaging.whatsapp import whatsapp_sender_factory

    register_sender("sms", outbox_sender_factory)
    register_sender("whatsapp", whatsapp_sender_factory)
