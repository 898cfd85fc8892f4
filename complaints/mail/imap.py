"""The IMAP poller: fetch unseen messages with BODY.PEEK[], flag or move them once handled."""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
from dataclasses import dataclass, field

from complaints.mail import cursor
from complaints.mail.ingest import TemporaryFailure, ingest

log = logging.getLogger(__name__)


@dataclass
class PollReport:
    """What one poll did."""

    fetched: int = 0
    handled: int = 0
    duplicates: int = 0
    deferred: int = 0  # left unflagged for the next poll
    errors: list[str] = field(default_factory=list)


def connect(config: dict) -> imaplib.IMAP4:
    """Open and log in to the configured IMAP server."""
    host, port = config["MAIL_IMAP_HOST"], config["MAIL_IMAP_PORT"]
    timeout = config.get("MAIL_TIMEOUT_SECONDS", 30)
    conn = (imaplib.IMAP4_SSL(host, port, timeout=timeout) if config["MAIL_IMAP_SSL"]
            else imaplib.IMAP4(host, port, timeout=timeout))
    conn.login(config["MAIL_IMAP_USER"], config["MAIL_IMAP_PASSWORD"])
    return conn


def _check(result: tuple[str, list]) -> list:
    status, data = result
    if status != "OK":
        raise imaplib.IMAP4.error(f"IMAP answered {status}: {data!r}")
    return data


def _fetch(conn: imaplib.IMAP4, uid: str) -> bytes | None:
    data = _check(conn.uid("FETCH", uid, "(BODY.PEEK[])"))
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None  # expunged meanwhile


def _done(conn: imaplib.IMAP4, uid: str, done_folder: str) -> None:
    """Mark a handled message: move it to the done folder, or flag it \\Seen."""
    if done_folder:
        _check(conn.uid("COPY", uid, _quote(done_folder)))
        _check(conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen \Deleted)"))
        conn.expunge()
    else:
        _check(conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)"))


def _quote(folder: str) -> str:
    return folder if re.fullmatch(r"[A-Za-z0-9._/-]+", folder) else '"' + folder.replace(
        '"', r"\"") + '"'


def poll(config: dict, limit: int | None = None) -> PollReport:
    """Handle every unseen message of the folder; a message is flagged only after commit."""
    report = PollReport()
    conn = connect(config)
    try:
        _check(conn.select(_quote(config["MAIL_IMAP_FOLDER"])))
        key = cursor.folder_key(config)
        uids = _to_handle(conn, key)
        for uid in uids[: limit or config["MAIL_IMAP_BATCH"]]:
            if _poll_one(conn, str(uid), config, report):
                cursor.advance(key, uid)
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            conn.logout()
    return report


def _uids(conn: imaplib.IMAP4, *criteria: str) -> set[int]:
    return {int(u) for u in _check(conn.uid("SEARCH", *criteria))[0].split()}


def _to_handle(conn: imaplib.IMAP4, key: str) -> list[int]:
    """Return the UIDs to handle: every unseen message, and every one past the cursor.

    A person reading the shared mailbox before the poller marks a message seen; the
    cursor still finds it. Handling is idempotent, so a message found twice is harmless.
    """
    uidvalidity = _code(conn, "UIDVALIDITY")
    uidnext = _code(conn, "UIDNEXT")
    newest = uidnext - 1 if uidnext else max(_uids(conn, "ALL"), default=0)
    last = cursor.start(key, uidvalidity, newest)
    later = {uid for uid in _uids(conn, "UID", f"{last + 1}:*") if uid > last}
    return sorted(_uids(conn, "UNSEEN") | later)


def _code(conn: imaplib.IMAP4, name: str) -> int:
    """Return a number the server gave in its answer to SELECT (0 when it gave none)."""
    value = conn.response(name)[1]
    try:
        return int(value[0]) if value and value[0] else 0
    except (TypeError, ValueError):
        return 0


def _poll_one(conn: imaplib.IMAP4, uid: str, config: dict, report: PollReport) -> bool:
    """Handle one message; return whether it is done (committed and marked)."""
    raw = _fetch(conn, uid)
    if raw is None:
        return True
    report.fetched += 1
    try:
        result = ingest(raw, config["MAIL_INBOX_NAME"])
    except TemporaryFailure as exc:
        report.deferred += 1
        report.errors.append(f"uid {uid}: {exc}")
        log.warning("message uid %s deferred: %s", uid, exc)
        return False
    # Committed: only now may the server forget that the message is new.
    _done(conn, uid, config.get("MAIL_IMAP_DONE_FOLDER") or "")
    report.handled += 1
    report.duplicates += int(result.duplicate)
    return True
