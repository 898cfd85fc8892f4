"""Rules and transactions on an existing complaint: events, hand-overs, identity access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from complaints.accounts.models import Division, User
from complaints.accounts.permissions import Viewer, can_see_identity, can_view_complaint
from complaints.accounts.service import autocommit_audit
from complaints.core import clock
from complaints.core.db import transactional
from complaints.extensions import db
from complaints.tickets.models import Complaint, ComplaintEvent, ComplaintType


class TicketError(ValueError):
    """A rule refused the change; the message is shown to the user."""


class StaleComplaint(TicketError):
    """Someone else changed the complaint since it was loaded."""


# Fields whose every change is a line of the kartu kendali, and how to show their value.
TRACKED_FIELDS = ("status", "weight", "division_id", "holder_id", "type_id", "service_id")


def event_values(kind: str, actor_id: int | None = None, *, from_value=None, to_value=None,
                 from_user_id: int | None = None, to_user_id: int | None = None,
                 note: str | None = None, public: bool = False) -> dict:
    """Return the columns of a new kartu kendali line, stamped now (without the complaint)."""
    return {"at": clock.now(), "actor_id": actor_id, "kind": kind,
            "from_value": _text(from_value), "to_value": _text(to_value),
            "from_user_id": from_user_id, "to_user_id": to_user_id, "note": note,
            "public": public}


def record_event(complaint: Complaint, kind: str, actor: User | None = None, *,
                 from_value=None, to_value=None, from_user_id: int | None = None,
                 to_user_id: int | None = None, note: str | None = None,
                 public: bool = False) -> ComplaintEvent:
    """Append a line to the complaint's kartu kendali in the current transaction."""
    event = ComplaintEvent(complaint=complaint, **event_values(
        kind, actor.id if actor else None, from_value=from_value, to_value=to_value,
        from_user_id=from_user_id, to_user_id=to_user_id, note=note, public=public))
    db.session.add(event)
    if kind in _deadline_event_kinds():
        _refresh_due_dates(complaint)
    return event


# Built once: every new complaint writes its "created" line with it.
_INSERT_EVENT = insert(ComplaintEvent)


def insert_event(complaint_id: int, kind: str, actor_id: int | None = None,
                 **fields) -> None:
    """Append a line with a Core insert, for a complaint written without an ORM object.

    The intake's path: unlike record_event() it leaves the due dates alone, so a caller
    writing a deadline kind ("created") computes them itself before the complaint's insert.
    """
    values = {"complaint_id": complaint_id, **event_values(kind, actor_id, **fields)}
    db.session.connection().execute(_INSERT_EVENT, values)


def _deadline_event_kinds() -> frozenset[str]:
    from complaints.workflow.deadline_service import DEADLINE_EVENT_KINDS

    return DEADLINE_EVENT_KINDS


def _refresh_due_dates(complaint: Complaint) -> None:
    # Imported here: the workflow domain builds on tickets, not the other way round.
    from complaints.workflow.deadline_service import refresh_due_dates

    refresh_due_dates(complaint)


def _notify_status(complaint: Complaint, old, new, event: ComplaintEvent) -> None:
    # Imported here: notifications builds on tickets. Every status change passes here, so
    # the answered/closed notices are queued in the same transaction as the change.
    from complaints.notifications.service import on_status_changed

    on_status_changed(complaint, old, new, event)


def _text(value) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))[:200]


def load_for_update(complaint_id: int, expected_version: int | None = None) -> Complaint:
    """Return the complaint to change, refusing when it moved on since the form was shown."""
    complaint = db.session.get(Complaint, complaint_id, populate_existing=True)
    if complaint is None:
        raise TicketError(_l("Unknown complaint."))
    if expected_version is not None and complaint.version != expected_version:
        raise StaleComplaint(_l("The complaint was changed by someone else."))
    return complaint


def apply_changes(complaint: Complaint, actor: User | None, note: str | None = None,
                  **changes) -> list[ComplaintEvent]:
    """Set tracked fields, appending one event per field that really changes."""
    events = []
    for field, new in changes.items():
        if field not in TRACKED_FIELDS:
            raise TicketError(f"{field} is not a tracked field")
        old = getattr(complaint, field)
        if old == new:
            continue
        setattr(complaint, field, new)
        kind = field.removesuffix("_id")
        if field == "holder_id":
            events.append(record_event(complaint, "holder", actor, from_user_id=old,
                                       to_user_id=new, note=note))
        else:
            events.append(record_event(complaint, kind, actor, from_value=old, to_value=new,
                                       note=note))
        if field == "status":
            _notify_status(complaint, old, new, events[-1])
    if events:
        complaint.updated_at = clock.now()
        from complaints.workflow.deadline_service import DEADLINE_FIELDS

        if DEADLINE_FIELDS & changes.keys():
            _refresh_due_dates(complaint)
    return events


@transactional
def hand_over(complaint_id: int, to_user_id: int, actor: User, note: str | None = None,
              expected_version: int | None = None) -> Complaint:
    """Pass the file to another officer (a hand-over on the kartu kendali)."""
    complaint = load_for_update(complaint_id, expected_version)
    if not can_view_complaint(actor, complaint):
        raise TicketError(_l("You may not act on this complaint."))
    target = db.session.get(User, to_user_id)
    if target is None or not target.active:
        raise TicketError(_l("Unknown or inactive officer."))
    if complaint.holder_id == to_user_id:
        raise TicketError(_l("The officer already holds this complaint."))
    record_event(complaint, "handover", actor, from_user_id=complaint.holder_id,
                 to_user_id=to_user_id, note=note)
    complaint.holder_id = to_user_id
    complaint.updated_at = clock.now()
    return complaint


@transactional
def add_note(complaint_id: int, actor: User, text: str) -> ComplaintEvent:
    """Add an internal note (never shown to the complainant)."""
    complaint = load_for_update(complaint_id)
    if not can_view_complaint(actor, complaint):
        raise TicketError(_l("You may not act on this complaint."))
    if not text.strip():
        raise TicketError(_l("The note is empty."))
    return record_event(complaint, "note", actor, note=text.strip())


@dataclass
class Identity:
    """The complainant's identity as a given viewer may see it."""

    name: str
    address: str
    phone: str
    email: str
    nik: str
    masked: bool


MASK = "•••"


def identity_for(complaint: Complaint, viewer: User | None) -> Identity:
    """Return the identity shown to the viewer: masked when confidential and not allowed."""
    if can_see_identity(viewer, complaint):
        return Identity(
            complaint.complainant_name or "",
            complaint.complainant_address or "",
            complaint.complainant_phone or "",
            complaint.complainant_email or "",
            complaint.complainant_nik or "",
            masked=False,
        )
    return Identity(MASK, MASK, MASK, MASK, MASK, masked=True)


def audit_identity_view(viewer: User, complaints: list[Complaint], where: str) -> None:
    """Record that the viewer saw the identities of confidential complaints."""
    scope = Viewer.of(viewer)
    record_identity_view(viewer, [
        c.id for c in complaints
        if c.is_confidential and scope.may_see_identity(c.holder_id, c.division_id, True)
    ], where)


def record_identity_view(viewer: User, ids: list[int], where: str) -> None:
    """Write the audit row for confidential identities shown (the ids); none: nothing.

    One INSERT in autocommit: the request's read transaction and loaded rows stay as they
    are, so it may be called before or after the page is rendered.
    """
    if not ids:
        return
    detail: dict = {"where": where}
    if len(ids) > 1:
        detail["ids"] = ids
    autocommit_audit("view_identity", viewer.id, viewer.username, object_type="complaint",
                     object_id=ids[0] if len(ids) == 1 else None, detail=detail)


def active_types() -> list[ComplaintType]:
    """Return the complaint types to offer in forms."""
    return list(db.session.scalars(
        select(ComplaintType).where(ComplaintType.active.is_(True))
        .order_by(ComplaintType.sort, ComplaintType.id)
    ))


def active_divisions() -> list[Division]:
    """Return the divisions to offer in forms."""
    return list(db.session.scalars(
        select(Division).where(Division.active.is_(True)).order_by(Division.name)
    ))


@dataclass
class Station:
    """A stretch of time the file spent with one holder (None: not yet with an officer)."""

    holder_id: int | None
    since: datetime
    until: datetime | None  # None: still there

    def duration(self, now: datetime) -> timedelta:
        return (self.until or now) - self.since


def stations(complaint: Complaint, now: datetime | None = None) -> list[Station]:
    """Return where the file has been, from its kartu kendali events (pure)."""
    result: list[Station] = []
    events = sorted(complaint.events, key=lambda e: (e.at, e.id))
    current = Station(None, complaint.created_at, None)
    for event in events:
        if event.kind in {"holder", "handover"}:
            current.until = event.at
            result.append(current)
            current = Station(event.to_user_id, event.at, None)
    if complaint.closed_at is not None:
        current.until = complaint.closed_at
    result.append(current)
    return result
