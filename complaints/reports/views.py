"""Pages of the monthly report: list, provisional view, one report, its review steps."""

from __future__ import annotations

import tempfile

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from complaints.accounts.models import Position
from complaints.core import clock
from complaints.core.timefmt import office_tz
from complaints.reports import exports, queries, service
from complaints.reports.access import READERS, holds, require_position
from complaints.reports.service import ReportError, ReportForbidden
from complaints.reports.stats import month_of, shift_month
from complaints.reports.tables import charts_of, headline, tables_of

bp = Blueprint("reports", __name__, url_prefix="/staff/reports")
REGISTRAR, SEKRETARIS, KADIS = Position.REGISTRAR, Position.SEKRETARIS, Position.KADIS


def _previous_month() -> tuple[int, int]:
    today = clock.now().astimezone(office_tz()).date()
    return shift_month(today.year, today.month, -1)


@bp.get("/")
@require_position(*READERS)
def index():
    """List the compiled reports, newest first, with the compile form."""
    year, month = _previous_month()
    return render_template("reports/index.html", reports=queries.all_reports(),
                           default_month=f"{year:04d}-{month:02d}",
                           can_prepare=holds(REGISTRAR))


@bp.get("/provisional")
@require_position(*READERS)
def provisional():
    """Show a month's figures as they stand now (this month included; nothing stored)."""
    today = clock.now().astimezone(office_tz()).date()
    try:
        year, month = month_of(request.args.get("month") or f"{today:%Y-%m}")
    except ValueError:
        abort(400)
    figures = service.provisional(year, month)
    return render_template("reports/provisional.html", figures=figures,
                           tables=tables_of(figures), headline=headline(figures),
                           charts=charts_of(figures))


def _step(fn, *args):
    """Run a review step; 403 when the position forbids it, a flash for other refusals."""
    try:
        fn(*args)
    except ReportForbidden:
        abort(403)
    except ReportError as exc:
        flash(str(exc), "error")
        return False
    return True


@bp.post("/compile")
@require_position(REGISTRAR)
def compile_month():
    """Compile (or refresh) the draft of a month that has ended."""
    try:
        year, month = month_of(request.form.get("month", ""))
    except ValueError:
        flash(_("Choose a month."), "error")
        return redirect(url_for("reports.index"))
    try:
        report = service.compile_report(year, month, current_user)
    except ReportError as exc:
        flash(str(exc), "error")
        return redirect(url_for("reports.index"))
    return redirect(url_for("reports.detail", report_id=report.id))


def _load(report_id: int):
    try:
        return service.get_report(report_id)
    except ReportError:
        abort(404)


@bp.get("/<int:report_id>")
@require_position(*READERS)
def detail(report_id: int):
    """Show the current version of a report with its review steps and history."""
    version = _version(report_id)
    report = version.report
    figures = version.figures
    return render_template(
        "reports/detail.html", report=report, version=version, figures=figures,
        tables=tables_of(figures), headline=headline(figures), charts=charts_of(figures),
        is_current=version is report.current, unresolved=service.unresolved_notes(report),
        is_registrar=holds(REGISTRAR), is_sekretaris=holds(SEKRETARIS), is_kadis=holds(KADIS),
    )


def _back(report_id: int):
    return redirect(url_for("reports.detail", report_id=report_id))


@bp.post("/<int:report_id>/narrative")
@require_position(REGISTRAR)
def narrative(report_id: int):
    """Save the narrative of the draft."""
    form = request.form
    if _step(service.save_narrative, report_id, current_user, form.get("summary", ""),
             form.get("conclusions", ""), form.get("recommendations", "")):
        flash(_("Saved."), "success")
    return _back(report_id)


@bp.post("/<int:report_id>/refresh")
@require_position(REGISTRAR)
def refresh(report_id: int):
    """Compile the draft's figures again."""
    _step(service.refresh_figures, report_id, current_user)
    return _back(report_id)


@bp.post("/<int:report_id>/submit")
@require_position(REGISTRAR)
def submit(report_id: int):
    """Send the draft to the Sekretaris."""
    if _step(service.submit, report_id, current_user):
        flash(_("Sent to the Sekretaris for examination."), "success")
    return _back(report_id)


@bp.post("/<int:report_id>/return")
@require_position(SEKRETARIS)
def return_report(report_id: int):
    """Return the submitted report with a note."""
    if _step(service.return_report, report_id, current_user, request.form.get("note", "")):
        flash(_("Returned for correction."), "success")
    return _back(report_id)


@bp.post("/<int:report_id>/approve")
@require_position(SEKRETARIS)
def approve(report_id: int):
    """Approve the submitted report (frozen and delivered to the Kepala Dinas)."""
    if _step(service.approve, report_id, current_user):
        flash(_("Approved and delivered to the Kepala Dinas."), "success")
    return _back(report_id)


@bp.post("/<int:report_id>/acknowledge")
@require_position(KADIS)
def acknowledge(report_id: int):
    """Record that the Kepala Dinas has read the report."""
    if _step(service.acknowledge, report_id, current_user):
        flash(_("Marked as read."), "success")
    return _back(report_id)


@bp.post("/<int:report_id>/correct")
@require_position(REGISTRAR)
def correct(report_id: int):
    """Open a correction of the approved report."""
    _step(service.correct, report_id, current_user, request.form.get("reason", ""))
    return _back(report_id)


@bp.post("/<int:report_id>/notes/<int:note_id>/resolve")
@require_position(REGISTRAR)
def resolve_note(report_id: int, note_id: int):
    """Mark a return note resolved with a response."""
    _step(service.resolve_note, note_id, current_user, request.form.get("response", ""),
          report_id)
    return _back(report_id)


def _version(report_id: int):
    report = _load(report_id)
    number = request.args.get("version", type=int)
    found = {v.number: v for v in report.versions}.get(number) if number else report.current
    if found is None:
        abort(404)
    return found


@bp.get("/<int:report_id>/export.pdf")
@require_position(*READERS)
def export_pdf(report_id: int):
    """Download a version of the report as PDF."""
    version = _version(report_id)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
    exports.write_pdf(version, target)
    target.seek(0)
    return send_file(target, mimetype=exports.PDF_MIME, as_attachment=True,
                     download_name=exports.filename(version, "pdf"), max_age=0)


@bp.get("/<int:report_id>/export.xlsx")
@require_position(*READERS)
def export_xlsx(report_id: int):
    """Download a version of the report with the month's register as XLSX."""
    version = _version(report_id)
    return send_file(exports.write_xlsx(version, current_user), mimetype=exports.XLSX_MIME,
                     as_attachment=True, download_name=exports.filename(version, "xlsx"),
                     max_age=0)


STATUS_TEXTS = {
    "draft": _l("Draft"), "submitted": _l("Waiting for the Sekretaris"),
    "returned": _l("Returned for correction"), "approved": _l("Approved"),
    "superseded": _l("Replaced by a correction"),
}


def report_status(version) -> str:
    """Return the version's status in words (read by the Kepala Dinas, when approved)."""
    text = str(STATUS_TEXTS[version.status.value])
    if version.status.value == "approved" and version.acknowledged_at:
        text = f"{text} · {_('read')}"
    return text


@bp.record_once
def _report_helpers(state) -> None:
    state.app.jinja_env.globals.update({"report_status": report_status,
                                        "can_read_reports": lambda: holds(*READERS)})
