"""PDF rendering with WeasyPrint that reads nothing but the app's own static files.

WeasyPrint is imported on first use: it costs about half a second, and most processes
(web workers answering pages, `flask mail ingest` per message) never make a PDF.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import current_app


class RefusedURL(ValueError):
    """A resource outside the app's static folder was asked for."""


def static_root() -> Path:
    """Return the app's own static folder (the only place the renderer may read)."""
    return Path(current_app.static_folder or "static").resolve()


def static_file(root: Path, url: str) -> Path | None:
    """Return the file inside root that a file: URL names, or None when it is not one."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)  # .. and symlinks
    except (OSError, RuntimeError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


@cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class _StaticOnlyFetcher(URLFetcher):
        def __init__(self, root: str | Path) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)
            self.root = Path(root).resolve()
            self.refused: list[str] = []
            self.served: list[str] = []

        def fetch(self, url, headers=None):
            path = static_file(self.root, url)
            if path is None:
                self.refused.append(url)
                raise RefusedURL(f"refused to fetch {url[:200]}")
            self.served.append(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                      {"Content-Type": content_type})

    return _StaticOnlyFetcher


def StaticOnlyFetcher(root: str | Path) -> Any:  # noqa: N802 - used like the class it makes
    """Return a fetcher that serves files inside root and refuses (and lists) everything else.

    Complaint text is escaped by the templates, so no markup of a complainant becomes a tag;
    this fetcher is the second wall: no network access and no other local file.
    """
    return _fetcher_class()(root)


def html_document(html: str, fetcher: Any = None) -> Any:
    """Return the WeasyPrint document of the HTML; relative links point into static/."""
    from weasyprint import HTML

    root = static_root()
    return HTML(string=html, base_url=root.as_uri() + "/",
                url_fetcher=fetcher or StaticOnlyFetcher(root))


def render_pdf(html: str, target: IO[bytes], fetcher: Any = None) -> None:
    """Write the HTML as PDF to target."""
    html_document(html, fetcher).write_pdf(target)


def html_to_pdf(html: str, fetcher: Any = None) -> bytes:
    """Return the PDF of the HTML."""
    return html_document(html, fetcher).write_pdf()
