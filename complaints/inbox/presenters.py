"""How a notice reads: its text key rendered in the reader's language."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from complaints.inbox.models import Notification

TEXTS = {
    "deadline_reminder": _l("Complaint %(number)s that you hold is due on %(due)s."),
    "deadline_overdue": _l("Complaint %(number)s is overdue: it was due on %(due)s."),
    "whatsapp_window_closed": _l(
        "The WhatsApp reply to complaint %(number)s could not be sent: more than 24 hours "
        "passed since the complainant's last message and no template or SMS is set up. "
        "Please reach them another way (telephone, letter)."),
    "whatsapp_template_failed": _l(
        "The WhatsApp reply to complaint %(number)s could not be sent: more than 24 hours "
        "passed since the complainant's last message and the WhatsApp template asking them "
        "to write was not delivered. Please reach them another way (telephone, letter)."),
}


def notice_text(notice: Notification) -> str:
    """Return the notice as a sentence in the current language."""
    params = dict(notice.params or {})
    if "due" in params:
        params["due"] = format_datetime(datetime.fromisoformat(params["due"]), "medium")
    from complaints.reports.presenters import TEXTS as REPORT_TEXTS

    template = TEXTS.get(notice.key) or REPORT_TEXTS.get(notice.key)
    if template is None:
        return notice.key
    return str(template) % params


def notice_link(notice: Notification) -> str | None:
    """Return where the notice leads (the complaint, or its own link)."""
    if notice.complaint_id is not None:
        return url_for("tickets.detail", complaint_id=notice.complaint_id)
    return notice.link
