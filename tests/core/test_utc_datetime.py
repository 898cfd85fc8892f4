"""core.db.UTCDateTime: timestamps stored as naive UTC and read back aware, on both engines."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from complaints.accounts.models import AuditLog
from complaints.core.db import UTCDateTime
from complaints.extensions import db

pytestmark = pytest.mark.both_db

WIB = timezone(timedelta(hours=7))
MOMENTS = [
    datetime(2026, 11, 4, 5, 6, 7, 123456, tzinfo=UTC),
    datetime(2026, 11, 4, 5, 6, 7, tzinfo=UTC),  # no microseconds
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=WIB),  # another zone: stored as UTC
    datetime(2024, 2, 29, 0, 0, tzinfo=UTC),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_moment_is_read_back_as_the_same_aware_utc_value(ctx, moment):
    db.session.add(AuditLog(action="moment", at=moment))
    db.session.commit()
    db.session.expire_all()
    read = db.session.query(AuditLog).filter_by(action="moment").one().at
    assert read == moment
    assert read.tzinfo is UTC
    assert read.utcoffset() == timedelta(0)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.psycopg.dialect()],
                         ids=["sqlite", "psycopg"])
def test_a_missing_moment_is_none(dialect):
    assert UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)(None) is None


def test_naive_moments_are_refused():
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), sqlite.dialect())


@pytest.mark.parametrize(("stored", "expected"), [
    ("2026-11-04 05:06:07.123456", datetime(2026, 11, 4, 5, 6, 7, 123456, tzinfo=UTC)),
    ("2026-11-04 05:06:07", datetime(2026, 11, 4, 5, 6, 7, tzinfo=UTC)),
    ("2026-11-04T05:06:07", datetime(2026, 11, 4, 5, 6, 7, tzinfo=UTC)),
    ("2026-11-04", datetime(2026, 11, 4, tzinfo=UTC)),  # a date alone takes no offset
    ("2026-11-04 05:06", datetime(2026, 11, 4, 5, 6, tzinfo=UTC)),
    ("2026-11-04 12:00:00+07:00", datetime(2026, 11, 4, 5, tzinfo=UTC)),  # an offset of its own
    ("2026-11-04 00:00:00-03:00", datetime(2026, 11, 4, 3, tzinfo=UTC)),
    ("2026-11-04 05:06:07Z", datetime(2026, 11, 4, 5, 6, 7, tzinfo=UTC)),
])
def test_sqlite_text_written_by_other_tools_is_read_as_sqlalchemy_would(stored, expected):
    dialect = sqlite.dialect()
    read = UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)(stored)
    assert read == expected
    assert read.tzinfo is UTC


def test_sqlite_text_that_is_no_timestamp_is_an_error():
    dialect = sqlite.dialect()
    with pytest.raises(ValueError):
        UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)("yesterday")


def test_postgresql_values_naive_or_aware_become_utc():
    dialect = postgresql.psycopg.dialect()
    process = UTCDateTime().dialect_impl(dialect).result_processor(dialect, None)
    assert process(datetime(2026, 11, 4, 5, 6, 7, 8)) == datetime(2026, 11, 4, 5, 6, 7, 8,
                                                                  tzinfo=UTC)
    assert process(datetime(2026, 11, 4, 12, tzinfo=WIB)).tzinfo is UTC
    assert process(datetime(2026, 11, 4, 12, tzinfo=WIB)) == datetime(2026, 11, 4, 5,
                                                                      tzinfo=UTC)
    assert process(None) is None


def test_what_sqlite_stores_is_naive_utc_text(ctx):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's text storage")
    db.session.add(AuditLog(action="stored", at=datetime(2026, 1, 1, 7, tzinfo=WIB)))
    db.session.commit()
    raw = db.session.execute(text("SELECT at FROM audit_log WHERE action = 'stored'")).scalar()
    assert raw == "2026-01-01 00:00:00.000000"
