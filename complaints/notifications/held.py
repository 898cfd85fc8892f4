"""Messages held back until the recipient writes again (WhatsApp's 24-hour window).

A WhatsApp reply outside the window is parked ("held") while a template asks the person
to answer; their next message releases every held message of theirs, in order. A
message WhatsApp refused as free text (63016) is queued once more for the fallback.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.notifications import outbox
from complaints.notifications.models import OutboxMessage, OutChannel, OutStatus

# Set in a message's context when WhatsApp refused it as free text (error 63016).
WINDOW_CLOSED = "window_closed"
# Set on a message being sent when its recipient wrote meanwhile: it is not to be held.
RELEASED = "released"


def mark_held(message_id: int, worker: str, reason: str, now: datetime) -> None:
    """Park a message until release_held() (the recipient wrote to us again)."""
    with write_transaction():
        # Locked: a release_held() running now either waits for us or has marked the row.
        locked = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id)
                                   .with_for_update().execution_options(populate_existing=True))
        row = outbox.claimed_message(message_id, worker) if locked is not None else None
        if row is None:
            return
        context = dict(row.context or {})
        released = context.pop(RELEASED, None)  # they wrote while we were asking
        row.context = context
        row.status = OutStatus.PENDING if released else OutStatus.HELD
        row.next_attempt_at = now
        row.last_error = reason[:outbox.ERROR_MAX]
        row.lease_until = None
        row.attempts = 0
        row.updated_at = now


def release_held(channel: str, recipient: str, now: datetime) -> int:
    """Queue again, in their order, the held messages of a recipient (caller's transaction)."""
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == OutChannel(channel),
                                    OutboxMessage.recipient == recipient,
                                    OutboxMessage.status.in_([OutStatus.HELD,
                                                              OutStatus.SENDING]))
        .order_by(OutboxMessage.id).with_for_update()
    ).all()
    held = [row for row in rows if row.status == OutStatus.HELD]
    for row in rows:
        if row.status == OutStatus.SENDING:  # mark_held() will queue it instead of parking
            row.context = {**(row.context or {}), RELEASED: True}
    for row in held:  # claim() takes them by id, so they go in the order they were written
        context = dict(row.context or {})
        if context.pop(WINDOW_CLOSED, None):  # they wrote: free text may go again
            row.context = context
        row.status = OutStatus.PENDING
        row.next_attempt_at = now
        row.updated_at = now
    return len(held)


def requeue_outside_window(idempotency_key: str | None, provider_id: str | None,
                           detail: str) -> bool:
    """Queue a WhatsApp message again to go by template or SMS (caller's transaction).

    Only once: a message already marked goes by the fallback, never as free text again.
    """
    row = outbox.find_message(idempotency_key, provider_id)
    if row is None or row.channel != OutChannel.WHATSAPP or (row.context or {}).get(
            WINDOW_CLOSED) or row.status != OutStatus.SENT:
        return False
    context = {k: v for k, v in (row.context or {}).items() if k != RELEASED}
    row.context = {**context, WINDOW_CLOSED: True}
    row.status = OutStatus.PENDING
    row.attempts = 0
    row.last_error = detail[:outbox.ERROR_MAX]
    row.next_attempt_at = row.updated_at = clock.now()
    return True


def held_complaint(channel: str, recipient: str) -> int | None:
    """Return the complaint of the newest held message of a recipient, or None."""
    return db.session.scalar(
        select(OutboxMessage.complaint_id).where(
            OutboxMessage.channel == OutChannel(channel), OutboxMessage.recipient == recipient,
            OutboxMessage.status == OutStatus.HELD, OutboxMessage.complaint_id.is_not(None))
        .order_by(OutboxMessage.id.desc()).limit(1))


def held_for(channel: str, recipient: str) -> int:
    """Return how many messages of a recipient are held."""
    return int(db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.channel == OutChannel(channel),
            OutboxMessage.recipient == recipient, OutboxMessage.status == OutStatus.HELD)
    ) or 0)
