"""The record of scheduled job runs; its unique (job, slot) key is the cross-process lock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from complaints.core.db import UTCDateTime
from complaints.extensions import Model


class JobRun(Model):
    """One run of a periodic job for one time slot; a second claim of the slot fails."""

    __tablename__ = "job_run"
    __table_args__ = (
        UniqueConstraint("name", "scheduled_for", name="uq_job_run_name_slot"),
        Index("ix_job_run_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)  # the slot; by hand: now
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running, ok, failed
    manual: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(Text)
