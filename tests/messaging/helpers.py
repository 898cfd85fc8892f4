"""Helpers for webhook tests: an app that knows a Twilio token, and signed posts."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

from twilio.request_validator import RequestValidator

from complaints.extensions import db
from tests.conftest import make_app, truncate_all
from tests.support.live import serve

TOKEN = "twilio-auth-token-for-tests"
PUBLIC = "https://pengaduan.example.id"
MESSAGES = "/webhooks/twilio/messages"
STATUS = "/webhooks/twilio/status"
START = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Pekanbaru: no quiet hours


@contextmanager
def twilio_app(backend, tmp_path, **overrides):
    """Yield an app whose Twilio token and public URL are set (webhooks can be signed)."""
    settings = {"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": PUBLIC}
    settings.update(overrides)
    tmp_path.mkdir(parents=True, exist_ok=True)
    app = make_app(backend, tmp_path, **settings)
    try:
        yield app
    finally:
        if backend == "postgresql":
            truncate_all(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def sign(path: str, params: dict, token: str = TOKEN, base: str = PUBLIC) -> str:
    """Return the X-Twilio-Signature Twilio would send for the public URL."""
    return RequestValidator(token).compute_signature(base + path, params)


def sms(sid: str, sender: str = "+6281234567890", body: str = "Izin saya belum selesai",
        **extra) -> dict:
    """Return the form of a Twilio inbound message webhook."""
    params = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": "AC" + "1" * 32,
              "From": sender, "To": "+628117515133", "Body": body, "NumSegments": "1",
              "NumMedia": "0", "ApiVersion": "2010-04-01"}
    params.update(extra)
    return params


def post_signed(client, path: str, params: dict, **kwargs):
    """Post the form with a valid signature (the request reaches the internal host)."""
    return client.post(path, data=params, headers={"X-Twilio-Signature": sign(path, params)},
                       **kwargs)


live_server = serve  # the shared loopback server of tests/support/live.py
