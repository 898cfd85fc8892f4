"""Staff pages of the call log: the standalone page and the form on a complaint."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from complaints.accounts.permissions import Perm, can_view_complaint, require
from complaints.core.timefmt import from_local
from complaints.extensions import db
from complaints.messaging import calls
from complaints.messaging.forms import CallForm
from complaints.messaging.models import CallDirection, CallMedium, CallOutcome
from complaints.tickets.models import Complaint

bp = Blueprint("messaging", __name__, url_prefix="/staff")


def _record(form: CallForm, complaint_id: int | None = None) -> calls.CallRecord:
    return calls.CallRecord(
        direction=CallDirection(form.direction.data), medium=CallMedium(form.medium.data),
        number=form.number.data, summary=form.summary.data,
        outcome=CallOutcome(form.outcome.data), at=from_local(form.at.data),
        complaint_id=complaint_id,
        complaint_number=None if complaint_id else form.complaint_number.data,
    )


@bp.route("/calls", methods=["GET", "POST"])
@require(Perm.INTAKE)
def call_log():
    """The call and fax log: a quick form and the latest entries."""
    form = CallForm()
    if form.validate_on_submit():
        try:
            calls.log_call(_record(form), current_user)
        except calls.CallError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Call logged."), "success")
            return redirect(url_for("messaging.call_log"))
    return render_template("messaging/calls.html", form=form, rows=calls.recent_calls())


@bp.post("/complaints/<int:complaint_id>/calls")
@require(Perm.QUEUE)
def complaint_call(complaint_id: int):
    """Log a call or fax on a complaint (the quick form on the complaint page)."""
    complaint = db.get_or_404(Complaint, complaint_id)
    if not can_view_complaint(current_user, complaint):
        abort(403)
    form = CallForm()
    if form.validate_on_submit():
        try:
            calls.log_call(_record(form, complaint.id), current_user)
        except calls.CallError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Call logged."), "success")
    else:
        flash(_("The call was not logged: fill in the number and the summary."), "error")
    return redirect(url_for("tickets.detail", complaint_id=complaint.id) + "#calls")


@bp.record_once
def _helpers(state) -> None:
    from complaints.messaging import forms as call_forms

    labels: dict[str, dict] = {"direction": call_forms.DIRECTION_LABELS,
                               "medium": call_forms.MEDIUM_LABELS,
                               "outcome": call_forms.OUTCOME_LABELS}

    def call_label(group: str, value) -> str:
        return str(labels[group].get(value, value))

    def messaging_panel(complaint: Complaint) -> dict:
        from complaints.messaging.models import Acknowledgement

        acks = db.session.scalars(
            db.select(Acknowledgement).where(Acknowledgement.complaint_id == complaint.id)
            .order_by(Acknowledgement.id)
        )
        return {"calls": calls.calls_for(complaint.id), "form": CallForm(), "acks": list(acks)}

    state.app.jinja_env.globals.update(
        {"call_label": call_label, "messaging_panel": messaging_panel})
