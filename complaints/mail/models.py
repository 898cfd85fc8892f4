"""Tables of the mail domain: every incoming message and what became of it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model
from complaints.tickets.models import str_enum


class Outcome(enum.StrEnum):
    """What an incoming message became: the three terms of the mailbox's total."""

    TICKET = "ticket"  # a new complaint
    REPLY = "reply"  # a complainant_message on an existing complaint
    QUARANTINED = "quarantined"  # kept whole for staff to look at


class InboundMail(Model):
    """One incoming message (raw bytes kept in a file), ticketed, threaded or quarantined.

    The quarantine is the set of rows whose outcome is "quarantined"; a staff action
    that makes a ticket of one changes its outcome, so every message is counted once.
    """

    __tablename__ = "inbound_mail"
    __table_args__ = (Index("ix_inbound_mail_outcome_id", "outcome", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(254))
    # f"{mailbox}:{Message-ID}", or f"{mailbox}:sha256:{digest}" without a Message-ID.
    source_key: Mapped[str] = mapped_column(String(255), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(255), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    raw_name: Mapped[str] = mapped_column(String(200))  # file under MAIL_RAW_DIR
    from_addr: Mapped[str | None] = mapped_column(String(254), index=True)
    from_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(300))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome))
    # Why it was quarantined: too_large, unparseable, duplicate_message_id,
    # sender_mismatch, bounce, auto_reply, bulk, own_address, error.
    reason: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    loop_kind: Mapped[str | None] = mapped_column(String(20))
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_event.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class ImapCursor(Model):
    """How far the poller has read a folder, so mail a person opened first is not missed."""

    __tablename__ = "imap_cursor"

    id: Mapped[int] = mapped_column(primary_key=True)
    folder_key: Mapped[str] = mapped_column(String(300), unique=True)  # user@host:port/folder
    uidvalidity: Mapped[int] = mapped_column(Integer)
    last_uid: Mapped[int] = mapped_column(Integer)
