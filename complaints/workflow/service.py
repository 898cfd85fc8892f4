"""Workflow transactions: the common guard, registration, triage, reclassification, handling.

Every action loads the complaint with the version its form was rendered with, checks the
rules (role, status, weight) and changes tracked fields only through apply_changes.
Replies, proofs and closing live in handling.py and closing.py; duplicates in duplicates.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from complaints.accounts.models import Position, User
from complaints.accounts.permissions import can_view_complaint, positions_of
from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.core.labels import label
from complaints.extensions import db
from complaints.tickets.models import Complaint, ComplaintEvent, ComplaintType, Status, Weight
from complaints.tickets.service import (
    StaleComplaint,
    TicketError,
    apply_changes,
    load_for_update,
    record_event,
)
from complaints.workflow import rules
from complaints.workflow.labels import lazy_label
from complaints.workflow.models import Coordination, KeywordRule
from complaints.workflow.rules import Action, Refusal

__all__ = ["StaleComplaint", "WorkflowError"]


class WorkflowError(TicketError):
    """An action refused by the rules; the message is shown to the user."""


def refusal_message(reason: Refusal, complaint: Complaint) -> LazyString:
    """Return the message shown when an action is refused."""
    if reason == Refusal.STATUS:
        return _("This action is not possible while the complaint is “%(status)s”.",
                 status=lazy_label("status", complaint.status))
    if reason == Refusal.ROLE:
        return _("Your position may not take this action on this complaint.")
    if reason == Refusal.WEIGHT:
        return _("This action does not apply to a complaint of this weight.")
    if reason == Refusal.NEEDS_COORDINATION:
        return _("A sedang or berat complaint is answered after coordination: "
                 "start the coordination first.")
    return _("Record the coordination and its decision before answering.")


def has_decision(complaint: Complaint) -> bool:
    """Return whether a coordination outcome was recorded at the complaint's current weight."""
    if complaint.weight is None:
        return False
    found = db.session.scalar(
        select(Coordination.id).where(Coordination.complaint_id == complaint.id,
                                      Coordination.weight == complaint.weight).limit(1)
    )
    return found is not None


def check(complaint: Complaint, actor: User | None, action: Action) -> None:
    """Raise WorkflowError unless the actor may take the action now."""
    if actor is None or not can_view_complaint(actor, complaint):
        raise WorkflowError(refusal_message(Refusal.ROLE, complaint))
    reason = rules.refusal(action, complaint.status, complaint.weight, positions_of(actor),
                           has_decision(complaint))
    if reason is not None:
        raise WorkflowError(refusal_message(reason, complaint))


@contextmanager
def acting(complaint_id: int, version: int | None, actor: User, action: Action
           ) -> Iterator[Complaint]:
    """Run one action as a transaction on a fresh, checked complaint; bump its version."""
    try:
        with write_transaction():
            complaint = load_for_update(complaint_id, version)
            check(complaint, actor, action)
            yield complaint
            # Every action bumps the version, so a form shown before it is stale.
            complaint.updated_at = clock.now()
            db.session.flush()
    except StaleDataError as exc:
        raise StaleComplaint("the complaint was changed by someone else") from exc


def _required(text: str | None, message: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise WorkflowError(message)
    return cleaned


def public_reply(complaint: Complaint, actor: User | None, text: str) -> ComplaintEvent:
    """Record a public reply and queue it to the complainant on their route (one transaction)."""
    from complaints.notifications import service as notifications

    event = record_event(complaint, "reply", actor, note=text, public=True)
    notifications.on_public_reply(complaint, event)
    return event


def register(complaint_id: int, version: int | None, actor: User,
             note: str | None = None) -> Complaint:
    """Confirm the record of a received complaint (it enters the Buku Pengaduan)."""
    with acting(complaint_id, version, actor, Action.REGISTER) as complaint:
        apply_changes(complaint, actor, note=(note or "").strip() or None,
                      status=Status.REGISTERED)
    return complaint


@dataclass
class TriageInput:
    """What the registrar decides at triage."""

    type_id: int | None
    weight: Weight | None
    division_id: int | None
    holder_id: int | None
    service_id: int | None = None
    note: str | None = None


HOLDER_POSITIONS = frozenset({Position.HANDLER, Position.KABID})


def _check_holder(holder_id: int | None) -> int:
    holder = db.session.get(User, holder_id) if holder_id else None
    if holder is None or not holder.active or not positions_of(holder) & HOLDER_POSITIONS:
        raise WorkflowError(_("Choose an active handling officer."))
    return holder.id


def handling_officers() -> list[tuple[User, list[int]]]:
    """Return the active handling officers and Kepala Bidang with their divisions' ids."""
    users = db.session.scalars(select(User).where(User.active.is_(True))
                               .order_by(User.full_name))
    today = clock.now().date()
    result = []
    for user in users:
        current = [a for a in user.assignments
                   if a.position in HOLDER_POSITIONS and a.is_current(today)]
        if current:
            result.append((user, [a.division_id for a in current if a.division_id]))
    return result


def triage(complaint_id: int, version: int | None, actor: User, data: TriageInput
           ) -> Complaint:
    """Set type, weight, division and handling officer; the complaint becomes triaged."""
    if data.weight is None or data.type_id is None or data.division_id is None:
        raise WorkflowError(_("Type, weight and division are all needed to triage."))
    with acting(complaint_id, version, actor, Action.TRIAGE) as complaint:
        holder_id = _check_holder(data.holder_id)
        hint = suggestion_for(complaint)
        note = (data.note or "").strip() or None
        if hint is not None:
            # What the keyword rules suggested and what the registrar chose stay on the card.
            record_event(complaint, "suggestion", actor, from_value=hint.weight,
                         to_value=data.weight, note=", ".join(hint.matched))
        changes = {"type_id": data.type_id, "weight": data.weight,
                   "division_id": data.division_id, "holder_id": holder_id}
        if data.service_id:
            changes["service_id"] = data.service_id
        apply_changes(complaint, actor, note=note, **changes)
        apply_changes(complaint, actor, status=Status.TRIAGED)
    return complaint


def reclassify(complaint_id: int, version: int | None, actor: User, weight: Weight,
               reason: str | None) -> Complaint:
    """Change the weight up or down; the reason is mandatory and goes on the kartu kendali."""
    reason = _required(reason, _("A reclassification needs a reason."))
    with acting(complaint_id, version, actor, Action.RECLASSIFY) as complaint:
        direction = rules.weight_change(complaint.weight, weight)
        if direction == "same":
            raise WorkflowError(_("The complaint already has this weight."))
        apply_changes(complaint, actor, note=reason, weight=weight)
        route = rules.routing(weight)
        if complaint.status == Status.IN_COORDINATION and route and not route.coordination:
            # A ringan complaint needs no coordination: back to the handling officer.
            apply_changes(complaint, actor, note=reason, status=Status.IN_HANDLING)
    return complaint


def start_handling(complaint_id: int, version: int | None, actor: User) -> Complaint:
    """The handling officer takes the triaged complaint in hand."""
    with acting(complaint_id, version, actor, Action.START_HANDLING) as complaint:
        changes: dict = {"status": Status.IN_HANDLING}
        if complaint.holder_id is None:
            changes["holder_id"] = actor.id
        apply_changes(complaint, actor, **changes)
    return complaint


def start_coordination(complaint_id: int, version: int | None, actor: User,
                       note: str | None = None) -> Complaint:
    """Bring a sedang or berat complaint to the level that must decide it."""
    with acting(complaint_id, version, actor, Action.START_COORDINATION) as complaint:
        apply_changes(complaint, actor, note=(note or "").strip() or None,
                      status=Status.IN_COORDINATION)
    return complaint


def keyword_hints() -> list[rules.KeywordHint]:
    """Return the active keyword rules as plain data."""
    rows = db.session.scalars(select(KeywordRule).where(KeywordRule.active.is_(True))
                              .order_by(KeywordRule.id))
    return [rules.KeywordHint(r.keyword, r.weight, r.type_code, r.reason) for r in rows]


def suggestion_for(complaint: Complaint) -> rules.Suggestion | None:
    """Return the weight and type the keyword rules suggest for the complaint's text."""
    return rules.suggest(f"{complaint.summary}\n{complaint.body}", keyword_hints())


def type_id_for(code: str | None) -> int | None:
    """Return the id of a complaint type code (None when unknown)."""
    if not code:
        return None
    return db.session.scalar(select(ComplaintType.id).where(ComplaintType.code == code))


def deciders_text(weight: Weight | None) -> list[str]:
    """Return the names of the positions that decide a complaint of this weight."""
    route = rules.routing(weight)
    if route is None:
        return []
    order = list(Position)
    return [label("position", p) for p in sorted(route.deciders, key=order.index)]
