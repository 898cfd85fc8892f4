"""Tables of the monthly report: one report per month, its versions, return notes, snapshot rows."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.accounts.models import User
from complaints.core.db import UTCDateTime, utcnow_default
from complaints.extensions import Model
from complaints.public.models import Rating
from complaints.tickets.models import Complaint, ComplaintEvent, str_enum


class VersionStatus(enum.StrEnum):
    """Where one version of a report stands in the review."""

    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the Sekretaris
    RETURNED = "returned"  # sent back with notes; a new draft version carries the correction
    APPROVED = "approved"  # frozen, delivered to the Kepala Dinas
    SUPERSEDED = "superseded"  # an approved version replaced by a later correction


class MonthlyReport(Model):
    """The Laporan Pengaduan Pelayanan Publik of one month (office time)."""

    __tablename__ = "monthly_report"
    __table_args__ = (UniqueConstraint("year", "month", name="uq_monthly_report_year_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)

    versions: Mapped[list[ReportVersion]] = relationship(
        back_populates="report", order_by="ReportVersion.number"
    )

    @property
    def current(self) -> ReportVersion:
        """Return the latest version."""
        return self.versions[-1]

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class ReportVersion(Model):
    """One version of a report: figures, narrative, its review steps; frozen once approved."""

    __tablename__ = "report_version"
    __table_args__ = (
        UniqueConstraint("report_id", "number", name="uq_report_version_report_number"),
        Index("ix_report_version_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(str_enum(VersionStatus),
                                                  default=VersionStatus.DRAFT)
    reason: Mapped[str | None] = mapped_column(Text)  # why this version exists (a correction)
    figures: Mapped[dict] = mapped_column(JSON)
    compiled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(Text, default="")
    conclusions: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    register_rows: Mapped[int] = mapped_column(Integer, default=0)

    report: Mapped[MonthlyReport] = relationship(back_populates="versions")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    notes: Mapped[list[ReportNote]] = relationship(back_populates="version",
                                                   order_by="ReportNote.id")

    @property
    def frozen(self) -> bool:
        return self.status in (VersionStatus.APPROVED, VersionStatus.SUPERSEDED)


class ReportNote(Model):
    """A return note of the Sekretaris, resolved by the Secretariat with a response."""

    __tablename__ = "report_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_version.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow_default)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    response: Mapped[str | None] = mapped_column(Text)

    version: Mapped[ReportVersion] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class SnapshotRow(Model):
    """A line of the month's register as it stood when the version was approved (frozen)."""

    __tablename__ = "report_register_row"
    __table_args__ = (Index("ix_report_register_row_version_pos", "version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_version.id"))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    complainant: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    type_name: Mapped[str] = mapped_column(String(120))
    weight: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(300))
    follow_up: Mapped[str] = mapped_column(Text)


# Indexes the report's aggregates need on other domains' tables (declared here, where the
# queries that need them live). They cover their queries, so a month of 100,000 complaints
# is counted from the index alone, without reading the table's rows:
# - the month's complaints: every column its counts group by or compare (received_at first);
# - the open and overdue ones (status, then the due date's range);
# - closings of a month; ratings of a month;
# - the answers of a month, and each complaint's first answer (to_value only completes them:
#   before `at`, SQLite's planner would no longer see the range on `at` for replies).
Index("ix_complaint_report_month", Complaint.received_at, Complaint.channel, Complaint.kind,
      Complaint.status, Complaint.weight, Complaint.type_id, Complaint.service_id,
      Complaint.division_id, Complaint.due_at, Complaint.first_response_due_at,
      Complaint.first_response_at, Complaint.id)
Index("ix_complaint_status_next_due", Complaint.status, Complaint.next_due_at,
      Complaint.received_at)
Index("ix_complaint_closed_at", Complaint.closed_at)
Index("ix_complaint_event_kind_at", ComplaintEvent.kind, ComplaintEvent.at,
      ComplaintEvent.to_value, ComplaintEvent.complaint_id)
Index("ix_complaint_event_complaint_kind_at", ComplaintEvent.complaint_id, ComplaintEvent.kind,
      ComplaintEvent.at, ComplaintEvent.to_value)
Index("ix_complaint_rating_created_at", Rating.created_at, Rating.score)
