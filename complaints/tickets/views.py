"""Staff pages of a complaint: the queue, the complaint with its kartu kendali, files."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from complaints.accounts.permissions import Perm, can_view_complaint, has_perm, require
from complaints.extensions import db
from complaints.intake import catalog
from complaints.tickets import attachments, queries, queue_page, service
from complaints.tickets.forms import HandOverForm, NoteForm
from complaints.tickets.models import Attachment, Complaint

bp = Blueprint("tickets", __name__, url_prefix="/staff")


def _complaint_or_404(complaint_id: int) -> Complaint:
    complaint = db.get_or_404(Complaint, complaint_id)
    if not can_view_complaint(current_user, complaint):
        abort(403)
    return complaint


@bp.get("/queue")
@require(Perm.QUEUE)
def queue():
    """List complaints: mine, my division's, untriaged, open, all; filtered and searched."""
    try:
        flt = queries.parse_filter(request.args)
    except queries.QueryError as exc:
        abort(400, str(exc))
    page = queue_page.load_page(flt, current_user, current_app.config["PAGE_SIZE"])
    next_args = None
    if page.next_after is not None:
        next_args = {k: v for k, v in request.args.items() if k != "after"}
        next_args["after"] = page.next_after
    locale = str(get_locale() or "id")
    filters = queue_page.filters_html(flt, queue_page.filter_choices(locale), locale)
    html = render_template("tickets/queue.html", page=page, next_args=next_args,
                           filters=filters)
    queue_page.audit(current_user, page)  # after rendering, as on the other pages
    return html


@bp.get("/complaints/<int:complaint_id>")
@require(Perm.QUEUE)
def detail(complaint_id: int):
    """Show a complaint with its control card (kartu kendali)."""
    complaint = _complaint_or_404(complaint_id)
    identity = service.identity_for(complaint, current_user)
    handover = HandOverForm(version=complaint.version)
    handover.to_user_id.choices = [
        (uid, name) for uid, name in catalog.officer_choices() if uid != complaint.holder_id
    ]
    page = render_template(
        "tickets/detail.html", complaint=complaint, identity=identity,
        handover_form=handover, note_form=NoteForm(),
        stations=service.stations(complaint),
    )
    service.audit_identity_view(current_user, [complaint], "detail")
    return page


@bp.post("/complaints/<int:complaint_id>/handover")
@require(Perm.QUEUE)
def handover(complaint_id: int):
    """Pass the complaint to another officer."""
    complaint = _complaint_or_404(complaint_id)
    form = HandOverForm()
    form.to_user_id.choices = catalog.officer_choices()
    if form.validate_on_submit():
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        try:
            service.hand_over(complaint.id, form.to_user_id.data, current_user,
                              form.note.data, expected_version=version)
        except service.StaleComplaint:
            flash(_("Someone else changed this complaint meanwhile. Here is its new state."),
                  "error")
        except service.TicketError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Handed over."), "success")
    return redirect(url_for("tickets.detail", complaint_id=complaint.id))


@bp.post("/complaints/<int:complaint_id>/notes")
@require(Perm.QUEUE)
def note(complaint_id: int):
    """Add an internal note."""
    complaint = _complaint_or_404(complaint_id)
    form = NoteForm()
    if form.validate_on_submit():
        service.add_note(complaint.id, current_user, form.text.data)
        flash(_("Note added."), "success")
    else:
        flash(_("The note is empty."), "error")
    return redirect(url_for("tickets.detail", complaint_id=complaint.id))


@bp.get("/attachments/<int:attachment_id>")
@require(Perm.QUEUE)
def attachment(attachment_id: int):
    """Send an attachment as a download, never inline."""
    item = db.get_or_404(Attachment, attachment_id)
    _complaint_or_404(item.complaint_id)
    path = attachments.path_of(item)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="application/octet-stream", as_attachment=True,
                     download_name=item.original_name, max_age=0)


def can(perm: Perm) -> bool:
    """Template helper: whether the current user has the permission."""
    return has_perm(current_user, perm)


@bp.record_once
def _helpers(state) -> None:
    from flask_babel import get_locale

    from complaints.accounts.permissions import Perm as _Perm
    from complaints.tickets import presenters

    state.app.jinja_env.globals.update({
        "can": can,
        "Perm": _Perm,
        "label_choices": presenters.label_choices,
        "event_text": lambda e: presenters.event_text(e, str(get_locale() or "id")),
        "user_name": presenters.user_name,
        "duration": presenters.station_duration,
    })
