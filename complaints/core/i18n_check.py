"""Find translatable strings in code and templates that have no translation yet."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir

from complaints.core.i18n import ROOT, merged_catalog

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]
OPTIONS = {"**.html": {"extensions": "jinja2.ext.do"}, "**.txt": {"extensions": "jinja2.ext.do"}}
SOURCES = ("complaints", "templates")


def extracted() -> dict[str, list[str]]:
    """Return every msgid found in the sources with the places it occurs."""
    found: dict[str, list[str]] = {}
    for folder in SOURCES:
        base = ROOT / folder
        if not base.is_dir():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(base), METHODS, OPTIONS, KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, []).append(f"{folder}/{filename}:{lineno}")
    return found


def missing(lang: str = "id") -> dict[str, list[str]]:
    """Return the msgids with no translation in the language's fragments."""
    catalog = merged_catalog(lang)
    gaps = {}
    for msgid, places in extracted().items():
        message = catalog.get(msgid)
        if message is None or not message.string:
            gaps[msgid] = places
    return gaps


def stub(entries: dict[str, list[str]]) -> str:
    """Return .po entries (with empty msgstr) for the given msgids."""
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    chunks = []
    for msgid, places in sorted(entries.items(), key=lambda kv: kv[1][0]):
        chunks.append(f"#: {' '.join(places[:3])}\nmsgid {quote(msgid)}\nmsgstr \"\"\n")
    return "\n".join(chunks)


def main() -> None:
    """Print the untranslated msgids as .po stubs (python -m complaints.core.i18n_check)."""
    gaps = missing()
    print(stub(gaps))
    print(f"# {len(gaps)} untranslated", flush=True)


if __name__ == "__main__":
    main()
