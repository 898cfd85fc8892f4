"""What other domains call: acknowledgements, replies and notices put in the outbox.

Every function runs inside the caller's transaction, so the message is committed
together with what caused it (or not at all).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale, get_locale
from sqlalchemy import select

from complaints.core import clock
from complaints.extensions import db
from complaints.notifications import outbox
from complaints.notifications.models import ComplaintLanguage, OutboxMessage, OutChannel
from complaints.tickets.models import Complaint, ComplaintEvent, Status
from complaints.tickets.service import record_event

ACK_KIND = "acknowledgement"
NOTICE_STATUSES = {Status.ANSWERED: "answered", Status.CLOSED: "closed"}
REFERENCES_MAX = 10


def language_of(complaint: Complaint) -> str:
    """Return the complainant's language (stored, else the office default)."""
    row = db.session.get(ComplaintLanguage, complaint.id)
    if row is not None:
        return row.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def set_language(complaint: Complaint, language: str | None) -> str:
    """Store the complainant's language when it is one we speak; return the one in use."""
    wanted = language
    if wanted is None and has_request_context():
        wanted = str(get_locale() or "")
    if not wanted or wanted not in current_app.config["LANGUAGES"]:
        return language_of(complaint)
    row = db.session.get(ComplaintLanguage, complaint.id)
    if row is None:
        db.session.add(ComplaintLanguage(complaint_id=complaint.id, language=wanted))
    else:
        row.language = wanted
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
    context.setdefault("tracking_url", base + config["TRACKING_PATH"])
    with force_locale(language):
        text = render_template(f"email/{name}.{language}.txt", **context)
    first, _, rest = text.lstrip().partition("\n")
    subject = first.removeprefix("Subject:").strip()
    return subject, rest.strip() + "\n"


def thread_headers(complaint: Complaint) -> tuple[str | None, str | None]:
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


def _enqueue_email(complaint: Complaint, kind: str, key: str, template: str,
                   headers: dict | None = None, event_id: int | None = None,
                   **context) -> OutboxMessage | None:
    if not complaint.complainant_email:
        return None
    language = language_of(complaint)
    subject, body = render_message(template, language, number=complaint.number, **context)
    in_reply_to, references = thread_headers(complaint)
    return outbox.enqueue(
        OutChannel.EMAIL, kind, complaint.complainant_email, idempotency_key=key,
        subject=subject, body_text=body, recipient_name=complaint.complainant_name,
        language=language, complaint_id=complaint.id, event_id=event_id, headers=headers,
        in_reply_to=in_reply_to, references=references, template=f"email/{template}",
    )


def acknowledgement_allowed(address: str) -> bool:
    """Return whether the sender address is under its daily acknowledgement cap."""
    cap = current_app.config["MAIL_ACK_PER_SENDER_PER_DAY"]
    since = clock.now() - timedelta(days=1)
    return outbox.count_recent(address, ACK_KIND, since) < cap


def on_complaint_created(complaint: Complaint, access_code: str | None,
                         language: str | None = None) -> OutboxMessage | None:
    """Queue the acknowledgement: number, access code, tracking link, nothing the sender wrote."""
    set_language(complaint, language)
    if not complaint.complainant_email or not access_code:
        return None
    if not acknowledgement_allowed(complaint.complainant_email):
        record_event(complaint, "acknowledgement_skipped", note="daily cap per sender reached")
        return None
    return _enqueue_email(
        complaint, ACK_KIND, f"ack:{complaint.id}", "acknowledgement",
        headers={"Auto-Submitted": "auto-replied"}, access_code=access_code,
        received_at=complaint.received_at,
    )


def on_public_reply(complaint: Complaint, event: ComplaintEvent) -> OutboxMessage | None:
    """Queue the staff's public answer, threaded into the complainant's conversation."""
    if event.id is None:
        db.session.flush()
    return _enqueue_email(complaint, "reply", f"reply:{event.id}", "reply",
                          event_id=event.id, text=event.note or "")


def on_status_changed(complaint: Complaint, old, new,
                      event: ComplaintEvent | None = None) -> OutboxMessage | None:
    """Queue the notice that the complaint was answered or closed."""
    kind = NOTICE_STATUSES.get(Status(new)) if new else None
    if kind is None or old == new:
        return None
    if event is not None and event.id is None:
        db.session.flush()
    marker = event.id if event is not None else _next_marker(complaint, kind)
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
