"""The printed Buku Pengaduan: WeasyPrint, in chunks, with no access outside the static folder."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import islice
from typing import IO, TYPE_CHECKING

from flask import render_template

from complaints.core.labels import label
from complaints.core.pdf import html_document

if TYPE_CHECKING:
    from complaints.register.exports import ExportMeta
    from complaints.register.service import RegisterRow

# WeasyPrint keeps the layout of a whole document in memory (about 0.25 MB per row of the
# register), so long registers are laid out this many rows at a time and the parts joined.
CHUNK_ROWS = 400


def chunks(rows: Iterable[RegisterRow], size: int) -> Iterator[tuple[list[RegisterRow], bool]]:
    """Yield the rows in lists of `size` with whether each is the last (one empty list if none)."""
    source = iter(rows)
    chunk = list(islice(source, size))
    while True:
        following = list(islice(source, size))
        yield chunk, not following
        if not following:
            return
        chunk = following


def write_register_pdf(rows: Iterable[RegisterRow], meta: ExportMeta, target: IO[bytes],
                       follow_up_text) -> int:
    """Write the register as an A4 landscape PDF, laid out chunk by chunk; return the rows."""
    count = pages = 0
    with ExitStack() as stack:
        parts: list[IO[bytes]] = []
        for index, (chunk, last) in enumerate(chunks(rows, CHUNK_ROWS)):
            html = render_template(
                "register/pdf.html", rows=chunk, meta=meta, label=label,
                follow_up_text=follow_up_text, first=index == 0, last=last,
                single=index == 0 and last, first_page=pages + 1, row_offset=count,
            )
            document = html_document(html).render()
            part = stack.enter_context(tempfile.TemporaryFile())
            document.write_pdf(part)
            pages += len(document.pages)
            count += len(chunk)
            del document, html
            parts.append(part)
        _join(parts, target, meta)
    return count


def _join(parts: list[IO[bytes]], target: IO[bytes], meta: ExportMeta) -> None:
    if len(parts) == 1:
        parts[0].seek(0)
        shutil.copyfileobj(parts[0], target)
        return
    from pypdf import PdfReader, PdfWriter  # only long registers are joined: loaded on demand

    writer = PdfWriter()
    for part in parts:
        part.seek(0)
        writer.append(PdfReader(part), import_outline=False)
    writer.add_metadata({"/Title": f"BUKU PENGADUAN — {meta.period_label}",
                         "/Author": meta.office_name})
    writer.write(target)
