"""Fixtures shared by the messaging tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaints.core import clock
from tests.messaging.helpers import START


@pytest.fixture
def moment():
    """Set the clock to START; the test moves it on with moment(timedelta)."""
    state = {"now": START}
    clock.set_now(lambda: state["now"])

    def move(delta: timedelta) -> None:
        state["now"] = state["now"] + delta

    yield move
    clock.set_now(None)
