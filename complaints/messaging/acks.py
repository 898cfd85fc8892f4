"""Acknowledgements by SMS/WhatsApp: rendered from templates/sms, capped per number per day."""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import func, select

from complaints.core import clock
from complaints.core.timefmt import office_tz
from complaints.extensions import db
from complaints.messaging import phone
from complaints.messaging.models import Acknowledgement
from complaints.tickets.models import Complaint

LANGUAGES = ("id", "en")


def render(name: str, language: str, **context) -> str:
    """Return the text of templates/sms/<name>_<language>.txt on one line."""
    language = language if language in LANGUAGES else "id"
    cfg = current_app.config
    context.setdefault("office", cfg["OFFICE_SHORT_NAME"])
    context.setdefault("track_url", cfg["PUBLIC_BASE_URL"].rstrip("/") + cfg["TRACKING_PATH"])
    text = render_template(f"sms/{name}_{language}.txt", **context)
    return " ".join(text.split())


def cap_allows(already_today: int, cap: int) -> bool:
    """Return whether one more acknowledgement fits the daily cap (0 or less: none)."""
    return already_today < cap


def sent_today(number: str) -> int:
    """Return how many acknowledgements this number got today (office day)."""
    today = clock.now().astimezone(office_tz()).date()
    return int(db.session.scalar(
        select(func.count(Acknowledgement.id))
        .where(Acknowledgement.number == number, Acknowledgement.day == today)
    ) or 0)


def record(message, complaint: Complaint, template: str, language: str,
           access_code: str | None = None) -> Acknowledgement | None:
    """Render and record an acknowledgement for sending, unless the daily cap is reached."""
    try:
        number = phone.normalise(message.from_address)
    except phone.InvalidNumber:
        return None
    if not cap_allows(sent_today(number), current_app.config["SMS_ACK_DAILY_CAP"]):
        return None
    now = clock.now()
    ack = Acknowledgement(
        key=f"ack:{message.message_sid}", channel=message.channel.value, number=number,
        day=now.astimezone(office_tz()).date(), language=language, complaint_id=complaint.id,
        body=render(template, language, number=complaint.number, access_code=access_code),
        created_at=now,
    )
    db.session.add(ack)
    db.session.flush()
    enqueue_for_sending(ack)
    return ack


def enqueue_for_sending(ack: Acknowledgement) -> None:
    """Put the acknowledgement in the outbox, in the same transaction (held in quiet hours)."""
    from complaints.notifications import outbox

    outbox.enqueue(ack.channel, "acknowledgement", ack.number, idempotency_key=ack.key,
                   body_text=ack.body, language=ack.language, complaint_id=ack.complaint_id)
