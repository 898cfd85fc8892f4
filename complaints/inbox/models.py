"""Tables of the in-app inbox: notices to staff (the source of truth; email comes later)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model


class Notification(Model):
    """A notice to one user: a text key with parameters, rendered in the reader's language."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_id_read_at_id", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(300))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
