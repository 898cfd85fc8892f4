"""Bytes and HTML to plain text: the charset chain and an HTML stripper (pure)."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

# Normalised codec names (codecs.lookup(...).name) of labels that are read as cp1252.
LATIN_LIKE = {"ascii", "iso8859-1", "latin-1", "cp1252", "iso8859-15"}
SKIP_TAGS = {"script", "style", "head", "title", "template", "noscript", "svg"}
BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6",
              "blockquote", "table", "ul", "ol", "pre", "hr", "section", "article"}


def _known(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset.strip().strip('"')).name
    except (LookupError, ValueError):
        return None


CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    """Drop control characters (NUL breaks PostgreSQL text, the others mean nothing)."""
    return CONTROLS.sub("", text)


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset, then utf-8, then cp1252, without controls."""
    return strip_controls(_decode(data, charset))


def _decode(data: bytes, charset: str | None) -> str:
    declared = _known(charset)
    if declared is None or declared in LATIN_LIKE:
        # No label, or a latin label on what is really UTF-8 (a common mislabel).
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            # Latin labels are read as cp1252, their superset, as browsers do.
            return data.decode("cp1252", errors="replace")
    for candidate in (declared, "utf-8"):
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace")


def fix_surrogates(text: str) -> str:
    """Redecode raw 8-bit bytes the email package kept as surrogates (utf-8, else cp1252)."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return strip_controls(text)
    data = text.encode("utf-8", "surrogateescape")
    return decode_bytes(data, None)


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.out.append("\n")
        if tag == "li":
            self.out.append("- ")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(self.skip - 1, 0)
        elif tag in BLOCK_TAGS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML body; scripts, styles and tags are dropped."""
    parser = _Stripper()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - fall back to dropping anything tag-like
        return re.sub(r"<[^>]*>", " ", html)
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
