"""Numbers of outgoing letters (nomor surat keluar) and Indonesian dates (pure)."""

from __future__ import annotations

from datetime import date

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
LETTER_SEQUENCE = "letter"


def roman_month(month: int) -> str:
    """Return the month in Roman numerals, as in Indonesian letter numbers (XI)."""
    return ROMAN[month - 1]


def format_letter_number(fmt: str, seq: int, day: date) -> str:
    """Return the letter number from the configured format.

    Fields: {seq} (format it, e.g. {seq:03d}), {roman_month}, {month}, {year}.
    """
    return fmt.format(seq=seq, roman_month=roman_month(day.month), month=day.month,
                      year=day.year)


def indonesian_date(day: date) -> str:
    """Return a date as written in Indonesian letters: 23 November 2026."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"
