"""Complaints as JSON: stable ids, ISO 8601 times in office time, identities masked as in the UI."""

from __future__ import annotations

from datetime import date, datetime

from complaints.accounts.models import User
from complaints.core.timefmt import to_local
from complaints.public import service as public
from complaints.tickets.models import Complaint, ComplaintEvent
from complaints.tickets.service import identity_for


def iso(value: datetime | None) -> str | None:
    """Return an aware datetime as ISO 8601 with the office's offset."""
    local = to_local(value)
    return local.isoformat() if local else None


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _value(value) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def public_view(complaint: Complaint) -> dict:
    """Return what the complainant may see: status, public timeline, replies."""
    timeline = [
        {"at": iso(e.at), "kind": e.kind,
         "status": e.value if e.kind == "status" else None, "text": e.note}
        for e in public.public_timeline(complaint)
    ]
    return {
        "number": complaint.number, "kind": complaint.kind.value,
        "status": complaint.status.value, "received_at": iso(complaint.received_at),
        "can_message": complaint.status not in public.MESSAGE_CLOSED,
        "timeline": timeline,
        "replies": [line for line in timeline if line["kind"] == "reply"],
    }


def summary(complaint: Complaint, viewer: User) -> dict:
    """Return a line of the list (identity as the viewer may see it)."""
    who = identity_for(complaint, viewer)
    return {
        "id": complaint.id, "number": complaint.number, "version": complaint.version,
        "kind": complaint.kind.value, "channel": complaint.channel.value,
        "confidentiality": complaint.confidentiality.value,
        "status": complaint.status.value, "weight": _value(complaint.weight),
        "summary": complaint.summary, "received_at": iso(complaint.received_at),
        "updated_at": iso(complaint.updated_at), "due_at": iso(complaint.due_at),
        "next_due_at": iso(complaint.next_due_at), "service_id": complaint.service_id,
        "type_id": complaint.type_id, "division_id": complaint.division_id,
        "holder_id": complaint.holder_id,
        "complainant": {"name": who.name, "address": who.address, "phone": who.phone,
                        "email": who.email, "nik": who.nik, "masked": who.masked},
    }


def event(e: ComplaintEvent) -> dict:
    """Return a line of the kartu kendali."""
    return {
        "id": e.id, "at": iso(e.at), "kind": e.kind, "actor_id": e.actor_id,
        "actor_name": e.actor.full_name if e.actor else None,
        "from_value": e.from_value, "to_value": e.to_value,
        "from_user_id": e.from_user_id, "to_user_id": e.to_user_id,
        "note": e.note, "public": bool(e.public),
    }


def detail(complaint: Complaint, viewer: User) -> dict:
    """Return the complaint with its kartu kendali (oldest event first)."""
    return {
        **summary(complaint, viewer), "body": complaint.body,
        "follow_up": complaint.follow_up, "incident_date": iso_date(complaint.incident_date),
        "closed_at": iso(complaint.closed_at), "clock_paused": bool(complaint.clock_paused),
        "events": [event(e) for e in sorted(complaint.events, key=lambda e: (e.at, e.id))],
    }


def register_row(row) -> dict:
    """Return a line of the Buku Pengaduan (already masked by the register service)."""
    return {
        "id": row.id, "number": row.number, "seq": row.seq,
        "received_at": row.received_at.isoformat(),
        "complainant": {"name": row.name, "address": row.address, "phone": row.phone,
                        "masked": row.masked},
        "confidential": row.confidential, "kind": row.kind.value,
        "channel": row.channel.value, "type": row.type_name, "service": row.service_name,
        "division": row.division_name, "weight": _value(row.weight),
        "status": row.status.value, "summary": row.summary, "follow_up": row.follow_up,
        "reply": row.reply, "reply_at": iso(row.reply_at),
    }
