"""Attachments: type checked by content, stored outside the web root under random names."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

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


def store(complaint: Complaint, upload: Upload, uploaded_by_id: int | None,
          public: bool = True) -> Attachment:
    """Write the file under a random name and add its row to the current transaction."""
    stored_name = secrets.token_hex(16) + EXTENSIONS.get(upload.content_type, ".bin")
    path = upload_dir() / stored_name
    with open(path, "xb") as handle:
        handle.write(upload.data)
    attachment = Attachment(
        complaint=complaint,
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


def remove_files(names: list[str]) -> None:
    """Delete stored files whose rows were rolled back."""
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            (upload_dir() / name).unlink()
