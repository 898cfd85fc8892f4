"""Inbound SMS and WhatsApp: one complaint per new message, appended when one is open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.messaging import acks, phone
from complaints.messaging.models import InboundMessage
from complaints.tickets.models import OPEN_STATUSES, Channel, Complaint
from complaints.tickets.service import record_event

SOURCE_PREFIX = "twilio:"


@dataclass(frozen=True)
class Inbound:
    """The fields of Twilio's webhook we use."""

    message_sid: str
    from_address: str  # +62… or whatsapp:+62…
    body: str
    num_segments: int = 1
    num_media: int = 0

    @property
    def channel(self) -> Channel:
        return Channel.WHATSAPP if phone.channel_of(self.from_address) == "whatsapp" \
            else Channel.SMS


@dataclass(frozen=True)
class Outcome:
    """What happened to a message: created, appended, duplicate or empty."""

    action: str
    complaint_id: int | None
    reply: str | None = None  # a short TwiML answer, when one is due now


def from_form(form) -> Inbound:
    """Return the message of a Twilio webhook form (raises ValueError when incomplete)."""
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    sender = (form.get("From") or "").strip()
    if not sid or not sender:
        raise ValueError("MessageSid and From are required")
    return Inbound(sid, sender, form.get("Body") or "", _int(form.get("NumSegments"), 1),
                   _int(form.get("NumMedia"), 0))


def _int(value, default: int) -> int:
    return int(value) if (value or "").isdigit() else default


def split_keyword(body: str, keywords: list[str]) -> tuple[str | None, str]:
    """Return (keyword, rest) when the text starts with a new-complaint keyword."""
    for word in keywords:
        match = re.match(rf"\s*{re.escape(word)}(?:\b|$)[\s:.,\-]*", body, re.IGNORECASE)
        if match:
            return word.upper(), body[match.end():]
    return None, body


def language_for(keyword: str | None) -> str:
    """Return the language of the answers: English for NEW, else Indonesian."""
    return "en" if keyword == "NEW" else "id"


def receive(message: Inbound) -> Outcome:
    """Record a message once per MessageSid: a new complaint, or a line on an open one."""
    known = _known(message.message_sid)
    if known is not None:
        return known
    keyword, text = split_keyword(message.body, current_app.config["SMS_NEW_KEYWORDS"])
    language = language_for(keyword)
    if not text.strip() and message.num_media:
        text = f"[{message.num_media} media]"  # a photo without words still counts
    if not text.strip():
        _note_contact(message)
        return Outcome("empty", None, acks.render("keyword_only", language))
    open_id = None if keyword else (open_complaint_for(message.from_address)
                                    or awaited_complaint_for(message))
    if open_id is not None:
        return _append(message, open_id, text, language)
    return _create(message, text, language)


def _known(sid: str) -> Outcome | None:
    row = db.session.scalar(select(InboundMessage).where(InboundMessage.message_sid == sid))
    if row is not None:
        return Outcome("duplicate", row.complaint_id)
    complaint_id = db.session.scalar(
        select(Complaint.id).where(Complaint.source_key == SOURCE_PREFIX + sid)
    )
    return Outcome("duplicate", complaint_id) if complaint_id else None


def open_complaint_for(from_address: str) -> int | None:
    """Return the newest open complaint of this number, from any channel, or None."""
    stored: Any = Complaint.complainant_phone
    for separator in (" ", "-", "(", ")", "."):
        stored = func.replace(stored, separator, "")  # staff type numbers in many ways
    return db.session.scalar(
        select(Complaint.id)
        .where(stored.in_(phone.variants(from_address)),
               Complaint.status.in_(OPEN_STATUSES))
        .order_by(Complaint.id.desc()).limit(1)
    )


def awaited_complaint_for(message: Inbound) -> int | None:
    """Return the complaint whose held WhatsApp answer this message asks for, or None.

    The template says "reply to receive the answer": that reply ("Ya") joins the answered
    complaint instead of opening a new one.
    """
    if message.channel != Channel.WHATSAPP:
        return None
    from complaints.notifications import held

    try:
        return held.held_complaint("whatsapp", phone.normalise(message.from_address))
    except phone.InvalidNumber:
        return None


def _note_contact(message: Inbound) -> None:
    """Keep a WhatsApp message with nothing to file (no complaint): they wrote, so the
    24-hour window opens (window.last_inbound_at reads these rows) and held replies go."""
    if message.channel != Channel.WHATSAPP:
        return
    try:
        with write_transaction():
            _row(message, None, created=False)
    except IntegrityError:
        pass  # the same MessageSid at the same time (Twilio's retry): kept by the other


def _row(message: Inbound, complaint_id: int | None, created: bool) -> InboundMessage:
    row = InboundMessage(
        message_sid=message.message_sid, channel=message.channel.value,
        from_number=message.from_address, body=message.body,
        num_segments=message.num_segments, num_media=message.num_media,
        complaint_id=complaint_id, created_complaint=created, received_at=clock.now(),
    )
    db.session.add(row)
    db.session.flush()
    if message.channel == Channel.WHATSAPP:
        _reopen_window(message.from_address)
    return row


def _reopen_window(from_address: str) -> None:
    """Their message opens WhatsApp's 24-hour window: the held replies may go now, in order."""
    from complaints.notifications import held

    try:
        number = phone.normalise(from_address)
    except phone.InvalidNumber:
        return
    held.release_held("whatsapp", number, clock.now())


def _append(message: Inbound, complaint_id: int, text: str, language: str) -> Outcome:
    try:
        with write_transaction():
            complaint = db.session.get_one(Complaint, complaint_id)
            _row(message, complaint_id, created=False)
            record_event(complaint, "complainant_message", None, note=text,
                         to_value=message.channel.value, public=True)
            from complaints.workflow.handling import resume_clock_if_paused

            resume_clock_if_paused(complaint, None, note=message.channel.value)
            complaint.updated_at = clock.now()
            acks.record(message, complaint, "added", language)
    except IntegrityError:
        return _known(message.message_sid) or Outcome("duplicate", complaint_id)
    return Outcome("appended", complaint_id)


def _create(message: Inbound, text: str, language: str) -> Outcome:
    result = create_complaint(IntakeRecord(
        channel=message.channel, body=text, complainant_phone=_phone(message.from_address),
        source_key=SOURCE_PREFIX + message.message_sid,
        channel_note=_note(message),
    ))
    if not result.created:
        return Outcome("duplicate", result.complaint_id)
    try:
        with write_transaction():
            _row(message, result.complaint_id, created=True)
            complaint = db.session.get_one(Complaint, result.complaint_id)
            acks.record(message, complaint, "acknowledgement", language,
                        access_code=result.access_code)
    except IntegrityError:
        return Outcome("duplicate", result.complaint_id)
    return Outcome("created", result.complaint_id)


def _phone(address: str) -> str:
    try:
        return phone.normalise(address)
    except phone.InvalidNumber:
        return address.removeprefix(phone.WHATSAPP_PREFIX)[:32]


def _note(message: Inbound) -> str | None:
    parts = []
    if message.num_segments > 1:
        parts.append(f"{message.num_segments} segments")
    if message.num_media:
        parts.append(f"{message.num_media} media not downloaded")
    return ", ".join(parts) or None
