"""Twilio webhooks: inbound messages and delivery status callbacks, signature-checked."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from twilio.twiml.messaging_response import MessagingResponse

from complaints.extensions import csrf, limiter
from complaints.messaging import inbound, signature, status

bp = Blueprint("twilio", __name__, url_prefix="/webhooks/twilio")
# Twilio signs its requests instead of sending a CSRF token, and retries on errors, so the
# public rate limits would only drop real messages; the signature check is never skipped.
csrf.exempt(bp)
limiter.exempt(bp)


def _twiml(text: str | None = None) -> Response:
    answer = MessagingResponse()
    if text:
        answer.message(text)
    return Response(str(answer), mimetype="application/xml")


def _require_signature() -> None:
    if not signature.is_valid(request):
        abort(403)


@bp.post("/messages")
def messages():
    """Receive an SMS or WhatsApp message; answer TwiML (acknowledgements go via the outbox)."""
    _require_signature()
    try:
        message = inbound.from_form(request.form)
    except ValueError:
        abort(400)
    outcome = inbound.receive(message)
    return _twiml(outcome.reply)


@bp.post("/status")
def delivery_status():
    """Record a delivery status callback; statuses only move forward."""
    _require_signature()
    sid = (request.form.get("MessageSid") or "").strip()
    reported = (request.form.get("MessageStatus") or request.form.get("SmsStatus") or "").strip()
    if not sid or not reported:
        abort(400)
    status.record_status(sid, reported, error_code=request.form.get("ErrorCode") or None,
                         outbox_key=request.args.get("key") or None)
    return Response(status=204)
