"""The one path of an incoming message: store, parse, dedupe, thread, ticket or quarantine.

Invariant: every message handed to ingest() ends as exactly one InboundMail row
(ticket, reply or quarantined) once ingest() returns; when it raises
TemporaryFailure nothing was committed and the caller must keep the message
(IMAP: leave it unflagged; pipe: exit 75 so the mail server retries).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import InterfaceError, OperationalError

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.mail import store
from complaints.mail.models import InboundMail, Outcome
from complaints.mail.parse import MailParseError, ParsedMail, parse
from complaints.mail.tickets import apply_parsed

log = logging.getLogger(__name__)
KEY_MAX = 200


class TemporaryFailure(Exception):
    """Nothing was committed; deliver the message again later."""


@dataclass
class IngestResult:
    """What became of a message; duplicate when it had been handled before."""

    inbound_id: int
    outcome: Outcome
    complaint_id: int | None
    reason: str | None = None
    duplicate: bool = False


def source_key(mailbox: str, message_id: str | None, digest: str) -> str:
    """Return the idempotency key of a message: mailbox and Message-ID, else its hash."""
    key = f"{mailbox}:{message_id}" if message_id else f"{mailbox}:sha256:{digest}"
    if len(key) > KEY_MAX:
        key = f"{mailbox[:100]}:h:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def read(raw: bytes) -> tuple[ParsedMail | None, str | None, str | None]:
    """Return the parsed message, or None with the quarantine reason and detail."""
    if len(raw) > current_app.config["MAIL_MAX_MESSAGE_BYTES"]:
        return None, "too_large", f"{len(raw)} bytes"
    try:
        return parse(raw), None, None
    except MailParseError as exc:
        return None, "unparseable", str(exc)
    except Exception as exc:  # noqa: BLE001 - whatever the parser hits, keep the message
        return None, "unparseable", f"{type(exc).__name__}: {exc}"


def ingest(raw: bytes, mailbox: str | None = None) -> IngestResult:
    """Take one raw message; see the module docstring for the guarantee."""
    mailbox = mailbox or current_app.config["MAIL_INBOX_NAME"]
    digest = store.digest_of(raw)
    try:
        raw_name = store.save_raw(raw, digest)
    except OSError as exc:
        raise TemporaryFailure(f"cannot store the raw message: {exc}") from exc
    parsed, reason, detail = read(raw)
    key = source_key(mailbox, parsed.message_id if parsed else None, digest)
    meta = {"mailbox": mailbox, "key": key, "digest": digest, "size": len(raw),
            "raw_name": raw_name}
    try:
        return _record(meta, parsed, reason, detail)
    except (OperationalError, InterfaceError) as exc:
        # The database is down or locked: try again later. Other database errors (data
        # too long, a race on a unique key) are handled below like any other error.
        db.session.rollback()
        raise TemporaryFailure(f"database: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - quarantined below, never lost
        log.exception("incoming message %s failed; quarantining it", key)
        db.session.rollback()
        return _quarantine_error(meta, parsed, f"{type(exc).__name__}: {exc}")


def _same(mailbox: str, key: str, digest: str) -> InboundMail | None:
    """Return the row of this message if it was handled before (same key or same bytes)."""
    return db.session.scalar(
        select(InboundMail).where(or_(
            InboundMail.source_key == key,
            (InboundMail.mailbox == mailbox) & (InboundMail.sha256 == digest),
        )).order_by(InboundMail.sha256 != digest, InboundMail.id)
    )


def _record(meta: dict, parsed: ParsedMail | None, reason: str | None,
            detail: str | None) -> IngestResult:
    with write_transaction():
        existing = _same(meta["mailbox"], meta["key"], meta["digest"])
        if existing is not None and existing.sha256 == meta["digest"]:
            return _result(existing, duplicate=True)
        if existing is not None:
            # Same Message-ID, different bytes: never dropped, never merged silently.
            meta["key"] = f"{meta['key']}#{meta['digest'][:16]}"
            reason, detail = "duplicate_message_id", (
                f"inbound #{existing.id} had the same Message-ID with other content")
        row = _new_row(meta, parsed)
        apply_parsed(row, parsed, reason, detail)
        return _result(row)


def _new_row(meta: dict, parsed: ParsedMail | None) -> InboundMail:
    row = InboundMail(
        mailbox=meta["mailbox"], source_key=meta["key"], sha256=meta["digest"],
        size=meta["size"], raw_name=meta["raw_name"], received_at=clock.now(),
        outcome=Outcome.QUARANTINED, attempts=1,
        message_id=parsed.message_id if parsed else None,
        from_addr=parsed.from_addr if parsed else None,
        from_name=(parsed.from_name or "")[:200] or None if parsed else None,
        subject=parsed.subject[:300] if parsed else None,
    )
    db.session.add(row)
    return row


def _quarantine_error(meta: dict, parsed: ParsedMail | None, error: str) -> IngestResult:
    """Keep a message whose handling failed, whole, in the quarantine."""
    try:
        with write_transaction():
            existing = _same(meta["mailbox"], meta["key"], meta["digest"])
            if existing is not None and existing.sha256 == meta["digest"]:
                return _result(existing, duplicate=True)
            if existing is not None:
                meta["key"] = f"{meta['key']}#{meta['digest'][:16]}"
            row = _new_row(meta, parsed)
            row.reason, row.detail = "error", error[:2000]
            db.session.flush()
            return _result(row)
    except Exception as exc:
        db.session.rollback()
        raise TemporaryFailure(f"cannot quarantine: {exc}") from exc


def _result(row: InboundMail, duplicate: bool = False) -> IngestResult:
    db.session.flush()
    return IngestResult(row.id, row.outcome, row.complaint_id, row.reason, duplicate)
