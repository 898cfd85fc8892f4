"""Tables of the public portal: the complainant's rating of the handling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model
from complaints.tickets.models import Complaint


class Rating(Model):
    """How the complainant rated the handling, on the SKM scale 1–4; one per complaint."""

    __tablename__ = "complaint_rating"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 4", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), unique=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    # The status the complaint had when it was rated (answered or closed).
    status_at_rating: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)

    complaint: Mapped[Complaint] = relationship()
