"""Record the SQL statements an engine sends during a block (tests that count queries)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def recorded(engine, commits: bool = False) -> Iterator[list[str]]:
    """Yield the list of statements sent in the block, whitespace collapsed.

    commits: also append "COMMIT" where the engine commits (to see what runs after it).
    """
    seen: list[str] = []

    def statement(conn, cursor, text, *args) -> None:
        seen.append(" ".join(text.split()))

    def commit(conn) -> None:
        seen.append("COMMIT")

    event.listen(engine, "before_cursor_execute", statement)
    if commits:
        event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        if commits:
            event.remove(engine, "commit", commit)
