"""The end of a complaint: reply proofs, closing, rejecting, forwarding and reopening."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import select

from complaints.accounts.models import User
from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.tickets import attachments
from complaints.tickets.models import Complaint, ComplaintEvent, Status
from complaints.tickets.service import apply_changes, load_for_update, record_event
from complaints.workflow import rules
from complaints.workflow.labels import lazy_label, lazy_proof_kinds, office_text
from complaints.workflow.models import Forwarding, ReplyProof
from complaints.workflow.rules import Action, ProofKind
from complaints.workflow.service import WorkflowError, _required, acting, public_reply

ENDED_STATUSES = ("answered", "closed", "rejected", "forwarded")


def has_contact(complaint: Complaint) -> bool:
    """Return whether the office has any way to reach the complainant."""
    return any((complaint.complainant_phone, complaint.complainant_email,
                complaint.complainant_address, complaint.contact_number))


def accepted_proofs(complaint: Complaint) -> frozenset[ProofKind]:
    """Return the proof kinds that satisfy closing this complaint."""
    has_phone = bool(complaint.complainant_phone or complaint.contact_number)
    return rules.proof_kinds(complaint.channel, has_phone, has_contact(complaint))


def proofs_of(complaint: Complaint) -> list[ReplyProof]:
    """Return the reply proofs recorded for the complaint."""
    return list(db.session.scalars(
        select(ReplyProof).where(ReplyProof.complaint_id == complaint.id).order_by(ReplyProof.id)
    ))


@dataclass
class ProofInput:
    """A proof that the answer reached the complainant."""

    kind: ProofKind | None
    reference: str | None
    happened_at: datetime | None = None
    note: str | None = None
    upload: attachments.Upload | None = None


def record_proof(complaint_id: int, version: int | None, actor: User, data: ProofInput
                 ) -> ReplyProof:
    """Record how the answer reached the complainant (letter number, call, message id ...)."""
    reference = _required(data.reference, _("Give the reference of the proof (letter number, "
                                            "time and number of the call, message id ...)."))
    with acting(complaint_id, version, actor, Action.RECORD_PROOF) as complaint:
        if data.happened_at is not None and data.happened_at > clock.now():
            raise WorkflowError(_("The time of the proof cannot be in the future."))
        accepted = accepted_proofs(complaint)
        if data.kind is None or data.kind not in accepted:
            raise WorkflowError(_("For a complaint received by %(channel)s the reply proof "
                                  "must be one of: %(kinds)s.",
                                  channel=lazy_label("channel", complaint.channel),
                                  kinds=lazy_proof_kinds(accepted)))
        proof = add_proof(complaint, data.kind, reference, actor, data.happened_at,
                          data.note)
        if data.upload is not None:
            file = attachments.store(complaint, data.upload, actor.id, public=False)
            proof.attachment = file
    return proof


def add_proof(complaint: Complaint, kind: ProofKind, reference: str, actor: User | None = None,
              happened_at: datetime | None = None, note: str | None = None) -> ReplyProof:
    """Add a reply proof in the caller's transaction (the outbox calls it once a reply is sent).

    No role check: the caller is the channel that delivered the answer, or record_proof.
    """
    proof = ReplyProof(complaint_id=complaint.id, kind=kind, reference=reference[:200],
                       note=(note or "").strip() or None, happened_at=happened_at or clock.now(),
                       recorded_at=clock.now(), recorded_by_id=actor.id if actor else None)
    db.session.add(proof)
    record_event(complaint, "reply_proof", actor, to_value=kind, note=reference)
    return proof


def close(complaint_id: int, version: int | None, actor: User, note: str | None = None
          ) -> Complaint:
    """Close an answered complaint; refused without a reply proof the channel accepts."""
    with acting(complaint_id, version, actor, Action.CLOSE) as complaint:
        accepted = accepted_proofs(complaint)
        if not rules.proof_satisfies((p.kind for p in proofs_of(complaint)), accepted):
            raise WorkflowError(_(
                "The complaint cannot be closed yet: there is no proof that the answer reached "
                "the complainant. For a complaint received by %(channel)s record one of: "
                "%(kinds)s.", channel=lazy_label("channel", complaint.channel),
                kinds=lazy_proof_kinds(accepted)))
        apply_changes(complaint, actor, note=(note or "").strip() or None, status=Status.CLOSED)
        complaint.closed_at = clock.now()
    return complaint


def reject(complaint_id: int, version: int | None, actor: User, reason: str | None
           ) -> Complaint:
    """Reject a complaint with the reason, which the complainant is told."""
    reason = _required(reason, _("A rejection needs a reason."))
    with acting(complaint_id, version, actor, Action.REJECT) as complaint:
        apply_changes(complaint, actor, note=reason, status=Status.REJECTED)
        public_reply(complaint, actor, reason)
        complaint.closed_at = clock.now()
    return complaint


def forward(complaint_id: int, version: int | None, actor: User, agency: str | None,
            reason: str | None) -> Forwarding:
    """Record that the complaint is outside our authority and was sent to the competent agency."""
    agency = _required(agency, _("Name the agency the complaint is forwarded to."))
    reason = _required(reason, _("Give the reason for forwarding."))
    with acting(complaint_id, version, actor, Action.FORWARD) as complaint:
        row = Forwarding(complaint_id=complaint.id, agency=agency[:250], reason=reason,
                         at=clock.now(), by_id=actor.id)
        db.session.add(row)
        apply_changes(complaint, actor, note=f"{agency}: {reason}", status=Status.FORWARDED)
        public_reply(complaint, actor, office_text(lambda: gettext(
            "Your complaint is outside the authority of this office and was forwarded to "
            "%(agency)s. Reason: %(reason)s", agency=agency, reason=reason)))
        complaint.closed_at = clock.now()
    return row


def ended_at(complaint: Complaint) -> datetime | None:
    """Return when the complaint last became answered, closed, rejected or forwarded."""
    return db.session.scalar(
        select(ComplaintEvent.at).where(ComplaintEvent.complaint_id == complaint.id,
                                        ComplaintEvent.kind == "status",
                                        ComplaintEvent.to_value.in_(ENDED_STATUSES))
        .order_by(ComplaintEvent.at.desc(), ComplaintEvent.id.desc()).limit(1)
    )


def _reopen_window_open(complaint: Complaint) -> bool:
    if complaint.status not in (Status.ANSWERED, Status.CLOSED):
        return True
    days = current_app.config["WORKFLOW_REOPEN_DAYS"]
    return rules.within_reopen_window(ended_at(complaint), clock.now(), days)


def complainant_may_reopen(complaint: Complaint) -> bool:
    """Return whether the complainant may still reopen (answered or closed, within the window)."""
    return complaint.status in (Status.ANSWERED, Status.CLOSED) and _reopen_window_open(complaint)


def _reopen(complaint: Complaint, actor: User | None, reason: str) -> None:
    if not _reopen_window_open(complaint):
        raise WorkflowError(_("The complaint can only be reopened within %(days)s days of its "
                              "answer.", days=current_app.config["WORKFLOW_REOPEN_DAYS"]))
    target = Status.IN_HANDLING if complaint.weight and complaint.holder_id else Status.REGISTERED
    apply_changes(complaint, actor, note=reason, status=target)
    complaint.closed_at = None


def reopen(complaint_id: int, version: int | None, actor: User, reason: str | None
           ) -> Complaint:
    """Reopen an ended complaint (staff), within the configured days after its answer."""
    reason = _required(reason, _("Reopening needs a reason."))
    with acting(complaint_id, version, actor, Action.REOPEN) as complaint:
        _reopen(complaint, actor, reason)
    return complaint


def reopen_by_complainant(complaint_id: int, text: str | None) -> Complaint:
    """Reopen at the complainant's request (public pages call this), within the window."""
    text = _required(text, _("Say why the answer does not settle your complaint."))
    with write_transaction():
        complaint = load_for_update(complaint_id)
        if complaint.status not in (Status.ANSWERED, Status.CLOSED):
            raise WorkflowError(_("Only an answered or closed complaint can be reopened."))
        record_event(complaint, "complainant_message", None, note=text, public=True)
        _reopen(complaint, None, text)
        complaint.updated_at = clock.now()
    return complaint
