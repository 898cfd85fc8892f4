"""The cached date filter gives what Flask-Babel's format_date gives."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale, format_date

from complaints.core.i18n import format_day
from complaints.core.labels import label
from complaints.tickets.models import Status


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("fmt", ["medium", "long", "short"])
def test_format_day_matches_flask_babel_in_the_office_time_zone(app, locale, fmt):
    late_evening_utc = datetime(2026, 3, 31, 18, 30, tzinfo=UTC)  # 1 April in Pekanbaru
    with app.test_request_context(), force_locale(locale):
        assert format_day(late_evening_utc, fmt) == format_date(late_evening_utc, fmt)
        assert format_day(date(2026, 4, 1), fmt) == format_date(date(2026, 4, 1), fmt)
        assert format_day(None) == ""


def test_cached_labels_follow_the_locale(app):
    with app.test_request_context():
        with force_locale("en"):
            english = label("status", Status.RECEIVED)
        with force_locale("id"):
            indonesian = label("status", "received")
    assert english == "Received"
    assert indonesian != english
    with app.test_request_context():
        assert label("status", "no-such-status") == "no-such-status"
