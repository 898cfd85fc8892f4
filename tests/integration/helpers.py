"""The office and a triaged complaint, made through the real services."""

from __future__ import annotations

from sqlalchemy import select

from complaints.accounts.models import Division
from complaints.extensions import db
from complaints.notifications.models import OutboxMessage
from complaints.tickets.models import Complaint, ComplaintEvent, ComplaintType, Weight
from complaints.workflow import service
from complaints.workflow.service import TriageInput


def office(factory) -> dict:
    """Return a registrar and a handler of perizinan."""
    return {"registrar": factory.user(positions=[("registrar", None)]),
            "handler": factory.user(positions=[("handler", "perizinan")])}


def in_handling(factory, people, **overrides) -> int:
    """Create, register, triage (ringan) and start handling a complaint; return its id."""
    complaint, _code = factory.complaint(**overrides)
    to_handling(complaint.id, people)
    return complaint.id


def to_handling(complaint_id: int, people) -> None:
    """Register, triage (ringan, to the handler) and start handling a complaint."""
    service.register(complaint_id, None, people["registrar"])
    service.triage(complaint_id, None, people["registrar"], TriageInput(
        type_id=db.session.scalar(select(ComplaintType.id).where(ComplaintType.code == "waktu")),
        weight=Weight.RINGAN,
        division_id=db.session.scalar(select(Division.id).where(Division.code == "perizinan")),
        holder_id=people["handler"].id))
    service.start_handling(complaint_id, None, people["handler"])


def fresh(complaint_id: int) -> Complaint:
    db.session.expire_all()
    return db.session.get_one(Complaint, complaint_id)


def outbox_rows(complaint_id: int | None = None) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if complaint_id is not None:
        query = query.where(OutboxMessage.complaint_id == complaint_id)
    return list(db.session.scalars(query))


def kinds(complaint_id: int) -> list[str]:
    return list(db.session.scalars(
        select(ComplaintEvent.kind).where(ComplaintEvent.complaint_id == complaint_id)
        .order_by(ComplaintEvent.id)))
