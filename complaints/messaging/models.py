"""Tables of the messaging domain: inbound messages, delivery statuses, acks, call log."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.accounts.models import User
from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model
from complaints.tickets.models import Complaint, str_enum


class InboundMessage(Model):
    """An SMS or WhatsApp message received through the webhook, once per MessageSid."""

    __tablename__ = "inbound_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    from_number: Mapped[str] = mapped_column(String(40), index=True)
    body: Mapped[str] = mapped_column(Text)
    num_segments: Mapped[int] = mapped_column(Integer, default=1)
    num_media: Mapped[int] = mapped_column(Integer, default=0)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    created_complaint: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)

    complaint: Mapped[Complaint | None] = relationship()


class DeliveryStatus(Model):
    """The delivery status Twilio reported for one outgoing message (keyed by MessageSid)."""

    __tablename__ = "delivery_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    error_code: Mapped[str | None] = mapped_column(String(16))
    # The outbox row's idempotency key, when known (from the send or the callback URL).
    outbox_key: Mapped[str | None] = mapped_column(String(255), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)


class Acknowledgement(Model):
    """An acknowledgement rendered for a number, counted against the daily cap."""

    __tablename__ = "sms_acknowledgement"
    __table_args__ = (Index("ix_sms_acknowledgement_number_day", "number", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)  # the outbox idempotency key
    channel: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(40))  # E.164
    day: Mapped[date] = mapped_column(Date)  # office-local day, for the cap
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)


class CallDirection(enum.StrEnum):
    """Whether the office received or made the call or fax."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"


class CallMedium(enum.StrEnum):
    """Telephone or fax."""

    PHONE = "phone"
    FAX = "fax"


class CallOutcome(enum.StrEnum):
    """How the call or fax ended."""

    REACHED = "reached"  # spoke with the person / fax received
    ANSWERED = "answered"  # the complainant was given the answer
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    LEFT_MESSAGE = "left_message"
    WRONG_NUMBER = "wrong_number"
    SENT = "sent"  # fax sent
    FAILED = "failed"  # fax failed


class CallLog(Model):
    """A telephone call or fax the counter officer logged, with or without a complaint."""

    __tablename__ = "call_log"
    __table_args__ = (Index("ix_call_log_at_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    direction: Mapped[CallDirection] = mapped_column(str_enum(CallDirection))
    medium: Mapped[CallMedium] = mapped_column(str_enum(CallMedium))
    number: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    officer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[CallOutcome] = mapped_column(str_enum(CallOutcome))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)

    complaint: Mapped[Complaint | None] = relationship()
    officer: Mapped[User] = relationship()

    @property
    def answers_complaint(self) -> bool:
        """An outgoing call that reached the person, or a fax that went through."""
        return self.direction == CallDirection.OUTGOING and self.outcome in {
            CallOutcome.REACHED, CallOutcome.ANSWERED, CallOutcome.SENT
        }
