"""The Twilio webhooks through the test client: signatures, TwiML, messages, callbacks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from complaints.extensions import db
from complaints.messaging.models import Acknowledgement, DeliveryStatus, InboundMessage
from complaints.tickets.models import Channel, Complaint, ComplaintEvent
from tests.messaging.helpers import MESSAGES, STATUS, post_signed, sign, sms, twilio_app


@pytest.fixture
def app(tmp_path):
    with twilio_app("sqlite", tmp_path) as application:
        yield application


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_signed_sms_becomes_a_complaint_and_twiml_answer(app, client):
    response = post_signed(client, MESSAGES, sms("SM1"))
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert b"<Response" in response.data and b"<Message" not in response.data
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert complaint.channel == Channel.SMS
        assert complaint.complainant_phone == "+6281234567890"
        assert complaint.body == "Izin saya belum selesai"
        assert complaint.source_key == "twilio:SM1"
        ack = db.session.scalar(select(Acknowledgement))
        assert ack.key == "ack:SM1" and complaint.number in ack.body
        assert "Kode akses" in ack.body


def test_request_reaching_internal_host_validates_against_public_url(app, client):
    params = sms("SM2")
    signed_for_internal = sign(MESSAGES, params, base="http://localhost")
    response = client.post(MESSAGES, data=params,
                           headers={"X-Twilio-Signature": signed_for_internal})
    assert response.status_code == 403  # signed for the wrong URL
    assert post_signed(client, MESSAGES, params,
                       base_url="http://10.0.0.5:8000").status_code == 200


@pytest.mark.parametrize("tamper", ["missing", "wrong", "body", "extra", "token"])
def test_bad_signatures_are_refused_and_change_nothing(app, client, tamper):
    params = sms("SM3")
    headers = {"X-Twilio-Signature": sign(MESSAGES, params)}
    if tamper == "missing":
        headers = {}
    elif tamper == "wrong":
        headers["X-Twilio-Signature"] = "AAAA" + headers["X-Twilio-Signature"][4:]
    elif tamper == "body":
        params = dict(params, Body="Izin saya sudah selesai")
    elif tamper == "extra":
        params = dict(params, Injected="1")
    elif tamper == "token":
        headers["X-Twilio-Signature"] = sign(MESSAGES, params, token="another-token")
    response = client.post(MESSAGES, data=params, headers=headers)
    assert response.status_code == 403
    assert count(app, Complaint) == 0 and count(app, InboundMessage) == 0


def test_extra_parameters_signed_by_twilio_are_accepted(app, client):
    params = sms("SM4", ProfileName="Budi", WaId="6281234567890", SmsStatus="received")
    assert post_signed(client, MESSAGES, params).status_code == 200
    assert count(app, Complaint) == 1


def test_without_a_token_every_webhook_is_refused(tmp_path):
    with twilio_app("sqlite", tmp_path / "x", TWILIO_AUTH_TOKEN="") as app:
        client = app.test_client()
        assert post_signed(client, MESSAGES, sms("SM5")).status_code == 403
        assert count(app, Complaint) == 0


def test_redelivery_is_idempotent(app, client):
    for _ in range(3):
        assert post_signed(client, MESSAGES, sms("SM6")).status_code == 200
    assert count(app, Complaint) == 1
    assert count(app, InboundMessage) == 1
    assert count(app, Acknowledgement) == 1


def test_whatsapp_long_indonesian_message_kept_whole(app, client):
    body = ("Selamat siang Bapak/Ibu, saya ingin menyampaikan keluhan tentang pengurusan "
            "Surat Izin Kerja Okupasi Terapis (SIKOT) yang sudah lewat dua minggu. ") * 8
    body += "\nTerima kasih atas perhatiannya — salam hormat, Siti Nurhaliza. 🙏"
    params = sms("SM7", sender="whatsapp:+6281299998888", body=body, NumSegments="7")
    assert post_signed(client, MESSAGES, params).status_code == 200
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert complaint.channel == Channel.WHATSAPP
        assert complaint.body == body.strip()
        assert complaint.complainant_phone == "+6281299998888"
        assert db.session.scalar(select(Acknowledgement)).channel == "whatsapp"


def test_second_message_is_added_to_the_open_complaint(app, client):
    post_signed(client, MESSAGES, sms("SM8", body="Izin saya belum selesai"))
    post_signed(client, MESSAGES, sms("SM9", sender="whatsapp:+6281234567890",
                                      body="Nomor berkas saya 123/IZ/2026"))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1
        event = db.session.scalar(
            select(ComplaintEvent).where(ComplaintEvent.kind == "complainant_message"))
        assert event.note == "Nomor berkas saya 123/IZ/2026" and event.public is True
        assert db.session.scalar(select(InboundMessage).where(
            InboundMessage.message_sid == "SM9")).created_complaint is False


def test_keyword_starts_a_new_complaint_in_its_language(app, client):
    post_signed(client, MESSAGES, sms("SM10", body="Izin saya belum selesai"))
    post_signed(client, MESSAGES, sms("SM11", body="NEW the counter was closed at 10am"))
    with app.app_context():
        complaints = list(db.session.scalars(select(Complaint).order_by(Complaint.id)))
        assert len(complaints) == 2
        assert complaints[1].body == "the counter was closed at 10am"
        ack = db.session.scalar(select(Acknowledgement).where(Acknowledgement.key == "ack:SM11"))
        assert ack.language == "en" and "Access code" in ack.body


def test_keyword_alone_gets_a_hint_and_no_complaint(app, client):
    response = post_signed(client, MESSAGES, sms("SM12", body="BARU"))
    assert b"<Message>" in response.data and b"BARU" in response.data
    assert count(app, Complaint) == 0


@pytest.mark.parametrize("body", ["", "   "])
def test_empty_message_gets_a_hint_and_no_complaint(app, client, body):
    response = post_signed(client, MESSAGES, sms("SM13", body=body))
    assert response.status_code == 200 and b"<Message>" in response.data
    assert count(app, Complaint) == 0


def test_photo_without_text_is_still_a_complaint(app, client):
    params = sms("SM14", body="", NumMedia="1", MediaUrl0="https://api.twilio.com/media/1",
                 MediaContentType0="image/jpeg")
    assert post_signed(client, MESSAGES, params).status_code == 200
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert complaint.body == "[1 media]" and "1 media" in complaint.channel_note


def test_acknowledgements_are_capped_per_number_per_day(tmp_path):
    with twilio_app("sqlite", tmp_path / "cap", SMS_ACK_DAILY_CAP=2) as app:
        client = app.test_client()
        for n in range(4):
            post_signed(client, MESSAGES, sms(f"SMC{n}", body=f"BARU keluhan {n}"))
        post_signed(client, MESSAGES, sms("SMOTHER", sender="081200000009"))
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Complaint)) == 5
            numbers = list(db.session.scalars(select(Acknowledgement.number)))
            assert numbers.count("+6281234567890") == 2 and "+6281200000009" in numbers


def test_missing_fields_are_a_bad_request(app, client):
    params = {"From": "+6281234567890", "Body": "x"}
    assert post_signed(client, MESSAGES, params).status_code == 400


def test_status_callbacks_out_of_order_end_on_final(app, client):
    for status in ["delivered", "sent", "queued", "sending"]:
        params = {"MessageSid": "SMout1", "MessageStatus": status, "AccountSid": "AC1"}
        path = STATUS + "?key=reply%3A7"
        response = client.post(path, data=params,
                               headers={"X-Twilio-Signature": sign(path, params)})
        assert response.status_code == 204
    with app.app_context():
        row = db.session.scalar(select(DeliveryStatus))
        assert (row.status, row.outbox_key) == ("delivered", "reply:7")


def test_status_callback_needs_a_signature(app, client):
    params = {"MessageSid": "SMout2", "MessageStatus": "failed"}
    assert client.post(STATUS, data=params).status_code == 403
    assert count(app, DeliveryStatus) == 0


def test_webhooks_are_exempt_from_csrf(tmp_path):
    with twilio_app("sqlite", tmp_path / "csrf", WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        assert post_signed(client, MESSAGES, sms("SMCSRF")).status_code == 200


def test_daily_cap_counts_office_days_and_quiet_hours_use_settings(tmp_path):
    from datetime import UTC, datetime

    from complaints.core import clock
    from complaints.messaging.quiet import next_allowed_for_app

    with twilio_app("sqlite", tmp_path / "day", SMS_ACK_DAILY_CAP=1) as app:
        client = app.test_client()
        try:
            clock.set_now(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))  # 23:00 WIB
            post_signed(client, MESSAGES, sms("SMd1", body="BARU satu"))
            post_signed(client, MESSAGES, sms("SMd2", body="BARU dua"))
            clock.set_now(datetime(2026, 11, 23, 17, 30, tzinfo=UTC))  # 00:30 WIB, next day
            post_signed(client, MESSAGES, sms("SMd3", body="BARU tiga"))
            with app.app_context():
                keys = sorted(db.session.scalars(select(Acknowledgement.key)))
                assert keys == ["ack:SMd1", "ack:SMd3"]
                # 00:30 WIB is quiet: the acknowledgement waits until 07:00 WIB (00:00 UTC).
                assert next_allowed_for_app(clock.now()) == datetime(2026, 11, 24, 0, 0,
                                                                     tzinfo=UTC)
        finally:
            clock.set_now(None)


def test_webhooks_are_exempt_from_rate_limits(tmp_path):
    with twilio_app("sqlite", tmp_path / "rl", RATELIMIT_ENABLED=True,
                    RATELIMIT_DEFAULT="1 per minute", RATELIMIT_APPLICATION="1 per minute",
                    RATELIMIT_STORAGE_URI="memory://") as app:
        client = app.test_client()
        codes = [post_signed(client, MESSAGES, sms(f"SMrl{n}", body=f"BARU {n}")).status_code
                 for n in range(3)]
        assert codes == [200, 200, 200]
        assert [client.get("/login").status_code for _ in range(2)][-1] == 429  # limits work
    # The limiter is one object for the whole process: take this app's limits off it again.
    from complaints.extensions import limiter

    limiter.limit_manager.set_application_limits([])
    limiter.limit_manager.set_default_limits([])


def test_staff_reply_goes_back_the_way_it_came_and_fits(app, client):
    from complaints.messaging import replies

    post_signed(client, MESSAGES, sms("SMr1", sender="whatsapp:+6281234567890"))
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert replies.reply_route(complaint) == ("whatsapp", "+6281234567890")
        short = replies.render_reply(complaint, "Izin Anda sudah terbit.")
        assert short.endswith(f"{complaint.number}: Izin Anda sudah terbit.")
        long = replies.render_reply(complaint, "Penjelasan panjang sekali. " * 200)
        assert len(long) <= replies.MAX_BODY and long.endswith(
            "Selengkapnya: https://pengaduan.example.id/lacak")
        complaint.channel = Channel.SURAT
        assert replies.reply_route(complaint) is None
