"""Staff pages of reply letters: write one on a complaint, record its dispatch."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from complaints.accounts.permissions import Perm, can_view_complaint, require
from complaints.core import clock
from complaints.core.timefmt import office_tz
from complaints.extensions import db
from complaints.letters import service
from complaints.letters.forms import DISPATCH_LABELS, DispatchForm, LetterForm
from complaints.letters.models import DispatchMethod, ReplyLetter
from complaints.letters.signer import choose_signer
from complaints.tickets.models import Complaint

bp = Blueprint("letters", __name__, url_prefix="/staff")


def _complaint(complaint_id: int) -> Complaint:
    complaint = db.get_or_404(Complaint, complaint_id)
    if not can_view_complaint(current_user, complaint):
        abort(403)
    return complaint


@bp.route("/complaints/<int:complaint_id>/letters/new", methods=["GET", "POST"])
@require(Perm.QUEUE)
def new(complaint_id: int):
    """Write a numbered reply letter; it is rendered to PDF and kept on the complaint."""
    complaint = _complaint(complaint_id)
    form = LetterForm(obj=service.default_draft(complaint))
    if form.validate_on_submit():
        draft = service.LetterDraft(form.subject.data, form.addressee.data, form.body.data,
                                    form.attachments_line.data or "-")
        try:
            letter = service.create_letter(complaint.id, draft, current_user)
        except service.LetterError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Letter %(number)s made.", number=letter.number), "success")
            return redirect(url_for("tickets.detail", complaint_id=complaint.id) + "#letters")
    return render_template("letters/new.html", complaint=complaint, form=form,
                           signer=choose_signer(complaint))


@bp.post("/letters/<int:letter_id>/dispatch")
@require(Perm.QUEUE)
def dispatch(letter_id: int):
    """Record that the letter went out (by hand, post or courier) on a date."""
    letter = db.get_or_404(ReplyLetter, letter_id)
    _complaint(letter.complaint_id)
    form = DispatchForm()
    if form.validate_on_submit():
        try:
            service.record_dispatch(letter.id, DispatchMethod(form.method.data),
                                    form.dispatched_on.data, current_user, form.note.data)
        except service.LetterError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Dispatch recorded."), "success")
    else:
        flash(_("Choose how and when the letter was sent."), "error")
    return redirect(url_for("tickets.detail", complaint_id=letter.complaint_id) + "#letters")


@bp.record_once
def _helpers(state) -> None:
    def letters_panel(complaint: Complaint) -> dict:
        today = clock.now().astimezone(office_tz()).date()
        return {"letters": service.letters_for(complaint.id),
                "form": DispatchForm(dispatched_on=today)}

    def dispatch_label(value) -> str:
        return str(DISPATCH_LABELS.get(value, value)) if value else ""

    state.app.jinja_env.globals.update(
        {"letters_panel": letters_panel, "dispatch_label": dispatch_label})
