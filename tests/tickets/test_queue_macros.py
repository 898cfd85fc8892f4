"""The queue rows written in Python print what the badge() and due_short() macros print."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import render_template_string, session
from flask_babel import refresh

from complaints.core import clock
from complaints.tickets import queue_page
from complaints.tickets.models import OPEN_STATUSES, Channel, Confidentiality, Status, Weight
from complaints.workflow.deadline_service import due_soon_horizon

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # a Tuesday, 10:00 office time


def _due_cases() -> dict[str, tuple[datetime | None, bool]]:
    """Return (next_due_at, clock_paused) of each due state; "closed" is every status not open."""
    horizon = due_soon_horizon(NOW)
    return {
        "no due date": (None, False),
        "due later": (NOW + timedelta(days=30), False),
        "due just after the due-soon window": (horizon + timedelta(seconds=1), False),
        "due soon, at the end of the window": (horizon, False),
        "due soon": (NOW + timedelta(minutes=30), False),
        "due now": (NOW, False),
        "overdue": (NOW - timedelta(hours=1), False),
        "clock paused": (None, True),
        "clock paused with a due date": (NOW + timedelta(minutes=30), True),
    }
MACROS = (
    '{% from "_macros/forms.html" import badge with context %}'
    '{% from "_macros/deadlines.html" import due_short with context %}'
    "{{ badge('status', status) }} {{ badge('weight', weight) }} {{ due_short(c) }}"
)
BETWEEN = re.compile(r'<span class="date">[^<]*</span>(.*?)<span class="channel">', re.S)


def _normal(html: str) -> str:
    return " ".join(html.split())


@pytest.fixture
def fixed_clock():
    clock.set_now(NOW)
    yield NOW
    clock.set_now(None)


def _row(status, weight, due, paused) -> tuple:
    return (1, "ADU/2026/000001", NOW, status, weight, Channel.WEB, due, paused, "Siti",
            Confidentiality.BIASA, "Ringkasan", None, None)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rows_print_what_the_macros_print(app, ctx, fixed_clock, lang):
    everyone = SimpleNamespace(may_see_identity=lambda *args: True)
    with app.test_request_context("/staff/queue"):
        session["lang"] = lang
        refresh()  # the app context (and its cached locale) is shared with ctx
        rows = queue_page._Rows(everyone)  # type: ignore[arg-type]
        checked, cases = 0, _due_cases()
        for status, weight, (case, (due, paused)) in itertools.product(
                Status, [None, *Weight], cases.items()):
            html = str(rows.render([_row(status, weight, due, paused)], []))
            ours = BETWEEN.search(html)
            assert ours is not None, html
            complaint = SimpleNamespace(status=status, weight=weight, next_due_at=due,
                                        clock_paused=paused, is_open=status in OPEN_STATUSES)
            theirs = render_template_string(MACROS, status=status, weight=weight, c=complaint)
            assert _normal(ours[1]) == _normal(theirs), (status, weight, case)
            checked += 1
    assert checked == len(Status) * (len(Weight) + 1) * len(cases)


def test_the_cases_reach_every_due_badge(app, ctx, fixed_clock):
    """The due cases above are what they say (so the comparison covers each badge)."""
    with app.test_request_context("/staff/queue"):
        session["lang"] = "en"
        refresh()
        rows = queue_page._Rows(SimpleNamespace(may_see_identity=lambda *a: True))  # type: ignore[arg-type]
        found = {case: str(rows.render([_row(Status.TRIAGED, None, due, paused)], []))
                 for case, (due, paused) in _due_cases().items()}
    for case in ("due soon", "due soon, at the end of the window"):
        assert "Due soon" in found[case] and "Overdue" not in found[case]
    assert "Due soon" not in found["due just after the due-soon window"]
    assert "Overdue" in found["overdue"] and "Overdue" in found["due now"]
    assert "Due soon" not in found["due later"] and "Overdue" not in found["due later"]
    assert '<span class="due">Due ' in found["due later"]
    assert "Clock paused" in found["clock paused"]
    assert '<span class="due">' not in found["no due date"]


def test_rows_as_stored_print_what_their_enum_members_print(app, ctx, fixed_clock):
    """The page reads status, weight, channel and confidentiality as stored text."""
    everyone = SimpleNamespace(may_see_identity=lambda *args: True)
    due = NOW + timedelta(minutes=30)
    with app.test_request_context("/staff/queue"):
        checked = 0
        for status, weight, channel, confidentiality in itertools.product(
                Status, [None, *Weight], Channel, Confidentiality):
            members = (7, "ADU/2026/000007", NOW, status, weight, channel, due, False, "Siti",
                       confidentiality, "Ringkasan", None, None)
            stored = (7, "ADU/2026/000007", NOW, status.value, weight and weight.value,
                      channel.value, due, 0, "Siti", confidentiality.value, "Ringkasan",
                      None, None)
            printed = []
            for row in (members, stored):
                app.extensions.pop(queue_page.ROWS_EXTENSION, None)  # no kept line
                shown: list[int] = []
                printed.append((str(queue_page._Rows(everyone).render([row], shown)), shown))
            assert printed[0] == printed[1], (status, weight, channel, confidentiality)
            checked += 1
    assert checked == len(Status) * (len(Weight) + 1) * len(Channel) * len(Confidentiality)
