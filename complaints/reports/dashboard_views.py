"""The dashboards of the Kepala Dinas and the Sekretaris."""

from __future__ import annotations

from flask import Blueprint, render_template

from complaints.accounts.models import Position
from complaints.core import clock
from complaints.core.timefmt import office_tz
from complaints.reports import queries, service
from complaints.reports.access import require_position
from complaints.reports.models import VersionStatus
from complaints.reports.tables import charts_of, headline, tables_of

bp = Blueprint("dashboards", __name__, url_prefix="/staff/dashboard")


@bp.get("/kadis")
@require_position(Position.KADIS)
def kadis():
    """This month, the last 12 months and the reports waiting for reading."""
    today = clock.now().astimezone(office_tz()).date()
    figures = service.provisional(today.year, today.month)
    return render_template(
        "reports/dashboard_kadis.html", figures=figures, headline=headline(figures),
        tables=[t for t in tables_of(figures) if t.key in ("channel", "weight", "status")],
        charts=charts_of(figures),
        unread=queries.waiting(VersionStatus.APPROVED, unread_only=True),
    )


@bp.get("/sekretaris")
@require_position(Position.SEKRETARIS)
def sekretaris():
    """Reports waiting for examination and the register's open questions."""
    return render_template("reports/dashboard_sekretaris.html",
                           submitted=queries.waiting(VersionStatus.SUBMITTED),
                           questions=queries.open_questions())
