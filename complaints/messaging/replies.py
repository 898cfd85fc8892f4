"""Staff replies by SMS/WhatsApp: where they go and their text, within Twilio's length."""

from __future__ import annotations

from typing import TYPE_CHECKING

from complaints.messaging import acks, phone
from complaints.tickets.models import Channel, Complaint

if TYPE_CHECKING:
    from complaints.notifications.service import Addressee

MAX_BODY = 1600  # Twilio refuses longer message bodies (error 21617)


def reply_route(complaint: Addressee) -> tuple[str, str] | None:
    """Return (channel, E.164 number) when the complaint is answered by SMS or WhatsApp."""
    if complaint.channel not in (Channel.SMS, Channel.WHATSAPP):
        return None
    try:
        return complaint.channel.value, phone.normalise(complaint.complainant_phone or "")
    except phone.InvalidNumber:
        return None


def fit(text: str, limit: int, tail: str) -> str:
    """Return the text whole when it fits, else cut at a word and followed by the tail."""
    if len(text) <= limit:
        return text
    room = limit - len(tail)
    cut = text[:room].rsplit(" ", 1)[0] if " " in text[:room] else text[:room]
    return cut.rstrip() + tail


def render_reply(complaint: Complaint, text: str, language: str = "id") -> str:
    """Return the reply as one message (templates/sms/reply_*.txt), at most MAX_BODY long."""
    body = acks.render("reply", language, number=complaint.number, text=text.strip())
    return fit(body, MAX_BODY, " " + acks.render("more", language))
