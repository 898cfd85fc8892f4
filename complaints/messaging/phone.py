"""Phone numbers: Indonesian numbers to E.164, WhatsApp addresses, lookup variants."""

from __future__ import annotations

import re

WHATSAPP_PREFIX = "whatsapp:"
COUNTRY_CODE = "62"
_SEPARATORS = re.compile(r"[\s\-().]")


class InvalidNumber(ValueError):
    """The text is not a phone number we can send to."""


def normalise(number: str) -> str:
    """Return an Indonesian or international number in E.164 (08… and 62… become +628…)."""
    raw = _SEPARATORS.sub("", (number or "").strip())
    if raw.lower().startswith(WHATSAPP_PREFIX):
        raw = raw[len(WHATSAPP_PREFIX):]
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+"):
        digits = raw[1:]
    elif raw.startswith("0"):
        digits = COUNTRY_CODE + raw[1:]
    elif raw.startswith(COUNTRY_CODE):
        digits = raw
    else:
        raise InvalidNumber(f"not a phone number: {number!r}")
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        raise InvalidNumber(f"not a phone number: {number!r}")
    return "+" + digits


def address(channel: str, number: str) -> str:
    """Return the Twilio address of a number: +62… for SMS, whatsapp:+62… for WhatsApp."""
    e164 = normalise(number)
    return WHATSAPP_PREFIX + e164 if channel == "whatsapp" else e164


def channel_of(address_: str) -> str:
    """Return "whatsapp" for a whatsapp: address, else "sms"."""
    return "whatsapp" if (address_ or "").lower().startswith(WHATSAPP_PREFIX) else "sms"


def variants(number: str) -> list[str]:
    """Return the spellings a stored number may have (+628…, 628…, 08…) for lookups."""
    try:
        e164 = normalise(number)
    except InvalidNumber:
        return [number]
    digits = e164[1:]
    found = [e164, digits]
    if digits.startswith(COUNTRY_CODE):
        found.append("0" + digits[len(COUNTRY_CODE):])
    return found
