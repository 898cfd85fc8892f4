"""How complaint data reads to a person: event lines, durations, choice lists."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from complaints.accounts.models import Division, User
from complaints.core import clock
from complaints.core.labels import ALL_LABELS, label
from complaints.extensions import db
from complaints.tickets.models import ComplaintType, Service

EVENT_TITLES = {
    "created": _l("Received"),
    "status": _l("Status"),
    "weight": _l("Weight"),
    "division": _l("Division"),
    "type": _l("Type"),
    "service": _l("Service"),
    "holder": _l("Holder"),
    "handover": _l("Handed over"),
    "note": _l("Internal note"),
    "access_code_reset": _l("New access code issued"),
    "attachment": _l("Attachment added"),
    "delivery_failed": _l("Message not delivered"),
    "delivery_retry": _l("Message queued again"),
    "acknowledgement_skipped": _l("Acknowledgement not sent"),
}


def user_name(user_id: int | None) -> str:
    """Return a user's full name, or '' for None."""
    if user_id is None:
        return ""
    user = db.session.get(User, user_id)
    return user.full_name if user else f"#{user_id}"


def _value(kind: str, raw: str | None, locale: str) -> str:
    if raw is None or raw == "":
        return "—"
    if kind in ("status", "weight"):
        return label(kind, raw)
    if kind == "created":
        return label("channel", raw)
    models: dict[str, type] = {"division": Division, "type": ComplaintType, "service": Service}
    if kind in models and raw.isdigit():
        row = db.session.get(models[kind], int(raw))
        if row is None:
            return raw
        return row.label(locale) if kind == "type" else row.name
    return raw


def event_text(event, locale: str = "id") -> str:
    """Return one line of the kartu kendali as a sentence."""
    title = str(EVENT_TITLES.get(event.kind, event.kind))
    if event.kind in ("holder", "handover"):
        return _("%(title)s: %(a)s → %(b)s", title=title,
                 a=user_name(event.from_user_id) or "—", b=user_name(event.to_user_id) or "—")
    if event.kind == "created":
        return _("%(title)s via %(channel)s", title=title,
                 channel=_value("created", event.note, locale))
    if event.from_value is None and event.to_value is None:
        return title
    return _("%(title)s: %(a)s → %(b)s", title=title,
             a=_value(event.kind, event.from_value, locale),
             b=_value(event.kind, event.to_value, locale))


def human_duration(delta: timedelta) -> str:
    """Return a duration as days and hours."""
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if days:
        return _("%(d)s d %(h)s h", d=days, h=hours)
    minutes = int(delta.total_seconds() // 60) % 60
    return _("%(h)s h %(m)s min", h=hours, m=minutes)


def station_duration(station) -> str:
    """Return how long the file stayed at a station."""
    return human_duration(station.duration(clock.now()))


def label_choices(group: str) -> list[tuple[str, str]]:
    """Return (value, label) pairs of an enum group, for filters."""
    return [(key.value, label(group, key)) for key in ALL_LABELS[group]]
