"""Tables of the notifications domain: the outbox and the complainant's language."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model
from complaints.tickets.models import str_enum


class OutChannel(enum.StrEnum):
    """The channels an outgoing message can take."""

    EMAIL = "email"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    LETTER = "letter"


class OutStatus(enum.StrEnum):
    """Where an outgoing message stands."""

    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a worker until lease_until
    SENT = "sent"
    FAILED = "failed"  # a transient failure; retried at next_attempt_at
    DEAD = "dead"  # gave up: permanent failure or too many attempts
    HELD = "held"  # waits for the recipient to write (WhatsApp's 24-hour window)


def _recipient_key(context) -> str:
    """Column default: the recipient folded to lower case, for counting per address."""
    return (context.get_current_parameters().get("recipient") or "").lower()


class OutboxMessage(Model):
    """One outgoing message, written in the same transaction as what caused it."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
        # The daily acknowledgement cap counts by address whatever its case
        # (outbox.count_recent); without it each new complaint would scan the whole outbox.
        Index("ix_outbox_message_recipient_key_kind", "recipient_key", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[OutChannel] = mapped_column(str_enum(OutChannel))
    # acknowledgement, reply, answered, closed, ... (what the message is for)
    kind: Mapped[str] = mapped_column(String(32))
    # An email address, a phone number, or (letters) the addressee; the full postal
    # address of a letter goes in context.
    recipient: Mapped[str] = mapped_column(String(500))
    recipient_key: Mapped[str | None] = mapped_column(String(500), default=_recipient_key)
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="id")
    subject: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # A channel that renders at send time (letters as PDF) keeps its template and context.
    template: Mapped[str | None] = mapped_column(String(100))
    context: Mapped[dict | None] = mapped_column(JSON)
    headers: Mapped[dict | None] = mapped_column(JSON)  # extra headers (Auto-Submitted, ...)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_event.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    # Our Message-ID (email): reused on every attempt so the receiver can drop a resend.
    message_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(255))
    references: Mapped[str | None] = mapped_column(Text)

    status: Mapped[OutStatus] = mapped_column(str_enum(OutStatus), default=OutStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    provider_id: Mapped[str | None] = mapped_column(String(255))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def undelivered(self) -> bool:
        return self.status == OutStatus.DEAD


class ComplaintLanguage(Model):
    """The language the complainant wrote or chose in, so every message speaks it."""

    __tablename__ = "complaint_language"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
