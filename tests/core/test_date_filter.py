"""The cached date and datetime filters give what Flask-Babel's format_date/_datetime give."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale, format_date, format_datetime

from complaints.core.i18n import format_day, format_moment
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


MOMENTS = [datetime(2026, 3, 31, 18, 30, tzinfo=UTC),  # 1 April in Pekanbaru
           datetime(2026, 12, 9, 9, 0, tzinfo=UTC),  # the end of a working day
           datetime(2026, 1, 1, 5, 0, 7, 250000)]  # naive: taken as UTC


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("fmt", ["short", "medium", "long", "full"])
def test_format_moment_matches_flask_babel_each_time(app, locale, fmt):
    with app.test_request_context(), force_locale(locale):
        for _ in range(2):  # formatted, then kept
            for value in MOMENTS:
                assert format_moment(value, fmt) == format_datetime(value, fmt)
        assert format_moment(None, fmt) == ""


def test_datetime_filter_follows_language_and_time_zone(app, backend, tmp_path):
    from tests.conftest import make_app

    moment = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
    page = "{{ when|datetime('short') }}|{{ when|datetime }}"
    with app.test_request_context():
        with force_locale("id"):
            indonesian = render_template_string(page, when=moment)
        with force_locale("en"):
            english = render_template_string(page, when=moment)
    assert indonesian.startswith("9/12/26 16.00|")  # 16:00 WIB
    assert english != indonesian
    (tmp_path / "east").mkdir()
    east = make_app(backend, tmp_path / "east", BABEL_DEFAULT_TIMEZONE="Asia/Jayapura")
    with east.test_request_context(), force_locale("id"):
        assert render_template_string(page, when=moment).startswith("9/12/26 18.00|")  # WIT
        assert format_moment(moment) == format_datetime(moment)


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
