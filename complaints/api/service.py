"""What the API handlers call: the same intake, lookup and workflow services as the UI."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from complaints.accounts.models import Division, User
from complaints.accounts.permissions import can_view_complaint
from complaints.api import present
from complaints.api.messages import invalid_filter
from complaints.api.problems import ApiProblem
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.intake import catalog
from complaints.intake.service import IntakeRecord, IntakeResult, create_complaint
from complaints.public import quota as submission_quota
from complaints.public import service as public
from complaints.public.forms import ComplaintForm
from complaints.tickets import queries
from complaints.tickets.models import (
    Channel,
    Complaint,
    ComplaintType,
    Confidentiality,
    Kind,
    Service,
    Weight,
)
from complaints.tickets.service import audit_identity_view
from complaints.workflow import closing, handling
from complaints.workflow import service as workflow

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def _formdata(data: dict) -> MultiDict:
    """Return the JSON body as the form data the web form reads."""
    items = []
    for key, value in data.items():
        if value is None or value is False:
            continue
        items.append((key, "y" if value is True else str(value)))
    return MultiDict(items)


def complaint_record(data: dict) -> IntakeRecord:
    """Return the intake record of a JSON complaint checked by the web form's own rules."""
    form = ComplaintForm(formdata=_formdata(data), meta={"csrf": False})
    form.service_id.choices = [(None, "")] + catalog.service_choices()
    if not form.validate():  # the web form's messages, in the request's language
        errors = {name: [str(m) for m in messages]
                  for name, messages in form.errors.items() if messages}
        raise ApiProblem(422, _("The complaint is not valid."), errors)
    return IntakeRecord(
        channel=Channel.API, body=form.body.data, kind=Kind(form.kind.data),
        complainant_name=form.complainant_name.data or None,
        complainant_email=form.complainant_email.data or None,
        complainant_phone=form.complainant_phone.data or None,
        confidentiality=Confidentiality(form.confidentiality.data),
        service_id=form.service_id.data, incident_date=form.incident_date.data,
    )


def file_complaint(record: IntakeRecord,
                   quota: tuple[submission_quota.Counter, ...] = ()) -> IntakeResult:
    """File the complaint through the one intake (channel api); the receipt goes out with it.

    Counted against the submission quota in the same transaction, as on the web form.
    """
    record.channel = Channel.API
    record.acknowledge = True
    with write_transaction():  # the intake's own transaction joins this one
        submission_quota.hit(quota)
        return create_complaint(record)


def lookup(number: str, code: str) -> Complaint:
    """Return the complaint of number + code; one answer for a wrong number or code."""
    complaint = public.lookup(number, code)
    if complaint is None:
        raise ApiProblem(404, _("No complaint with this number and access code."))
    return complaint


def add_message(number: str, code: str, text: str) -> Complaint:
    """Add the complainant's message (as on the tracking page); return the complaint."""
    complaint = lookup(number, code)
    try:
        public.add_message(complaint.id, text, [])
    except public.PublicError as exc:
        raise ApiProblem(409, _("The complaint is closed: messages are no longer taken.")) \
            from exc
    return lookup(number, code)


def complaint_page(args: dict[str, str], user: User) -> dict:
    """Return one page of the staff queue as JSON (keyset on the id)."""
    args = dict(args)
    limit = int(args.pop("limit", DEFAULT_LIMIT))
    limit = max(1, min(limit, MAX_LIMIT))
    try:
        flt = queries.parse_filter(args)
    except queries.QueryError as exc:
        raise ApiProblem(400, invalid_filter(exc)) from exc
    rows = list(db.session.scalars(queries.queue_query(flt, user).limit(limit + 1)))
    page = rows[:limit]
    payload = {"items": [present.summary(c, user) for c in page],
               "next_after": page[-1].id if len(rows) > limit and page else None}
    audit_identity_view(user, page, "api_list")
    return payload


def visible(complaint_id: int, user: User) -> Complaint:
    """Return the complaint when the user may open it (404 otherwise, like an unknown id)."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or not can_view_complaint(user, complaint):
        raise ApiProblem(404, _("No such complaint."))
    return complaint


def complaint_detail(complaint_id: int, user: User) -> dict:
    """Return the complaint with its kartu kendali; an unmasked identity is audited."""
    complaint = visible(complaint_id, user)
    payload = present.detail(complaint, user)
    audit_identity_view(user, [complaint], "api_detail")
    return payload


def _check_refs(data: dict) -> None:
    errors = {}
    for key, model in (("type_id", ComplaintType), ("division_id", Division),
                       ("service_id", Service)):
        if data.get(key) is not None and db.session.get(model, data[key]) is None:
            errors[key] = [_("Unknown id.")]
    if errors:
        raise ApiProblem(422, _("The triage names unknown catalogue entries."), errors)


def triage(complaint_id: int, user: User, data: dict) -> Complaint:
    """Triage through the workflow's own triage."""
    visible(complaint_id, user)
    _check_refs(data)
    return workflow.triage(complaint_id, data["version"], user, workflow.TriageInput(
        type_id=data["type_id"], weight=Weight(data["weight"]),
        division_id=data["division_id"], holder_id=data["holder_id"],
        service_id=data.get("service_id"), note=data.get("note")))


def register(complaint_id: int, user: User, data: dict) -> Complaint:
    """Register (confirm the record) through the workflow."""
    visible(complaint_id, user)
    return workflow.register(complaint_id, data["version"], user, data.get("note"))


def change_status(complaint_id: int, user: User, data: dict) -> None:
    """Run one status action through the same workflow functions as the buttons of the UI."""
    visible(complaint_id, user)
    version, text = data["version"], data.get("text")
    actions = {
        "start_handling": lambda: workflow.start_handling(complaint_id, version, user),
        "start_coordination": lambda: workflow.start_coordination(complaint_id, version, user,
                                                                  text),
        "request_info": lambda: handling.request_info(complaint_id, version, user, text),
        "resume": lambda: handling.resume(complaint_id, version, user, text),
        "answer": lambda: handling.answer(complaint_id, version, user, text),
        "close": lambda: closing.close(complaint_id, version, user, text),
        "reject": lambda: closing.reject(complaint_id, version, user, text),
        "forward": lambda: closing.forward(complaint_id, version, user, data.get("agency"),
                                           text),
        "reopen": lambda: closing.reopen(complaint_id, version, user, text),
    }
    actions[data["action"]]()


def _entry(row, name: str) -> dict:
    return {"id": row.id, "code": row.code, "name": name}


def services() -> list[dict]:
    """Return the active services, in catalogue order."""
    return [_entry(s, s.name) for s in public.published_services()]


def catalogue() -> dict:
    """Return what triage needs: types, services, divisions and handling officers."""
    from complaints.tickets.service import active_divisions, active_types

    return {
        "types": [_entry(t, t.name_id) for t in active_types()],
        "services": services(),
        "divisions": [_entry(d, d.name) for d in active_divisions()],
        "officers": [{"id": u.id, "name": u.full_name, "division_ids": ids}
                     for u, ids in workflow.handling_officers()],
    }


def created_event(event_id: int, complaint_id: int) -> dict:
    """Return the answer to a note or reply: the event and the complaint's new version."""
    version = db.session.scalar(select(Complaint.version).where(Complaint.id == complaint_id))
    return {"event_id": event_id, "complaint_id": complaint_id, "version": version}
