"""Tables of deadlines and escalation: local days off and the notices already sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model


class DayOff(Model):
    """A local day off or office closure an admin added (also cuti bersama missing upstream)."""

    __tablename__ = "day_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)


class EscalationNotice(Model):
    """An escalation already sent: one per (complaint, kind, due date), so it fires once."""

    __tablename__ = "escalation_notice"
    __table_args__ = (
        UniqueConstraint("complaint_id", "kind", "due_at", name="uq_escalation_notice_key"),
        Index("ix_escalation_notice_complaint_id", "complaint_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"))
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
