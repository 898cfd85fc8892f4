"""The register's selection: a month or a year plus filters, parsed strictly from the URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from complaints.tickets.models import Channel, Status, Weight
from complaints.tickets.queries import QueryError, parse_enum, refuse_unknown_keys

FILTER_KEYS = frozenset(
    {"month", "year", "channel", "weight", "type", "service", "status", "division", "after"}
)
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
YEAR_RE = re.compile(r"^\d{4}$")
CURSOR_RE = re.compile(r"^(\d{4})-(\d{1,9})$")
ID_RE = re.compile(r"^[1-9]\d{0,8}$")  # fits every database's INTEGER
FIRST_YEAR, LAST_YEAR = 2000, 2100

__all__ = ["FILTER_KEYS", "Period", "QueryError", "RegisterFilter", "parse_filter"]


@dataclass(frozen=True)
class Period:
    """A calendar month (month set) or a whole year (month None) in office time."""

    year: int
    month: int | None = None

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, 1)

    @property
    def next_first_day(self) -> date:
        """Return the first day after the period."""
        if self.month is None:
            return date(self.year + 1, 1, 1)
        if self.month == 12:
            return date(self.year + 1, 1, 1)
        return date(self.year, self.month + 1, 1)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Return [start, end) of the period as aware UTC datetimes."""
        start = datetime.combine(self.first_day, datetime.min.time(), tzinfo=tz)
        end = datetime.combine(self.next_first_day, datetime.min.time(), tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def previous(self) -> Period:
        if self.month is None:
            return Period(self.year - 1)
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def following(self) -> Period:
        if self.month is None:
            return Period(self.year + 1)
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    def args(self) -> dict[str, str]:
        """Return the query arguments that select this period."""
        if self.month is None:
            return {"year": str(self.year)}
        return {"month": f"{self.year:04d}-{self.month:02d}"}

    @property
    def slug(self) -> str:
        """Return the period for file names: 2026-11 or 2026."""
        return self.args().popitem()[1]


@dataclass(frozen=True)
class RegisterFilter:
    """What part of the Buku Pengaduan to show or export."""

    period: Period
    channel: Channel | None = None
    weight: Weight | None = None
    status: Status | None = None
    type_id: int | None = None
    service_id: int | None = None
    division_id: int | None = None
    after: tuple[int, int] | None = None  # keyset cursor: (year, seq) of the last row shown

    def args(self, with_cursor: bool = False) -> dict[str, Any]:
        """Return the query arguments that reproduce this selection."""
        result: dict[str, Any] = self.period.args()
        for key, value in (("channel", self.channel), ("weight", self.weight),
                           ("status", self.status), ("type", self.type_id),
                           ("service", self.service_id), ("division", self.division_id)):
            if value is not None:
                result[key] = str(getattr(value, "value", value))
        if with_cursor and self.after is not None:
            result["after"] = f"{self.after[0]}-{self.after[1]}"
        return result

    def described(self) -> dict[str, Any]:
        """Return the filters (without the cursor) for the audit log."""
        return self.args()


def _id(raw: str | None) -> int | None:
    if not raw:
        return None
    if not ID_RE.match(raw):
        raise QueryError(_l("not an id: %(value)s", value=repr(raw)))
    return int(raw)


def _year(raw: str) -> int:
    if not YEAR_RE.match(raw) or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise QueryError(_l("unknown year %(value)s", value=repr(raw)))
    return int(raw)


def parse_period(month: str | None, year: str | None, today: date) -> Period:
    """Return the period asked for: a whole year when given, else a month, else this month."""
    if year:
        return Period(_year(year))
    if month:
        match = MONTH_RE.match(month)
        if not match or not 1 <= int(match[2]) <= 12:
            raise QueryError(_l("unknown month %(value)s", value=repr(month)))
        return Period(_year(match[1]), int(match[2]))
    return Period(today.year, today.month)


def _cursor(raw: str | None) -> tuple[int, int] | None:
    if not raw:
        return None
    match = CURSOR_RE.match(raw)
    if not match:
        raise QueryError(_l("unknown cursor %(value)s", value=repr(raw)))
    return int(match[1]), int(match[2])


def parse_filter(args, today: date) -> RegisterFilter:
    """Return the selection from query arguments, refusing unknown keys and values."""
    refuse_unknown_keys(args, FILTER_KEYS)
    for key in args:
        if hasattr(args, "getlist") and len(args.getlist(key)) > 1:
            raise QueryError(_l("parameter given twice: %(name)s", name=key))
    return RegisterFilter(
        period=parse_period(args.get("month"), args.get("year"), today),
        channel=parse_enum(Channel, args.get("channel")),
        weight=parse_enum(Weight, args.get("weight")),
        status=parse_enum(Status, args.get("status")),
        type_id=_id(args.get("type")),
        service_id=_id(args.get("service")),
        division_id=_id(args.get("division")),
        after=_cursor(args.get("after")),
    )
