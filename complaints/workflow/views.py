"""Workflow actions on the staff complaint page, the triage page and the admin tables."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from complaints.accounts.permissions import Perm, can_view_complaint, require
from complaints.extensions import db
from complaints.intake import catalog
from complaints.tickets.models import Complaint, Weight
from complaints.tickets.service import StaleComplaint, TicketError
from complaints.workflow import closing, duplicates, handling, panel, service
from complaints.workflow.forms import (
    ActionForm,
    CoordinationForm,
    ForwardForm,
    LinkForm,
    ProofForm,
    ReasonForm,
    ReclassifyForm,
    TextForm,
    TriageForm,
)
from complaints.workflow.handling import CoordinationInput
from complaints.workflow.rules import ProofKind
from complaints.workflow.service import TriageInput

bp = Blueprint("workflow", __name__, url_prefix="/staff")

EVENT_TITLES = {
    "suggestion": _l("Suggested weight → chosen weight"),
    "reply": _l("Reply to the complainant"),
    "info_request": _l("Information requested from the complainant"),
    "complainant_message": _l("Message from the complainant"),
    "clock_paused": _l("Clock paused"),
    "clock_resumed": _l("Clock resumed"),
    "coordination": _l("Coordination recorded"),
    "reply_proof": _l("Proof of reply recorded"),
    "link": _l("Linked with"),
    "merged_into": _l("Merged into"),
    "merged_from": _l("Merged from"),
}


@bp.record_once
def _register_event_titles(state) -> None:
    from complaints.tickets import presenters

    for kind, title in EVENT_TITLES.items():
        presenters.EVENT_TITLES.setdefault(kind, title)


@bp.record_once
def _helpers(state) -> None:
    from complaints.workflow.labels import proof_label

    state.app.jinja_env.globals.update({"workflow_panel": _panel_for, "proof_label": proof_label})


def _panel_for(complaint: Complaint) -> panel.Panel:
    return panel.build(complaint, current_user, request.args.get("canned"))


def _complaint_or_404(complaint_id: int) -> Complaint:
    complaint = db.get_or_404(Complaint, complaint_id)
    if not can_view_complaint(current_user, complaint):
        abort(403)
    return complaint


def _back(complaint_id: int):
    return redirect(url_for("tickets.detail", complaint_id=complaint_id) + "#workflow")


def _first_error(form) -> str:
    for name, errors in form.errors.items():
        label = getattr(getattr(form, name, None), "label", None)
        return f"{label.text if label else name}: {errors[0]}"
    return _("The form is incomplete.")


def _run(complaint_id: int, form, call: Callable, success: str):
    """Validate, call one service function, flash its outcome, back to the complaint."""
    complaint = _complaint_or_404(complaint_id)
    if not form.validate_on_submit():
        flash(_first_error(form), "error")
        return _back(complaint.id)
    try:
        call(form, form.expected_version())
    except StaleComplaint:
        flash(_("Someone else changed this complaint meanwhile; nothing was saved. "
                "Here is its new state."), "error")
        _keep_typed_text(form)
    except TicketError as exc:
        flash(str(exc), "error")
        _keep_typed_text(form)
    else:
        flash(success, "success")
    return _back(complaint.id)


def _keep_typed_text(form) -> None:
    """Show what the officer typed, so a refused reply or answer need not be retyped."""
    for name in ("text", "outcome", "reason"):
        typed = getattr(getattr(form, name, None), "data", None)
        if typed:
            flash(_("Your text, not saved: %(text)s", text=typed), "info")
            return


@bp.post("/complaints/<int:complaint_id>/register")
@require(Perm.QUEUE)
def register(complaint_id: int):
    """Confirm the record of a received complaint."""
    return _run(complaint_id, ActionForm(prefix="register"), lambda f, v: service.register(
        complaint_id, v, current_user, f.note.data), _("Registered."))


@bp.route("/complaints/<int:complaint_id>/triage", methods=["GET", "POST"])
@require(Perm.TRIAGE)
def triage(complaint_id: int):
    """Triage: type, weight, division, officer; with the suggestion and possible duplicates."""
    complaint = _complaint_or_404(complaint_id)
    form = TriageForm(version=complaint.version)
    officers = _triage_choices(form)
    hint = service.suggestion_for(complaint)
    if request.method == "GET":
        form.service_id.data = complaint.service_id
        form.division_id.data = complaint.division_id or (
            complaint.service.division_id if complaint.service else None)
        if hint is not None:
            form.weight.data = hint.weight.value if hint.weight else None
            form.type_id.data = service.type_id_for(hint.type_code)
        form.holder_id.data = complaint.holder_id or next(
            (uid for uid, divisions in officers if form.division_id.data in divisions), None)
    elif form.validate_on_submit():
        data = TriageInput(form.type_id.data, Weight(form.weight.data), form.division_id.data,
                           form.holder_id.data, form.service_id.data, form.note.data)
        try:
            service.triage(complaint.id, form.expected_version(), current_user, data)
        except StaleComplaint:
            flash(_("Someone else changed this complaint meanwhile; nothing was saved. "
                    "Here is its new state."), "error")
            return _back(complaint.id)
        except TicketError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Triaged."), "success")
            return _back(complaint.id)
    hint_type = None
    if hint is not None:
        hint_type = dict(form.type_id.choices).get(service.type_id_for(hint.type_code))
    return render_template(
        "workflow/triage.html", complaint=complaint, form=form, hint=hint, hint_type=hint_type,
        candidates=duplicates.find_duplicates(complaint),
        link_form=LinkForm(prefix="link", formdata=None, version=complaint.version),
        merge_form=LinkForm(prefix="merge", formdata=None, version=complaint.version))


def _triage_choices(form: TriageForm) -> list[tuple[int, list[int]]]:
    """Fill the triage choices; return (officer id, division ids) of the handling officers."""
    from complaints.workflow.forms import weight_choices

    form.weight.choices = weight_choices()
    form.type_id.choices = catalog.type_choices()
    form.division_id.choices = [(None, "—")] + catalog.division_choices()
    names = dict(catalog.division_choices())
    officers = service.handling_officers()
    form.holder_id.choices = [(None, "—")] + [
        (user.id, user.full_name + "".join(f" — {names.get(d, '')}" for d in divisions))
        for user, divisions in officers]
    return [(user.id, divisions) for user, divisions in officers]
    form.service_id.choices = [(None, "—")] + catalog.service_choices()


@bp.post("/complaints/<int:complaint_id>/reclassify")
@require(Perm.QUEUE)
def reclassify(complaint_id: int):
    """Change the weight with a reason."""
    return _run(complaint_id, ReclassifyForm(prefix="reclassify"), lambda f, v: service.reclassify(
        complaint_id, v, current_user, Weight(f.weight.data), f.reason.data),
        _("Reclassified."))


@bp.post("/complaints/<int:complaint_id>/start")
@require(Perm.QUEUE)
def start(complaint_id: int):
    """Start handling."""
    return _run(complaint_id, ActionForm(prefix="start"), lambda f, v: service.start_handling(
        complaint_id, v, current_user), _("Handling started."))


@bp.post("/complaints/<int:complaint_id>/coordinate")
@require(Perm.QUEUE)
def coordinate(complaint_id: int):
    """Bring the complaint to coordination (sedang/berat)."""
    return _run(complaint_id, ActionForm(prefix="coordinate"),
                lambda f, v: service.start_coordination(complaint_id, v, current_user,
                                                        f.note.data),
                _("Coordination started."))


@bp.post("/complaints/<int:complaint_id>/coordination")
@require(Perm.QUEUE)
def coordination(complaint_id: int):
    """Record the coordination and its decision."""
    def call(f, v):
        data = CoordinationInput(f.held_on.data, f.participants.data, f.outcome.data,
                                 f.officials.data, f.file.upload)
        return handling.record_coordination(complaint_id, v, current_user, data)

    return _run(complaint_id, CoordinationForm(prefix="coordination"), call,
                _("Coordination recorded."))


@bp.post("/complaints/<int:complaint_id>/reply")
@require(Perm.QUEUE)
def reply(complaint_id: int):
    """Record a public reply."""
    return _run(complaint_id, TextForm(prefix="reply"), lambda f, v: handling.reply(
        complaint_id, v, current_user, f.text.data), _("Reply recorded."))


@bp.post("/complaints/<int:complaint_id>/request-info")
@require(Perm.QUEUE)
def request_info(complaint_id: int):
    """Ask the complainant for information."""
    return _run(complaint_id, TextForm(prefix="info"), lambda f, v: handling.request_info(
        complaint_id, v, current_user, f.text.data), _("Information requested."))


@bp.post("/complaints/<int:complaint_id>/resume")
@require(Perm.QUEUE)
def resume(complaint_id: int):
    """Record that the requested information arrived."""
    return _run(complaint_id, ActionForm(prefix="resume"), lambda f, v: handling.resume(
        complaint_id, v, current_user, f.note.data), _("Clock resumed."))


@bp.post("/complaints/<int:complaint_id>/proof")
@require(Perm.QUEUE)
def proof(complaint_id: int):
    """Record a proof that the answer reached the complainant."""
    form = ProofForm(prefix="proof", kinds=list(ProofKind))

    def call(f, v):
        from complaints.core.timefmt import from_local

        data = closing.ProofInput(ProofKind(f.kind.data), f.reference.data,
                                  from_local(f.happened_at.data), f.note.data, f.file.upload)
        return closing.record_proof(complaint_id, v, current_user, data)

    return _run(complaint_id, form, call, _("Proof of reply recorded."))


@bp.post("/complaints/<int:complaint_id>/answer")
@require(Perm.QUEUE)
def answer(complaint_id: int):
    """Give the answer."""
    return _run(complaint_id, TextForm(prefix="answer"), lambda f, v: handling.answer(
        complaint_id, v, current_user, f.text.data), _("Answered."))


@bp.post("/complaints/<int:complaint_id>/close")
@require(Perm.QUEUE)
def close(complaint_id: int):
    """Close, when the reply proof is there."""
    return _run(complaint_id, ActionForm(prefix="close"), lambda f, v: closing.close(
        complaint_id, v, current_user, f.note.data), _("Closed."))


@bp.post("/complaints/<int:complaint_id>/reject")
@require(Perm.QUEUE)
def reject(complaint_id: int):
    """Reject with a reason."""
    return _run(complaint_id, ReasonForm(prefix="reject"), lambda f, v: closing.reject(
        complaint_id, v, current_user, f.reason.data), _("Rejected."))


@bp.post("/complaints/<int:complaint_id>/forward")
@require(Perm.QUEUE)
def forward(complaint_id: int):
    """Forward to the competent agency."""
    return _run(complaint_id, ForwardForm(prefix="forward"), lambda f, v: closing.forward(
        complaint_id, v, current_user, f.agency.data, f.reason.data),
        _("Forwarded to the competent agency."))


@bp.post("/complaints/<int:complaint_id>/reopen")
@require(Perm.QUEUE)
def reopen(complaint_id: int):
    """Reopen with a reason."""
    return _run(complaint_id, ReasonForm(prefix="reopen"), lambda f, v: closing.reopen(
        complaint_id, v, current_user, f.reason.data), _("Reopened."))


@bp.post("/complaints/<int:complaint_id>/link")
@require(Perm.QUEUE)
def link(complaint_id: int):
    """Link a possible duplicate."""
    return _run(complaint_id, LinkForm(prefix="link"), lambda f, v: duplicates.link(
        complaint_id, v, current_user, f.other_id.data, f.note.data), _("Linked."))


@bp.post("/complaints/<int:complaint_id>/merge")
@require(Perm.QUEUE)
def merge(complaint_id: int):
    """Merge this complaint into another one."""
    return _run(complaint_id, LinkForm(prefix="merge"), lambda f, v: duplicates.merge(
        complaint_id, v, current_user, f.other_id.data, f.note.data), _("Merged."))
