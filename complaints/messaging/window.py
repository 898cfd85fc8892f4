"""WhatsApp's 24-hour customer-service window: free text only within 24 h of their message."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.messaging import phone
from complaints.messaging.models import InboundMessage

WINDOW = timedelta(hours=24)
# Twilio's answer to free text sent outside the window.
OUTSIDE_WINDOW_CODE = 63016


def last_inbound_at(number: str) -> datetime | None:
    """Return when this number last wrote to us on WhatsApp (None: never)."""
    try:
        address = phone.address("whatsapp", number)
    except phone.InvalidNumber:
        return None
    return db.session.scalar(
        select(func.max(InboundMessage.received_at))
        .where(InboundMessage.from_number == address, InboundMessage.channel == "whatsapp")
    )


def is_open(last_inbound: datetime | None, now: datetime) -> bool:
    """Return whether free text may go now (pure)."""
    return last_inbound is not None and now - last_inbound < WINDOW


def route_outside(template_sid: str, sms_from: str, twilio: bool) -> str:
    """Return how a message goes outside the window: template, sms or fail (pure).

    Without Twilio (the local log) the template is what would go, so the demo shows it.
    """
    if template_sid or not twilio:
        return "template"
    if sms_from:
        return "sms"
    return "fail"


def route_outside_for(config: dict) -> str:
    """Return route_outside() for the configuration."""
    from complaints.messaging.twilio_sender import is_configured

    return route_outside(config.get("TWILIO_WHATSAPP_TEMPLATE_SID") or "",
                         config.get("TWILIO_SMS_FROM") or "", is_configured(config))


def template_sid(config: dict | None = None) -> str:
    """Return the configured template's Content SID ('' when none)."""
    cfg = config if config is not None else current_app.config
    return cfg.get("TWILIO_WHATSAPP_TEMPLATE_SID") or ""
