"""The monthly report's rules: compile, write, submit, return, approve, acknowledge, correct."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from complaints.accounts.models import Position, User
from complaints.accounts.permissions import positions_of
from complaints.accounts.service import users_with_position
from complaints.core import clock
from complaints.core.db import transactional
from complaints.extensions import db
from complaints.inbox.service import notify
from complaints.notifications.outbox import enqueue
from complaints.reports.figures import compile_figures, month_bounds
from complaints.reports.models import (
    MonthlyReport,
    ReportNote,
    ReportVersion,
    VersionStatus,
)
from complaints.reports.snapshot import freeze_register
from complaints.workflow.calendar_service import work_calendar

NARRATIVE_MAX = 20000


class ReportError(ValueError):
    """The step is not allowed; the message says why."""


class ReportForbidden(ReportError):
    """The user's position does not allow the step."""


def _require(actor: User, position: Position) -> None:
    if position not in positions_of(actor):
        raise ReportForbidden(_l("Your position does not allow this step."))


def month_has_ended(year: int, month: int, now: datetime) -> bool:
    """Return whether the month (office time) is over at `now`."""
    return now >= month_bounds(year, month, work_calendar().tz)[1]


def provisional(year: int, month: int) -> dict:
    """Return the figures of a month as they stand now (nothing stored)."""
    return compile_figures(year, month, clock.now(), work_calendar())


def get_report(report_id: int) -> MonthlyReport:
    """Return the report, or raise ReportError."""
    report = db.session.get(MonthlyReport, report_id)
    if report is None:
        raise ReportError(_l("unknown report"))
    return report


def report_of(year: int, month: int) -> MonthlyReport | None:
    """Return the report of a month, if compiled."""
    return db.session.scalar(select(MonthlyReport).where(MonthlyReport.year == year,
                                                         MonthlyReport.month == month))


def _new_version(report: MonthlyReport, actor: User | None, reason: str | None = None,
                 copy_from: ReportVersion | None = None) -> ReportVersion:
    now = clock.now()
    version = ReportVersion(
        report=report, number=len(report.versions) + 1, status=VersionStatus.DRAFT,
        reason=reason, compiled_at=now,
        figures=compile_figures(report.year, report.month, now, work_calendar()),
        summary=copy_from.summary if copy_from else "",
        conclusions=copy_from.conclusions if copy_from else "",
        recommendations=copy_from.recommendations if copy_from else "",
        created_by_id=actor.id if actor else None, created_at=now,
    )
    db.session.add(version)
    db.session.flush()
    return version


@transactional
def compile_report(year: int, month: int, actor: User | None = None) -> MonthlyReport:
    """Compile the month's draft (create it, or refresh a draft's figures); idempotent."""
    if actor is not None:
        _require(actor, Position.REGISTRAR)
    if not month_has_ended(year, month, clock.now()):
        raise ReportError(_l("the month has not ended: only the provisional view is available"))
    report = report_of(year, month)
    if report is None:
        report = MonthlyReport(year=year, month=month, created_at=clock.now())
        db.session.add(report)
        db.session.flush()
        _new_version(report, actor)
        return report
    current = report.current
    if current.status == VersionStatus.DRAFT:
        current.figures = compile_figures(year, month, clock.now(), work_calendar())
        current.compiled_at = clock.now()
    return report


def _editable(report: MonthlyReport) -> ReportVersion:
    current = report.current
    if current.frozen:
        raise ReportError(_l("an approved report cannot be edited: make a correction"))
    if current.status != VersionStatus.DRAFT:
        raise ReportError(_l("only a draft can be edited"))
    return current


@transactional
def save_narrative(report_id: int, actor: User, summary: str, conclusions: str,
                   recommendations: str) -> ReportVersion:
    """Write the narrative of the current draft."""
    _require(actor, Position.REGISTRAR)
    version = _editable(get_report(report_id))
    version.summary = (summary or "").strip()[:NARRATIVE_MAX]
    version.conclusions = (conclusions or "").strip()[:NARRATIVE_MAX]
    version.recommendations = (recommendations or "").strip()[:NARRATIVE_MAX]
    return version


@transactional
def refresh_figures(report_id: int, actor: User) -> ReportVersion:
    """Compile the figures of the current draft again."""
    _require(actor, Position.REGISTRAR)
    report = get_report(report_id)
    version = _editable(report)
    version.figures = compile_figures(report.year, report.month, clock.now(), work_calendar())
    version.compiled_at = clock.now()
    return version


@transactional
def submit(report_id: int, actor: User) -> ReportVersion:
    """Send the current draft to the Sekretaris for examination."""
    _require(actor, Position.REGISTRAR)
    report = get_report(report_id)
    version = _editable(report)
    if not month_has_ended(report.year, report.month, clock.now()):
        raise ReportError(_l("a month that has not ended cannot be submitted"))
    version.status = VersionStatus.SUBMITTED
    version.submitted_at, version.submitted_by_id = clock.now(), actor.id
    _tell(Position.SEKRETARIS, "report_submitted", report, version)
    return version


def _submitted(report: MonthlyReport) -> ReportVersion:
    current = report.current
    if current.status != VersionStatus.SUBMITTED:
        raise ReportError(_l("the report is not waiting for examination"))
    return current


@transactional
def return_report(report_id: int, actor: User, note: str) -> ReportVersion:
    """Return the submitted version with a note; a new draft carries the correction."""
    _require(actor, Position.SEKRETARIS)
    note = (note or "").strip()
    if not note:
        raise ReportError(_l("write what must be corrected"))
    report = get_report(report_id)
    version = _submitted(report)
    version.status = VersionStatus.RETURNED
    db.session.add(ReportNote(version=version, author_id=actor.id, note=note[:NARRATIVE_MAX],
                              created_at=clock.now()))
    draft = _new_version(report, actor, reason=None, copy_from=version)
    _tell(Position.REGISTRAR, "report_returned", report, draft)
    return draft


def unresolved_notes(report: MonthlyReport) -> list[ReportNote]:
    """Return the return notes of every version not yet resolved."""
    return [n for v in report.versions for n in v.notes if n.resolved_at is None]


@transactional
def resolve_note(note_id: int, actor: User, response: str,
                 report_id: int | None = None) -> ReportNote:
    """Mark a return note (of the given report, when given) resolved with a response."""
    _require(actor, Position.REGISTRAR)
    note = db.session.get(ReportNote, note_id)
    if note is None or (report_id is not None and note.version.report_id != report_id):
        raise ReportError(_l("unknown note"))
    if note.resolved_at is not None:
        raise ReportError(_l("the note is already resolved"))
    note.resolved_at, note.resolved_by_id = clock.now(), actor.id
    note.response = (response or "").strip()[:NARRATIVE_MAX]
    return note


@transactional
def approve(report_id: int, actor: User) -> ReportVersion:
    """Approve the submitted version: freeze its figures and register; deliver it."""
    _require(actor, Position.SEKRETARIS)
    report = get_report(report_id)
    version = _submitted(report)
    if unresolved_notes(report):
        raise ReportError(_l("the report has unresolved return notes"))
    for older in report.versions:
        if older.status == VersionStatus.APPROVED:
            older.status = VersionStatus.SUPERSEDED
    now = clock.now()
    version.figures = compile_figures(report.year, report.month, now, work_calendar())
    version.compiled_at = now
    version.register_rows = freeze_register(version)
    version.status = VersionStatus.APPROVED
    version.approved_at, version.approved_by_id = now, actor.id
    _tell(Position.KADIS, "report_delivered", report, version)
    _tell(Position.REGISTRAR, "report_approved", report, version)
    return version


@transactional
def acknowledge(report_id: int, actor: User) -> ReportVersion:
    """Record that the Kepala Dinas has read the approved report."""
    _require(actor, Position.KADIS)
    version = get_report(report_id).current
    if version.status != VersionStatus.APPROVED:
        raise ReportError(_l("only an approved report can be acknowledged"))
    if version.acknowledged_at is None:
        version.acknowledged_at, version.acknowledged_by_id = clock.now(), actor.id
    return version


@transactional
def correct(report_id: int, actor: User, reason: str) -> ReportVersion:
    """Open a correction of the approved report: a new draft version with a reason."""
    _require(actor, Position.REGISTRAR)
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(_l("give the reason for the correction"))
    report = get_report(report_id)
    if report.current.status != VersionStatus.APPROVED:
        raise ReportError(_l("only an approved report can be corrected"))
    return _new_version(report, actor, reason=reason[:NARRATIVE_MAX], copy_from=report.current)


def _tell(position: Position, key: str, report: MonthlyReport, version: ReportVersion) -> None:
    """Notify the holders of a position in the app, and by email when they have one."""
    users = users_with_position(position)
    link = f"/staff/reports/{report.id}"
    params = {"month": report.slug, "version": version.number}
    notify([u.id for u in users], key, params, link=link)
    from complaints.reports.presenters import notice_email

    for user in users:
        if user.email:
            subject, body = notice_email(
                key, params, current_app.config["PUBLIC_BASE_URL"].rstrip("/") + link)
            enqueue("email", key, user.email, recipient_name=user.full_name,
                    idempotency_key=f"{key}:{version.id}:{user.id}", subject=subject,
                    body_text=body, language=user.locale or "id")
