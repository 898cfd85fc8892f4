"""Files accepted on a form that failed for another reason, kept until the form is sent again.

They wait in the instance folder under a random token that the form carries in a hidden
field and the session remembers (a token from another browser is ignored); folders older
than PUBLIC_UPLOAD_HOLD_HOURS are deleted.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, session

from complaints.tickets.attachments import Upload

SESSION_KEY = "held_uploads"
TOKEN_PATTERN = re.compile(r"[0-9a-f]{32}")
MANIFEST = "manifest.json"


@dataclass
class HeldFile:
    """A kept file as the form lists it."""

    index: int
    filename: str
    size: int


def _root() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "held-uploads"


def _folder(token: str | None) -> Path | None:
    """Return the folder of a token this browser owns, or None."""
    if not token or not TOKEN_PATTERN.fullmatch(token) or session.get(SESSION_KEY) != token:
        return None
    folder = _root() / token
    return folder if folder.is_dir() else None


def _manifest(folder: Path) -> list[dict]:
    try:
        return json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return []


def hold(token: str | None, uploads: list[Upload]) -> str | None:
    """Keep the uploads with those already held; return the token (None when nothing held)."""
    purge_expired()
    folder = _folder(token)
    if folder is None:
        if not uploads:
            return None
        token = secrets.token_hex(16)
        folder = _root() / token
        folder.mkdir(parents=True)
        session[SESSION_KEY] = token
    entries = _manifest(folder)
    for upload in uploads:
        stored = f"{secrets.token_hex(8)}.bin"
        (folder / stored).write_bytes(upload.data)
        entries.append(
            {
                "file": stored,
                "name": upload.filename,
                "type": upload.content_type,
                "size": len(upload.data),
            }
        )
    (folder / MANIFEST).write_text(json.dumps(entries))
    return token


def listing(token: str | None) -> list[HeldFile]:
    """Return the files held under the token."""
    folder = _folder(token)
    if folder is None:
        return []
    return [HeldFile(i, e["name"], e["size"]) for i, e in enumerate(_manifest(folder))]


def load(token: str | None) -> list[Upload]:
    """Return the held files as uploads ready to store."""
    folder = _folder(token)
    if folder is None:
        return []
    uploads = []
    for entry in _manifest(folder):
        path = folder / entry["file"]
        if path.is_file():
            uploads.append(Upload(entry["name"], path.read_bytes(), entry["type"]))
    return uploads


def remove(token: str | None, indexes: set[int]) -> None:
    """Forget the held files at the given positions."""
    folder = _folder(token)
    if folder is None or not indexes:
        return
    keep = []
    for i, entry in enumerate(_manifest(folder)):
        if i in indexes:
            (folder / entry["file"]).unlink(missing_ok=True)
        else:
            keep.append(entry)
    (folder / MANIFEST).write_text(json.dumps(keep))


def discard(token: str | None) -> None:
    """Delete every file held under the token."""
    folder = _folder(token)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    session.pop(SESSION_KEY, None)


def purge_expired(now: float | None = None) -> int:
    """Delete held folders older than the hold time; return how many were deleted."""
    root = _root()
    if not root.is_dir():
        return 0
    limit = current_app.config["PUBLIC_UPLOAD_HOLD_HOURS"] * 3600
    now = now if now is not None else time.time()
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and now - folder.stat().st_mtime > limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
