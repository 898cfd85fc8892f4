"""My notices: the list with the unread ones first marked, and marking them read."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from complaints.inbox import presenters, service

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.get("")
@login_required
def index():
    """List my notices, newest first."""
    before = request.args.get("before", type=int)
    rows = service.notices_of(current_user, before)
    more = len(rows) > service.PAGE_SIZE
    rows = rows[: service.PAGE_SIZE]
    return render_template("inbox/index.html", rows=rows,
                           next_before=rows[-1].id if more and rows else None,
                           text=presenters.notice_text, link=presenters.notice_link)


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    """Mark one notice read and open what it is about."""
    service.mark_read(current_user, notification_id)
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("inbox.index"))


@bp.post("/read-all")
@login_required
def read_all():
    """Mark all my notices read."""
    service.mark_read(current_user)
    return redirect(url_for("inbox.index"))


@bp.record_once
def _unread(state) -> None:
    def inbox_unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return service.unread_count(current_user)

    state.app.jinja_env.globals.update({"inbox_unread": inbox_unread})
