"""Possible duplicates across channels, and linking or merging them (both histories kept)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _
from sqlalchemy import or_, select

from complaints.accounts.models import User
from complaints.core import clock
from complaints.extensions import db
from complaints.tickets.models import Complaint, Status
from complaints.tickets.service import apply_changes, record_event
from complaints.workflow import rules
from complaints.workflow.models import ComplaintLink
from complaints.workflow.rules import Action
from complaints.workflow.service import WorkflowError, acting


@dataclass
class Candidate:
    """A complaint that may be the same matter, with why it was found."""

    complaint: Complaint
    reasons: list[str] = field(default_factory=list)  # phone, email, nik, lapor, text
    score: float = 0.0
    similarity: float = 0.0


def _window(complaint: Complaint):
    days = current_app.config["WORKFLOW_DUPLICATE_DAYS"]
    since = complaint.received_at - timedelta(days=days)
    until = complaint.received_at + timedelta(days=days)
    return Complaint.received_at.between(since, until)


def _contact_matches(complaint: Complaint) -> list[Complaint]:
    """Return complaints in the window with the same email, NIK, phone or LAPOR! id."""
    conditions = []
    if complaint.complainant_email:
        conditions.append(Complaint.complainant_email == complaint.complainant_email)
    if complaint.complainant_nik:
        conditions.append(Complaint.complainant_nik == complaint.complainant_nik)
    if complaint.complainant_phone:
        conditions.append(Complaint.complainant_phone == complaint.complainant_phone)
    if complaint.lapor_tracking_id:
        conditions.append(Complaint.lapor_tracking_id == complaint.lapor_tracking_id)
    if not conditions:
        return []
    limit = current_app.config["WORKFLOW_DUPLICATE_CANDIDATES"]
    return list(db.session.scalars(
        select(Complaint).where(Complaint.id != complaint.id, _window(complaint),
                                or_(*conditions)).order_by(Complaint.id.desc()).limit(limit)
    ))


def _recent(complaint: Complaint) -> list[Complaint]:
    """Return the bounded set of complaints in the window whose text is compared."""
    limit = current_app.config["WORKFLOW_DUPLICATE_CANDIDATES"]
    return list(db.session.scalars(
        select(Complaint).where(Complaint.id != complaint.id, _window(complaint))
        .order_by(Complaint.id.desc()).limit(limit)
    ))


def contact_reasons(a: Complaint, b: Complaint) -> list[str]:
    """Return which contact details two complaints share."""
    reasons = []
    phone_a = rules.normalise_phone(a.complainant_phone or a.contact_number)
    if phone_a and phone_a == rules.normalise_phone(b.complainant_phone or b.contact_number):
        reasons.append("phone")
    if a.complainant_email and a.complainant_email == b.complainant_email:
        reasons.append("email")
    if a.complainant_nik and a.complainant_nik == b.complainant_nik:
        reasons.append("nik")
    if a.lapor_tracking_id and a.lapor_tracking_id == b.lapor_tracking_id:
        reasons.append("lapor")
    return reasons


def find_duplicates(complaint: Complaint) -> list[Candidate]:
    """Return possible duplicates: shared contact or very similar text, best first."""
    found: dict[int, Candidate] = {}
    for other in _contact_matches(complaint) + _recent(complaint):
        if other.id in found:
            continue
        reasons = contact_reasons(complaint, other)
        score = rules.text_similarity(complaint.body, other.body)
        if score >= rules.SIMILAR_TEXT:
            reasons.append("text")
        if reasons:
            found[other.id] = Candidate(other, reasons, score + len(reasons), score)
    linked = linked_ids(complaint.id)
    return sorted((c for c in found.values() if c.complaint.id not in linked),
                  key=lambda c: -c.score)


def linked_ids(complaint_id: int) -> set[int]:
    """Return the ids of complaints already linked to or merged with this one."""
    rows = db.session.execute(
        select(ComplaintLink.complaint_id, ComplaintLink.other_id).where(
            or_(ComplaintLink.complaint_id == complaint_id,
                ComplaintLink.other_id == complaint_id))
    )
    return {a if b == complaint_id else b for a, b in rows}


def links_of(complaint_id: int) -> list[ComplaintLink]:
    """Return the links in which the complaint takes part."""
    return list(db.session.scalars(
        select(ComplaintLink).where(or_(ComplaintLink.complaint_id == complaint_id,
                                        ComplaintLink.other_id == complaint_id))
        .order_by(ComplaintLink.id)
    ))


def _other(other_id: int, complaint: Complaint) -> Complaint:
    if other_id == complaint.id:
        raise WorkflowError(_("A complaint cannot be linked to itself."))
    other = db.session.get(Complaint, other_id)
    if other is None:
        raise WorkflowError(_("Unknown complaint."))
    if other_id in linked_ids(complaint.id):
        raise WorkflowError(_("These complaints are already linked."))
    return other


def link(complaint_id: int, version: int | None, actor: User, other_id: int,
         note: str | None = None) -> ComplaintLink:
    """Link two complaints about the same matter; both stay open with their own histories."""
    with acting(complaint_id, version, actor, Action.LINK) as complaint:
        other = _other(other_id, complaint)
        row = ComplaintLink(complaint_id=complaint.id, other_id=other.id, kind="duplicate",
                            note=(note or "").strip() or None, created_at=clock.now(),
                            created_by_id=actor.id)
        db.session.add(row)
        record_event(complaint, "link", actor, to_value=other.number, note=row.note)
        record_event(other, "link", actor, to_value=complaint.number, note=row.note)
    return row


def merge(complaint_id: int, version: int | None, actor: User, into_id: int,
          note: str | None = None) -> ComplaintLink:
    """Merge this complaint into the surviving one: it closes and points to it; both cards stay."""
    with acting(complaint_id, version, actor, Action.MERGE) as complaint:
        survivor = _other(into_id, complaint)
        if not survivor.is_open:
            raise WorkflowError(_("A complaint can only be merged into an open complaint."))
        text = (note or "").strip() or None
        row = ComplaintLink(complaint_id=complaint.id, other_id=survivor.id, kind="merged_into",
                            note=text, created_at=clock.now(), created_by_id=actor.id)
        db.session.add(row)
        record_event(complaint, "merged_into", actor, to_value=survivor.number, note=text)
        record_event(survivor, "merged_from", actor, to_value=complaint.number, note=text)
        apply_changes(complaint, actor, note=text, status=Status.CLOSED)
        complaint.closed_at = clock.now()
        survivor.updated_at = clock.now()
    return row
