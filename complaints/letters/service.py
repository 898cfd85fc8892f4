"""Reply letters: numbered, rendered to PDF, stored on the complaint, dispatch recorded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from complaints.accounts.models import User
from complaints.accounts.permissions import can_view_complaint
from complaints.core import clock
from complaints.core import pdf as render
from complaints.core.db import transactional, write_transaction
from complaints.core.timefmt import office_tz
from complaints.extensions import db
from complaints.letters.models import DispatchMethod, ReplyLetter
from complaints.letters.numbering import (
    LETTER_SEQUENCE,
    format_letter_number,
    indonesian_date,
)
from complaints.letters.signer import choose_signer
from complaints.tickets import attachments
from complaints.tickets.models import Complaint
from complaints.tickets.numbering import next_in_sequence
from complaints.tickets.service import record_event

LETTER_EVENT = "letter_sent"


class LetterError(ValueError):
    """The letter cannot be made or dispatched; the message is shown to the user."""


@dataclass
class LetterDraft:
    """What the officer writes: subject, addressee, attachments line and the decision."""

    subject: str
    addressee: str
    body: str
    attachments_line: str = "-"


def default_draft(complaint: Complaint) -> LetterDraft:
    """Return the form's starting values from the complaint."""
    name = complaint.complainant_name or "Bapak/Ibu Pengadu"
    lines = [name] + ([complaint.complainant_address] if complaint.complainant_address else [])
    return LetterDraft(subject=f"Tanggapan atas Pengaduan Nomor {complaint.number}",
                       addressee="\n".join(lines), body="")


def paragraphs(text: str) -> list[str]:
    """Return the text's paragraphs (blank lines separate them; lines inside are joined)."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [" ".join(b.split()) for b in blocks if b.strip()]


def render_html(letter: ReplyLetter) -> str:
    """Return the letter's HTML (all values escaped by the template)."""
    return render_template("letters/reply.html", letter=letter,
                           letter_date_text=indonesian_date(letter.letter_date),
                           paragraphs=paragraphs(letter.body))


def _check(draft: LetterDraft) -> None:
    if not draft.subject.strip() or not draft.addressee.strip() or not draft.body.strip():
        raise LetterError(_l("Subject, addressee and decision text are required."))


def create_letter(complaint_id: int, draft: LetterDraft, actor: User) -> ReplyLetter:
    """Number the letter, render its PDF and store it on the complaint (one transaction)."""
    _check(draft)
    with write_transaction():
        letter = _new_letter(complaint_id, draft, actor)
        pdf = render.html_to_pdf(render_html(letter))
        name = "surat-" + re.sub(r"[^0-9A-Za-z]+", "-", letter.number).strip("-") + ".pdf"
        attachment = attachments.store(
            letter.complaint, attachments.Upload(name, pdf, "application/pdf"), actor.id,
            public=False)
        db.session.flush()
        letter.attachment_id = attachment.id
        record_event(letter.complaint, "letter_created", actor, to_value=letter.number)
    return letter


def _new_letter(complaint_id: int, draft: LetterDraft, actor: User) -> ReplyLetter:
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or not can_view_complaint(actor, complaint):
        raise LetterError(_l("You may not write a letter on this complaint."))
    today = clock.now().astimezone(office_tz()).date()
    seq = next_in_sequence(LETTER_SEQUENCE, today.year)
    signer = choose_signer(complaint)
    letter = ReplyLetter(
        complaint=complaint, year=today.year, seq=seq, letter_date=today,
        number=format_letter_number(current_app.config["LETTER_NUMBER_FORMAT"], seq, today),
        subject=draft.subject.strip()[:300], addressee=draft.addressee.strip(),
        attachments_line=(draft.attachments_line or "-").strip()[:200] or "-",
        body=draft.body.strip(), signer_id=signer.user_id, signer_name=signer.name,
        signer_nip=signer.nip, signer_title=signer.title, signer_acting=signer.acting,
        created_at=clock.now(), created_by_id=actor.id,
    )
    db.session.add(letter)
    db.session.flush()
    return letter


@transactional
def record_dispatch(letter_id: int, method: DispatchMethod, on: date, actor: User,
                    note: str | None = None) -> ReplyLetter:
    """Record how and when the letter left the office: the reply proof (event letter_sent)."""
    letter = db.session.get(ReplyLetter, letter_id)
    if letter is None or not can_view_complaint(actor, letter.complaint):
        raise LetterError(_l("Unknown letter."))
    if letter.dispatched_on is not None:
        raise LetterError(_l("The dispatch of this letter is already recorded."))
    letter.dispatch_method = method
    letter.dispatched_on = on
    letter.dispatch_note = (note or "").strip()[:500] or None
    letter.dispatch_recorded_by_id = actor.id
    record_event(letter.complaint, LETTER_EVENT, actor, from_value=method.value,
                 to_value=letter.number, note=f"{on.isoformat()} {letter.dispatch_note or ''}"
                 .strip(), public=True)
    letter.complaint.updated_at = clock.now()
    return letter


def letters_for(complaint_id: int) -> list[ReplyLetter]:
    """Return the reply letters of a complaint, oldest first."""
    return list(db.session.scalars(
        select(ReplyLetter).where(ReplyLetter.complaint_id == complaint_id)
        .order_by(ReplyLetter.id)
    ))
