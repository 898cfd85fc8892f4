"""Kartu kendali lines of the newer event kinds read as sentences, not raw values."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from complaints.tickets import presenters


def event(kind, from_value=None, to_value=None, note=None):
    return SimpleNamespace(kind=kind, from_value=from_value, to_value=to_value, note=note,
                           from_user_id=None, to_user_id=None)


@pytest.mark.parametrize("line,english,indonesian", [
    (event("coordination", to_value="berat"), "Coordination recorded: Heavy (berat)",
     "Koordinasi dicatat: Berat"),
    (event("delivery_failed", "reply", "email"), "Message not delivered: Reply (Email)",
     "Pesan tidak terkirim: Jawaban (Email)"),
    (event("delivery_retry", "acknowledgement", "sms"), "Message queued again: "
     "Acknowledgement (SMS)", "Pesan diantrekan ulang: Tanda terima (SMS)"),
    (event("reply_proof", to_value="message"), "Proof of reply recorded: Sent message", None),
    (event("call_logged", "outgoing/phone", "7"), "Call or fax logged: Outgoing Telephone",
     "Panggilan/faks dicatat: Keluar Telepon"),
    (event("letter_sent", "post", "001/PGD/2026"), "Reply letter dispatched: By post "
     "(001/PGD/2026)", "Surat balasan dikirim: Melalui pos (001/PGD/2026)"),
    (event("letter_created", to_value="001/PGD/2026"), "Reply letter numbered: 001/PGD/2026",
     None),
    (event("suggestion", "berat", "sedang"), "Suggested weight → chosen weight: Heavy (berat) → "
     "Medium (sedang)", "Bobot yang disarankan → bobot yang dipilih: Berat → Sedang"),
    (event("clock_paused"), "Clock paused", None),
])
def test_event_lines_are_translated_and_readable(app, line, english, indonesian):
    with app.test_request_context():
        with force_locale("en"):
            text = presenters.event_text(line, "en")
            assert text.startswith(english), text
            assert line.kind not in text
        if indonesian:
            with force_locale("id"):
                assert presenters.event_text(line, "id") == indonesian
