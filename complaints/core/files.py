"""Files written inside a database transaction are deleted again when it rolls back.

A service that writes a file and adds the row describing it calls track(path) after
writing. The path is kept in the session's info, owned by the innermost transaction:
a rolled-back savepoint deletes its own files, a released one hands them to its parent,
the outer commit keeps them all, and an outer transaction that ends without commit
(rollback, or a session closed mid-transaction) deletes them. Whatever escapes this
(a process killed between the write and the commit) is left to the orphan sweep.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger("complaints.files")
INFO_KEY = "pending_files"


def _pending(session: Session) -> list[tuple[Path, SessionTransaction]]:
    return session.info.setdefault(INFO_KEY, [])


def track(session: Session, path: Path) -> None:
    """Delete the file again unless the session's current transaction commits."""
    if not session.in_transaction():
        session.begin()
    owner = session.get_nested_transaction() or session.get_transaction()
    assert owner is not None
    _pending(session).append((path, owner))


def pending_paths(session: Session) -> list[Path]:
    """Return the files that a rollback of the session would delete now."""
    return [path for path, _owner in session.info.get(INFO_KEY, [])]


def _within(owner: SessionTransaction | None, transaction: SessionTransaction) -> bool:
    while owner is not None:
        if owner is transaction:
            return True
        owner = owner.parent
    return False


def _delete(session: Session, transaction: SessionTransaction | None) -> None:
    """Delete the files owned by the transaction or its children (all when None)."""
    keep = []
    for path, owner in session.info.get(INFO_KEY, []):
        if transaction is None or _within(owner, transaction):
            path.unlink(missing_ok=True)
            log.info("removed %s: its transaction was rolled back", path.name)
        else:
            keep.append((path, owner))
    session.info[INFO_KEY] = keep


def _after_commit(session: Session) -> None:
    nested = session.get_nested_transaction()
    if nested is None:  # the outer commit: every file is now described by a row
        session.info[INFO_KEY] = []
        return
    parent = nested.parent  # a released savepoint: its files now belong to the parent
    session.info[INFO_KEY] = [(path, parent if owner is nested else owner)
                              for path, owner in session.info.get(INFO_KEY, [])]


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    _delete(session, previous)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and session.info.get(INFO_KEY):
        _delete(session, None)  # the outer transaction ended without a commit


def init_app(app) -> None:
    """Install the session event handlers once per process."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
