"""Exports of a report version: a PDF in the office's format and an XLSX (tables + register)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from flask import current_app, render_template
from flask_babel import format_date
from flask_babel import gettext as _

from complaints.accounts.models import Position, User
from complaints.accounts.service import users_with_position
from complaints.core import clock
from complaints.core.pdf import render_pdf
from complaints.core.timefmt import office_tz
from complaints.register.filters import Period, RegisterFilter
from complaints.register.service import iter_rows
from complaints.reports.models import ReportVersion
from complaints.reports.snapshot import live_row, snapshot_rows
from complaints.reports.tables import charts_of, headline, tables_of

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
REGISTER_FIELDS = ("number", "received_at", "complainant", "channel", "type_name", "weight",
                   "status", "summary", "follow_up")


@dataclass(frozen=True)
class Signer:
    """A signature block: the position and the person who holds it."""

    title: str
    name: str
    nip: str


def month_label(version: ReportVersion) -> str:
    """Return the report's month in words in the current language."""
    return format_date(Period(version.report.year, version.report.month).first_day, "MMMM yyyy")


def signers(version: ReportVersion) -> list[Signer]:
    """Return the Sekretaris (who approved, else today's holder) and the Kepala Dinas."""
    sekretaris = version.approved_by or next(iter(users_with_position(Position.SEKRETARIS)), None)
    kadis = next(iter(users_with_position(Position.KADIS)), None)
    return [Signer(_("Examined by the Sekretaris"), sekretaris.full_name if sekretaris else "",
                   (sekretaris.nip or "") if sekretaris else ""),
            Signer(_("Acknowledged by the Kepala Dinas"), kadis.full_name if kadis else "",
                   (kadis.nip or "") if kadis else "")]


def register_lines(version: ReportVersion, viewer: User) -> Iterator[dict]:
    """Yield the month's register: frozen rows when approved, else as it stands now."""
    if version.frozen:
        for frozen in snapshot_rows(version.id):
            yield {name: getattr(frozen, name) for name in REGISTER_FIELDS}
        return
    flt = RegisterFilter(period=Period(version.report.year, version.report.month))
    for position, live in enumerate(iter_rows(flt, viewer, "id", where="report_export"), 1):
        yield live_row(live, position)


def write_pdf(version: ReportVersion, target: IO[bytes]) -> None:
    """Write the report as the office's A4 PDF: letterhead, figures, charts, signatures."""
    figures = version.figures
    html = render_template(
        "reports/pdf.html", version=version, report=version.report, figures=figures,
        tables=tables_of(figures), headline=headline(figures), charts=charts_of(figures),
        month_label=month_label(version), signers=signers(version),
        printed_at=clock.now().astimezone(office_tz()), config=current_app.config,
    )
    render_pdf(html, target)


def write_xlsx(version: ReportVersion, viewer: User) -> IO[bytes]:
    """Return a temporary file with the report's tables and register (streamed, write-only)."""
    from complaints.reports import xlsx  # openpyxl loads on the first export, not at start

    return xlsx.write_report(version, viewer)


def filename(version: ReportVersion, ext: str) -> str:
    """Return the download name of an export."""
    return f"laporan-pengaduan-{version.report.slug}-v{version.number}.{ext}"
