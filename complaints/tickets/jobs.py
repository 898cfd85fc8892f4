"""Periodic jobs of the tickets domain (listed in complaints.scheduler.JOBS); idempotent."""

from __future__ import annotations

from complaints.tickets import attachments


def sweep_orphan_files() -> int:
    """Delete attachment files that no row describes (older than the grace period)."""
    return len(attachments.sweep_orphans())
