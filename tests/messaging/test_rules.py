"""Pure rules of messaging: numbers, quiet hours, status order, keywords, ack cap."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from complaints.messaging import phone
from complaints.messaging.acks import cap_allows
from complaints.messaging.inbound import language_for, split_keyword
from complaints.messaging.quiet import in_quiet_hours, next_allowed_time
from complaints.messaging.status import advance

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("raw,expected", [
    ("081234567890", "+6281234567890"),
    ("0812-3456-7890", "+6281234567890"),
    ("6281234567890", "+6281234567890"),
    ("+62 812 3456 7890", "+6281234567890"),
    ("whatsapp:+6281234567890", "+6281234567890"),
    ("(0761) 28262", "+6276128262"),
    ("0062811234567", "+62811234567"),
    ("+14155238886", "+14155238886"),
])
def test_normalise(raw, expected):
    assert phone.normalise(raw) == expected


@pytest.mark.parametrize("raw", ["", "hello", "12345", "+62", "08123abc456", "0" * 20])
def test_normalise_refuses(raw):
    with pytest.raises(phone.InvalidNumber):
        phone.normalise(raw)


def test_address_and_variants():
    assert phone.address("whatsapp", "0812345678") == "whatsapp:+62812345678"
    assert phone.address("sms", "0812345678") == "+62812345678"
    assert phone.variants("whatsapp:+62812345678") == ["+62812345678", "62812345678",
                                                       "0812345678"]


def wib(h, m=0, day=23):
    return datetime(2026, 11, day, h, m, tzinfo=WIB)


@pytest.mark.parametrize("now,expected", [
    (wib(12), wib(12)),  # daytime: now
    (wib(20, 59), wib(20, 59)),
    (wib(21), wib(7, 0, 24)),  # start of quiet hours: tomorrow 07:00
    (wib(23, 30), wib(7, 0, 24)),
    (wib(0, 5), wib(7)),  # after midnight: this morning 07:00
    (wib(6, 59), wib(7)),
    (wib(7), wib(7)),  # end is not quiet
])
def test_next_allowed_time_wib(now, expected):
    assert next_allowed_time(now, "21:00", "07:00") == expected


def test_next_allowed_time_from_utc_in_office_zone():
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 22:00 WIB
    result = next_allowed_time(now, time(21), time(7), WIB)
    assert result == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 07:00 WIB
    assert result.tzinfo == UTC
    day = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # 12:00 WIB
    assert next_allowed_time(day, time(21), time(7), WIB) == day


@pytest.mark.parametrize("start,end,at,quiet", [
    (time(21), time(7), time(22), True),
    (time(13), time(14), time(13, 30), True),  # a quiet period within one day
    (time(13), time(14), time(14), False),
    (time(7), time(7), time(3), False),  # start == end: no quiet hours
])
def test_in_quiet_hours(start, end, at, quiet):
    assert in_quiet_hours(at, start, end) is quiet


@pytest.mark.parametrize("sequence,final", [
    (["queued", "sending", "sent", "delivered"], "delivered"),
    (["delivered", "sent", "queued"], "delivered"),  # out of order
    (["sent", "failed", "sending"], "failed"),
    (["undelivered", "delivered"], "undelivered"),  # a failure is not overridden
    (["failed", "delivered", "read"], "failed"),
    (["queued", "delivered", "read", "sent"], "read"),  # WhatsApp read after delivered
    (["queued", "bogus"], "queued"),
])
def test_status_moves_only_forward(sequence, final):
    current = None
    for reported in sequence:
        current = advance(current, reported)
    assert current == final


@pytest.mark.parametrize("body,keyword,rest", [
    ("BARU izin saya belum selesai", "BARU", "izin saya belum selesai"),
    ("baru: izin saya", "BARU", "izin saya"),
    ("  New my permit", "NEW", "my permit"),
    ("BARU", "BARU", ""),
    ("Barusan saya datang", None, "Barusan saya datang"),  # a word starting with baru
    ("Newsletter", None, "Newsletter"),
    ("Izin saya BARU", None, "Izin saya BARU"),
])
def test_split_keyword(body, keyword, rest):
    assert split_keyword(body, ["BARU", "NEW"]) == (keyword, rest)


def test_language_and_cap():
    assert language_for("NEW") == "en" and language_for("BARU") == "id"
    assert language_for(None) == "id"
    assert [cap_allows(n, 3) for n in range(5)] == [True, True, True, False, False]
    assert cap_allows(0, 0) is False
