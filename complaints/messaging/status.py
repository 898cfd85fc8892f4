"""Delivery statuses of outgoing messages: they only ever move forward."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.messaging.models import DeliveryStatus

# Twilio's message statuses in the order they happen; the finals share the top rank so
# that whichever final arrives first stays (a late "delivered" never hides "failed").
RANK = {
    "accepted": 0, "scheduled": 0, "queued": 1, "sending": 2, "sent": 3,
    "delivered": 4, "undelivered": 4, "failed": 4, "canceled": 4,
    "read": 5,  # WhatsApp: read after delivered
}
FINAL = frozenset({"delivered", "undelivered", "failed", "canceled", "read"})
FAILURES = frozenset({"undelivered", "failed", "canceled"})


def advance(current: str | None, reported: str) -> str:
    """Return the status to keep: the reported one only when it is further along."""
    reported = (reported or "").lower()
    if reported not in RANK:
        return current or reported
    if current is None or current not in RANK:
        return reported
    if current in FINAL and reported in FINAL and current != "delivered":
        return current  # failure is final: nothing overrides it
    return reported if RANK[reported] > RANK[current] else current


def record_status(provider_id: str, status: str, *, error_code: str | None = None,
                  outbox_key: str | None = None) -> DeliveryStatus:
    """Record a reported status (from a send or a callback), moving only forward."""
    for attempt in range(2):
        try:
            with write_transaction():
                return _upsert(provider_id, status, error_code, outbox_key)
        except IntegrityError:
            if attempt:
                raise  # a concurrent first insert: the second try updates that row
    raise AssertionError("unreachable")


def _upsert(provider_id: str, status: str, error_code: str | None,
            outbox_key: str | None) -> DeliveryStatus:
    row = db.session.scalar(
        select(DeliveryStatus).where(DeliveryStatus.provider_id == provider_id)
        .with_for_update()
    )
    now = clock.now()
    if row is None:
        row = DeliveryStatus(provider_id=provider_id, status=advance(None, status),
                             error_code=error_code, outbox_key=outbox_key,
                             created_at=now, updated_at=now)
        db.session.add(row)
        db.session.flush()
        if row.status in FAILURES:
            on_delivery_failure(row)
        return row
    new = advance(row.status, status)
    if outbox_key and not row.outbox_key:
        row.outbox_key = outbox_key
    if new != row.status:
        row.status = new
        row.updated_at = now
        if error_code:
            row.error_code = error_code
        if new in FAILURES:
            on_delivery_failure(row)
    return row


def on_delivery_failure(row: DeliveryStatus) -> None:
    """Mark the outbox row not delivered and note it on the complaint (same transaction)."""
    from complaints.messaging import whatsapp, window
    from complaints.notifications import held, outbox

    detail = f"twilio {row.status}" + (f" (error {row.error_code})" if row.error_code else "")
    if (row.outbox_key or "").endswith(whatsapp.TEMPLATE_SUFFIX):
        whatsapp.template_undelivered(row.outbox_key or "", detail)
        return  # the template that asked for held replies: they are given up
    if row.error_code == str(window.OUTSIDE_WINDOW_CODE) and held.requeue_outside_window(
            row.outbox_key, row.provider_id, detail):
        return  # WhatsApp refused free text after all: it goes again by the fallback
    outbox.mark_undelivered(row.outbox_key, row.provider_id, detail)


def status_of(provider_id: str) -> str | None:
    """Return the recorded status of a message, or None."""
    return db.session.scalar(
        select(DeliveryStatus.status).where(DeliveryStatus.provider_id == provider_id)
    )
