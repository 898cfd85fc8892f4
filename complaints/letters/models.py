"""Tables of the letters domain: numbered reply letters and their dispatch."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.accounts.models import User
from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model
from complaints.tickets.models import Attachment, Complaint, str_enum


class DispatchMethod(enum.StrEnum):
    """How the letter left the office."""

    HAND = "hand"  # diantar langsung / diambil di loket
    POST = "post"
    COURIER = "courier"


class ReplyLetter(Model):
    """An outgoing reply letter (surat keluar) with its number, signer and dispatch."""

    __tablename__ = "reply_letter"
    __table_args__ = (UniqueConstraint("year", "seq", name="uq_reply_letter_year_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)  # nomor surat keluar
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    letter_date: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(300))  # perihal
    attachments_line: Mapped[str] = mapped_column(String(200))  # lampiran
    addressee: Mapped[str] = mapped_column(Text)  # Kepada Yth. …
    body: Mapped[str] = mapped_column(Text)  # the decision, plain text
    # The signature block as printed (a letter is a record: later changes of office
    # holders must not change it).
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_nip: Mapped[str | None] = mapped_column(String(32))
    signer_title: Mapped[str] = mapped_column(String(300))
    signer_acting: Mapped[bool] = mapped_column(Boolean, default=False)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    dispatch_method: Mapped[DispatchMethod | None] = mapped_column(str_enum(DispatchMethod))
    dispatched_on: Mapped[date | None] = mapped_column(Date)
    dispatch_note: Mapped[str | None] = mapped_column(String(500))
    dispatch_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    complaint: Mapped[Complaint] = relationship()
    attachment: Mapped[Attachment | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
