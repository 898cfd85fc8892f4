"""Pure rules on incoming mail: loops and bulk mail, register numbers, threading."""

from __future__ import annotations

import re

BULK_PRECEDENCE = {"bulk", "junk", "list"}
DAEMON_LOCALPARTS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}


def loop_kind(loop_headers: dict[str, str], content_type: str, from_addr: str | None,
              own_addresses: set[str], our_message: bool = False) -> str | None:
    """Return why a message must never be acknowledged (None: a person wrote it)."""
    addr = (from_addr or "").lower()
    if our_message or (addr and addr in own_addresses):
        return "own_address"
    return_path = loop_headers.get("return-path", "").strip()
    empty_return_path = "return-path" in loop_headers and return_path in ("<>", "")
    if (content_type == "multipart/report" or empty_return_path
            or addr.partition("@")[0] in DAEMON_LOCALPARTS):
        return "bounce"
    auto = loop_headers.get("auto-submitted", "").strip().lower()
    if (auto and not auto.startswith("no")) or "x-autoreply" in loop_headers \
            or "x-autorespond" in loop_headers:
        return "auto_reply"
    if loop_headers.get("precedence", "").strip().lower() in BULK_PRECEDENCE \
            or "list-id" in loop_headers or "list-unsubscribe" in loop_headers:
        return "bulk"
    return None


def register_numbers(subject: str, prefix: str) -> list[str]:
    """Return the register numbers written in a subject (e.g. ADU/2026/000123)."""
    pattern = re.compile(rf"(?<![\w/]){re.escape(prefix)}/(\d{{4}})/(\d{{6}})(?![\w/])",
                         re.IGNORECASE)
    return [f"{prefix}/{year}/{seq}" for year, seq in pattern.findall(subject or "")]


def same_sender(from_addr: str | None, complainant_email: str | None) -> bool:
    """Return whether the From address is the complainant's (case-insensitive)."""
    return bool(from_addr and complainant_email
                and from_addr.strip().lower() == complainant_email.strip().lower())


def guess_language(text: str, declared: str | None) -> str | None:
    """Return "en" or "id" from the Content-Language or the most common words, or None."""
    if declared in ("en", "id"):
        return declared
    words = re.findall(r"[a-z]+", (text or "").lower()[:4000])
    english = sum(w in {"the", "and", "is", "my", "please", "you", "have", "not"} for w in words)
    indonesian = sum(w in {"yang", "dan", "saya", "tidak", "untuk", "dengan", "ini", "di"}
                     for w in words)
    if english > indonesian and english >= 3:
        return "en"
    if indonesian >= 2:
        return "id"
    return None
