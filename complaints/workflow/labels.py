"""Translated names of the workflow's values: proof kinds, routing levels, actions."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l

from complaints.core.labels import label
from complaints.workflow.rules import Action, Level, ProofKind

PROOF_LABELS = {
    ProofKind.LETTER: _l("Numbered reply letter"),
    ProofKind.CALL: _l("Logged phone call"),
    ProofKind.FAX: _l("Fax log"),
    ProofKind.EMAIL: _l("Sent email"),
    ProofKind.MESSAGE: _l("Sent message (SMS, WhatsApp, website)"),
    ProofKind.MEETING: _l("Record of the meeting in person"),
    ProofKind.LAPOR_FOLLOWUP: _l("Follow-up recorded in SP4N-LAPOR!"),
    ProofKind.TRACKING_PAGE: _l("Answer published on the tracking page"),
}

LEVEL_LABELS = {
    Level.OFFICER: _l("Ringan: the handling officer answers directly."),
    Level.DIVISION: _l("Sedang: coordination with the Kepala Bidang and the Kepala Dinas; "
                       "their decision is the answer."),
    Level.REGION: _l("Berat: coordination between the Kepala Dinas and the Walikota c.q. the "
                     "Asisten or the Sekretaris Daerah; the Kepala Dinas records the result."),
}

ACTION_LABELS = {
    Action.REGISTER: _l("Register"),
    Action.TRIAGE: _l("Triage"),
    Action.RECLASSIFY: _l("Reclassify"),
    Action.START_HANDLING: _l("Start handling"),
    Action.START_COORDINATION: _l("Start coordination"),
    Action.RECORD_COORDINATION: _l("Record coordination and decision"),
    Action.REPLY: _l("Reply to the complainant"),
    Action.REQUEST_INFO: _l("Ask the complainant for information"),
    Action.RESUME: _l("Information received"),
    Action.RECORD_PROOF: _l("Record proof of reply"),
    Action.ANSWER: _l("Answer"),
    Action.CLOSE: _l("Close"),
    Action.REJECT: _l("Reject"),
    Action.FORWARD: _l("Forward to another agency"),
    Action.REOPEN: _l("Reopen"),
    Action.LINK: _l("Link as duplicate"),
    Action.MERGE: _l("Merge"),
}


def proof_label(kind) -> str:
    """Return the name of a proof kind."""
    return str(PROOF_LABELS.get(ProofKind(kind), kind))


def lazy_label(group: str, value) -> LazyString:
    """Return a label evaluated when shown (services raise messages outside requests)."""
    return LazyString(label, group, value)


def lazy_proof_kinds(kinds) -> LazyString:
    """Return the names of proof kinds, comma-separated, evaluated when shown."""
    return LazyString(lambda: ", ".join(sorted(proof_label(k) for k in kinds)))


def office_text(render: Callable[[], str]) -> str:
    """Return a text stored for the complainant, rendered in the office's default language."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return render()
