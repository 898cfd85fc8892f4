"""Write Indonesian translations into per-domain fragments, by where each msgid occurs.

Usage: python scripts/write_po.py TRANSLATIONS.py  (a module defining T = {msgid: msgstr})
Existing entries are kept; new ones are added to the fragment of their first location.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from complaints.core.i18n_check import extracted

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ("accounts", "intake", "tickets", "workflow", "register", "public", "notifications",
           "reports", "api", "inbox", "admin")


def fragment_for(place: str) -> str:
    """Return the fragment name for a source location like templates/tickets/x.html:3."""
    parts = place.split("/")
    for part in parts[1:3]:
        if part in DOMAINS:
            return "accounts" if part == "admin" else part
    return "core"


def main() -> None:
    translations = runpy.run_path(sys.argv[1])["T"]
    found = extracted()
    catalogs: dict[str, Catalog] = {}
    for msgid, msgstr in translations.items():
        places = found.get(msgid)
        if not places:
            print(f"not in sources, skipped: {msgid!r}")
            continue
        name = fragment_for(places[0])
        if name not in catalogs:
            path = ROOT / "translations" / "id" / f"{name}.po"
            if path.exists():
                with open(path, "rb") as handle:
                    catalogs[name] = read_po(handle, locale="id")
            else:
                catalogs[name] = Catalog(locale="id", project="pengaduan")
        catalogs[name].add(msgid, msgstr)
    for name, catalog in catalogs.items():
        path = ROOT / "translations" / "id" / f"{name}.po"
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
        print(f"wrote {path.relative_to(ROOT)} ({len(catalog)} entries)")


if __name__ == "__main__":
    main()
