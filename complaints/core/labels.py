"""Translated labels for the values people see (channels, statuses, weights, positions)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from complaints.accounts.models import Position
from complaints.tickets.models import Channel, Confidentiality, Kind, LetterVia, Status, Weight

CHANNEL_LABELS = {
    Channel.SURAT: _l("Letter"),
    Channel.EMAIL: _l("Email"),
    Channel.WEB: _l("Website"),
    Channel.TELEPON: _l("Telephone"),
    Channel.FAX: _l("Fax"),
    Channel.SMS: _l("SMS"),
    Channel.WHATSAPP: _l("WhatsApp"),
    Channel.LANGSUNG: _l("In person"),
    Channel.LAPOR: _l("SP4N-LAPOR!"),
    Channel.API: _l("API"),
    Channel.LAINNYA: _l("Other"),
}

STATUS_LABELS = {
    Status.RECEIVED: _l("Received"),
    Status.REGISTERED: _l("Registered"),
    Status.TRIAGED: _l("Triaged"),
    Status.IN_HANDLING: _l("In handling"),
    Status.IN_COORDINATION: _l("In coordination"),
    Status.ANSWERED: _l("Answered"),
    Status.CLOSED: _l("Closed"),
    Status.REJECTED: _l("Rejected"),
    Status.FORWARDED: _l("Forwarded to another agency"),
}

WEIGHT_LABELS = {
    Weight.RINGAN: _l("Light (ringan)"),
    Weight.SEDANG: _l("Medium (sedang)"),
    Weight.BERAT: _l("Heavy (berat)"),
}

CONFIDENTIALITY_LABELS = {
    Confidentiality.BIASA: _l("Normal: name known to the office"),
    Confidentiality.ANONIM: _l("Anonymous: identity hidden"),
    Confidentiality.RAHASIA: _l("Confidential: not made public at all"),
}

KIND_LABELS = {
    Kind.PENGADUAN: _l("Complaint"),
    Kind.SARAN: _l("Suggestion"),
    Kind.MASUKAN: _l("Input"),
}

LETTER_VIA_LABELS = {
    LetterVia.KOTAK_SARAN: _l("Suggestion box"),
    LetterVia.LOKET: _l("Handed in at the counter"),
    LetterVia.POS: _l("By post"),
}

POSITION_LABELS = {
    Position.LOKET: _l("Counter officer"),
    Position.REGISTRAR: _l("Registrar (Secretariat)"),
    Position.HANDLER: _l("Handling officer"),
    Position.KABID: _l("Head of division (Kepala Bidang)"),
    Position.SEKRETARIS: _l("Secretary (Sekretaris)"),
    Position.KADIS: _l("Head of office (Kepala Dinas)"),
    Position.ADMIN: _l("Administrator"),
}

ALL_LABELS: dict[str, dict] = {
    "channel": CHANNEL_LABELS,
    "status": STATUS_LABELS,
    "weight": WEIGHT_LABELS,
    "confidentiality": CONFIDENTIALITY_LABELS,
    "kind": KIND_LABELS,
    "letter_via": LETTER_VIA_LABELS,
    "position": POSITION_LABELS,
}


# Translated labels per (locale, group, value): a queue page shows about a hundred, and
# resolving each lazy string through Flask-Babel again costs more than the rest of the row.
_translated: dict[tuple[str, str, str], str] = {}


def label(group: str, value) -> str:
    """Return the translated label of an enum value (or '' for None)."""
    if value is None or value == "":
        return ""
    key = (str(get_locale() or ""), group, str(getattr(value, "value", value)))
    text = _translated.get(key)
    if text is None:
        for member, lazy in ALL_LABELS[group].items():
            if member == value:
                text = _translated[key] = str(lazy)
                break
        else:
            return str(value)
    return text


# Whole groups per (locale, group), for pages that label many values at once.
_tables: dict[tuple[str, str], dict[str, str]] = {}


def label_table(group: str) -> dict[str, str]:
    """Return {value: translated label} of a group in the current language."""
    key = (str(get_locale() or ""), group)
    table = _tables.get(key)
    if table is None:
        table = _tables[key] = {str(getattr(member, "value", member)): str(lazy)
                                for member, lazy in ALL_LABELS[group].items()}
    return table
