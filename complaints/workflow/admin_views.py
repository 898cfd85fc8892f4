"""Admin pages of the workflow: canned replies and keyword rules (list, add, edit)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from complaints.accounts.permissions import Perm, require
from complaints.extensions import db
from complaints.intake import catalog
from complaints.tickets.models import ComplaintType, Weight
from complaints.tickets.service import TicketError
from complaints.workflow import admin
from complaints.workflow.forms import CannedReplyForm, KeywordRuleForm
from complaints.workflow.models import CannedReply, KeywordRule

bp = Blueprint("workflow_admin", __name__, url_prefix="/admin")


def _edit_id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@bp.route("/canned-replies", methods=["GET", "POST"])
@require(Perm.ADMIN)
def canned_replies():
    """List the canned replies; add one or edit the one chosen with ?edit=ID."""
    editing = db.session.get(CannedReply, _edit_id(request.args.get("edit")) or 0)
    form = CannedReplyForm(obj=editing if request.method == "GET" else None)
    if request.method == "GET" and editing is not None:
        form.reply_id.data = str(editing.id)
    if form.validate_on_submit():
        data = admin.CannedInput(form.title.data, form.body.data, bool(form.active.data),
                                 form.sort.data or 0)
        try:
            admin.save_canned(current_user, data, _edit_id(form.reply_id.data))
        except TicketError as exc:
            form.title.errors.append(str(exc))
        else:
            flash(_("Canned reply saved."), "success")
            return redirect(url_for("workflow_admin.canned_replies"))
    return render_template("workflow/canned_replies.html", form=form, editing=editing,
                           rows=admin.canned_replies(active_only=False))


@bp.route("/keyword-rules", methods=["GET", "POST"])
@require(Perm.ADMIN)
def keyword_rules():
    """List the keyword rules; add one or edit the one chosen with ?edit=ID."""
    editing = db.session.get(KeywordRule, _edit_id(request.args.get("edit")) or 0)
    form = KeywordRuleForm(obj=editing if request.method == "GET" else None)
    types = db.session.scalars(db.select(ComplaintType).order_by(ComplaintType.sort)).all()
    type_names = dict(catalog.type_choices())
    form.type_code.choices = [("", "—")] + [(t.code, type_names.get(t.id, t.code)) for t in types]
    if request.method == "GET" and editing is not None:
        form.rule_id.data = str(editing.id)
        form.weight.data = editing.weight.value if editing.weight else ""
        form.type_code.data = editing.type_code or ""
    if form.validate_on_submit():
        data = admin.KeywordInput(form.keyword.data, Weight(form.weight.data)
                                  if form.weight.data else None, form.type_code.data or None,
                                  form.reason.data, bool(form.active.data))
        try:
            admin.save_keyword(current_user, data, _edit_id(form.rule_id.data))
        except TicketError as exc:
            form.keyword.errors.append(str(exc))
        else:
            flash(_("Keyword rule saved."), "success")
            return redirect(url_for("workflow_admin.keyword_rules"))
    return render_template("workflow/keyword_rules.html", form=form, editing=editing,
                           rows=admin.keyword_rules(), type_names={
                               t.code: type_names.get(t.id, t.code) for t in types})
