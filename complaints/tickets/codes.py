"""Access codes given to complainants for tracking; only their hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# Crockford-style alphabet without look-alikes (no I, L, O, U): 32 symbols, 5 bits each.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits


def new_access_code() -> str:
    """Return a fresh random access code, grouped for reading aloud: XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str) -> str:
    """Return the code without separators or case, mapping look-alikes typed by people."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))


def hash_access_code(code: str) -> str:
    """Return the stored form of an access code (salted SHA-256; the code has 60 random bits)."""
    salt = secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}:{normalize_code(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def check_access_code(stored: str, code: str) -> bool:
    """Return whether the code matches the stored hash, in constant time."""
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "sha256":
        return False
    candidate = hashlib.sha256(f"{salt}:{normalize_code(code)}".encode()).hexdigest()
    return hmac.compare_digest(candidate, digest)
