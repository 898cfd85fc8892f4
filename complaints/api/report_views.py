"""Staff operations on monthly reports: list them, read one version with its review history."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, tuple_

from complaints.api.http import Call, operation
from complaints.api.present import iso
from complaints.api.problems import ApiProblem
from complaints.api.schemas import ID
from complaints.api.service import DEFAULT_LIMIT, MAX_LIMIT
from complaints.api.spec import Param
from complaints.api.views import bp
from complaints.extensions import db
from complaints.reports.models import MonthlyReport, ReportNote, ReportVersion

REPORT_ID = Param("report_id", "path", ID, "The report's numeric id")
LIST_PARAMS = [
    Param("after", "query", {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
                             "maxLength": 7}, "Keyset cursor (YYYY-MM): next_after of the "
                                              "previous page"),
    Param("limit", "query", {"type": "string", "pattern": "^[1-9][0-9]{0,2}$", "maxLength": 3},
          f"Page size, 1–{MAX_LIMIT} (default {DEFAULT_LIMIT})"),
]
DETAIL_PARAMS = [
    REPORT_ID,
    Param("version", "query", {"type": "string", "pattern": "^[1-9][0-9]{0,3}$", "maxLength": 4},
          "Version number (default: the current one)"),
]


def _name(user) -> str | None:
    return user.full_name if user else None


def summary(report: MonthlyReport, version: ReportVersion) -> dict:
    """Return a report with one of its versions (number, status, timestamps)."""
    return {
        "id": report.id, "month": report.slug, "version": version.number,
        "status": version.status.value, "created_at": iso(version.created_at),
        "compiled_at": iso(version.compiled_at), "submitted_at": iso(version.submitted_at),
        "approved_at": iso(version.approved_at), "acknowledged_at": iso(version.acknowledged_at),
    }


def _note(note: ReportNote) -> dict:
    return {"id": note.id, "version": note.version.number, "author": _name(note.author),
            "note": note.note, "created_at": iso(note.created_at),
            "resolved_at": iso(note.resolved_at), "response": note.response}


def _step(v: ReportVersion) -> dict:
    return {"version": v.number, "status": v.status.value, "reason": v.reason,
            "created_at": iso(v.created_at), "submitted_at": iso(v.submitted_at),
            "submitted_by": _name(v.submitted_by), "approved_at": iso(v.approved_at),
            "approved_by": _name(v.approved_by), "acknowledged_at": iso(v.acknowledged_at),
            "acknowledged_by": _name(v.acknowledged_by)}


def detail(report: MonthlyReport, version: ReportVersion) -> dict:
    """Return one version with its figures, narrative, return notes and the review history."""
    return {
        **summary(report, version), "current_version": report.current.number,
        "reason": version.reason, "frozen": version.frozen, "figures": version.figures or {},
        "register_rows": version.register_rows or 0, "summary": version.summary or "",
        "conclusions": version.conclusions or "",
        "recommendations": version.recommendations or "",
        "notes": [_note(n) for v in report.versions for n in v.notes],
        "history": [_step(v) for v in report.versions],
    }


def report_page(args: dict[str, str]) -> dict:
    """Return one page of reports, newest month first (keyset on year and month)."""
    limit = max(1, min(int(args.get("limit", DEFAULT_LIMIT)), MAX_LIMIT))
    query = select(MonthlyReport).order_by(MonthlyReport.year.desc(), MonthlyReport.month.desc())
    if "after" in args:
        year, month = (int(part) for part in args["after"].split("-"))
        query = query.where(tuple_(MonthlyReport.year, MonthlyReport.month) < (year, month))
    rows = list(db.session.scalars(query.limit(limit + 1)))
    page = rows[:limit]
    return {"items": [summary(r, r.current) for r in page],
            "next_after": page[-1].slug if len(rows) > limit else None}


@operation(bp, "GET", "/reports", tag="Reports", scope="reports:read", params=LIST_PARAMS,
           summary="List the monthly reports (keyset pagination)",
           responses={200: ("One page; follow next_after for the next", "ReportPage")})
def list_reports(call: Call):
    """Return one page of the monthly reports with their current version."""
    return report_page(call.query), 200


@operation(bp, "GET", "/reports/{report_id}", tag="Reports", scope="reports:read",
           params=DETAIL_PARAMS, errors=(404,),
           summary="Read a monthly report version with its figures and review history",
           responses={200: ("The version (current unless `version` is given)",
                            "ReportDetail")})
def get_report(call: Call):
    """Return a version of the report (frozen figures when approved) and its history."""
    report = db.session.get(MonthlyReport, int(call.path["report_id"]))
    if report is None or not report.versions:
        raise ApiProblem(404, _("No such report."))
    number = int(call.query.get("version", report.current.number))
    version = {v.number: v for v in report.versions}.get(number)
    if version is None:
        raise ApiProblem(404, _("No such version of the report."))
    return detail(report, version), 200
