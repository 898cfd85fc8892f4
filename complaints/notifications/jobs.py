"""Plain functions the scheduler calls: deliver the outbox."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime

from flask import current_app

from complaints.core import clock
from complaints.notifications import held, outbox
from complaints.notifications.senders import (
    HeldError,
    PermanentError,
    Sender,
    TransientError,
    sender_for,
)

log = logging.getLogger(__name__)


def worker_name() -> str:
    """Return a name for this worker run, unique across hosts and processes."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def send_outbox(now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Claim and send every due message, one batch at a time; return counts per outcome."""
    config = current_app.config
    worker = worker_name()
    limit = limit or config["OUTBOX_BATCH_SIZE"]
    counts = {"sent": 0, "failed": 0, "dead": 0, "held": 0}
    for _ in range(config["OUTBOX_MAX_BATCHES"]):
        claimed = outbox.claim(worker, now or clock.now(), limit,
                               config["OUTBOX_LEASE_SECONDS"])
        if not claimed:
            break
        _send_batch(claimed, worker, now, counts)
    return counts


def _send_batch(claimed: list[outbox.Envelope], worker: str, now: datetime | None,
                counts: dict[str, int]) -> None:
    senders: dict[str, Sender] = {}
    try:
        for envelope in claimed:
            sender = senders.get(envelope.channel)
            if sender is None:
                sender = senders[envelope.channel] = sender_for(envelope.channel,
                                                                current_app.config)
            _send_one(sender, envelope, worker, now, counts)
    finally:
        for sender in senders.values():
            sender.close()


def _send_one(sender: Sender, envelope: outbox.Envelope, worker: str, now: datetime | None,
              counts: dict[str, int]) -> None:
    try:
        provider_id = sender.send(envelope)
    except HeldError as exc:
        held.mark_held(envelope.id, worker, str(exc), now or clock.now())
        counts["held"] += 1
    except PermanentError as exc:
        outbox.mark_failed(envelope.id, worker, str(exc), now or clock.now(), permanent=True)
        counts["dead"] += 1
    except TransientError as exc:
        status = outbox.mark_failed(envelope.id, worker, str(exc), now or clock.now(),
                                    permanent=False)
        counts["dead" if status == "dead" else "failed"] += 1
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the batch
        log.exception("outbox message %s failed", envelope.id)
        outbox.mark_failed(envelope.id, worker, f"{type(exc).__name__}: {exc}",
                           now or clock.now(), permanent=False)
        counts["failed"] += 1
    else:
        outbox.mark_sent(envelope.id, worker, provider_id, now or clock.now())
        counts["sent"] += 1
