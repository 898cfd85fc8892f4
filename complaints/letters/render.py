"""PDF rendering with WeasyPrint that never fetches anything but the app's static files."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """A resource outside the app's static folder was asked for."""


class StaticOnlyFetcher(URLFetcher):
    """Serves file: URLs inside one folder; refuses http(s), data, ftp and other files."""

    def __init__(self, root: str | Path) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = Path(root).resolve()
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        path = self._allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"refused to fetch {url[:200]}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  {"Content-Type": content_type})

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()  # resolves .. and symlinks
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path


def static_root() -> Path:
    """Return the app's own static folder (the only place the renderer may read)."""
    return Path(current_app.static_folder or "static").resolve()


def html_to_pdf(html: str, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """Return the PDF of an HTML page whose relative links point into the static folder."""
    fetcher = fetcher or StaticOnlyFetcher(static_root())
    base_url = static_root().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
