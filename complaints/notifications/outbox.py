"""The transactional outbox: enqueue in the caller's transaction, claim, finish, retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from flask import current_app
from sqlalchemy import and_, bindparam, func, insert, or_, select

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.notifications.models import OutboxMessage, OutChannel, OutStatus
from complaints.tickets.models import Complaint
from complaints.tickets.service import record_event

ERROR_MAX = 2000


@dataclass
class Envelope:
    """A claimed message, detached from the session, as a sender needs it."""

    id: int
    channel: str
    kind: str
    recipient: str
    recipient_name: str | None
    language: str
    subject: str | None
    body_text: str | None
    body_html: str | None
    template: str | None
    context: dict | None
    headers: dict
    message_id: str | None
    in_reply_to: str | None
    references: str | None
    idempotency_key: str
    complaint_id: int | None
    attempts: int


def message_id_domain() -> str:
    """Return the domain of our Message-IDs (configured, else the office mailbox's)."""
    configured = current_app.config.get("MAIL_MESSAGE_ID_DOMAIN")
    if configured:
        return configured
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "pengaduan.invalid"
    return sender.rpartition("@")[2] or "pengaduan.invalid"


def message_values(channel: OutChannel | str, kind: str, recipient: str, *,
                   idempotency_key: str, subject: str | None = None,
                   body_text: str | None = None, body_html: str | None = None,
                   recipient_name: str | None = None, language: str = "id",
                   complaint_id: int | None = None, event_id: int | None = None,
                   headers: dict | None = None, in_reply_to: str | None = None,
                   references: str | None = None, template: str | None = None,
                   context: dict | None = None) -> dict:
    """Return the columns of a new pending message (recipient_key comes from its default)."""
    now = clock.now()
    channel = OutChannel(channel)
    return {
        "channel": channel, "kind": kind, "recipient": recipient,
        "recipient_name": recipient_name, "language": language, "subject": subject,
        "body_text": body_text, "body_html": body_html, "template": template,
        "context": context, "headers": headers or {}, "complaint_id": complaint_id,
        "event_id": event_id, "idempotency_key": idempotency_key,
        "message_id": make_msgid("out", domain=message_id_domain())
        if channel == OutChannel.EMAIL else None,
        "in_reply_to": in_reply_to, "references": references, "status": OutStatus.PENDING,
        "attempts": 0, "next_attempt_at": first_attempt_at(channel, now), "created_at": now,
        "updated_at": now,
    }


def enqueue(channel: OutChannel | str, kind: str, recipient: str, *, idempotency_key: str,
            **fields) -> OutboxMessage:
    """Add a message to the outbox in the current transaction (the existing one per key).

    The fields are those of message_values(); the row is flushed, so it has its id.
    """
    existing = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key)
    )
    if existing is not None:
        return existing
    row = OutboxMessage(**message_values(channel, kind, recipient,
                                         idempotency_key=idempotency_key, **fields))
    db.session.add(row)
    db.session.flush()
    return row


# Built once: the intake writes one acknowledgement per acknowledged complaint.
_INSERT = insert(OutboxMessage)


def insert_new(channel: OutChannel | str, kind: str, recipient: str, *,
               idempotency_key: str, **fields) -> int:
    """Write a message whose key names something created in this transaction; return its id.

    No message can have the key yet, so there is no lookup, and a Core insert on the
    session's connection writes the same row as enqueue() without an ORM object (intake).
    """
    values = message_values(channel, kind, recipient, idempotency_key=idempotency_key,
                            **fields)
    key = db.session.connection().execute(_INSERT, values).inserted_primary_key
    assert key is not None
    return int(key[0])


def first_attempt_at(channel: OutChannel, now: datetime) -> datetime:
    """Return when a new message may first go: SMS and WhatsApp wait out the quiet hours."""
    if channel not in (OutChannel.SMS, OutChannel.WHATSAPP):
        return now
    from complaints.messaging.quiet import next_allowed_for_app

    return next_allowed_for_app(now)


def backoff(attempts: int, base_seconds: int, max_seconds: int) -> timedelta:
    """Return the wait before the next attempt: base * 2^(attempts-1), capped (pure)."""
    exponent = max(attempts - 1, 0)
    return timedelta(seconds=min(base_seconds * (2 ** min(exponent, 30)), max_seconds))


def _due(now: datetime):
    return or_(
        and_(OutboxMessage.status.in_([OutStatus.PENDING, OutStatus.FAILED]),
             OutboxMessage.next_attempt_at <= now),
        # A worker that died mid-send leaves its claim behind; the lease frees it.
        and_(OutboxMessage.status == OutStatus.SENDING, OutboxMessage.lease_until < now),
    )


def claim(worker: str, now: datetime, limit: int, lease_seconds: int) -> list[Envelope]:
    """Claim due messages for this worker (SKIP LOCKED on PostgreSQL, a lease everywhere)."""
    with write_transaction():
        rows = db.session.scalars(
            select(OutboxMessage).where(_due(now)).order_by(OutboxMessage.id).limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.status = OutStatus.SENDING
            row.claimed_by = worker
            row.lease_until = now + timedelta(seconds=lease_seconds)
            row.attempts += 1
            row.updated_at = now
        return [_envelope(row) for row in rows]


def _envelope(row: OutboxMessage) -> Envelope:
    return Envelope(
        id=row.id, channel=row.channel.value, kind=row.kind, recipient=row.recipient,
        recipient_name=row.recipient_name, language=row.language, subject=row.subject,
        body_text=row.body_text, body_html=row.body_html, template=row.template,
        context=row.context, headers=dict(row.headers or {}), message_id=row.message_id,
        in_reply_to=row.in_reply_to, references=row.references,
        idempotency_key=row.idempotency_key, complaint_id=row.complaint_id,
        attempts=row.attempts,
    )


def claimed_message(message_id: int, worker: str) -> OutboxMessage | None:
    """Return the message this worker is sending, None when its lease passed to another."""
    row = db.session.get(OutboxMessage, message_id, populate_existing=True)
    if row is None or row.status != OutStatus.SENDING or row.claimed_by != worker:
        return None  # the lease ran out and another worker took the message over
    return row


def mark_sent(message_id: int, worker: str, provider_id: str | None, now: datetime) -> None:
    """Record a successful send and the provider's id for the message."""
    with write_transaction():
        row = claimed_message(message_id, worker)
        if row is None:
            return
        row.status = OutStatus.SENT
        row.provider_id = (provider_id or "")[:255] or None
        row.sent_at = now
        row.updated_at = now
        row.lease_until = None
        row.last_error = None
        _prove_reply(row, now)


# The reply proof a sent reply stands for, per channel (letters are proven by their number).
PROOF_KIND_OF_CHANNEL = {OutChannel.EMAIL: "email", OutChannel.SMS: "message",
                         OutChannel.WHATSAPP: "message"}


def _prove_reply(row: OutboxMessage, now: datetime) -> None:
    """Record that a staff reply reached the complainant, so the complaint can be closed."""
    kind = PROOF_KIND_OF_CHANNEL.get(row.channel)
    if row.kind != "reply" or row.complaint_id is None or kind is None:
        return
    complaint = db.session.get(Complaint, row.complaint_id)
    if complaint is None:
        return
    # Imported here: workflow builds on notifications, not the other way round.
    from complaints.workflow.closing import add_proof
    from complaints.workflow.rules import ProofKind

    add_proof(complaint, ProofKind(kind), reference=row.message_id or row.provider_id
              or row.idempotency_key, actor=None, happened_at=now,
              note=f"{row.channel.value} {row.recipient}")


def mark_failed(message_id: int, worker: str, error: str, now: datetime,
                permanent: bool) -> OutStatus | None:
    """Schedule a retry with backoff, or dead-letter the message; return its new status."""
    config = current_app.config
    with write_transaction():
        row = claimed_message(message_id, worker)
        if row is None:
            return None
        row.last_error = error[:ERROR_MAX]
        row.lease_until = None
        row.updated_at = now
        if permanent or row.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
            row.status = OutStatus.DEAD
            _note_undelivered(row)
        else:
            row.status = OutStatus.FAILED
            wait = backoff(row.attempts, config["OUTBOX_RETRY_BASE_SECONDS"],
                           config["OUTBOX_RETRY_MAX_SECONDS"])
            # A retry of an SMS that would fall in the quiet hours waits for the morning.
            row.next_attempt_at = first_attempt_at(row.channel, now + wait)
        return row.status


def find_message(idempotency_key: str | None, provider_id: str | None) -> OutboxMessage | None:
    """Return our message with this key or the provider's id for it, or None."""
    clauses = []
    if idempotency_key:
        clauses.append(OutboxMessage.idempotency_key == idempotency_key)
    if provider_id:
        clauses.append(OutboxMessage.provider_id == provider_id)
    if not clauses:
        return None
    return db.session.scalar(select(OutboxMessage).where(or_(*clauses)).limit(1))


def _note_undelivered(row: OutboxMessage) -> None:
    """Put a "not delivered" line on the complaint's kartu kendali for staff to act on."""
    if row.complaint_id is None:
        return
    complaint = db.session.get(Complaint, row.complaint_id)
    if complaint is not None:
        record_event(complaint, "delivery_failed", from_value=row.kind,
                     to_value=row.channel.value,
                     note=f"{row.recipient}: {(row.last_error or '')[:300]}")


def retry(message_id: int, now: datetime | None = None) -> OutboxMessage | None:
    """Put a failed or dead message back in the queue now (a staff action)."""
    now = now or clock.now()
    with write_transaction():
        row = db.session.get(OutboxMessage, message_id)
        if row is None or row.status not in (OutStatus.FAILED, OutStatus.DEAD):
            return None
        row.status = OutStatus.PENDING
        row.attempts = 0
        row.next_attempt_at = now
        row.updated_at = now
        if row.complaint_id is not None:
            complaint = db.session.get(Complaint, row.complaint_id)
            if complaint is not None:
                record_event(complaint, "delivery_retry", from_value=row.kind,
                             to_value=row.channel.value, note=row.recipient)
        return row


def undelivered_for(complaint_id: int) -> list[OutboxMessage]:
    """Return the complaint's messages that were given up on (shown as "not delivered")."""
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.complaint_id == complaint_id,
                                    OutboxMessage.status == OutStatus.DEAD)
        .order_by(OutboxMessage.id)
    ))


# Built once: it runs for every acknowledged complaint (the daily cap per address).
_COUNT_RECENT = select(func.count(OutboxMessage.id)).where(
    OutboxMessage.recipient_key == bindparam("key"), OutboxMessage.kind == bindparam("kind"),
    OutboxMessage.created_at >= bindparam("since"))


def count_recent(recipient: str, kind: str, since: datetime) -> int:
    """Return how many messages of a kind went to a recipient (any case) since a time."""
    return int(db.session.scalar(
        _COUNT_RECENT, {"key": recipient.lower(), "kind": kind, "since": since}) or 0)


def complaint_for_message_ids(message_ids: list[str]) -> int | None:
    """Return the complaint one of our Message-IDs belongs to (latest reference first)."""
    for mid in reversed(message_ids):
        found = db.session.scalar(
            select(OutboxMessage.complaint_id).where(OutboxMessage.message_id == mid)
        )
        if found is not None:
            return int(found)
    return None


def mark_undelivered(idempotency_key: str | None, provider_id: str | None,
                     detail: str) -> OutboxMessage | None:
    """Dead-letter a sent message the provider later reported undelivered (caller's transaction)."""
    row = find_message(idempotency_key, provider_id)
    if row is None or row.status == OutStatus.DEAD:
        return row
    row.status = OutStatus.DEAD
    row.last_error = detail[:ERROR_MAX]
    row.updated_at = clock.now()
    _note_undelivered(row)
    return row


def mark_bounced(message_ids: list[str], detail: str) -> list[int]:
    """Dead-letter our sent messages a bounce reports; return their ids (caller's transaction)."""
    if not message_ids:
        return []
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.message_id.in_(message_ids),
                                    OutboxMessage.status != OutStatus.DEAD)
    ).all()
    for row in rows:
        row.status = OutStatus.DEAD
        row.last_error = f"bounced: {detail}"[:ERROR_MAX]
        row.updated_at = clock.now()
        _note_undelivered(row)
    return [row.id for row in rows]
