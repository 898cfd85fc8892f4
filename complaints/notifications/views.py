"""Staff page "Outbox": messages not sent yet, given up on, and the local outbox log."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from complaints.extensions import db
from complaints.notifications import outbox
from complaints.notifications.access import can_manage_mail, require_mail_staff
from complaints.notifications.jobs import send_outbox
from complaints.notifications.models import OutboxMessage, OutStatus
from complaints.notifications.senders import read_log

bp = Blueprint("notifications", __name__, url_prefix="/staff/outbox")
STATUS_LABELS = {
    OutStatus.PENDING: _l("waiting"),
    OutStatus.SENDING: _l("sending"),
    OutStatus.SENT: _l("sent"),
    OutStatus.FAILED: _l("will retry"),
    OutStatus.DEAD: _l("not delivered"),
    OutStatus.HELD: _l("held until the complainant writes"),
}
WAITING = (OutStatus.PENDING, OutStatus.SENDING, OutStatus.FAILED, OutStatus.DEAD,
           OutStatus.HELD)


@bp.get("/")
@require_mail_staff
def index():
    """List waiting, failed and dead messages, the last ones sent, and the local log."""
    waiting = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status.in_(WAITING))
        .order_by(OutboxMessage.status, OutboxMessage.id.desc()).limit(200)).all()
    sent = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutStatus.SENT)
        .order_by(OutboxMessage.id.desc()).limit(20)).all()
    config = current_app.config
    log_entries = read_log(config["OUTBOX_LOG"], limit=30)
    return render_template("notifications/outbox.html", waiting=waiting, sent=sent,
                           log_entries=log_entries, smtp=bool(config.get("MAIL_SERVER")),
                           log_path=config["OUTBOX_LOG"])


@bp.post("/send")
@require_mail_staff
def send_now():
    """Deliver the due messages now instead of waiting for the scheduler."""
    counts = send_outbox()
    flash(_("Sent: %(sent)s; will retry: %(failed)s; not delivered: %(dead)s.", **counts),
          "success")
    return redirect(url_for("notifications.index"))


@bp.post("/<int:message_id>/retry")
@require_mail_staff
def retry(message_id: int):
    """Queue a failed or dead message again."""
    if outbox.retry(message_id) is None:
        flash(_("Only a failed or undelivered message can be sent again."), "error")
    else:
        flash(_("The message will be sent again."), "success")
    return redirect(url_for("notifications.index"))


@bp.record_once
def _helpers(state) -> None:
    def undelivered(complaint_id: int):
        if not current_user.is_authenticated:
            return []
        return outbox.undelivered_for(complaint_id)

    state.app.jinja_env.globals.update({
        "undelivered_messages": undelivered,
        "can_manage_mail": lambda: can_manage_mail(current_user),
        "outbox_status_label": lambda status: str(STATUS_LABELS.get(status, status)),
    })
