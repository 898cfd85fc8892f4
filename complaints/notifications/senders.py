"""Senders per channel: SMTP for email, the local outbox log when nothing is configured."""

from __future__ import annotations

import contextlib
import json
import os
import smtplib
from collections.abc import Callable
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol

from complaints.core import clock
from complaints.notifications.outbox import Envelope


class TransientError(Exception):
    """The send may work later (network down, 4xx, timeout): retry with backoff."""


class PermanentError(Exception):
    """The send will never work (5xx, bad address): dead-letter the message."""


class HeldError(Exception):
    """The message may only go once the recipient writes to us: park it (status held)."""


class Sender(Protocol):
    """Sends envelopes of one channel; close() ends a batch."""

    def send(self, envelope: Envelope) -> str: ...

    def close(self) -> None: ...


SenderFactory = Callable[[dict], "Sender | None"]
_factories: dict[str, SenderFactory] = {}


def register_sender(channel: str, factory: SenderFactory) -> None:
    """Let a channel (sms, whatsapp, letter) plug in its sender; None means "use the log"."""
    _factories[channel] = factory


def sender_for(channel: str, config: dict) -> Sender:
    """Return the sender of a channel: its provider when configured, else the local log."""
    factory = _factories.get(channel)
    sender = factory(config) if factory else None
    return sender or LogSender(config["OUTBOX_LOG"], config)


def build_email(envelope: Envelope, config: dict) -> EmailMessage:
    """Return the email of an envelope with our Message-ID and threading headers."""
    msg = EmailMessage()
    sender = config["MAIL_DEFAULT_SENDER"]
    msg["From"] = Address(config.get("OFFICE_SHORT_NAME") or "", addr_spec=sender)
    msg["To"] = (Address(envelope.recipient_name or "", addr_spec=envelope.recipient)
                 if "@" in envelope.recipient else envelope.recipient)
    msg["Subject"] = envelope.subject or ""
    msg["Message-ID"] = envelope.message_id or ""
    msg["Date"] = format_datetime(clock.now())
    if envelope.in_reply_to:
        msg["In-Reply-To"] = envelope.in_reply_to
    if envelope.references:
        msg["References"] = envelope.references
    for name, value in (envelope.headers or {}).items():
        msg[name] = value
    msg.set_content(envelope.body_text or "", cte="quoted-printable")
    if envelope.body_html:
        msg.add_alternative(envelope.body_html, subtype="html")
    msg["Content-Language"] = envelope.language  # after set_content, which drops Content-*
    return msg


class LogSender:
    """Appends each message as one JSON line to the outbox log (the embedded default)."""

    def __init__(self, path: str, config: dict) -> None:
        self.path = Path(path)
        self.config = config

    def send(self, envelope: Envelope) -> str:
        provider_id = f"outbox-log:{envelope.idempotency_key}"
        # Only a resend (a worker died after writing) can already be in the log.
        if envelope.attempts > 1 and logged(self.path, envelope.idempotency_key):
            return provider_id  # a resend after a crash: the first copy is in the log
        entry = {
            "at": clock.now().isoformat(), "channel": envelope.channel, "kind": envelope.kind,
            "to": envelope.recipient, "subject": envelope.subject,
            "message_id": envelope.message_id, "key": envelope.idempotency_key,
            "complaint_id": envelope.complaint_id, "body": envelope.body_text,
        }
        if envelope.channel == "email":
            entry["raw"] = build_email(envelope, self.config).as_string()
        append_to_log(self.path, entry)
        return provider_id

    def close(self) -> None:
        """Nothing to close."""


def logged(path: Path, key: str) -> bool:
    """Return whether the outbox log already holds an entry with this idempotency key."""
    if not path.exists():
        return False
    needle = json.dumps(key)
    with open(path, encoding="utf-8", errors="replace") as handle:
        return any(needle in line for line in handle)


def append_to_log(path: Path, entry: dict) -> None:
    """Append one JSON line to the outbox log, on disk before returning."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise TransientError(f"outbox log: {exc}") from exc


def read_log(path: str, limit: int = 50) -> list[dict]:
    """Return the last entries of the outbox log, newest first (bad lines are skipped)."""
    file = Path(path)
    if not file.exists():
        return []
    entries = []
    with open(file, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue
    return entries[::-1][:limit]


class SmtpSender:
    """Sends email through MAIL_SERVER, one connection per batch."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        timeout = cfg.get("MAIL_TIMEOUT_SECONDS", 30)
        try:
            if cfg.get("MAIL_USE_SSL"):
                conn: smtplib.SMTP = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], cfg["MAIL_PORT"],
                                                      timeout=timeout)
            else:
                conn = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=timeout)
            conn.ehlo()
            if cfg.get("MAIL_USE_TLS"):
                conn.starttls()
                conn.ehlo()
            if cfg.get("MAIL_USERNAME"):
                conn.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientError(f"SMTP connection: {exc}") from exc
        return conn

    def send(self, envelope: Envelope) -> str:
        if self.conn is None:
            self.conn = self._connect()
        msg = build_email(envelope, self.config)
        try:
            return self._transaction(self.conn, msg, envelope.recipient)
        except smtplib.SMTPResponseException as exc:
            self._reset()
            text = f"SMTP {exc.smtp_code}: {_decode(exc.smtp_error)}"
            if 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError):
                raise PermanentError(text) from exc
            raise TransientError(text) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise TransientError(f"SMTP: {exc}") from exc

    def _transaction(self, conn: smtplib.SMTP, msg: EmailMessage, recipient: str) -> str:
        """Run MAIL, RCPT, DATA and return the server's answer to DATA (its queue id)."""
        code, resp = conn.mail(self.config["MAIL_DEFAULT_SENDER"])
        if code >= 400:
            # Our own sender refused is a setting to fix, not a reason to give up on the
            # message: retry with backoff.
            conn.rset()
            raise TransientError(f"SMTP {code} on MAIL FROM: {_decode(resp)}")
        code, resp = conn.rcpt(recipient)
        if code >= 400:
            raise smtplib.SMTPResponseException(code, resp)
        # smtplib sends bytes as they are: the lines must already end in CRLF.
        code, resp = conn.data(msg.as_bytes(policy=msg.policy.clone(linesep="\r\n")))
        if code >= 400:
            raise smtplib.SMTPResponseException(code, resp)
        return _decode(resp) or str(msg["Message-ID"])

    def _reset(self) -> None:
        if self.conn is None:
            return
        try:
            self.conn.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(TimeoutError, OSError, smtplib.SMTPException):
                self.conn.quit()
            self.conn = None


def _decode(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value or "")


def _email_factory(config: dict) -> Sender | None:
    return SmtpSender(config) if config.get("MAIL_SERVER") else None


register_sender("email", _email_factory)
