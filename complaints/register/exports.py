"""Exports of the Buku Pengaduan: XLSX streamed row by row, and a PDF the Sekretaris signs."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import IO

from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from complaints.accounts.models import User
from complaints.accounts.service import record_audit
from complaints.core import clock
from complaints.core.labels import label
from complaints.core.timefmt import office_tz
from complaints.register import pdf, service
from complaints.register.filters import Period, RegisterFilter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
FORMATS = ("xlsx", "pdf")


class ExportTooLarge(ValueError):
    """The selection has more rows than a PDF may hold."""

    def __init__(self, rows: int, limit: int):
        super().__init__(f"{rows} rows, more than {limit}")
        self.rows = rows
        self.limit = limit


@dataclass(frozen=True)
class ExportMeta:
    """What the title, header and footer of an export say."""

    office_government: str
    office_name: str
    office_address: str
    office_phone: str
    office_city: str
    period_label: str
    filters_label: str
    printed_at: datetime  # office time
    printed_by: str
    examiner: service.Examiner | None


@dataclass
class ExportFile:
    """A finished export, ready to send."""

    file: IO[bytes]
    filename: str
    mimetype: str
    rows: int


def period_label(period: Period) -> str:
    """Return the period in words, in the user's language: 'November 2026' or 'Year 2026'."""
    if period.month is None:
        return _("Year %(year)s", year=period.year)
    return format_date(period.first_day, "MMMM yyyy")


def filters_label(flt: RegisterFilter, lookups: service.Lookups) -> str:
    """Return the filters in words ('' when the whole period is shown)."""
    parts = []
    for title, group, value in ((_("Channel"), "channel", flt.channel),
                                (_("Weight"), "weight", flt.weight),
                                (_("Status"), "status", flt.status)):
        if value is not None:
            parts.append(f"{title}: {label(group, value)}")
    for title, names, key in ((_("Type"), lookups.types, flt.type_id),
                              (_("Service"), lookups.services, flt.service_id),
                              (_("Division"), lookups.divisions, flt.division_id)):
        if key is not None:
            parts.append(f"{title}: {names.get(key, key)}")
    return "; ".join(parts)


def follow_up_text(row: service.RegisterRow) -> str:
    """Return the follow-up column: the recorded tindak lanjut and the latest public reply."""
    parts = [row.follow_up] if row.follow_up else []
    if row.reply:
        when = format_date(row.reply_at, "short") if row.reply_at else ""
        parts.append(_("Reply %(date)s: %(text)s", date=when, text=row.reply))
    return "\n".join(parts)


def build_meta(flt: RegisterFilter, viewer: User, locale: str) -> ExportMeta:
    """Return the title and signature data of an export."""
    config = current_app.config
    return ExportMeta(
        office_government=config["OFFICE_GOVERNMENT"], office_name=config["OFFICE_NAME"],
        office_address=config["OFFICE_ADDRESS"],
        office_phone=config["OFFICE_PHONE"], office_city=config["REGISTER_SIGN_CITY"],
        period_label=period_label(flt.period),
        filters_label=filters_label(flt, service.load_lookups(locale)),
        printed_at=clock.now().astimezone(office_tz()), printed_by=viewer.full_name,
        examiner=service.examiner(),
    )


# (header, width in characters, value of a row) for the spreadsheet.
XLSX_COLUMNS: list[tuple[object, int, Callable[[service.RegisterRow], object]]] = [
    (_l("Register number"), 18, lambda r: r.number),
    (_l("Date received"), 17, lambda r: r.received_at.replace(tzinfo=None)),
    (_l("Name"), 24, lambda r: r.name),
    (_l("Address"), 30, lambda r: r.address),
    (_l("Phone"), 16, lambda r: r.phone),
    (_l("Channel"), 14, lambda r: label("channel", r.channel)),
    (_l("Type"), 22, lambda r: r.type_name),
    (_l("Weight"), 16, lambda r: label("weight", r.weight)),
    (_l("Service"), 28, lambda r: r.service_name),
    (_l("Division"), 22, lambda r: r.division_name),
    (_l("Summary"), 50, lambda r: r.summary),
    (_l("Follow-up"), 50, follow_up_text),
    (_l("Status"), 16, lambda r: label("status", r.status)),
]
DATE_FORMAT = "dd/mm/yyyy hh:mm"
WRAP_FROM_WIDTH = 28  # only the long text columns wrap: each styled cell costs time
HEADER_ROW = 4


TEXT_FIELDS = ("name", "address", "phone", "summary", "follow_up", "reply", "type_name",
               "service_name", "division_name")


def printable(rows: Iterable[service.RegisterRow]) -> Iterator[service.RegisterRow]:
    """Yield the rows with control characters replaced.

    Text from e-mail or SMS may hold them; XLSX forbids them and they break the text
    layer of a PDF.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # openpyxl loads on first export

    for row in rows:
        dirty = {name: ILLEGAL_CHARACTERS_RE.sub("\ufffd", getattr(row, name))
                 for name in TEXT_FIELDS if ILLEGAL_CHARACTERS_RE.search(getattr(row, name))}
        yield replace(row, **dirty) if dirty else row


def write_xlsx(rows: Iterable[service.RegisterRow], meta: ExportMeta, target: IO[bytes]) -> int:
    """Write the register as a spreadsheet, streaming rows (write-only workbook); return count."""
    from complaints.register import xlsx  # openpyxl loads on the first export, not at start

    return xlsx.write_register(rows, meta, target)


def write_pdf(rows: Iterable[service.RegisterRow], meta: ExportMeta, target: IO[bytes]) -> int:
    """Write the register as an A4 landscape PDF with letterhead and signature; return count."""
    return pdf.write_register_pdf(rows, meta, target, follow_up_text)


WRITERS = {"xlsx": (write_xlsx, XLSX_MIME), "pdf": (write_pdf, PDF_MIME)}


def export_register(flt: RegisterFilter, viewer: User, fmt: str) -> ExportFile:
    """Build an export of the selection with the viewer's rights, and audit it."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}")
    flt = replace(flt, after=None)  # an export is the whole selection, never one page
    service.check_references(flt)
    if fmt == "pdf":
        rows, limit = service.count_rows(flt), current_app.config["REGISTER_PDF_MAX_ROWS"]
        if rows > limit:
            raise ExportTooLarge(rows, limit)
    locale = str(get_locale() or "id")
    writer, mimetype = WRITERS[fmt]
    meta = build_meta(flt, viewer, locale)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to send_file, which closes it
    try:
        count = writer(printable(service.iter_rows(flt, viewer, locale)), meta, target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    record_audit("register_export", viewer, detail={
        "format": fmt, "filters": flt.described(), "rows": count,
    })
    return ExportFile(target, f"buku-pengaduan-{flt.period.slug}.{fmt}", mimetype, count)

