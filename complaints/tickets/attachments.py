"""Attachments: type checked by content, stored outside the web root under random names."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from complaints.core import files
from complaints.extensions import db
from complaints.tickets.models import Attachment, Complaint

# Magic numbers of the accepted types: scans of letters, photos and PDFs.
SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
]
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/tiff": ".tif",
    "image/webp": ".webp",
}

# The names store() gives files; the sweep touches nothing else in the folder.
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|png|jpg|gif|tif|webp|bin)")
log = logging.getLogger("complaints.attachments")


class UploadError(ValueError):
    """A file was refused; the message is shown next to the field."""


@dataclass
class Upload:
    """A checked file ready to be stored."""

    filename: str
    data: bytes
    content_type: str


def sniff_type(head: bytes) -> str | None:
    """Return the content type recognised from the first bytes, or None."""
    for magic, offset, content_type in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def safe_filename(name: str) -> str:
    """Return a display name without path parts or control characters."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return base[:200] or "lampiran"


def check_upload(filename: str, stream, max_bytes: int | None = None) -> Upload:
    """Read and check an uploaded file, raising UploadError with a message to show."""
    limit = max_bytes or current_app.config["MAX_UPLOAD_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(
            _l("The file %(name)s is larger than %(mb)s MB.", name=safe_filename(filename),
               mb=round(limit / 1024 / 1024, 1))
        )
    if not data:
        raise UploadError(_l("The file %(name)s is empty.", name=safe_filename(filename)))
    content_type = sniff_type(data[:16])
    if content_type is None:
        raise UploadError(
            _l("The file %(name)s is not a PDF or an image (JPEG, PNG, GIF, TIFF, WebP).",
               name=safe_filename(filename))
        )
    return Upload(safe_filename(filename), data, content_type)


def upload_dir() -> Path:
    """Return the folder attachments are stored in, creating it when needed."""
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(complaint: Complaint | int, upload: Upload, uploaded_by_id: int | None,
          public: bool = True) -> Attachment:
    """Write the file under a random name and add its row to the current transaction.

    complaint: the object, or the id of one written without an ORM object (the intake).
    The file is deleted again if the transaction rolls back (complaints.core.files).
    """
    stored_name = secrets.token_hex(16) + EXTENSIONS.get(upload.content_type, ".bin")
    path = upload_dir() / stored_name
    files.track(db.session(), path)
    with open(path, "xb") as handle:
        handle.write(upload.data)
    owner = {"complaint_id": complaint} if isinstance(complaint, int) else {
        "complaint": complaint}
    attachment = Attachment(
        **owner,
        stored_name=stored_name,
        original_name=upload.filename,
        content_type=upload.content_type,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        uploaded_by_id=uploaded_by_id,
        public=public,
    )
    db.session.add(attachment)
    return attachment


def path_of(attachment: Attachment) -> Path:
    """Return the file path of a stored attachment."""
    return upload_dir() / attachment.stored_name


def sweep_orphans(now: float | None = None, batch: int = 500) -> list[str]:
    """Delete stored files without an attachment row, older than the grace period."""
    grace = current_app.config["ATTACHMENT_ORPHAN_GRACE_HOURS"] * 3600
    now = now if now is not None else time.time()
    old = [path for path in upload_dir().iterdir()
           if STORED_NAME.fullmatch(path.name) and path.is_file()
           and now - path.stat().st_mtime > grace]
    removed = []
    for start in range(0, len(old), batch):
        chunk = old[start : start + batch]
        known = set(db.session.scalars(select(Attachment.stored_name).where(
            Attachment.stored_name.in_([path.name for path in chunk]))))
        for path in chunk:
            if path.name not in known:
                path.unlink(missing_ok=True)
                log.warning("removed orphan attachment file %s (no row)", path.name)
                removed.append(path.name)
    return removed
