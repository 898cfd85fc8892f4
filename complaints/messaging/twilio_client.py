"""The Twilio API client (twilio and requests: imported only when a message is really sent)."""

from __future__ import annotations

import json

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from complaints.messaging.twilio_sender import (
    TWILIO_API_HOST,
    SendResult,
    TransientSendError,
    WindowClosedSendError,
    classify,
    sender_address,
    with_key,
)


class _RebasedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, with api.twilio.com replaced by a configured base URL."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_API_HOST):
            url = self.base_url + url[len(TWILIO_API_HOST):]
        return super().request(method, url, *args, **kwargs)


def make_client(config: dict) -> Client:
    """Return a twilio Client with a timeout (and a base URL when one is configured)."""
    timeout = float(config.get("TWILIO_TIMEOUT_SECONDS") or 10)
    base = config.get("TWILIO_API_BASE_URL") or ""
    http = _RebasedHttpClient(base, timeout) if base else TwilioHttpClient(timeout=timeout)
    return Client(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"], http_client=http)


def send_twilio(cfg: dict, channel: str, recipient: str, body: str, key: str,
                callback: str | None) -> SendResult:
    """Send one message through the Twilio API; raise a SendError the outbox understands."""
    return _create(cfg, key, callback, to=recipient, from_=sender_address(channel, cfg),
                   body=body)


def send_template(cfg: dict, recipient: str, content_sid: str, variables: dict, key: str,
                  callback: str | None) -> SendResult:
    """Send an approved WhatsApp template (Content API), allowed outside the 24-hour window."""
    return _create(cfg, key, callback, to=recipient, from_=sender_address("whatsapp", cfg),
                   content_sid=content_sid,
                   content_variables=json.dumps(variables, ensure_ascii=False))


def _create(cfg: dict, key: str, callback: str | None, **kwargs) -> SendResult:
    if callback:
        kwargs["status_callback"] = with_key(callback, key)
    try:
        message = make_client(cfg).messages.create(**kwargs)
    except TwilioRestException as exc:
        if exc.code == WindowClosedSendError.CODE:
            raise WindowClosedSendError(f"twilio {exc.status} (code {exc.code}): {exc.msg}") \
                from exc
        raise classify(int(exc.status), exc.code, exc.msg) from exc
    except TwilioServiceException as exc:
        raise classify(int(exc.status), exc.code, exc.title) from exc
    except (requests.Timeout, requests.ConnectionError) as exc:
        raise TransientSendError(f"twilio unreachable: {exc}") from exc
    return SendResult(str(message.sid), str(message.status or "queued"))
