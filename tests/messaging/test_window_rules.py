"""The 24-hour window and the route outside it, as tables (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from complaints.messaging import window

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("last,expected", [
    (None, False),
    (NOW - timedelta(minutes=1), True),
    (NOW - timedelta(hours=23, minutes=59), True),
    (NOW - timedelta(hours=24), False),
    (NOW - timedelta(days=5), False),
])
def test_is_open(last, expected):
    assert window.is_open(last, NOW) is expected


@pytest.mark.parametrize("template,sms,twilio,expected", [
    ("HX1", "+1500", True, "template"),
    ("HX1", "", True, "template"),
    ("", "+1500", True, "sms"),
    ("", "", True, "fail"),
    ("", "", False, "template"),  # the local log shows what would go
])
def test_route_outside(template, sms, twilio, expected):
    assert window.route_outside(template, sms, twilio) == expected
