"""The poller's high-water mark per IMAP folder (UIDVALIDITY and the last UID handled)."""

from __future__ import annotations

from sqlalchemy import select

from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.mail.models import ImapCursor


def folder_key(config: dict) -> str:
    """Return the identity of the polled folder."""
    return (f"{config['MAIL_IMAP_USER']}@{config['MAIL_IMAP_HOST']}:{config['MAIL_IMAP_PORT']}"
            f"/{config['MAIL_IMAP_FOLDER']}")[:300]


def start(key: str, uidvalidity: int, newest_uid: int) -> int:
    """Return the last UID handled; a new or renumbered folder starts at its newest UID.

    Starting at the newest UID (not 0) keeps years of old mail in a shared mailbox from
    becoming complaints on the first poll; unseen mail is fetched whatever the cursor.
    """
    with write_transaction():
        cursor = db.session.scalar(select(ImapCursor).where(ImapCursor.folder_key == key))
        if cursor is None:
            cursor = ImapCursor(folder_key=key, uidvalidity=uidvalidity, last_uid=newest_uid)
            db.session.add(cursor)
        elif cursor.uidvalidity != uidvalidity:
            cursor.uidvalidity, cursor.last_uid = uidvalidity, newest_uid
        return cursor.last_uid


def advance(key: str, uid: int) -> None:
    """Record that the message with this UID was handled and marked on the server."""
    with write_transaction():
        cursor = db.session.scalar(select(ImapCursor).where(ImapCursor.folder_key == key))
        if cursor is not None and uid > cursor.last_uid:
            cursor.last_uid = uid
