"""Pure rules of the procedure: routing by weight, transitions per role, reply proofs, hints.

No I/O here: every function takes plain values and is tested as a table.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from complaints.accounts.models import Position
from complaints.tickets.models import Channel, Status, Weight

P = Position
S = Status


class Action(enum.StrEnum):
    """What staff (or the complainant) can do to a complaint."""

    REGISTER = "register"
    TRIAGE = "triage"
    RECLASSIFY = "reclassify"
    START_HANDLING = "start_handling"
    START_COORDINATION = "start_coordination"
    RECORD_COORDINATION = "record_coordination"
    REPLY = "reply"
    REQUEST_INFO = "request_info"
    RESUME = "resume"
    RECORD_PROOF = "record_proof"
    ANSWER = "answer"
    CLOSE = "close"
    REJECT = "reject"
    FORWARD = "forward"
    REOPEN = "reopen"
    LINK = "link"
    MERGE = "merge"


class ProofKind(enum.StrEnum):
    """How a reply reached the complainant (seeds items f–i)."""

    LETTER = "letter"  # a numbered reply letter
    CALL = "call"  # a logged phone call
    FAX = "fax"
    EMAIL = "email"
    MESSAGE = "message"  # SMS, WhatsApp or website message
    MEETING = "meeting"  # met in person
    LAPOR_FOLLOWUP = "lapor_followup"  # follow-up recorded in SP4N-LAPOR!
    TRACKING_PAGE = "tracking_page"  # published on the public tracking page


class Level(enum.StrEnum):
    """Who decides the answer (seeds items c–e)."""

    OFFICER = "officer"  # ringan: the handling officer answers directly
    DIVISION = "division"  # sedang: Kepala Bidang with the Kepala Dinas
    REGION = "region"  # berat: Kepala Dinas with the Walikota c.q. Asisten / Sekda


@dataclass(frozen=True)
class Routing:
    """The level a weight goes to and who may record the decision and answer."""

    level: Level
    coordination: bool  # a coordination record with its outcome is needed before answering
    deciders: frozenset[Position]  # who records the coordination and gives the answer
    outside_officials: bool  # officials without accounts take part (recorded, not clicked)


ROUTING: dict[Weight, Routing] = {
    Weight.RINGAN: Routing(Level.OFFICER, False, frozenset({P.HANDLER, P.KABID}), False),
    Weight.SEDANG: Routing(Level.DIVISION, True, frozenset({P.KABID, P.KADIS}), False),
    Weight.BERAT: Routing(Level.REGION, True, frozenset({P.KADIS}), True),
}


def routing(weight: Weight | None) -> Routing | None:
    """Return the routing of a weight (None before triage)."""
    return ROUTING.get(weight) if weight else None


@dataclass(frozen=True)
class Transition:
    """An action: the statuses it starts from, where it leads, and who may take it."""

    sources: frozenset[Status]
    target: Status | None  # None: the status stays
    roles: frozenset[Position]


WORKING = frozenset({S.TRIAGED, S.IN_HANDLING, S.IN_COORDINATION})
STAFF_OFFICERS = frozenset({P.REGISTRAR, P.HANDLER, P.KABID, P.KADIS})
ENDED = frozenset({S.ANSWERED, S.CLOSED, S.REJECTED, S.FORWARDED})

# The one table of who may do what from which status.
TRANSITIONS: dict[Action, Transition] = {
    Action.REGISTER: Transition(frozenset({S.RECEIVED}), S.REGISTERED, frozenset({P.REGISTRAR})),
    Action.TRIAGE: Transition(frozenset({S.REGISTERED}), S.TRIAGED, frozenset({P.REGISTRAR})),
    Action.RECLASSIFY: Transition(WORKING, None, frozenset({P.REGISTRAR, P.KABID, P.KADIS})),
    Action.START_HANDLING: Transition(frozenset({S.TRIAGED}), S.IN_HANDLING,
                                      frozenset({P.HANDLER, P.KABID})),
    Action.START_COORDINATION: Transition(frozenset({S.IN_HANDLING}), S.IN_COORDINATION,
                                          frozenset({P.HANDLER, P.KABID, P.KADIS})),
    Action.RECORD_COORDINATION: Transition(frozenset({S.IN_COORDINATION}), None,
                                           frozenset({P.KABID, P.KADIS})),
    Action.REPLY: Transition(WORKING | {S.ANSWERED}, None, STAFF_OFFICERS),
    Action.REQUEST_INFO: Transition(WORKING, None, STAFF_OFFICERS),
    Action.RESUME: Transition(WORKING, None, STAFF_OFFICERS),
    Action.RECORD_PROOF: Transition(frozenset({S.IN_HANDLING, S.IN_COORDINATION, S.ANSWERED}),
                                    None, STAFF_OFFICERS),
    Action.ANSWER: Transition(frozenset({S.IN_HANDLING, S.IN_COORDINATION}), S.ANSWERED,
                              frozenset({P.HANDLER, P.KABID, P.KADIS})),
    Action.CLOSE: Transition(frozenset({S.ANSWERED}), S.CLOSED, STAFF_OFFICERS),
    Action.REJECT: Transition(frozenset({S.RECEIVED, S.REGISTERED, S.TRIAGED}), S.REJECTED,
                              frozenset({P.REGISTRAR, P.KABID, P.KADIS})),
    Action.FORWARD: Transition(frozenset({S.RECEIVED, S.REGISTERED, S.TRIAGED, S.IN_HANDLING}),
                               S.FORWARDED, frozenset({P.REGISTRAR, P.KABID, P.KADIS})),
    Action.REOPEN: Transition(ENDED, S.IN_HANDLING,
                              frozenset({P.REGISTRAR, P.KABID, P.SEKRETARIS, P.KADIS})),
    Action.LINK: Transition(frozenset(Status), None, frozenset({P.REGISTRAR, P.KABID, P.KADIS})),
    Action.MERGE: Transition(frozenset({S.RECEIVED, S.REGISTERED, S.TRIAGED, S.IN_HANDLING}),
                             S.CLOSED, frozenset({P.REGISTRAR})),
}

# Actions whose answer depends on the weight: only the deciders of the routing may take them.
DECIDED_BY_ROUTING = {Action.ANSWER, Action.RECORD_COORDINATION}


class Refusal(enum.StrEnum):
    """Why an action is refused (the service turns it into a message)."""

    STATUS = "status"
    ROLE = "role"
    WEIGHT = "weight"
    NEEDS_DECISION = "needs_decision"
    NEEDS_COORDINATION = "needs_coordination"


def refusal(action: Action, status: Status, weight: Weight | None,
            positions: Iterable[Position], has_decision: bool = False) -> Refusal | None:
    """Return why the action is not allowed, or None when it is."""
    rule = TRANSITIONS[action]
    held = set(positions)
    if status not in rule.sources:
        return Refusal.STATUS
    roles = set(rule.roles)
    route = routing(weight)
    if action in DECIDED_BY_ROUTING:
        if route is None:
            return Refusal.WEIGHT
        roles &= route.deciders
    if not held & roles:
        return Refusal.ROLE
    return _weight_refusal(action, status, route, has_decision)


def _weight_refusal(action: Action, status: Status, route: Routing | None,
                    has_decision: bool) -> Refusal | None:
    if action == Action.START_COORDINATION and (route is None or not route.coordination):
        return Refusal.WEIGHT
    if action == Action.ANSWER and route is not None and route.coordination:
        if status != S.IN_COORDINATION:
            return Refusal.NEEDS_COORDINATION
        if not has_decision:
            return Refusal.NEEDS_DECISION
    return None


def allowed(action: Action, status: Status, weight: Weight | None,
            positions: Iterable[Position], has_decision: bool = False) -> bool:
    """Return whether the action is allowed."""
    return refusal(action, status, weight, positions, has_decision) is None


def allowed_actions(status: Status, weight: Weight | None, positions: Iterable[Position],
                    has_decision: bool = False) -> list[Action]:
    """Return every action this user may take now, in the table's order."""
    held = set(positions)
    return [a for a in Action if allowed(a, status, weight, held, has_decision)]


def within_reopen_window(ended_at: datetime | None, now: datetime, days: int) -> bool:
    """Return whether a complaint answered or closed at ended_at may still be reopened."""
    if ended_at is None:
        return True
    return now - ended_at <= timedelta(days=days)


# Reply proofs per channel (seeds f–i).
CHANNEL_PROOFS: dict[Channel, frozenset[ProofKind]] = {
    Channel.SURAT: frozenset({ProofKind.LETTER}),
    Channel.EMAIL: frozenset({ProofKind.EMAIL}),
    Channel.TELEPON: frozenset({ProofKind.CALL}),
    Channel.FAX: frozenset({ProofKind.FAX, ProofKind.CALL}),
    Channel.LANGSUNG: frozenset({ProofKind.MEETING}),
    Channel.WEB: frozenset({ProofKind.MESSAGE, ProofKind.EMAIL}),
    Channel.SMS: frozenset({ProofKind.MESSAGE}),
    Channel.WHATSAPP: frozenset({ProofKind.MESSAGE}),
    Channel.LAPOR: frozenset({ProofKind.LAPOR_FOLLOWUP}),
    Channel.API: frozenset({ProofKind.MESSAGE, ProofKind.EMAIL}),
    Channel.LAINNYA: frozenset({ProofKind.LETTER, ProofKind.CALL, ProofKind.EMAIL,
                                ProofKind.MESSAGE, ProofKind.MEETING}),
}


def proof_kinds(channel: Channel, has_phone: bool = False, has_contact: bool = True) -> frozenset[
    ProofKind
]:
    """Return the proof kinds that show the answer reached the complainant on this channel.

    A letter that gives a phone number may be answered by a logged call; a complaint
    without any contact (anonymous) is answered on the public tracking page, except on
    SP4N-LAPOR!, which always carries its own follow-up.
    """
    kinds = set(CHANNEL_PROOFS[channel])
    if channel == Channel.SURAT and has_phone:
        kinds.add(ProofKind.CALL)
    if not has_contact and channel != Channel.LAPOR:
        kinds.add(ProofKind.TRACKING_PAGE)
    return frozenset(kinds)


def proof_satisfies(recorded: Iterable[ProofKind | str], accepted: frozenset[ProofKind]) -> bool:
    """Return whether any recorded proof is of an accepted kind."""
    return any(ProofKind(kind) in accepted for kind in recorded)


# Keyword rules that suggest a weight and type; never applied without the registrar.
# The defaults are data an admin edits, so their reasons are in the office's language.
@dataclass(frozen=True)
class KeywordHint:
    """One keyword rule as plain data."""

    keyword: str
    weight: Weight | None
    type_code: str | None
    reason: str


DEFAULT_KEYWORD_RULES: list[KeywordHint] = [
    KeywordHint(word, Weight.BERAT, "biaya", "Indikasi pungutan liar atau suap")
    for word in ("pungli", "pungutan liar", "suap", "gratifikasi", "uang pelicin", "uang rokok",
                 "uang terima kasih", "calo")
] + [
    KeywordHint("tidak bisa masuk", Weight.RINGAN, "sistem", "Kendala akses aplikasi"),
    KeywordHint("simple", Weight.RINGAN, "sistem", "Menyebut aplikasi SIMPLE"),
    KeywordHint("persyaratan", Weight.RINGAN, "informasi", "Pertanyaan tentang persyaratan"),
    KeywordHint("belum selesai", Weight.SEDANG, "waktu", "Layanan melewati standar waktu"),
    KeywordHint("terlambat", Weight.SEDANG, "waktu", "Layanan melewati standar waktu"),
    KeywordHint("kasar", Weight.SEDANG, "perilaku", "Perilaku petugas"),
]

WEIGHT_ORDER = {Weight.RINGAN: 1, Weight.SEDANG: 2, Weight.BERAT: 3}


@dataclass(frozen=True)
class Suggestion:
    """A suggested weight and type, with the keywords that led to it."""

    weight: Weight | None
    type_code: str | None
    matched: tuple[str, ...]
    reasons: tuple[str, ...]


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def matches(keyword: str, text: str) -> bool:
    """Return whether the keyword occurs in the text as whole words, ignoring case."""
    needle = _normalise(keyword)
    return bool(needle) and f" {needle} " in f" {_normalise(text)} "


def suggest(text: str, rules: Iterable[KeywordHint]) -> Suggestion | None:
    """Return the suggestion of the heaviest matching rules, or None when none matches."""
    hits = [rule for rule in rules if matches(rule.keyword, text)]
    if not hits:
        return None
    top = max(WEIGHT_ORDER.get(r.weight, 0) if r.weight else 0 for r in hits)
    heaviest = [r for r in hits if (WEIGHT_ORDER.get(r.weight, 0) if r.weight else 0) == top]
    weight = heaviest[0].weight
    type_code = next((r.type_code for r in heaviest if r.type_code), None)
    type_code = type_code or next((r.type_code for r in hits if r.type_code), None)
    reasons = tuple(dict.fromkeys(r.reason for r in heaviest))
    return Suggestion(weight, type_code, tuple(r.keyword for r in hits), reasons)


def weight_change(old: Weight | None, new: Weight | None) -> str:
    """Return "up", "down", "same" or "set" for a reclassification."""
    if old is None:
        return "same" if new is None else "set"
    if new is None or old == new:
        return "same"
    return "up" if WEIGHT_ORDER[new] > WEIGHT_ORDER[old] else "down"


# Duplicates: contact and text similarity.
def normalise_phone(raw: str | None) -> str:
    """Return the digits of a phone number with +62/62 written as 0."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    """Return the word shingles of a text."""
    words = _normalise(text).split()
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


SIMILAR_TEXT = 0.6


def text_similarity(a: str, b: str) -> float:
    """Return the larger of shingle Jaccard and difflib ratio (0..1) of two texts.

    difflib compares word sequences (not characters: any two Indonesian texts share their
    letters, which made it slow and meaningless). Below SIMILAR_TEXT the value may be an
    underestimate: the full ratio is only computed when its cheap upper bounds reach the
    threshold, since it runs over hundreds of candidates at every triage.
    """
    sa, sb = shingles(a), shingles(b)
    jaccard = len(sa & sb) / len(sa | sb) if sa and sb else 0.0
    if jaccard >= SIMILAR_TEXT:
        return jaccard
    words_a, words_b = _normalise(a).split()[:150], _normalise(b).split()[:150]
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR_TEXT or matcher.quick_ratio() < SIMILAR_TEXT:
        return jaccard
    return max(jaccard, matcher.ratio())


def clock_paused(kinds: Iterable[str]) -> bool:
    """Return whether the last clock event (in order) paused the clock."""
    state = False
    for kind in kinds:
        if kind == "clock_paused":
            state = True
        elif kind == "clock_resumed":
            state = False
    return state
