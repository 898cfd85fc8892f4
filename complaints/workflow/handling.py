"""Handling a complaint: public replies, information requests, coordination, the answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _

from complaints.accounts.models import User
from complaints.core import clock
from complaints.core.timefmt import office_tz
from complaints.extensions import db
from complaints.tickets import attachments
from complaints.tickets.models import Complaint, ComplaintEvent, Status, Weight
from complaints.tickets.service import apply_changes, record_event
from complaints.workflow import rules
from complaints.workflow.labels import office_text
from complaints.workflow.models import Coordination
from complaints.workflow.rules import Action
from complaints.workflow.service import WorkflowError, _required, acting, public_reply


def office_today() -> date:
    """Return today in the office's time zone (WIB), not UTC's today."""
    return clock.now().astimezone(office_tz()).date()


def reply(complaint_id: int, version: int | None, actor: User, text: str | None
          ) -> ComplaintEvent:
    """Record a public reply to the complainant (shown on the tracking page)."""
    text = _required(text, _("The reply is empty."))
    with acting(complaint_id, version, actor, Action.REPLY) as complaint:
        event = public_reply(complaint, actor, text)
    return event


def is_paused(complaint: Complaint) -> bool:
    """Return whether the complaint's clock is paused (waiting for the complainant)."""
    return rules.clock_paused(e.kind for e in _events(complaint))


def _events(complaint: Complaint) -> list[ComplaintEvent]:
    return list(db.session.scalars(
        db.select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
        .order_by(ComplaintEvent.at, ComplaintEvent.id)
    ))


def request_info(complaint_id: int, version: int | None, actor: User, text: str | None
                 ) -> Complaint:
    """Ask the complainant for more information; pause the clock when configured."""
    text = _required(text, _("Write what information is needed."))
    with acting(complaint_id, version, actor, Action.REQUEST_INFO) as complaint:
        record_event(complaint, "info_request", actor, note=text, public=True)
        if current_app.config["WORKFLOW_PAUSE_ON_INFO_REQUEST"] and not is_paused(complaint):
            record_event(complaint, "clock_paused", actor)
    return complaint


def resume_clock_if_paused(complaint: Complaint, actor: User | None, note: str | None = None
                           ) -> bool:
    """Resume a paused clock inside the caller's transaction; return whether it was paused.

    Channels call this when the complainant's answer arrives (complainant_message).
    """
    if not is_paused(complaint):
        return False
    record_event(complaint, "clock_resumed", actor, note=note)
    return True


def resume(complaint_id: int, version: int | None, actor: User, note: str | None = None
           ) -> Complaint:
    """Record that the requested information arrived and restart the clock."""
    with acting(complaint_id, version, actor, Action.RESUME) as complaint:
        if not resume_clock_if_paused(complaint, actor, (note or "").strip() or None):
            raise WorkflowError(_("The clock of this complaint is not paused."))
    return complaint


@dataclass
class CoordinationInput:
    """A coordination meeting as recorded by the Kepala Bidang or Kepala Dinas."""

    held_on: date | None
    participants: str | None
    outcome: str | None
    officials: str | None = None
    upload: attachments.Upload | None = None


def record_coordination(complaint_id: int, version: int | None, actor: User,
                        data: CoordinationInput) -> Coordination:
    """Record the coordination and its decision, with the memo or minutes attached."""
    participants = _required(data.participants, _("Name who took part in the coordination."))
    outcome = _required(data.outcome, _("Write the decision of the coordination."))
    if data.held_on is None:
        raise WorkflowError(_("Give the date of the coordination."))
    if data.held_on > office_today():
        raise WorkflowError(_("The coordination date cannot be in the future."))
    with acting(complaint_id, version, actor, Action.RECORD_COORDINATION) as complaint:
        officials = (data.officials or "").strip() or None
        if complaint.weight == Weight.BERAT and not officials:
            raise WorkflowError(_("A berat complaint is coordinated with the Walikota c.q. "
                                  "the Asisten or the Sekretaris Daerah: name them."))
        row = Coordination(complaint_id=complaint.id, weight=complaint.weight,
                           held_on=data.held_on, participants=participants,
                           officials=officials, outcome=outcome,
                           recorded_at=clock.now(), recorded_by_id=actor.id)
        if data.upload is not None:
            file = attachments.store(complaint, data.upload, actor.id, public=False)
            row.attachment = file
        db.session.add(row)
        record_event(complaint, "coordination", actor, to_value=complaint.weight,
                     note=outcome)
    return row


def latest_decision(complaint: Complaint) -> Coordination | None:
    """Return the last coordination recorded at the complaint's current weight."""
    return db.session.scalar(
        db.select(Coordination).where(Coordination.complaint_id == complaint.id,
                                      Coordination.weight == complaint.weight)
        .order_by(Coordination.id.desc()).limit(1)
    )


def answer(complaint_id: int, version: int | None, actor: User, text: str | None) -> Complaint:
    """Give the answer (the decision for sedang/berat) and mark the complaint answered."""
    text = _required(text, _("The answer is empty."))
    with acting(complaint_id, version, actor, Action.ANSWER) as complaint:
        public_reply(complaint, actor, text)
        complaint.follow_up = text
        apply_changes(complaint, actor, status=Status.ANSWERED)
    return complaint


def fill_placeholders(template: str, values: dict[str, str]) -> str:
    """Return the template with {placeholders} replaced; unknown ones are left as written."""

    class Keep(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return template.format_map(Keep(values))
    except (ValueError, IndexError):
        # A stray brace in an admin's text: show the template as written.
        return template


def placeholder_values(complaint: Complaint) -> dict[str, str]:
    """Return the values of the reply-template placeholders for a complaint."""
    config = current_app.config
    name = complaint.complainant_name if not complaint.is_confidential else None
    return {
        "number": complaint.number,
        "name": name or office_text(lambda: gettext("Complainant")),
        "service": complaint.service.name if complaint.service else "",
        "summary": complaint.summary,
        "office": config["OFFICE_SHORT_NAME"],
        "phone": config["OFFICE_PHONE"],
        "date": office_today().strftime("%d-%m-%Y"),
    }
