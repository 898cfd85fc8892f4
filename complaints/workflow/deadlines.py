"""Due dates and escalation decisions: pure functions of the complaint's facts and the time.

Defaults (config.py): first response within 3 working days, as SP4N-LAPOR! verifies a
report within 3 working days; resolution by weight ringan 3, sedang 7, berat 15 working
days, the handling targets of the DPMPTSP Kabupaten Kepulauan Meranti (Riau) — well
inside the 60 days of UU 25/2009.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from complaints.workflow.calendar import WorkCalendar, add_working_days, add_working_hours
from complaints.workflow.calendar import working_hours_between as hours_between

# Statuses after which the first response counts as given (verified and routed).
RESPONDED_STATUSES = frozenset({"triaged", "in_handling", "in_coordination", "answered",
                                "closed", "rejected", "forwarded"})
DONE_STATUSES = frozenset({"answered", "closed", "rejected", "forwarded"})


@dataclass(frozen=True)
class DeadlineSettings:
    """Working days allowed, from config."""

    first_response_days: int = 3
    ringan_days: int = 3
    sedang_days: int = 7
    berat_days: int = 15

    def resolution_days(self, weight: str | None) -> int | None:
        """Return the working days allowed for a weight (None before triage)."""
        return {"ringan": self.ringan_days, "sedang": self.sedang_days,
                "berat": self.berat_days}.get(weight or "")


@dataclass(frozen=True)
class ComplaintFacts:
    """What the due dates depend on."""

    received_at: datetime
    weight: str | None
    status: str
    first_response_at: datetime | None = None


@dataclass(frozen=True)
class Pause:
    """An interval during which the clock stood still (until None: still paused)."""

    since: datetime
    until: datetime | None


@dataclass(frozen=True)
class DueDates:
    """The two due dates; None when not applicable or while the clock is paused."""

    first_response: datetime | None
    resolution: datetime | None
    paused: bool = False


def extend_for_pauses(base: datetime, pauses: list[Pause], cal: WorkCalendar) -> datetime | None:
    """Return the due date moved by the office hours of every pause that began before it.

    A pause still running that began before the (moved) due date leaves no due date.
    """
    due = base
    for pause in sorted(pauses, key=lambda p: p.since):
        if pause.since >= due:
            break
        if pause.until is None:
            return None
        hours = hours_between(pause.since, pause.until, cal)
        if hours > 0:
            due = add_working_hours(due, hours, cal)
    return due


def due_dates(facts: ComplaintFacts, pauses: list[Pause], cal: WorkCalendar,
              settings: DeadlineSettings) -> DueDates:
    """Return (first response due, resolution due) on the working-day calendar."""
    paused = any(p.until is None for p in pauses)
    first_base = add_working_days(facts.received_at, settings.first_response_days, cal)
    first = extend_for_pauses(first_base, pauses, cal)
    days = settings.resolution_days(facts.weight)
    resolution = None
    if days is not None:
        resolution = extend_for_pauses(add_working_days(facts.received_at, days, cal),
                                       pauses, cal)
    return DueDates(first, resolution, paused)


def next_due(facts: ComplaintFacts, dues: DueDates) -> datetime | None:
    """Return the earliest due date still to be met (None when nothing is pending)."""
    if facts.status in DONE_STATUSES:
        return None
    pending = []
    if facts.first_response_at is None and facts.status not in RESPONDED_STATUSES:
        pending.append(dues.first_response)
    pending.append(dues.resolution)
    found = [d for d in pending if d is not None]
    return min(found) if found else None


@dataclass(frozen=True)
class Notice:
    """An escalation to send once: kind, the due date it is about, and to whom."""

    kind: str  # "reminder" (to the holder) or "overdue" (to Kepala Bidang and Sekretaris)
    due_at: datetime


def escalations(due_at: datetime | None, now: datetime, remind_before_hours: float,
                cal: WorkCalendar) -> list[Notice]:
    """Return the notices a pending due date calls for at this time."""
    if due_at is None:
        return []
    if now >= due_at:
        return [Notice("overdue", due_at)]
    if hours_between(now, due_at, cal) <= remind_before_hours:
        return [Notice("reminder", due_at)]
    return []
