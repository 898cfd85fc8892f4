"""Parse a raw message without ever failing on its content: headers, text, attachments."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses

from complaints.mail.textify import decode_bytes, fix_surrogates, html_to_text

MSGID_RE = re.compile(r"<[^<>\s]+>")
LOOP_HEADERS = ("auto-submitted", "x-autoreply", "x-autorespond", "precedence", "list-id",
                "list-unsubscribe", "return-path", "x-auto-response-suppress")


class MailParseError(ValueError):
    """The message cannot be read at all."""


@dataclass
class MailPart:
    """An attachment as found in the message."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    """What the rest of the system needs from a message."""

    message_id: str | None
    from_addr: str | None
    from_name: str | None
    subject: str
    in_reply_to: list[str]
    references: list[str]
    text: str
    content_type: str
    language: str | None
    loop_headers: dict[str, str] = field(default_factory=dict)
    attachments: list[MailPart] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)


def parse(raw: bytes) -> ParsedMail:
    """Return the parsed message; raise MailParseError only when nothing can be read."""
    if not raw or not raw.strip():
        raise MailParseError("empty message")
    msg: Message = email.message_from_bytes(raw, policy=policy.default)
    if not msg.keys():
        raise MailParseError("no headers")
    try:
        text, parts = _bodies(msg)
    except Exception:  # noqa: BLE001 - the modern parser tripped: the old one is laxer
        msg = email.message_from_bytes(raw, policy=policy.compat32)
        text, parts = _bodies(msg)
    name, addr = _from(msg)
    return ParsedMail(
        message_id=_first_id(header(msg, "Message-ID")),
        from_addr=addr,
        from_name=name,
        subject=" ".join(header(msg, "Subject").split())[:300],
        in_reply_to=MSGID_RE.findall(header(msg, "In-Reply-To")),
        references=MSGID_RE.findall(header(msg, "References")),
        text=text,
        content_type=_content_type(msg),
        language=(header(msg, "Content-Language").split(",")[0].strip().lower()[:2] or None),
        loop_headers={h: header(msg, h).strip() for h in LOOP_HEADERS if h in msg},
        attachments=parts,
        defects=[type(d).__name__ for d in msg.defects],
    )


def header(msg: Message, name: str) -> str:
    """Return a header decoded to text; a broken header is decoded as well as it can be."""
    try:
        value = msg[name]
        return fix_surrogates(str(value)) if value is not None else ""
    except Exception:  # noqa: BLE001 - a malformed header must not lose the message
        raw = _raw_header(msg, name)
        try:
            return fix_surrogates(str(make_header(decode_header(raw))))
        except Exception:  # noqa: BLE001
            return fix_surrogates(raw)


def _raw_header(msg: Message, name: str) -> str:
    for key, value in msg.raw_items() if hasattr(msg, "raw_items") else msg.items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _first_id(value: str) -> str | None:
    found = MSGID_RE.findall(value)
    if found:
        return found[0][:250]
    value = value.strip()
    return f"<{value[:240]}>" if value and " " not in value else None


def _from(msg: Message) -> tuple[str | None, str | None]:
    """Return the display name and address of From (never Reply-To or Sender)."""
    try:
        pairs = getaddresses([header(msg, "From")])
    except Exception:  # noqa: BLE001 - an unreadable From is no From
        return None, None
    for name, addr in pairs:
        if "@" in addr:
            return (name.strip() or None), addr.strip().lower()[:254]
    return None, None


def _leaves(part: Message):
    """Yield the leaf parts, without descending into attached messages."""
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub)
    else:
        yield part


def _bodies(msg: Message) -> tuple[str, list[MailPart]]:
    plain: list[str] = []
    html: list[str] = []
    parts: list[MailPart] = []
    for index, part in enumerate(_leaves(msg)):
        ctype = part.get_content_type()
        filename = _filename(part)
        disposition = part.get_content_disposition()
        if filename or disposition == "attachment" or not ctype.startswith("text/"):
            if ctype.startswith("multipart/") and not part.is_multipart():
                plain.append(_payload_text(part))  # boundary missing: keep it as text
                continue
            parts.append(MailPart(filename or f"part-{index + 1}", ctype, _payload_bytes(part)))
        elif ctype == "text/html":
            html.append(html_to_text(_payload_text(part)))
        else:
            plain.append(_payload_text(part))
    text = "\n\n".join(t.strip() for t in (plain or html) if t.strip())
    return text, parts


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        return None
    return fix_surrogates(name) if name else None


def _payload_bytes(part: Message) -> bytes:
    if part.get_content_maintype() in ("message", "multipart"):
        return part.as_bytes(policy=policy.compat32)
    data = part.get_payload(decode=True)
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    return str(payload).encode("utf-8", "surrogateescape") if payload else b""


def _payload_text(part: Message) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        payload = part.get_payload()
        data = str(payload or "").encode("utf-8", "surrogateescape")
    return decode_bytes(data, _charset(part))


def _charset(part: Message) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:  # noqa: BLE001
        return None


def _content_type(msg: Message) -> str:
    try:
        return msg.get_content_type()
    except Exception:  # noqa: BLE001
        return "text/plain"
