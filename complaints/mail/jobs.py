"""Plain functions the scheduler calls: poll the office mailbox."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from complaints.mail.imap import PollReport, poll


def poll_imap(now: datetime | None = None) -> PollReport | None:
    """Fetch and handle new mail from MAIL_IMAP_HOST (None when no mailbox is configured)."""
    config = current_app.config
    if not config.get("MAIL_IMAP_HOST"):
        return None
    return poll(config)
