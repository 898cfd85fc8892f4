"""How complaint data reads to a person: event lines, durations, choice lists."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from complaints.accounts.models import Division, User
from complaints.core import clock
from complaints.core.labels import ALL_LABELS, label, label_table
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
    "delivery_held": _l("WhatsApp message held: more than 24 hours since the complainant's "
                        "last message; template sent, it goes when they reply"),
    "delivery_fallback": _l("Sent by SMS: more than 24 hours since the complainant's last "
                            "WhatsApp message"),
    "whatsapp_window_closed": _l("WhatsApp message not sent: more than 24 hours since the "
                                 "complainant's last message and no template or SMS is set "
                                 "up; use another channel (telephone, letter)"),
    "whatsapp_template_failed": _l("WhatsApp template not delivered: the held messages will "
                                   "not be sent; use another channel (telephone, letter)"),
    "acknowledgement_skipped": _l("Acknowledgement not sent"),
    "letter_created": _l("Reply letter numbered"),
    "letter_sent": _l("Reply letter dispatched"),
    "call_logged": _l("Call or fax logged"),
}
# What an outgoing message was for (outbox kinds), in delivery_failed/delivery_retry lines.
MESSAGE_KINDS = {
    "acknowledgement": _l("Acknowledgement"),
    "reply": _l("Reply"),
    "answered": _l("Notice: answered"),
    "closed": _l("Notice: closed"),
    "letter": _l("Letter"),
}
# The outbox's channels that are not complaint channels.
OUT_CHANNELS = {"letter": _l("Letter")}


def _weight(raw: str) -> str:
    return label("weight", raw)


def _message_kind(raw: str) -> str:
    return str(MESSAGE_KINDS.get(raw, raw))


def _out_channel(raw: str) -> str:
    return str(OUT_CHANNELS[raw]) if raw in OUT_CHANNELS else label("channel", raw)


def _proof(raw: str) -> str:
    # Imported when shown: the workflow domain builds on tickets, not the other way round.
    from complaints.workflow.labels import proof_label

    return proof_label(raw)


def _call(raw: str) -> str:
    from complaints.messaging.forms import DIRECTION_LABELS, MEDIUM_LABELS

    direction, _sep, medium = raw.partition("/")
    tables: tuple[dict, dict] = (DIRECTION_LABELS, MEDIUM_LABELS)
    return " ".join(str(table.get(value, value)) for table, value in zip(
        tables, (direction, medium), strict=True))


def _dispatch(raw: str) -> str:
    from complaints.letters.forms import DISPATCH_LABELS

    return str(DISPATCH_LABELS.get(raw, raw))  # type: ignore[call-overload]


def _keep(raw: str) -> str:
    return raw


# How to read (from_value, to_value) of the newer event kinds; None: not shown.
VALUE_READERS = {
    "suggestion": (_weight, _weight),
    "coordination": (None, _weight),
    "reply_proof": (None, _proof),
    "delivery_failed": (_message_kind, _out_channel),
    "delivery_retry": (_message_kind, _out_channel),
    "delivery_held": (_message_kind, _out_channel),
    "delivery_fallback": (_message_kind, _out_channel),
    "whatsapp_window_closed": (_message_kind, _out_channel),
    "whatsapp_template_failed": (_message_kind, _out_channel),
    "call_logged": (_call, None),
    "letter_sent": (_dispatch, _keep),
    "letter_created": (None, _keep),
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
    if event.kind in VALUE_READERS:
        return _read(title, event)
    return _("%(title)s: %(a)s → %(b)s", title=title,
             a=_value(event.kind, event.from_value, locale),
             b=_value(event.kind, event.to_value, locale))


def _read(title: str, event) -> str:
    """Return "title: value" or "title: a → b" with the values made readable."""
    readers = VALUE_READERS[event.kind]
    values = [reader(raw) for reader, raw in zip(readers, (event.from_value, event.to_value),
                                                 strict=True) if reader and raw]
    if not values:
        return title
    if len(values) == 1:
        return _("%(title)s: %(value)s", title=title, value=values[0])
    if event.kind == "suggestion":  # a change from one value to the other
        return _("%(title)s: %(a)s → %(b)s", title=title, a=values[0], b=values[1])
    return _("%(title)s: %(a)s (%(b)s)", title=title, a=values[0], b=values[1])


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
    table = label_table(group)
    return [(key.value, table[key.value]) for key in ALL_LABELS[group]]
