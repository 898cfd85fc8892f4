"""Periodic jobs of the workflow domain (listed in complaints.scheduler.JOBS); idempotent."""

from __future__ import annotations

from complaints.workflow import deadline_service, escalation


def escalate() -> str:
    """Send due reminders and overdue notices (each once per complaint, kind and due date)."""
    return f"{escalation.escalate()} notices"


def refresh_due_dates() -> str:
    """Recompute the due dates of open complaints."""
    return f"{deadline_service.refresh_all_open()} complaints"
