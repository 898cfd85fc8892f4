"""Staff actions on the quarantine: list, retry, make a ticket anyway, dismiss."""

from __future__ import annotations

from sqlalchemy import func, select

from complaints.accounts.models import User
from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.mail import store
from complaints.mail.ingest import read
from complaints.mail.models import InboundMail, Outcome
from complaints.mail.parse import ParsedMail
from complaints.mail.textify import decode_bytes
from complaints.mail.tickets import apply_parsed, new_ticket
from complaints.tickets.models import Complaint
from complaints.tickets.service import record_event


class QuarantineError(ValueError):
    """The action cannot be done; the message says why."""


def quarantined(include_resolved: bool = False, limit: int = 200) -> list[InboundMail]:
    """Return quarantined messages, newest first (open ones only unless asked)."""
    query = select(InboundMail).where(InboundMail.outcome == Outcome.QUARANTINED)
    if not include_resolved:
        query = query.where(InboundMail.resolved_at.is_(None))
    return list(db.session.scalars(query.order_by(InboundMail.id.desc()).limit(limit)))


def totals() -> dict[str, int]:
    """Return how many messages became tickets, replies and quarantined (the invariant)."""
    rows = db.session.execute(
        select(InboundMail.outcome, func.count(InboundMail.id)).group_by(InboundMail.outcome)
    ).all()
    counts = {outcome.value: 0 for outcome in Outcome}
    counts.update({Outcome(o).value: int(n) for o, n in rows})
    return counts


def _open_row(inbound_id: int) -> InboundMail:
    row = db.session.get(InboundMail, inbound_id, populate_existing=True)
    if row is None or row.outcome != Outcome.QUARANTINED:
        raise QuarantineError("this message is not in the quarantine")
    return row


def retry(inbound_id: int, actor: User | None) -> InboundMail:
    """Handle a quarantined message again with today's rules and limits."""
    row_name = _raw_name(inbound_id)
    parsed, reason, detail = read(store.load_raw(row_name))
    with write_transaction():
        row = _open_row(inbound_id)
        row.attempts += 1
        row.loop_kind = None
        apply_parsed(row, parsed, reason, detail)
        if row.outcome != Outcome.QUARANTINED:
            _resolve(row, actor)
        return row


def make_ticket(inbound_id: int, actor: User) -> Complaint:
    """Make a complaint of a quarantined message whatever its reason (staff's decision)."""
    row_name = _raw_name(inbound_id)
    raw = store.load_raw(row_name)
    parsed, _reason, _detail = read(raw)
    with write_transaction():
        row = _open_row(inbound_id)
        complaint = new_ticket(row, parsed or _fallback(raw, row), acknowledge=not row.loop_kind)
        record_event(complaint, "note", actor, note=f"Email #{row.id} made a ticket from the "
                                                    f"quarantine ({row.reason or '-'})")
        _resolve(row, actor)
        return complaint


def dismiss(inbound_id: int, actor: User) -> InboundMail:
    """Mark a quarantined message as looked at; it stays in the quarantine, counted."""
    with write_transaction():
        row = _open_row(inbound_id)
        _resolve(row, actor)
        return row


def _resolve(row: InboundMail, actor: User | None) -> None:
    row.resolved_at = clock.now()
    row.resolved_by_id = actor.id if actor else None


def _raw_name(inbound_id: int) -> str:
    row = db.session.get(InboundMail, inbound_id)
    if row is None:
        raise QuarantineError("unknown message")
    return row.raw_name


def _fallback(raw: bytes, row: InboundMail) -> ParsedMail:
    """Return the whole message as text when it cannot be parsed (staff chose a ticket)."""
    return ParsedMail(
        message_id=row.message_id, from_addr=row.from_addr, from_name=row.from_name,
        subject=row.subject or "", in_reply_to=[], references=[],
        text=decode_bytes(raw[:200_000], None), content_type="text/plain", language=None,
    )


def raw_of(inbound_id: int) -> tuple[bytes, InboundMail]:
    """Return the raw bytes of a stored message and its row."""
    row = db.session.get(InboundMail, inbound_id)
    if row is None:
        raise QuarantineError("unknown message")
    return store.load_raw(row.raw_name), row
