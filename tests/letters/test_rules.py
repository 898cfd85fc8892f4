"""Pure rules of letters: number format, Indonesian dates, paragraphs, signer positions."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.accounts.models import Position
from complaints.letters.numbering import format_letter_number, indonesian_date, roman_month
from complaints.letters.service import paragraphs
from complaints.letters.signer import signer_positions, title_of
from complaints.tickets.models import Weight


@pytest.mark.parametrize("month,roman", [(1, "I"), (4, "IV"), (9, "IX"), (11, "XI"),
                                         (12, "XII")])
def test_roman_month(month, roman):
    assert roman_month(month) == roman


def test_letter_number_format():
    day = date(2026, 11, 23)
    assert format_letter_number("{seq:03d}/DPMPTSP/{roman_month}/{year}", 7, day) \
        == "007/DPMPTSP/XI/2026"
    assert format_letter_number("800/{seq}/DPMPTSP/{month:02d}.{year}", 12, day) \
        == "800/12/DPMPTSP/11.2026"


@pytest.mark.parametrize("day,text", [
    (date(2026, 11, 23), "23 November 2026"),
    (date(2026, 1, 1), "1 Januari 2026"),
    (date(2026, 8, 17), "17 Agustus 2026"),
    (date(2026, 5, 2), "2 Mei 2026"),
])
def test_indonesian_date(day, text):
    assert indonesian_date(day) == text


def test_paragraphs():
    text = "Dengan hormat,\r\nmenanggapi surat\nBapak.\n\n\nIzin telah terbit.\n  \n"
    assert paragraphs(text) == ["Dengan hormat, menanggapi surat Bapak.", "Izin telah terbit."]


@pytest.mark.parametrize("weight,config,positions", [
    (Weight.RINGAN, "kabid", [Position.KABID, Position.SEKRETARIS]),
    (None, "kabid", [Position.KABID, Position.SEKRETARIS]),
    (Weight.RINGAN, "sekretaris", [Position.SEKRETARIS]),
    (Weight.SEDANG, "kabid", [Position.KADIS]),
    (Weight.BERAT, "sekretaris", [Position.KADIS]),
])
def test_signer_positions(weight, config, positions):
    assert signer_positions(weight, config) == positions


def test_titles():
    assert title_of(Position.KADIS, None, "Dinas X") == "Kepala Dinas X"
    assert title_of(Position.KABID, "Perizinan", "Dinas X") == "Kepala Bidang Perizinan"
    assert title_of(Position.SEKRETARIS, None, "Dinas X") == "Sekretaris"
