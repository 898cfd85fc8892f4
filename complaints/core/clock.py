"""The one clock of the application, so tests can move time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_override: Callable[[], datetime] | None = None


def now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    if _override is not None:
        return _override()
    return datetime.now(UTC)


def set_now(value: datetime | Callable[[], datetime] | None) -> None:
    """Freeze the clock at a datetime, drive it from a function, or restore it with None."""
    global _override
    if value is None:
        _override = None
    elif callable(value):
        _override = value
    else:
        frozen = value if value.tzinfo else value.replace(tzinfo=UTC)
        _override = lambda: frozen  # noqa: E731
