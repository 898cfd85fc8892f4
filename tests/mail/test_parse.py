"""Pure pieces of the mail channel as tables, and messages mangled at random."""

from __future__ import annotations

import random

import pytest

from complaints.mail import rules
from complaints.mail.ingest import TemporaryFailure, ingest
from complaints.mail.parse import parse
from complaints.mail.textify import decode_bytes, html_to_text
from tests.support.mailfixtures import all_emls

OWN = {"dpmptsppekanbaru@gmail.com"}


@pytest.mark.parametrize("headers,ctype,sender,expected", [
    ({}, "text/plain", "warga@contoh.id", None),
    ({"auto-submitted": "no"}, "text/plain", "warga@contoh.id", None),
    ({"auto-submitted": "auto-replied"}, "text/plain", "warga@contoh.id", "auto_reply"),
    ({"auto-submitted": "auto-generated"}, "text/plain", "warga@contoh.id", "auto_reply"),
    ({"x-autoreply": "yes"}, "text/plain", "warga@contoh.id", "auto_reply"),
    ({"precedence": "bulk"}, "text/plain", "warga@contoh.id", "bulk"),
    ({"precedence": "junk"}, "text/plain", "warga@contoh.id", "bulk"),
    ({"precedence": "list"}, "text/plain", "warga@contoh.id", "bulk"),
    ({"list-id": "<x.lists.example>"}, "text/plain", "warga@contoh.id", "bulk"),
    ({}, "multipart/report", "warga@contoh.id", "bounce"),
    ({"return-path": "<>"}, "text/plain", "warga@contoh.id", "bounce"),
    ({"return-path": "<warga@contoh.id>"}, "text/plain", "warga@contoh.id", None),
    ({}, "text/plain", "MAILER-DAEMON@mx.example".lower(), "bounce"),
    ({}, "text/plain", "dpmptsppekanbaru@gmail.com", "own_address"),
])
def test_loop_kind(headers, ctype, sender, expected):
    assert rules.loop_kind(headers, ctype, sender, OWN) == expected


@pytest.mark.parametrize("subject,numbers", [
    ("Re: [ADU/2026/000123] Pengaduan", ["ADU/2026/000123"]),
    ("re: adu/2026/000123", ["ADU/2026/000123"]),
    ("XADU/2026/000123", []),
    ("ADU/2026/0001234", []),
    ("ADU/2026/12", []),
    ("", []),
])
def test_register_numbers(subject, numbers):
    assert rules.register_numbers(subject, "ADU") == numbers


@pytest.mark.parametrize("data,charset,text", [
    ("Rp 150.000 – gratis".encode(), "utf-8", "Rp 150.000 – gratis"),
    (b"\x93kutip\x94", "windows-1252", "“kutip”"),
    (b"\x93kutip\x94", "utf-8", "“kutip”"),  # mislabelled
    ("Café".encode(), "iso-8859-1", "Café"),  # mislabelled the other way
    (b"caf\xe9", "iso-8859-1", "café"),
    (b"caf\xe9", None, "café"),
    (b"abc", "x-no-such-charset", "abc"),
    (b"a\x00b", None, "ab"),
])
def test_decode_chain(data, charset, text):
    assert decode_bytes(data, charset) == text


def test_html_to_text_drops_scripts_styles_and_tags():
    html = ("<style>x{}</style><p>Satu &amp; dua</p><script>alert(1)</script>"
            "<ul><li>a</li></ul><p>tiga<br>empat</p>")
    assert html_to_text(html) == "Satu & dua\n\n- a\n\ntiga\nempat"


def test_reply_to_is_never_the_sender():
    raw = b"From: a@x.id\nReply-To: b@y.id\nSubject: s\n\nbody\n"
    assert parse(raw).from_addr == "a@x.id"


def _mangle(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    choice = rng.randrange(4)
    if choice == 0:
        return bytes(data[: rng.randrange(1, len(data))])
    if choice == 1:
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if choice == 2:
        cut = rng.randrange(len(data))
        return bytes(data[:cut] + bytes(rng.randrange(256) for _ in range(50)) + data[cut:])
    return bytes(data).replace(b"\n", b"\r", rng.randrange(1, 5))


def test_mangled_messages_are_all_ticketed_or_quarantined(ctx):
    rng = random.Random(20261123)
    count = 0
    for _name, raw in all_emls():
        for _ in range(8):
            try:
                ingest(_mangle(raw, rng))
            except TemporaryFailure:
                raise
            count += 1
    from complaints.mail.service import totals

    assert sum(totals().values()) <= count  # identical mangles are one message
    assert sum(totals().values()) > count * 0.9
