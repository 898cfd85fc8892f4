"""The twilio sender against a local stand-in of Twilio's REST API (the real twilio client)."""

from __future__ import annotations

import json
import time

import pytest

from complaints.messaging import twilio_sender
from complaints.messaging.twilio_sender import PermanentSendError, TransientSendError

ACCOUNT = "AC" + "1" * 32


def config(tmp_path, standin=None, **overrides):
    cfg = {
        "TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "secret-token",
        "TWILIO_SMS_FROM": "+15005550006", "TWILIO_WHATSAPP_FROM": "+14155238886",
        "TWILIO_API_BASE_URL": standin.url if standin else "", "TWILIO_TIMEOUT_SECONDS": 1,
        "OUTBOX_LOG": str(tmp_path / "outbox.log"), "PUBLIC_BASE_URL": "https://pengaduan.example.id",
    }
    cfg.update(overrides)
    return cfg


def test_sms_goes_to_the_rest_api_with_indonesian_number_normalised(tmp_path, standin):
    result = twilio_sender.send("sms", "0812-3456-7890", "Pengaduan Anda diterima.", "k-1",
                                "https://pengaduan.example.id/webhooks/twilio/status",
                                config(tmp_path, standin))
    assert result.provider_id.startswith("SM") and result.status == "queued"
    (req,) = standin.requests
    assert req.path == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert req.account == ACCOUNT
    assert req.form["To"] == "+6281234567890"
    assert req.form["From"] == "+15005550006"
    assert req.form["Body"] == "Pengaduan Anda diterima."
    assert req.form["StatusCallback"] == (
        "https://pengaduan.example.id/webhooks/twilio/status?key=k-1")


def test_whatsapp_addresses_both_ends(tmp_path, standin):
    twilio_sender.send("whatsapp", "+62 811 7515 133", "Halo", "k-2", None,
                       config(tmp_path, standin))
    form = standin.requests[0].form
    assert form["To"] == "whatsapp:+628117515133"
    assert form["From"] == "whatsapp:+14155238886"
    assert "StatusCallback" not in form


@pytest.mark.parametrize("mode,error", [
    ("429", TransientSendError), ("503", TransientSendError), ("400", PermanentSendError),
])
def test_failures_are_classified(tmp_path, standin, mode, error):
    standin.mode = mode
    with pytest.raises(error):
        twilio_sender.send("sms", "081234567890", "x", f"k-{mode}", None,
                           config(tmp_path, standin))
    assert len(standin.requests) == 1  # the sender never retries by itself: the outbox does


def test_timeout_is_transient(tmp_path, standin):
    standin.mode = "hang"
    started = time.monotonic()
    with pytest.raises(TransientSendError):
        twilio_sender.send("sms", "081234567890", "x", "k-hang", None,
                           config(tmp_path, standin))
    assert time.monotonic() - started < 4


def test_connection_refused_is_transient(tmp_path):
    cfg = config(tmp_path, TWILIO_API_BASE_URL="http://127.0.0.1:9")
    with pytest.raises(TransientSendError):
        twilio_sender.send("sms", "081234567890", "x", "k-refused", None, cfg)


def test_invalid_number_is_permanent_without_a_request(tmp_path, standin):
    with pytest.raises(PermanentSendError):
        twilio_sender.send("sms", "hello", "x", "k-bad", None, config(tmp_path, standin))
    assert standin.requests == []


def test_without_credentials_messages_go_to_the_log_once_per_key(tmp_path):
    cfg = config(tmp_path, TWILIO_ACCOUNT_SID="", TWILIO_AUTH_TOKEN="")
    text = "Pengaduan Anda nomor ADU/2026/000001 sudah kami terima. " * 5
    first = twilio_sender.send("sms", "081234567890", text, "ack:SM1", None, cfg)
    again = twilio_sender.send("sms", "081234567890", text, "ack:SM1", None, cfg)
    assert first == again and first.provider_id == "outbox-log:ack:SM1"
    lines = (tmp_path / "outbox.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["to"] == "+6281234567890" and entry["body"] == text and entry["channel"] == "sms"


def test_outbox_adapter(ctx, tmp_path, standin):
    class Envelope:
        channel = "sms"
        recipient = "081234567890"
        body_text = "Jawaban"
        idempotency_key = "reply:7"

    assert twilio_sender.outbox_sender_factory(config(tmp_path, standin, TWILIO_AUTH_TOKEN="")) \
        is None
    sender = twilio_sender.outbox_sender_factory(config(tmp_path, standin))
    sid = sender.send(Envelope())
    assert sid.startswith("SM")
    assert standin.requests[0].form["StatusCallback"].endswith("?key=reply%3A7")
    # The first status is recorded with the outbox key, for the callbacks to join.
    from complaints.extensions import db
    from complaints.messaging.models import DeliveryStatus

    row = db.session.query(DeliveryStatus).filter_by(provider_id=sid).one()
    assert row.status == "queued" and row.outbox_key == "reply:7"


def test_send_errors_are_the_outbox_errors():
    from complaints.notifications.senders import PermanentError, TransientError

    assert issubclass(TransientSendError, TransientError)
    assert issubclass(PermanentSendError, PermanentError)


@pytest.mark.parametrize("base,expected", [
    ("https://pengaduan.example.id/", "https://pengaduan.example.id/webhooks/twilio/status"),
    ("http://127.0.0.1:5000", None),
    ("http://localhost:5000", None),
    ("", None),
])
def test_status_callback_url(base, expected):
    assert twilio_sender.status_callback_url({"PUBLIC_BASE_URL": base}) == expected


@pytest.mark.parametrize("body", ["", "x" * 1601])
def test_empty_or_too_long_body_is_permanent_without_a_request(tmp_path, standin, body):
    with pytest.raises(PermanentSendError):
        twilio_sender.send("sms", "081234567890", body, "k-len", None, config(tmp_path, standin))
    assert standin.requests == []


def test_unicode_body_arrives_whole(tmp_path, standin):
    body = "Terima kasih 🙏 — pengaduan Anda sedang diproses. " * 20
    twilio_sender.send("sms", "081234567890", body, "k-uni", None, config(tmp_path, standin))
    assert standin.requests[0].form["Body"] == body
