"""Reading reports and the dashboards' figures (no writes)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from complaints.core import clock
from complaints.extensions import db
from complaints.reports.models import MonthlyReport, ReportVersion, VersionStatus
from complaints.tickets.models import OPEN_STATUSES, Complaint, Status

DASHBOARD_LIST = 20
UNTRIAGED = (Status.RECEIVED, Status.REGISTERED)


def all_reports() -> list[MonthlyReport]:
    """Return every report, newest month first."""
    return list(db.session.scalars(select(MonthlyReport).order_by(
        MonthlyReport.year.desc(), MonthlyReport.month.desc())))


def waiting(status: VersionStatus, unread_only: bool = False) -> list[ReportVersion]:
    """Return the versions in a status (approved ones not yet read, when asked)."""
    query = select(ReportVersion).where(ReportVersion.status == status)
    if unread_only:
        query = query.where(ReportVersion.acknowledged_at.is_(None))
    return list(db.session.scalars(query.order_by(ReportVersion.id)))


@dataclass
class OpenQuestions:
    """What the Sekretaris should look at in the register today."""

    untriaged: int
    overdue: int
    untriaged_list: list[Complaint]
    overdue_list: list[Complaint]


def open_questions() -> OpenQuestions:
    """Return the untriaged and overdue complaints (counts and the oldest few)."""
    now = clock.now()
    untriaged = Complaint.status.in_(UNTRIAGED)
    overdue = Complaint.status.in_(OPEN_STATUSES) & (Complaint.next_due_at < now)

    def count(where) -> int:
        return db.session.scalar(select(func.count()).select_from(Complaint).where(where)) or 0

    def oldest(where) -> list[Complaint]:
        return list(db.session.scalars(select(Complaint).where(where).order_by(
            Complaint.received_at, Complaint.id).limit(DASHBOARD_LIST)))

    return OpenQuestions(count(untriaged), count(overdue), oldest(untriaged), oldest(overdue))
