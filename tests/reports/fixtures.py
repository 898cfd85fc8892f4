"""A small month (March 2026, with Nyepi and Idul Fitri) whose figures were computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from complaints.core import clock
from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.public.models import Rating
from complaints.tickets.models import Channel, Complaint, Status, Weight
from complaints.tickets.service import apply_changes, record_event

WIB = ZoneInfo("Asia/Jakarta")
AFTER = datetime(2026, 4, 10, 3, 0, tzinfo=UTC)  # "now": March is over


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB).astimezone(UTC)


def _at(moment: datetime, complaint_id: int, fn) -> None:
    clock.set_now(moment)
    with write_transaction():
        fn(db.session.get(Complaint, complaint_id))


def _reply(c: Complaint) -> None:
    record_event(c, "reply", None, note="Jawaban", public=True)


def _answer(c: Complaint) -> None:
    apply_changes(c, None, status=Status.ANSWERED)


def build_march(factory) -> dict[str, int]:
    """Create the month; return the complaint ids by letter.

    A surat, ringan, received Tue 17 Mar 10:00, replied Wed 25 Mar: 18 (cuti bersama Nyepi),
      19 (Nyepi), 20 (cuti bersama), 21-22 (weekend), 23-24 (cuti bersama) are off -> 1 day;
      due 3 working days -> 27 Mar: on time.
    B email, ringan, received Mon 2 Mar 08:00, status answered Fri 6 Mar -> 4 days; due 5 Mar:
      late. Closed on 9 Mar.
    C web, no weight, received 11 Mar 00:30 WIB (10 Mar in UTC), replied 11 Mar 08:00 -> 0 days.
    D sms, sedang, received 12 Mar, never answered: open and overdue on 10 Apr.
    E surat, received 31 Mar 23:00 WIB (still March); F surat 1 Apr 00:30 WIB (April).
    G received 27 Feb, first replied 2 Mar (answered in March); H received and replied in
      February, replied again in March (not answered in March).
    Ratings in March: A 4, B 2.
    """
    ids: dict[str, int] = {}
    plan = [("A", Channel.SURAT, wib(2026, 3, 17, 10)), ("B", Channel.EMAIL, wib(2026, 3, 2, 8)),
            ("C", Channel.WEB, wib(2026, 3, 11, 0, 30)), ("D", Channel.SMS, wib(2026, 3, 12, 9)),
            ("E", Channel.SURAT, wib(2026, 3, 31, 23)),
            ("F", Channel.SURAT, wib(2026, 4, 1, 0, 30)),
            ("G", Channel.EMAIL, wib(2026, 2, 27, 9)), ("H", Channel.EMAIL, wib(2026, 2, 10, 9))]
    for letter, channel, received in plan:
        clock.set_now(received)
        complaint, _code = factory.complaint(channel=channel, received_at=received)
        ids[letter] = complaint.id
    _at(wib(2026, 3, 17, 10, 5), ids["A"], lambda c: apply_changes(c, None, weight=Weight.RINGAN))
    _at(wib(2026, 3, 2, 8, 5), ids["B"], lambda c: apply_changes(c, None, weight=Weight.RINGAN))
    _at(wib(2026, 3, 12, 9, 5), ids["D"], lambda c: apply_changes(c, None, weight=Weight.SEDANG))
    _at(wib(2026, 3, 25, 9), ids["A"], _reply)
    _at(wib(2026, 3, 6, 9), ids["B"], _answer)
    _at(wib(2026, 3, 11, 8), ids["C"], _reply)
    _at(wib(2026, 3, 2, 10), ids["G"], _reply)
    _at(wib(2026, 2, 11, 10), ids["H"], _reply)
    _at(wib(2026, 3, 3, 10), ids["H"], _reply)

    def close(c: Complaint) -> None:
        apply_changes(c, None, status=Status.CLOSED)
        c.closed_at = clock.now()

    _at(wib(2026, 3, 9, 9), ids["B"], close)
    clock.set_now(wib(2026, 3, 28, 9))
    with write_transaction():
        for letter, score in (("A", 4), ("B", 2)):
            db.session.add(Rating(complaint_id=ids[letter], score=score,
                                  status_at_rating="answered"))
    clock.set_now(AFTER)
    return ids
