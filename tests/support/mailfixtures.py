"""Shared helpers of the mail and notification tests: fixtures files, clock, servers."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from complaints.core import clock
from tests.support.mailservers import Dovecot, SmtpSink

DATA = Path(__file__).resolve().parent.parent / "data" / "email"
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def eml(name: str) -> bytes:
    """Return the bytes of a fixture message (by its file name or its number prefix)."""
    matches = sorted(DATA.glob(f"{name}*.eml"))
    assert matches, name
    return matches[0].read_bytes()


def all_emls() -> list[tuple[str, bytes]]:
    """Return every fixture message with its file name."""
    return [(p.name, p.read_bytes()) for p in sorted(DATA.glob("*.eml"))]


@pytest.fixture
def frozen_clock():
    """Freeze the application clock in November 2026; yields a setter to move it."""
    state = {"now": NOW}
    clock.set_now(lambda: state["now"])

    def move(value: datetime) -> None:
        state["now"] = value

    yield move
    clock.set_now(None)


@pytest.fixture
def smtp_sink():
    """An aiosmtpd server on a loopback port."""
    sink = SmtpSink().start()
    yield sink
    sink.stop()


_dovecot: dict = {}


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory):
    """A Dovecot IMAP server for the whole session (skipped loudly when not installed)."""
    if not Dovecot.available():
        pytest.skip("!!!!! DOVECOT IS NOT INSTALLED (/usr/sbin/dovecot): the IMAP tests are "
                    "SKIPPED; apt-get install dovecot-imapd !!!!!")
    # Not under pytest's 0700 tmp folder: Dovecot's unprivileged processes must read it.
    server = Dovecot(Path(tempfile.mkdtemp(prefix="pengaduan-dovecot-"))).start()
    yield server
    server.stop()


@pytest.fixture
def imap_folder(dovecot, request):
    """A fresh IMAP folder for one test."""
    name = "T" + str(abs(hash(request.node.nodeid)) % 10**10)
    dovecot.create_folder(name)
    return name
