"""In-app notices to staff: create, list, count unread, mark read."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, func, select, update

from complaints.accounts.models import User
from complaints.core import clock
from complaints.core.db import transactional
from complaints.extensions import db
from complaints.inbox.models import Notification

PAGE_SIZE = 50


def notify(user_ids: Iterable[int], key: str, params: dict | None = None, *,
           complaint_id: int | None = None, link: str | None = None) -> list[Notification]:
    """Add one notice per user (each user once) in the caller's transaction."""
    now = clock.now()
    rows = [Notification(user_id=uid, key=key, params=dict(params or {}),
                         complaint_id=complaint_id, link=link, created_at=now)
            for uid in sorted(set(user_ids))]
    db.session.add_all(rows)
    return rows


def unread_count(user: User) -> int:
    """Return how many of the user's notices are unread."""
    # Through the session's connection (and transaction): a count needs none of the ORM.
    return db.session.connection().execute(_UNREAD, {"user_id": user.id}).scalar() or 0


# Every staff page shows the count: the statement is built once.
_UNREAD = select(func.count(Notification.id)).where(
    Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))


def notices_of(user: User, before: int | None = None) -> list[Notification]:
    """Return a page of the user's notices, newest first (keyset on id, one extra row)."""
    query = select(Notification).where(Notification.user_id == user.id)
    if before is not None:
        query = query.where(Notification.id < before)
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(PAGE_SIZE + 1)))


@transactional
def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one notice (or all, with None) of the user read; return how many changed."""
    query = update(Notification).where(Notification.user_id == user.id,
                                       Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    result = db.session.execute(query.values(read_at=clock.now()))
    return result.rowcount or 0  # type: ignore[attr-defined]
