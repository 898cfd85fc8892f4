"""The record of scheduled job runs; its unique (job, slot, attempt) key is the lock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from complaints.core.db import UTCDateTime
from complaints.extensions import Model

RUN_STATUSES = ("running", "ok", "failed", "abandoned")


class JobRun(Model):
    """One attempt at a periodic job's time slot; a second claim of the attempt fails.

    A slot normally has one attempt (0). An attempt whose process died, or that ran past
    its job's maximum, is marked "abandoned" and the slot may be claimed again as the next
    attempt.
    """

    __tablename__ = "job_run"
    __table_args__ = (
        UniqueConstraint("name", "scheduled_for", "attempt", name="uq_job_run_name_slot"),
        Index("ix_job_run_started_at", "started_at"),
        Index("ix_job_run_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)  # the slot; by hand: now
    attempt: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Refreshed while the run lasts; a running row whose heartbeat stopped is abandoned.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")  # RUN_STATUSES
    manual: Mapped[bool] = mapped_column(default=False)
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)  # traceback, or why it was abandoned
