"""Per-year sequences: one upsert per number, gapless on rollback (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.tickets.models import Counter
from complaints.tickets.numbering import next_in_sequence


def _take(name: str, year: int) -> int:
    with write_transaction():
        return next_in_sequence(name, year)


def test_each_sequence_starts_at_one_and_counts_on_its_own(ctx):
    assert [_take("register", 2026) for _ in range(3)] == [1, 2, 3]
    assert _take("register", 2027) == 1
    assert _take("letter", 2026) == 1
    assert _take("register", 2026) == 4
    rows = db.session.execute(select(Counter.name, Counter.year, Counter.last)
                              .order_by(Counter.name, Counter.year)).all()
    assert [tuple(r) for r in rows] == [("letter", 2026, 1), ("register", 2026, 4),
                                        ("register", 2027, 1)]


def test_a_rolled_back_number_is_given_again(ctx):
    assert _take("register", 2026) == 1
    with pytest.raises(RuntimeError), write_transaction():
        assert next_in_sequence("register", 2026) == 2
        raise RuntimeError("the intake failed after numbering")
    assert _take("register", 2026) == 2


def test_the_first_number_of_a_year_rolled_back_leaves_no_counter(ctx):
    with pytest.raises(RuntimeError), write_transaction():
        assert next_in_sequence("register", 2030) == 1
        raise RuntimeError("failed")
    assert db.session.scalar(select(Counter).where(Counter.year == 2030)) is None
    assert _take("register", 2030) == 1
