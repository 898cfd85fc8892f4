"""What other domains call: acknowledgements, replies and notices put in the outbox.

Every function runs inside the caller's transaction, so the message is committed
together with what caused it (or not at all). Each message takes one route (route_of):
the channel the complaint came in when it is email, SMS or WhatsApp; otherwise email when
an address was given (free, and it carries the tracking link), else SMS to the phone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlencode

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale, get_locale
from sqlalchemy import insert, select

from complaints.core import clock
from complaints.extensions import db
from complaints.notifications import outbox
from complaints.notifications.models import ComplaintLanguage, OutboxMessage, OutChannel
from complaints.tickets.models import Channel, Complaint, ComplaintEvent, Status
from complaints.tickets.service import insert_event, record_event

ACK_KIND = "acknowledgement"
MESSAGE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
# Channels whose staff reply travels as an email or a text message; letters, calls and
# meetings are answered the way they came (letters domain, call log) and only get notices.
REPLY_BY_MESSAGE = frozenset({Channel.EMAIL, Channel.SMS, Channel.WHATSAPP, Channel.WEB,
                              Channel.API, Channel.LAINNYA})
NOTICE_STATUSES = {Status.ANSWERED: "answered", Status.CLOSED: "closed"}
REFERENCES_MAX = 10
SKIPPED_NOTE = "daily cap per sender reached"


class Addressee(Protocol):
    """What a message to the complainant reads of a complaint (a row, or the intake's facts)."""

    @property
    def id(self) -> int: ...
    @property
    def number(self) -> str: ...
    @property
    def channel(self) -> Channel: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def complainant_name(self) -> str | None: ...
    @property
    def complainant_email(self) -> str | None: ...
    @property
    def complainant_phone(self) -> str | None: ...


def language_of(complaint: Addressee) -> str:
    """Return the complainant's language (stored, else the office default)."""
    row = db.session.get(ComplaintLanguage, complaint.id)
    if row is not None:
        return row.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def wanted_language(language: str | None) -> str | None:
    """Return the language asked for (else the request's) when it is one we speak."""
    wanted = language
    if wanted is None and has_request_context():
        wanted = str(get_locale() or "")
    if not wanted or wanted not in current_app.config["LANGUAGES"]:
        return None
    return wanted


def set_language(complaint: Complaint, language: str | None) -> str:
    """Store the complainant's language when it is one we speak; return the one in use."""
    wanted = wanted_language(language)
    if wanted is None:
        return language_of(complaint)
    row = db.session.get(ComplaintLanguage, complaint.id)
    if row is None:
        db.session.add(ComplaintLanguage(complaint_id=complaint.id, language=wanted))
    else:
        row.language = wanted
    return wanted


# Built once: the intake stores the language of each new complaint with it.
_INSERT_LANGUAGE = insert(ComplaintLanguage)


def insert_language(complaint_id: int, language: str | None) -> str:
    """Store a new complaint's language (Core insert, no lookup); return the one in use."""
    wanted = wanted_language(language)
    if wanted is None:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    db.session.connection().execute(_INSERT_LANGUAGE,
                                    {"complaint_id": complaint_id, "language": wanted})
    return wanted


def render_message(name: str, language: str, **context) -> tuple[str, str]:
    """Render templates/email/<name>.<language>.txt; its first line is "Subject: ..."."""
    config = current_app.config
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    context.setdefault("office", config["OFFICE_NAME"])
    context.setdefault("office_short", config["OFFICE_SHORT_NAME"])
    context.setdefault("office_email", config["OFFICE_EMAIL"])
    context.setdefault("office_phone", config["OFFICE_PHONE"])
    context.setdefault("office_address", config["OFFICE_ADDRESS"])
    tracking = base + config["TRACKING_PATH"]
    if context.get("number"):  # the tracking form opens with the number filled in
        tracking += "?" + urlencode({"nomor": context["number"]})
    context.setdefault("tracking_url", tracking)
    with force_locale(language):
        text = render_template(f"email/{name}.{language}.txt", **context)
    first, _, rest = text.lstrip().partition("\n")
    subject = first.removeprefix("Subject:").strip()
    return subject, rest.strip() + "\n"


def thread_headers(complaint: Addressee) -> tuple[str | None, str | None]:
    """Return In-Reply-To and References that thread a message into the conversation."""
    from complaints.mail.models import InboundMail

    theirs = list(db.session.scalars(
        select(InboundMail.message_id).where(InboundMail.complaint_id == complaint.id,
                                             InboundMail.message_id.is_not(None))
        .order_by(InboundMail.id)
    ))
    ours = list(db.session.scalars(
        select(OutboxMessage.message_id).where(OutboxMessage.complaint_id == complaint.id,
                                               OutboxMessage.message_id.is_not(None))
        .order_by(OutboxMessage.id)
    ))
    chain = [mid for mid in theirs[:1] + ours + theirs[1:] if mid][-REFERENCES_MAX:]
    in_reply_to = theirs[-1] if theirs else (ours[-1] if ours else None)
    return in_reply_to, " ".join(chain) or None


def _email_message(complaint: Addressee, kind: str, key: str, template: str,
                   headers: dict | None = None, event_id: int | None = None,
                   language: str | None = None, threaded: bool = True,
                   **context) -> dict | None:
    """Return the outbox fields of an email from templates/email (None: no address)."""
    # threaded=False: the complaint was created in this transaction, so nothing threads it.
    if not complaint.complainant_email:
        return None
    language = language or language_of(complaint)
    subject, body = render_message(template, language, number=complaint.number, **context)
    in_reply_to, references = thread_headers(complaint) if threaded else (None, None)
    return {"channel": OutChannel.EMAIL, "kind": kind, "recipient": complaint.complainant_email,
            "idempotency_key": key, "subject": subject, "body_text": body,
            "recipient_name": complaint.complainant_name, "language": language,
            "complaint_id": complaint.id, "event_id": event_id, "headers": headers,
            "in_reply_to": in_reply_to, "references": references,
            "template": f"email/{template}"}


def _enqueue_email(complaint: Complaint, kind: str, key: str, template: str,
                   **fields) -> OutboxMessage | None:
    message = _email_message(complaint, kind, key, template, **fields)
    return outbox.enqueue(**message) if message else None


def route_of(complaint: Addressee) -> tuple[str, str] | None:
    """Return (channel, address) the complainant hears from us on, or None (no contact)."""
    from complaints.messaging import phone, replies

    if complaint.channel in MESSAGE_CHANNELS:
        return replies.reply_route(complaint)
    if complaint.complainant_email:
        return OutChannel.EMAIL.value, complaint.complainant_email
    try:
        number = phone.normalise(complaint.complainant_phone or "")
    except phone.InvalidNumber:
        return None
    # An Indonesian landline (+62 761 ...) cannot take an SMS; mobiles start +628.
    if number.startswith("+62") and not number.startswith("+628"):
        return None
    return OutChannel.SMS.value, number


def _text_message(complaint: Addressee, route: tuple[str, str], kind: str, key: str,
                  template: str, event_id: int | None = None, language: str | None = None,
                  **context) -> dict:
    """Return the outbox fields of an SMS or WhatsApp message from templates/sms."""
    from complaints.messaging import acks

    language = language or language_of(complaint)
    body = acks.render(template, language, number=complaint.number, **context)
    return {"channel": route[0], "kind": kind, "recipient": route[1], "idempotency_key": key,
            "body_text": body, "language": language, "complaint_id": complaint.id,
            "event_id": event_id}


def _enqueue_text(complaint: Complaint, route: tuple[str, str], kind: str, key: str,
                  template: str, **fields) -> OutboxMessage:
    """Queue an SMS or WhatsApp message from templates/sms (held in quiet hours)."""
    return outbox.enqueue(**_text_message(complaint, route, kind, key, template, **fields))


def acknowledgement_allowed(address: str, channel: str = "email") -> bool:
    """Return whether the address is under its daily acknowledgement cap."""
    setting = "MAIL_ACK_PER_SENDER_PER_DAY" if channel == "email" else "SMS_ACK_DAILY_CAP"
    since = clock.now() - timedelta(days=1)
    return outbox.count_recent(address, ACK_KIND, since) < current_app.config[setting]


def _ack_allowed(route: tuple[str, str] | None, access_code: str | None) -> bool:
    return route is not None and bool(access_code) and acknowledgement_allowed(
        route[1], route[0])


def _ack_message(complaint: Addressee, route: tuple[str, str], access_code: str,
                 language: str, threaded: bool) -> dict | None:
    """Return the outbox fields of the acknowledgement: number, code, tracking link."""
    key = f"ack:{complaint.id}"
    if route[0] != OutChannel.EMAIL.value:
        return _text_message(complaint, route, ACK_KIND, key, "acknowledgement",
                             language=language, access_code=access_code)
    return _email_message(
        complaint, ACK_KIND, key, "acknowledgement", headers={"Auto-Submitted": "auto-replied"},
        language=language, threaded=threaded, access_code=access_code,
        received_at=complaint.received_at,
    )


def on_complaint_created(complaint: Complaint, access_code: str | None,
                         language: str | None = None) -> OutboxMessage | None:
    """Queue the acknowledgement: number, access code, tracking link, nothing the sender wrote.

    For a complaint made earlier (email threading); the intake's own is acknowledge_new().
    """
    route = route_of(complaint)
    allowed = _ack_allowed(route, access_code)
    language = set_language(complaint, language)
    if route is None or not access_code:
        return None
    if not allowed:
        record_event(complaint, "acknowledgement_skipped", note=SKIPPED_NOTE)
        return None
    message = _ack_message(complaint, route, access_code, language, threaded=True)
    return outbox.enqueue(**message) if message else None


def acknowledge_new(complaint: Addressee, access_code: str,
                    language: str | None = None) -> int | None:
    """Queue the acknowledgement of a complaint the intake created in this transaction.

    The same rows as on_complaint_created(), written with Core inserts and without the
    lookups nothing can answer yet (stored language, thread, message with the key).
    Returns the outbox message's id, None when nothing was queued.
    """
    route = route_of(complaint)
    allowed = _ack_allowed(route, access_code)
    language = insert_language(complaint.id, language)
    if route is None or not access_code:
        return None
    if not allowed:
        insert_event(complaint.id, "acknowledgement_skipped", note=SKIPPED_NOTE)
        return None
    message = _ack_message(complaint, route, access_code, language, threaded=False)
    return outbox.insert_new(**message) if message else None


def on_public_reply(complaint: Complaint, event: ComplaintEvent) -> OutboxMessage | None:
    """Queue the staff's public answer on the complaint's route (email threaded, or a text)."""
    route = route_of(complaint)
    if route is None or complaint.channel not in REPLY_BY_MESSAGE:
        return None  # no contact: the tracking page shows it; letters go by the letters domain
    if event.id is None:
        db.session.flush()
    if route[0] == OutChannel.EMAIL.value:
        return _enqueue_email(complaint, "reply", f"reply:{event.id}", "reply",
                              event_id=event.id, text=event.note or "")
    from complaints.messaging import replies

    return outbox.enqueue(
        route[0], "reply", route[1], idempotency_key=f"reply:{event.id}",
        body_text=replies.render_reply(complaint, event.note or "", language_of(complaint)),
        language=language_of(complaint), complaint_id=complaint.id, event_id=event.id)


def on_status_changed(complaint: Complaint, old, new,
                      event: ComplaintEvent | None = None) -> OutboxMessage | None:
    """Queue the notice that the complaint was answered or closed."""
    kind = NOTICE_STATUSES.get(Status(new)) if new else None
    if kind is None or old == new:
        return None
    if event is not None and event.id is None:
        db.session.flush()
    marker = event.id if event is not None else _next_marker(complaint, kind)
    route = route_of(complaint)
    if route is None:
        return None
    if route[0] != OutChannel.EMAIL.value:
        return _enqueue_text(complaint, route, kind, f"{kind}:{complaint.id}:{marker}", kind,
                             event_id=event.id if event else None)
    return _enqueue_email(complaint, kind, f"{kind}:{complaint.id}:{marker}", kind,
                          headers={"Auto-Submitted": "auto-generated"},
                          event_id=event.id if event else None,
                          follow_up=complaint.follow_up or "")


def _next_marker(complaint: Complaint, kind: str) -> str:
    count = db.session.scalar(
        select(db.func.count(OutboxMessage.id)).where(OutboxMessage.complaint_id == complaint.id,
                                                      OutboxMessage.kind == kind)
    )
    return f"n{int(count or 0) + 1}"
