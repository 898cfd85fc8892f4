"""The Buku Pengaduan as a spreadsheet (openpyxl, imported only when a spreadsheet is made)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from complaints.register import service
from complaints.register.exports import (
    DATE_FORMAT,
    HEADER_ROW,
    WRAP_FROM_WIDTH,
    XLSX_COLUMNS,
    ExportMeta,
)


def _text_cell(ws, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    # openpyxl turns a string starting with "=" into a formula; complaint text never is one.
    if isinstance(value, str):
        cell.data_type = "s"
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def write_register(rows: Iterable[service.RegisterRow], meta: ExportMeta, target: IO[bytes]) -> int:
    """Write the register as a spreadsheet, streaming rows (write-only workbook); return count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="Buku Pengaduan")
    for index, (_title, width, _value) in enumerate(XLSX_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    bold = Font(bold=True)
    ws.append([_text_cell(ws, meta.office_name, font=Font(bold=True, size=12))])
    ws.append([_text_cell(ws, f"BUKU PENGADUAN — {meta.period_label}", font=bold)])
    ws.append([_text_cell(ws, meta.filters_label)])
    ws.append([_text_cell(ws, str(title), font=bold) for title, _w, _v in XLSX_COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    count = 0
    for row in rows:
        cells = []
        for _title, width, value in XLSX_COLUMNS:
            item = value(row)
            if isinstance(item, datetime):
                cells.append(_text_cell(ws, item, number_format=DATE_FORMAT))
            elif width >= WRAP_FROM_WIDTH:
                cells.append(_text_cell(ws, item, alignment=wrap))
            else:
                cells.append(_text_cell(ws, item))
        ws.append(cells)
        count += 1
    wb.save(target)
    return count
