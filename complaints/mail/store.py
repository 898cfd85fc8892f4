"""Raw messages kept as files named by their SHA-256 (written before the transaction)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


def raw_dir() -> Path:
    """Return the folder raw messages are kept in."""
    configured = current_app.config.get("MAIL_RAW_DIR")
    return Path(configured) if configured else Path(current_app.config["INSTANCE_DIR"]) / "mail"


def digest_of(raw: bytes) -> str:
    """Return the SHA-256 of a raw message."""
    return hashlib.sha256(raw).hexdigest()


def save_raw(raw: bytes, digest: str) -> str:
    """Write the raw message once (same bytes, same name) and return its relative name."""
    name = f"{digest[:2]}/{digest}.eml"
    path = raw_dir() / name
    if path.exists() and path.stat().st_size == len(raw):
        return name
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return name


def raw_path(name: str) -> Path:
    """Return the path of a stored raw message, refusing names that leave the folder."""
    base = raw_dir().resolve()
    path = (base / name).resolve()
    if base not in path.parents:
        raise ValueError("bad raw message name")
    return path


def load_raw(name: str) -> bytes:
    """Return the bytes of a stored raw message."""
    return raw_path(name).read_bytes()
