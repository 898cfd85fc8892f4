"""Periodic jobs of the public portal (plain functions for the scheduler's table)."""

from __future__ import annotations

from complaints.public import held_uploads


def purge_held_uploads() -> int:
    """Delete files held for unfinished forms past PUBLIC_UPLOAD_HOLD_HOURS; return the count."""
    return held_uploads.purge_expired()
