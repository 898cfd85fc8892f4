"""What the workflow panel on the staff complaint page shows to one user (read only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from complaints.accounts.models import User
from complaints.accounts.permissions import can_view_complaint, positions_of
from complaints.extensions import db
from complaints.tickets.models import Complaint
from complaints.workflow import admin, closing, duplicates, handling, rules, service
from complaints.workflow.forms import (
    ActionForm,
    CoordinationForm,
    ForwardForm,
    ProofForm,
    ReasonForm,
    ReclassifyForm,
    TextForm,
)
from complaints.workflow.labels import LEVEL_LABELS
from complaints.workflow.models import CannedReply, ComplaintLink, Coordination, Forwarding


@dataclass
class Panel:
    """The workflow state of a complaint and the actions offered to the viewer."""

    complaint: Complaint
    actions: set[str]
    routing: rules.Routing | None
    level_text: str
    deciders: list[str]
    accepted_proofs: list[str]
    proofs: list
    proof_ok: bool
    coordinations: list[Coordination]
    paused: bool
    links: list[ComplaintLink]
    forwarding: Forwarding | None
    canned: list[CannedReply]
    forms: dict = field(default_factory=dict)


def build(complaint: Complaint, user: User, canned_id: str | None = None) -> Panel:
    """Return the panel for the user: only the actions the rules allow now."""
    positions = positions_of(user)
    decided = service.has_decision(complaint)
    actions: set[str] = set()
    if can_view_complaint(user, complaint):
        actions = {a.value for a in rules.allowed_actions(complaint.status, complaint.weight,
                                                          positions, decided)}
    route = rules.routing(complaint.weight)
    accepted = closing.accepted_proofs(complaint)
    proofs = closing.proofs_of(complaint)
    paused = handling.is_paused(complaint)
    if paused:
        actions.discard(rules.Action.REQUEST_INFO.value)
    else:
        actions.discard(rules.Action.RESUME.value)
    canned = admin.canned_replies()
    panel = Panel(
        complaint=complaint, actions=actions, routing=route,
        level_text=str(LEVEL_LABELS[route.level]) if route else "",
        deciders=service.deciders_text(complaint.weight),
        accepted_proofs=sorted(accepted), proofs=proofs,
        proof_ok=rules.proof_satisfies((p.kind for p in proofs), accepted),
        coordinations=list(db.session.scalars(
            select(Coordination).where(Coordination.complaint_id == complaint.id)
            .order_by(Coordination.id))),
        paused=paused, links=duplicates.links_of(complaint.id),
        forwarding=db.session.scalar(select(Forwarding).where(
            Forwarding.complaint_id == complaint.id).order_by(Forwarding.id.desc()).limit(1)),
        canned=canned,
    )
    panel.forms = _forms(panel, accepted, canned_id)
    return panel


def _canned_text(complaint: Complaint, canned: list[CannedReply], canned_id: str | None) -> str:
    chosen = next((c for c in canned if str(c.id) == (canned_id or "")), None)
    if chosen is None:
        return ""
    return handling.fill_placeholders(chosen.body, handling.placeholder_values(complaint))


def _forms(panel: Panel, accepted, canned_id: str | None) -> dict:
    """Build one form per offered action, each carrying the current version.

    Each form has the action as its prefix, so fields on one page keep distinct ids;
    the views parse them with the same prefix.
    """
    complaint = panel.complaint
    v = {"formdata": None, "version": complaint.version}
    forms: dict = {name: ActionForm(prefix=name, **v)
                   for name in ("register", "start", "coordinate", "resume", "close")}
    forms["reply"] = TextForm(prefix="reply", **v)
    forms["reply"].text.data = _canned_text(complaint, panel.canned, canned_id)
    forms["answer"] = TextForm(prefix="answer", **v)
    decision = handling.latest_decision(complaint)
    # The decision of the coordination becomes the answer (sedang/berat).
    forms["answer"].text.data = decision.outcome if decision else forms["reply"].text.data
    forms["info"] = TextForm(prefix="info", **v)
    forms["reject"] = ReasonForm(prefix="reject", **v)
    forms["reopen"] = ReasonForm(prefix="reopen", **v)
    forms["forward"] = ForwardForm(prefix="forward", **v)
    reclassify = ReclassifyForm(prefix="reclassify", **v)
    reclassify.weight.choices = [c for c in reclassify.weight.choices
                                 if c[0] != (complaint.weight or "")]
    forms["reclassify"] = reclassify
    forms["coordination"] = CoordinationForm(prefix="coordination", **v)
    forms["proof"] = ProofForm(prefix="proof", kinds=sorted(accepted), **v)
    return forms
