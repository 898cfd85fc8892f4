"""The workflow's pure rules, as tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from complaints.accounts.models import Position as P
from complaints.tickets.models import Channel as C
from complaints.tickets.models import Status as S
from complaints.tickets.models import Weight as W
from complaints.workflow import rules
from complaints.workflow.rules import Action as A
from complaints.workflow.rules import Level
from complaints.workflow.rules import ProofKind as K
from complaints.workflow.rules import Refusal as R


@pytest.mark.parametrize(("weight", "level", "coordination", "deciders", "outside"), [
    (W.RINGAN, Level.OFFICER, False, {P.HANDLER, P.KABID}, False),
    (W.SEDANG, Level.DIVISION, True, {P.KABID, P.KADIS}, False),
    (W.BERAT, Level.REGION, True, {P.KADIS}, True),
])
def test_routing_per_weight(weight, level, coordination, deciders, outside):
    route = rules.routing(weight)
    assert route.level == level
    assert route.coordination is coordination
    assert route.deciders == deciders
    assert route.outside_officials is outside


def test_no_routing_before_triage():
    assert rules.routing(None) is None


# (action, status, weight, positions, has_decision, expected refusal or None)
TRANSITION_TABLE = [
    (A.REGISTER, S.RECEIVED, None, {P.REGISTRAR}, False, None),
    (A.REGISTER, S.RECEIVED, None, {P.LOKET}, False, R.ROLE),
    (A.REGISTER, S.RECEIVED, None, {P.HANDLER}, False, R.ROLE),
    (A.REGISTER, S.REGISTERED, None, {P.REGISTRAR}, False, R.STATUS),
    (A.TRIAGE, S.REGISTERED, None, {P.REGISTRAR}, False, None),
    (A.TRIAGE, S.RECEIVED, None, {P.REGISTRAR}, False, R.STATUS),
    (A.TRIAGE, S.REGISTERED, None, {P.KADIS}, False, R.ROLE),
    (A.TRIAGE, S.REGISTERED, None, {P.SEKRETARIS}, False, R.ROLE),
    (A.RECLASSIFY, S.IN_HANDLING, W.RINGAN, {P.REGISTRAR}, False, None),
    (A.RECLASSIFY, S.IN_COORDINATION, W.SEDANG, {P.KABID}, False, None),
    (A.RECLASSIFY, S.IN_HANDLING, W.RINGAN, {P.HANDLER}, False, R.ROLE),
    (A.RECLASSIFY, S.CLOSED, W.RINGAN, {P.KADIS}, False, R.STATUS),
    (A.START_HANDLING, S.TRIAGED, W.RINGAN, {P.HANDLER}, False, None),
    (A.START_HANDLING, S.TRIAGED, W.RINGAN, {P.REGISTRAR}, False, R.ROLE),
    (A.START_HANDLING, S.REGISTERED, W.RINGAN, {P.HANDLER}, False, R.STATUS),
    (A.START_COORDINATION, S.IN_HANDLING, W.SEDANG, {P.HANDLER}, False, None),
    (A.START_COORDINATION, S.IN_HANDLING, W.BERAT, {P.KADIS}, False, None),
    (A.START_COORDINATION, S.IN_HANDLING, W.RINGAN, {P.HANDLER}, False, R.WEIGHT),
    (A.RECORD_COORDINATION, S.IN_COORDINATION, W.SEDANG, {P.KABID}, False, None),
    (A.RECORD_COORDINATION, S.IN_COORDINATION, W.SEDANG, {P.HANDLER}, False, R.ROLE),
    (A.RECORD_COORDINATION, S.IN_COORDINATION, W.BERAT, {P.KABID}, False, R.ROLE),
    (A.RECORD_COORDINATION, S.IN_COORDINATION, W.BERAT, {P.KADIS}, False, None),
    (A.ANSWER, S.IN_HANDLING, W.RINGAN, {P.HANDLER}, False, None),
    (A.ANSWER, S.IN_HANDLING, W.RINGAN, {P.REGISTRAR}, False, R.ROLE),
    (A.ANSWER, S.IN_HANDLING, W.RINGAN, {P.KADIS}, False, R.ROLE),
    (A.ANSWER, S.IN_HANDLING, W.SEDANG, {P.HANDLER}, False, R.ROLE),
    (A.ANSWER, S.IN_HANDLING, W.SEDANG, {P.KABID}, False, R.NEEDS_COORDINATION),
    (A.ANSWER, S.IN_COORDINATION, W.SEDANG, {P.KABID}, False, R.NEEDS_DECISION),
    (A.ANSWER, S.IN_COORDINATION, W.SEDANG, {P.KABID}, True, None),
    (A.ANSWER, S.IN_COORDINATION, W.SEDANG, {P.KADIS}, True, None),
    (A.ANSWER, S.IN_COORDINATION, W.BERAT, {P.KABID}, True, R.ROLE),
    (A.ANSWER, S.IN_COORDINATION, W.BERAT, {P.KADIS}, True, None),
    (A.ANSWER, S.TRIAGED, W.RINGAN, {P.HANDLER}, False, R.STATUS),
    (A.REPLY, S.IN_HANDLING, W.RINGAN, {P.HANDLER}, False, None),
    (A.REPLY, S.IN_HANDLING, W.RINGAN, {P.LOKET}, False, R.ROLE),
    (A.REPLY, S.CLOSED, W.RINGAN, {P.HANDLER}, False, R.STATUS),
    (A.REQUEST_INFO, S.IN_HANDLING, W.RINGAN, {P.HANDLER}, False, None),
    (A.REQUEST_INFO, S.REGISTERED, None, {P.REGISTRAR}, False, R.STATUS),
    (A.RECORD_PROOF, S.ANSWERED, W.RINGAN, {P.HANDLER}, False, None),
    (A.RECORD_PROOF, S.ANSWERED, W.RINGAN, {P.SEKRETARIS}, False, R.ROLE),
    (A.CLOSE, S.ANSWERED, W.RINGAN, {P.HANDLER}, False, None),
    (A.CLOSE, S.IN_HANDLING, W.RINGAN, {P.HANDLER}, False, R.STATUS),
    (A.CLOSE, S.ANSWERED, W.RINGAN, {P.ADMIN}, False, R.ROLE),
    (A.REJECT, S.REGISTERED, None, {P.REGISTRAR}, False, None),
    (A.REJECT, S.REGISTERED, None, {P.HANDLER}, False, R.ROLE),
    (A.REJECT, S.ANSWERED, W.RINGAN, {P.REGISTRAR}, False, R.STATUS),
    (A.FORWARD, S.IN_HANDLING, W.RINGAN, {P.KABID}, False, None),
    (A.FORWARD, S.CLOSED, W.RINGAN, {P.KABID}, False, R.STATUS),
    (A.REOPEN, S.CLOSED, W.RINGAN, {P.REGISTRAR}, False, None),
    (A.REOPEN, S.ANSWERED, W.RINGAN, {P.SEKRETARIS}, False, None),
    (A.REOPEN, S.REJECTED, None, {P.KADIS}, False, None),
    (A.REOPEN, S.IN_HANDLING, W.RINGAN, {P.REGISTRAR}, False, R.STATUS),
    (A.REOPEN, S.CLOSED, W.RINGAN, {P.LOKET}, False, R.ROLE),
    (A.MERGE, S.REGISTERED, None, {P.REGISTRAR}, False, None),
    (A.MERGE, S.CLOSED, W.RINGAN, {P.REGISTRAR}, False, R.STATUS),
    (A.MERGE, S.REGISTERED, None, {P.HANDLER}, False, R.ROLE),
    (A.LINK, S.CLOSED, W.RINGAN, {P.KABID}, False, None),
]


@pytest.mark.parametrize(("action", "status", "weight", "positions", "decided", "expected"),
                         TRANSITION_TABLE)
def test_transition_table_per_role(action, status, weight, positions, decided, expected):
    assert rules.refusal(action, status, weight, positions, decided) == expected
    assert rules.allowed(action, status, weight, positions, decided) is (expected is None)


@pytest.mark.parametrize("position", list(P))
def test_nobody_acts_on_a_closed_complaint_except_reopen_and_link(position):
    actions = set(rules.allowed_actions(S.CLOSED, W.RINGAN, {position}))
    assert actions <= {A.REOPEN, A.LINK}


@pytest.mark.parametrize(("status", "positions", "expected"), [
    (S.RECEIVED, {P.REGISTRAR}, [A.REGISTER, A.REJECT, A.FORWARD, A.LINK, A.MERGE]),
    (S.RECEIVED, {P.LOKET}, []),
    (S.TRIAGED, {P.HANDLER}, [A.START_HANDLING, A.REPLY, A.REQUEST_INFO, A.RESUME]),
    (S.ANSWERED, {P.ADMIN}, []),
])
def test_allowed_actions_lists_only_what_the_user_may_do(status, positions, expected):
    assert rules.allowed_actions(status, W.RINGAN if status != S.RECEIVED else None,
                                 positions) == expected


def test_every_status_is_reachable_and_every_action_has_a_source():
    targets = {t.target for t in rules.TRANSITIONS.values() if t.target}
    assert {S.REGISTERED, S.TRIAGED, S.IN_HANDLING, S.IN_COORDINATION, S.ANSWERED, S.CLOSED,
            S.REJECTED, S.FORWARDED} <= targets
    assert all(t.sources and t.roles for t in rules.TRANSITIONS.values())
    assert set(rules.TRANSITIONS) == set(A)


NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(("ended_days_ago", "days", "expected"), [
    (0, 30, True), (29, 30, True), (30, 30, True), (31, 30, False), (8, 7, False),
    (None, 7, True),
])
def test_reopen_window(ended_days_ago, days, expected):
    ended = None if ended_days_ago is None else NOW - timedelta(days=ended_days_ago)
    assert rules.within_reopen_window(ended, NOW, days) is expected


# (channel, has phone, has any contact, accepted kinds)
PROOF_TABLE = [
    (C.SURAT, False, True, {K.LETTER}),
    (C.SURAT, True, True, {K.LETTER, K.CALL}),
    (C.SURAT, False, False, {K.LETTER, K.TRACKING_PAGE}),
    (C.EMAIL, False, True, {K.EMAIL}),
    (C.TELEPON, True, True, {K.CALL}),
    (C.FAX, True, True, {K.FAX, K.CALL}),
    (C.LANGSUNG, False, True, {K.MEETING}),
    (C.WEB, False, True, {K.MESSAGE, K.EMAIL}),
    (C.WEB, False, False, {K.MESSAGE, K.EMAIL, K.TRACKING_PAGE}),
    (C.SMS, True, True, {K.MESSAGE}),
    (C.WHATSAPP, True, True, {K.MESSAGE}),
    (C.LAPOR, False, True, {K.LAPOR_FOLLOWUP}),
    (C.LAPOR, False, False, {K.LAPOR_FOLLOWUP}),
]


@pytest.mark.parametrize(("channel", "phone", "contact", "expected"), PROOF_TABLE)
def test_reply_proof_per_channel(channel, phone, contact, expected):
    assert rules.proof_kinds(channel, phone, contact) == expected


@pytest.mark.parametrize(("recorded", "channel", "expected"), [
    ([], C.SURAT, False),
    ([K.EMAIL], C.SURAT, False),
    ([K.EMAIL, K.LETTER], C.SURAT, True),
    (["message"], C.SMS, True),
    ([K.CALL], C.EMAIL, False),
    ([K.TRACKING_PAGE], C.LAPOR, False),
])
def test_proof_satisfies(recorded, channel, expected):
    assert rules.proof_satisfies(recorded, rules.proof_kinds(channel)) is expected


def test_every_channel_has_proof_kinds():
    assert set(rules.CHANNEL_PROOFS) == set(C)


HINTS = rules.DEFAULT_KEYWORD_RULES


@pytest.mark.parametrize(("text", "weight", "type_code", "matched"), [
    ("Ada pungli di loket", W.BERAT, "biaya", {"pungli"}),
    ("Petugas minta UANG PELICIN agar cepat", W.BERAT, "biaya", {"uang pelicin"}),
    ("Dugaan pungutan liar dan gratifikasi", W.BERAT, "biaya", {"pungutan liar", "gratifikasi"}),
    ("Izin belum selesai dan ada pungli", W.BERAT, "biaya", {"belum selesai", "pungli"}),
    ("Izin saya belum selesai", W.SEDANG, "waktu", {"belum selesai"}),
    ("Akun SIMPLE tidak bisa masuk", W.RINGAN, "sistem", {"simple", "tidak bisa masuk"}),
    ("Pelayanan sangat baik", None, None, None),
    ("Kata suapan bukan suap", W.BERAT, "biaya", {"suap"}),
    ("Kata suapan saja", None, None, None),  # whole words only
])
def test_keyword_suggestions(text, weight, type_code, matched):
    hint = rules.suggest(text, HINTS)
    if matched is None:
        assert hint is None
        return
    assert hint.weight == weight
    assert hint.type_code == type_code
    assert set(hint.matched) == matched
    assert hint.reasons


@pytest.mark.parametrize(("old", "new", "expected"), [
    (W.RINGAN, W.SEDANG, "up"), (W.BERAT, W.RINGAN, "down"), (W.SEDANG, W.SEDANG, "same"),
    (None, W.RINGAN, "set"), (None, None, "same"),
])
def test_weight_change(old, new, expected):
    assert rules.weight_change(old, new) == expected


@pytest.mark.parametrize(("a", "b", "similar"), [
    ("Permohonan SIKOT saya belum selesai lebih dari dua minggu",
     "permohonan sikot saya belum selesai, lebih dari dua minggu!", True),
    ("Permohonan SIKOT saya belum selesai lebih dari dua minggu",
     "Loket tutup sebelum jam empat sore", False),
    ("", "apa saja", False),
])
def test_text_similarity(a, b, similar):
    assert (rules.text_similarity(a, b) >= rules.SIMILAR_TEXT) is similar


@pytest.mark.parametrize(("raw", "expected"), [
    ("+62 812-3456-7890", "081234567890"), ("0812 3456 7890", "081234567890"), (None, ""),
])
def test_normalise_phone(raw, expected):
    assert rules.normalise_phone(raw) == expected


@pytest.mark.parametrize(("kinds", "paused"), [
    ([], False), (["clock_paused"], True), (["clock_paused", "note", "clock_resumed"], False),
    (["clock_paused", "clock_resumed", "clock_paused"], True),
])
def test_clock_paused(kinds, paused):
    assert rules.clock_paused(kinds) is paused
