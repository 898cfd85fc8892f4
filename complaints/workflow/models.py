"""Tables of the workflow domain: reply proofs, coordination, canned replies, hints, links."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.accounts.models import User
from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model
from complaints.tickets.models import Attachment, Complaint, Weight, str_enum
from complaints.workflow.rules import ProofKind

__all__ = ["CannedReply", "ComplaintLink", "Coordination", "Forwarding", "KeywordRule",
           "ReplyProof"]


class ReplyProof(Model):
    """Proof that the answer reached the complainant through the right channel."""

    __tablename__ = "reply_proof"
    __table_args__ = (Index("ix_reply_proof_complaint_id_id", "complaint_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    kind: Mapped[ProofKind] = mapped_column(str_enum(ProofKind, 20))
    # Letter number, call time and number, message id, place of the meeting ...
    reference: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))

    complaint: Mapped[Complaint] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    attachment: Mapped[Attachment | None] = relationship()


class Coordination(Model):
    """A coordination meeting for a sedang or berat complaint and its outcome (decision)."""

    __tablename__ = "coordination"
    __table_args__ = (Index("ix_coordination_complaint_id_id", "complaint_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    weight: Mapped[Weight] = mapped_column(str_enum(Weight))
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[str] = mapped_column(Text)  # office staff who took part
    # Officials without accounts: Walikota c.q. Asisten, Sekretaris Daerah (free text).
    officials: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)  # the decision, which becomes the answer
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))

    complaint: Mapped[Complaint] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    attachment: Mapped[Attachment | None] = relationship()


class Forwarding(Model):
    """A complaint outside the office's authority, forwarded to the competent agency."""

    __tablename__ = "forwarding"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    agency: Mapped[str] = mapped_column(String(250))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class CannedReply(Model):
    """A reply template with placeholders ({number}, {name}, {service}, {office} ...)."""

    __tablename__ = "canned_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class KeywordRule(Model):
    """A keyword that suggests a weight and a type at triage, with the reason shown."""

    __tablename__ = "keyword_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    keyword: Mapped[str] = mapped_column(String(100), unique=True)
    weight: Mapped[Weight | None] = mapped_column(str_enum(Weight))
    type_code: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(250))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ComplaintLink(Model):
    """Two complaints about the same matter: linked, or merged into the surviving one."""

    __tablename__ = "complaint_link"
    __table_args__ = (
        UniqueConstraint("complaint_id", "other_id", name="uq_complaint_link_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # duplicate | merged_into
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    complaint: Mapped[Complaint] = relationship(foreign_keys=[complaint_id])
    other: Mapped[Complaint] = relationship(foreign_keys=[other_id])
