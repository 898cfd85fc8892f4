"""Staff pages of the mail quarantine: list, look (as text only), download, act."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from complaints.extensions import db
from complaints.mail import service
from complaints.mail.ingest import read
from complaints.mail.models import InboundMail
from complaints.notifications.access import require_mail_staff

bp = Blueprint("mail", __name__, url_prefix="/staff/mail")
REASON_LABELS = {
    "too_large": _l("too large"),
    "unparseable": _l("cannot be read"),
    "duplicate_message_id": _l("same Message-ID, different content"),
    "sender_mismatch": _l("writes into someone else's complaint"),
    "bounce": _l("delivery failure report"),
    "auto_reply": _l("automatic reply"),
    "bulk": _l("mailing list or bulk mail"),
    "own_address": _l("sent by ourselves (loop)"),
    "error": _l("error while handling"),
}


@bp.get("/quarantine")
@require_mail_staff
def quarantine():
    """List the quarantined messages and the mailbox totals."""
    show_all = request.args.get("all") == "1"
    return render_template("mail/quarantine.html", rows=service.quarantined(show_all),
                           totals=service.totals(), show_all=show_all)


@bp.get("/quarantine/<int:inbound_id>")
@require_mail_staff
def detail(inbound_id: int):
    """Show a quarantined message as plain text (mail HTML is never rendered)."""
    row = db.get_or_404(InboundMail, inbound_id)
    try:
        raw, _row = service.raw_of(inbound_id)
    except (service.QuarantineError, OSError):
        abort(404)
    parsed, _reason, _detail = read(raw)
    return render_template("mail/detail.html", row=row, parsed=parsed)


@bp.get("/quarantine/<int:inbound_id>/raw")
@require_mail_staff
def raw(inbound_id: int):
    """Send the raw message as a download, never inline."""
    try:
        data, row = service.raw_of(inbound_id)
    except (service.QuarantineError, OSError):
        abort(404)
    return send_file(BytesIO(data), mimetype="application/octet-stream", as_attachment=True,
                     download_name=f"email-{row.id}.eml", max_age=0)


def _act(inbound_id: int, action, done: str):
    try:
        action(inbound_id, current_user)
    except (service.QuarantineError, OSError) as exc:
        flash(str(exc), "error")
    else:
        flash(done, "success")
    return redirect(url_for("mail.quarantine"))


@bp.post("/quarantine/<int:inbound_id>/retry")
@require_mail_staff
def retry(inbound_id: int):
    """Handle the message again with today's rules."""
    return _act(inbound_id, service.retry, _("The message was handled again."))


@bp.post("/quarantine/<int:inbound_id>/ticket")
@require_mail_staff
def ticket(inbound_id: int):
    """Make a complaint of the message anyway."""
    return _act(inbound_id, service.make_ticket, _("A complaint was made of the message."))


@bp.post("/quarantine/<int:inbound_id>/dismiss")
@require_mail_staff
def dismiss(inbound_id: int):
    """Mark the message as looked at (it stays in the quarantine)."""
    return _act(inbound_id, service.dismiss, _("The message was marked as looked at."))


@bp.record_once
def _helpers(state) -> None:
    state.app.jinja_env.globals.update(
        {"quarantine_reason_label": lambda r: str(REASON_LABELS.get(r, r or "—"))})
