"""What an incoming message becomes: a new complaint, a reply on one, or quarantine."""

from __future__ import annotations

import re
from io import BytesIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.mail import rules
from complaints.mail.models import InboundMail, Outcome
from complaints.mail.parse import MSGID_RE, MailPart, ParsedMail
from complaints.notifications import outbox
from complaints.notifications import service as notifications
from complaints.tickets import attachments
from complaints.tickets.models import Channel, Complaint
from complaints.tickets.service import record_event


def own_addresses() -> set[str]:
    """Return the addresses that are ours: mail from them is a loop."""
    config = current_app.config
    found = {config.get("MAIL_DEFAULT_SENDER"), config.get("OFFICE_EMAIL"),
             config.get("MAIL_IMAP_USER"), *config.get("MAIL_OWN_ADDRESSES", [])}
    return {a.strip().lower() for a in found if a and "@" in a}


def quarantine(row: InboundMail, reason: str, detail: str | None = None) -> None:
    """Keep the message in the quarantine with its reason."""
    row.outcome = Outcome.QUARANTINED
    row.reason = reason
    row.detail = (detail or "")[:2000] or None
    db.session.flush()


def apply_parsed(row: InboundMail, parsed: ParsedMail | None, reason: str | None,
                 detail: str | None) -> None:
    """Decide and carry out what the message becomes, in the current transaction."""
    if parsed is None or reason:
        quarantine(row, reason or "unparseable", detail)
        return
    our_message = bool(parsed.message_id and db.session.scalar(
        select(outbox.OutboxMessage.id).where(outbox.OutboxMessage.message_id
                                              == parsed.message_id)))
    row.loop_kind = rules.loop_kind(parsed.loop_headers, parsed.content_type,
                                    parsed.from_addr, own_addresses(), our_message)
    if row.loop_kind:
        detail = ", ".join(f"{k}: {v}" for k, v in parsed.loop_headers.items())[:500]
        if row.loop_kind == "bounce":
            detail = _bounced(parsed) or detail
        quarantine(row, row.loop_kind, detail)
        return
    complaint, via = thread_target(parsed)
    if complaint is not None:
        if rules.same_sender(parsed.from_addr, complaint.complainant_email):
            attach_reply(row, complaint, parsed)
            return
        if complaint.complainant_email:
            quarantine(row, "sender_mismatch",
                       f"refers to {complaint.number} by {via}, but From is "
                       f"{parsed.from_addr or 'missing'}, not the complainant")
            return
    new_ticket(row, parsed, mentions=complaint.number if complaint else None)


def _bounced(parsed: ParsedMail) -> str | None:
    """Mark our messages a bounce reports as not delivered; return a note for the row."""
    texts = [parsed.text] + [part.data.decode("utf-8", "replace") for part in parsed.attachments
                             if part.content_type.startswith(("message/", "text/"))]
    ids = sorted({mid for text in texts for mid in MSGID_RE.findall(text)})
    status = re.search(r"^Status:\s*([245]\.\d+\.\d+)", "\n".join(texts), re.MULTILINE)
    reason = f"{status.group(1) if status else 'bounce'}: {parsed.subject}"[:300]
    marked = outbox.mark_bounced(ids, reason)
    return f"bounce of outbox message(s) {', '.join(map(str, marked))}" if marked else None


def thread_target(parsed: ParsedMail) -> tuple[Complaint | None, str | None]:
    """Return the complaint a message answers: by our Message-IDs first, then the subject."""
    refs = [*parsed.references, *parsed.in_reply_to]
    complaint_id = outbox.complaint_for_message_ids(refs) if refs else None
    if complaint_id is None and refs:
        complaint_id = db.session.scalar(
            select(InboundMail.complaint_id).where(InboundMail.message_id.in_(refs),
                                                   InboundMail.complaint_id.is_not(None))
            .order_by(InboundMail.id.desc()).limit(1))
    if complaint_id is not None:
        return db.session.get(Complaint, complaint_id), "Message-ID"
    prefix = current_app.config["REGISTER_PREFIX"]
    for number in rules.register_numbers(parsed.subject, prefix):
        found = db.session.scalar(select(Complaint).where(Complaint.number == number))
        if found is not None:
            return found, "subject"
    return None, None


def body_of(parsed: ParsedMail) -> str:
    """Return the text to keep: the body, else the subject, else a marker."""
    return parsed.text.strip() or parsed.subject.strip() or "(tanpa teks / no text)"


def checked_uploads(parts: list[MailPart]) -> tuple[list[attachments.Upload], list[str]]:
    """Return the attachments that pass the upload checks and why the others were refused."""
    kept: list[attachments.Upload] = []
    refused: list[str] = []
    for part in parts:
        if len(kept) >= current_app.config["MAIL_MAX_ATTACHMENTS"]:
            refused.append(_("%(name)s: too many attachments.", name=part.filename))
            continue
        try:
            kept.append(attachments.check_upload(part.filename, BytesIO(part.data)))
        except attachments.UploadError as exc:
            refused.append(str(exc))
    return kept, refused


def _note_refused(complaint: Complaint, refused: list[str]) -> None:
    if refused:
        text = _("Attachments of the email not kept (the raw email keeps them):")
        record_event(complaint, "note", note=text + "\n" + "\n".join(f"- {r}" for r in refused))


def new_ticket(row: InboundMail, parsed: ParsedMail, mentions: str | None = None,
               acknowledge: bool = True) -> Complaint:
    """Make a complaint of the message through the one intake service (and acknowledge it)."""
    uploads, refused = checked_uploads(parsed.attachments)
    result = create_complaint(IntakeRecord(
        channel=Channel.EMAIL, body=body_of(parsed), summary=parsed.subject,
        complainant_email=parsed.from_addr, complainant_name=(parsed.from_name or "")[:200],
        source_key=row.source_key, uploads=uploads, received_at=row.received_at,
        channel_note=(_("Mentions %(number)s", number=mentions) if mentions else None),
    ))
    complaint = result.complaint
    row.outcome, row.reason, row.complaint_id = Outcome.TICKET, None, complaint.id
    db.session.flush()
    _note_refused(complaint, refused)
    if result.created and acknowledge:
        language = rules.guess_language(parsed.text, parsed.language)
        row.acknowledged = notifications.on_complaint_created(
            complaint, result.access_code, language=language) is not None
    return complaint


def attach_reply(row: InboundMail, complaint: Complaint, parsed: ParsedMail) -> None:
    """Add the complainant's answer to their complaint; headers change nothing else."""
    uploads, refused = checked_uploads(parsed.attachments)
    event = record_event(complaint, "complainant_message", note=body_of(parsed), public=True)
    # Imported here: workflow builds on the channels' tables. An answer restarts the clock.
    from complaints.workflow.handling import resume_clock_if_paused

    resume_clock_if_paused(complaint, None, note=Channel.EMAIL.value)
    for upload in uploads:
        attachments.store(complaint, upload, None, public=True)
    _note_refused(complaint, refused)
    db.session.flush()
    row.outcome, row.reason = Outcome.REPLY, None
    row.complaint_id, row.event_id = complaint.id, event.id
    db.session.flush()
