"""The printed Buku Pengaduan: WeasyPrint, in chunks, with no access outside the static folder."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import current_app, render_template
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from complaints.core.labels import label

if TYPE_CHECKING:
    from complaints.register.exports import ExportMeta
    from complaints.register.service import RegisterRow

# WeasyPrint keeps the layout of a whole document in memory (about 0.25 MB per row of the
# register), so long registers are laid out this many rows at a time and the parts joined.
CHUNK_ROWS = 400


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves files of the static folder and refuses anything else.

    Complaint text is escaped by the template, so no markup of a complainant can become a
    tag; this fetcher is the second wall: no network access and no other local file.
    """

    def __init__(self, static_dir: str | Path):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = Path(static_dir).resolve()
        self.refused: list[str] = []

    def local_path(self, url: str) -> Path | None:
        """Return the static file the URL names, or None when it is not one."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def fetch(self, url, headers=None):
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"resource refused: {url[:200]}")
        return super().fetch(path.as_uri(), headers)


def _static_dir() -> Path:
    return Path(current_app.static_folder or "static").resolve()


def html_document(html: str, fetcher: StaticOnlyFetcher | None = None) -> HTML:
    """Return the WeasyPrint document of the HTML; resources only from the static folder."""
    static_dir = _static_dir()
    return HTML(string=html, base_url=static_dir.as_uri() + "/",
                url_fetcher=fetcher or StaticOnlyFetcher(static_dir))


def render_pdf(html: str, target: IO[bytes], fetcher: StaticOnlyFetcher | None = None) -> None:
    """Write the HTML as PDF; resources only from the static folder."""
    html_document(html, fetcher).write_pdf(target)


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
    writer = PdfWriter()
    for part in parts:
        part.seek(0)
        writer.append(PdfReader(part), import_outline=False)
    writer.add_metadata({"/Title": f"BUKU PENGADUAN — {meta.period_label}",
                         "/Author": meta.office_name})
    writer.write(target)
