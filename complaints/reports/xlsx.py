"""A report version as a spreadsheet (openpyxl, imported only when a spreadsheet is made)."""

from __future__ import annotations

import tempfile
from typing import IO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from complaints.accounts.models import User
from complaints.core.labels import label
from complaints.core.timefmt import office_tz
from complaints.reports.exports import month_label, register_lines
from complaints.reports.models import ReportVersion
from complaints.reports.tables import headline, tables_of


def _cell(ws, value, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the complainant wrote
    if bold:
        cell.font = Font(bold=True)
    return cell


def _summary_sheet(wb: Workbook, version: ReportVersion) -> None:
    ws = wb.create_sheet(_("Summary"))
    ws.append([_cell(ws, _("Monthly complaints report %(month)s", month=month_label(version)),
                     bold=True)])
    ws.append([_cell(ws, _("Version")), version.number, _cell(ws, version.status.value)])
    ws.append([])
    for text, value in headline(version.figures):
        ws.append([_cell(ws, text), _cell(ws, value)])
    for table in tables_of(version.figures):
        ws.append([])
        ws.append([_cell(ws, table.title, bold=True), _cell(ws, _("Count"), bold=True)])
        for name, count in table.rows:
            ws.append([_cell(ws, name), count])
        ws.append([_cell(ws, _("Total")), table.total])


def _register_sheet(wb: Workbook, version: ReportVersion, viewer: User) -> None:
    ws = wb.create_sheet(_("Buku Pengaduan"))
    heads = (_("Register number"), _("Date received"), _("Complainant"), _("Channel"), _("Type"),
             _("Weight"), _("Status"), _("Summary"), _("Follow-up"))
    ws.append([_cell(ws, h, bold=True) for h in heads])
    tz = office_tz()
    for line in register_lines(version, viewer):
        received = line["received_at"].astimezone(tz).strftime("%Y-%m-%d %H:%M")
        ws.append([_cell(ws, line["number"]), _cell(ws, received),
                   _cell(ws, line["complainant"]), _cell(ws, label("channel", line["channel"])),
                   _cell(ws, line["type_name"]), _cell(ws, label("weight", line["weight"])),
                   _cell(ws, label("status", line["status"])), _cell(ws, line["summary"]),
                   _cell(ws, line["follow_up"])])


def write_report(version: ReportVersion, viewer: User) -> IO[bytes]:
    """Return a temporary file with the report's tables and register (streamed, write-only)."""
    wb = Workbook(write_only=True)
    _summary_sheet(wb, version)
    _register_sheet(wb, version, viewer)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
    wb.save(target)
    target.seek(0)
    return target
