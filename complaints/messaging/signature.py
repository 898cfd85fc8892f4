"""Twilio webhook signatures, checked against the public URL Twilio requested."""

from __future__ import annotations

from flask import Request, current_app
from twilio.request_validator import RequestValidator, get_signature_algorithm


def public_url(request: Request) -> str:
    """Return the URL Twilio called: PUBLIC_BASE_URL + path + query (not the internal host)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    query = request.query_string.decode("latin-1")
    return base + request.path + (f"?{query}" if query else "")


def is_valid(request: Request) -> bool:
    """Return whether the request carries a valid X-Twilio-Signature (False without a token)."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN") or ""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    algorithm = get_signature_algorithm(
        request.headers.get("X-Twilio-Webhooks-Signature-Settings", ""))
    validator = RequestValidator(token)
    return bool(validator.validate(public_url(request), request.form, signature, algorithm))
