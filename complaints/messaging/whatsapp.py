"""WhatsApp through the outbox, minding the 24-hour window.

Inside the window (the complainant wrote within 24 hours) the message goes as free text.
Outside it, WhatsApp only takes an approved template: we send the template ("there is an
answer to your complaint; reply to receive it") and hold the message until the person
writes (inbound.py releases it). Without a template the text goes by SMS to the same
number; with neither the message fails and the complaint's holder hears of it. A template
that cannot be delivered gives up the replies it asked for, and staff hear of that too.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy import select

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.messaging import phone, window
from complaints.messaging.twilio_sender import (
    OutboxSender,
    PermanentSendError,
    WindowClosedSendError,
    is_configured,
    status_callback_url,
)
from complaints.notifications import held, outbox
from complaints.notifications.models import OutboxMessage, OutChannel, OutStatus
from complaints.notifications.senders import HeldError, LogSender
from complaints.tickets.models import Complaint
from complaints.tickets.service import record_event

log = logging.getLogger(__name__)
CLOSED = "outside WhatsApp's 24-hour window"
NOTICE_KEY = "whatsapp_window_closed"
# The template could not be delivered: the replies it asked for will never go.
TEMPLATE_FAILED = "whatsapp_template_failed"
TEMPLATE_SUFFIX = ":template"  # of the template's key: the held message's key + this


class WhatsAppSender:
    """Outbox sender of the whatsapp channel: free text, template and hold, SMS, or fail."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.twilio = is_configured(config)
        self.log = LogSender(config["OUTBOX_LOG"], config)

    def send(self, envelope: outbox.Envelope) -> str:
        """Send the envelope, or hold it (HeldError), or fall back, or fail for good."""
        refused = bool((envelope.context or {}).get(held.WINDOW_CLOSED))  # 63016 came later
        if not refused and window.is_open(window.last_inbound_at(envelope.recipient),
                                          clock.now()):
            try:
                return self._text(envelope)
            except WindowClosedSendError as exc:  # Twilio knows the window better than we do
                return self._outside(envelope, str(exc))
        return self._outside(envelope, "twilio 63016: " + CLOSED if refused else CLOSED)

    def _text(self, envelope: outbox.Envelope) -> str:
        if self.twilio:
            return OutboxSender(self.config).send(envelope)
        return self.log.send(envelope)

    def _outside(self, envelope: outbox.Envelope, reason: str) -> str:
        route = window.route_outside_for(self.config)
        if route == "template":
            self._ask(envelope)
            _record(envelope, "delivery_held", envelope.recipient)
            raise HeldError(f"{reason}: held until the complainant writes")
        if route == "sms":
            # Not caught: a failing SMS is retried or dead-lettered like any other.
            provider_id = OutboxSender(self.config).send(replace(envelope, channel="sms"))
            _record(envelope, "delivery_fallback", f"{envelope.recipient}: {reason}",
                    to_sms=True)
            return provider_id
        _record(envelope, NOTICE_KEY, envelope.recipient, notify=True)
        raise PermanentSendError(f"{reason}: no WhatsApp template nor SMS number configured")

    def _ask(self, envelope: outbox.Envelope) -> None:
        """Send the template once per waiting person (an earlier held message asked already)."""
        if held.held_for("whatsapp", envelope.recipient):
            return
        variables = {"1": _number_of(envelope.complaint_id)}
        key = envelope.idempotency_key + TEMPLATE_SUFFIX
        sid = window.template_sid(self.config)
        if not self.twilio:
            self.log.send(replace(envelope, kind="template", idempotency_key=key, attempts=1,
                                  body_text=f"[WhatsApp template {sid or '-'}] {variables}"))
            return
        from complaints.messaging import twilio_client

        try:
            twilio_client.send_template(self.config,
                                        phone.address("whatsapp", envelope.recipient), sid,
                                        variables, key, status_callback_url(self.config))
        except PermanentSendError as exc:
            # Raised on: the outbox marks this message not delivered (dead, on the card).
            _record(envelope, TEMPLATE_FAILED, f"{envelope.recipient}: {exc}", notify=True)
            raise

    def close(self) -> None:
        """Nothing to close."""


def _number_of(complaint_id: int | None) -> str:
    complaint = db.session.get(Complaint, complaint_id) if complaint_id else None
    return complaint.number if complaint is not None else ""


def _record(envelope: outbox.Envelope, kind: str, note: str, *, to_sms: bool = False,
            notify: bool = False) -> None:
    """Note what happened on the kartu kendali (and the outbox row), in its own transaction."""
    try:
        with write_transaction():
            if to_sms:  # the row tells the truth: it went as an SMS
                row = db.session.get(OutboxMessage, envelope.id)
                if row is not None:
                    row.channel = OutChannel.SMS
            complaint = (db.session.get(Complaint, envelope.complaint_id)
                         if envelope.complaint_id else None)
            if complaint is None:
                return
            record_event(complaint, kind, from_value=envelope.kind,
                         to_value="sms" if to_sms else "whatsapp", note=note)
            if notify:
                tell_staff(complaint, kind)
    except Exception:  # noqa: BLE001 - the message's own outcome must still be recorded
        log.exception("window outcome of outbox message %s not recorded", envelope.id)


def tell_staff(complaint: Complaint, key: str) -> None:
    """Put the "cannot send" notice in the inbox of who must reach the person another way."""
    from complaints.inbox.service import notify as notify_inbox
    from complaints.workflow.escalation import holder_or_registrars

    # The deadline reminders' rule: an unrouted complaint is for the registrars who route it.
    notify_inbox(holder_or_registrars(complaint), key, {"number": complaint.number},
                 complaint_id=complaint.id)


def template_undelivered(template_key: str, detail: str) -> int:
    """Give up the replies a failed template asked for; return how many (caller's transaction).

    One template asks for every held message of the number, so all of them are given up:
    each is marked not delivered, and each complaint gets a card line and the staff notice.
    """
    recipient = db.session.scalar(select(OutboxMessage.recipient).where(
        OutboxMessage.idempotency_key == template_key.removesuffix(TEMPLATE_SUFFIX)))
    if recipient is None:
        return 0
    keys = db.session.scalars(select(OutboxMessage.idempotency_key).where(
        OutboxMessage.channel == OutChannel.WHATSAPP, OutboxMessage.recipient == recipient,
        OutboxMessage.status == OutStatus.HELD).order_by(OutboxMessage.id)).all()
    complaints: dict[int, str] = {}
    for key in keys:
        row = outbox.mark_undelivered(key, None, f"WhatsApp template {detail}")
        if row is not None and row.complaint_id is not None:
            complaints.setdefault(row.complaint_id, row.kind)
    for complaint_id, kind in complaints.items():
        complaint = db.session.get_one(Complaint, complaint_id)
        record_event(complaint, TEMPLATE_FAILED, from_value=kind, to_value="whatsapp",
                     note=f"{recipient}: {detail}")
        tell_staff(complaint, TEMPLATE_FAILED)
    return len(keys)


def whatsapp_sender_factory(config: dict) -> WhatsAppSender:
    """Return the WhatsApp sender (it writes to the outbox log itself without Twilio)."""
    return WhatsAppSender(config)
