"""The staff queue page: one query of the shown columns, each row made ready to print.

The queue is the page staff open most. Loading whole Complaint objects, checking the
viewer's positions per row and resolving labels, dates and links through Flask-Babel and
url_for per row cost several times the query itself; here each is worked out once per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import CompoundSelect, Integer, String, literal_column, select, union_all

from complaints.accounts.models import Division, User
from complaints.accounts.permissions import Viewer
from complaints.core import clock
from complaints.core.i18n import datetime_formatter, day_formatter
from complaints.core.labels import label_table
from complaints.extensions import db
from complaints.tickets import queries, service
from complaints.tickets.models import (
    OPEN_STATUSES,
    Complaint,
    ComplaintType,
    Confidentiality,
    Service,
)

# Only what the page shows (and what the identity rule needs): no body, no identity fields
# beyond the name.
COLUMNS = (
    Complaint.id, Complaint.number, Complaint.received_at, Complaint.status,
    Complaint.weight, Complaint.channel, Complaint.next_due_at, Complaint.clock_paused,
    Complaint.complainant_name, Complaint.confidentiality, Complaint.summary,
    Complaint.holder_id, Complaint.division_id,
)


@dataclass(slots=True)
class QueueRow:
    """One line of the queue, every value already in the reader's language."""

    id: int
    link: str
    number: str
    date: str
    status: str
    status_label: str
    weight: str
    weight_label: str
    channel_label: str
    paused: bool  # the clock is paused (open complaints only)
    due: str  # the next due time, '' when none or closed
    due_state: str | None  # "overdue", "due_soon" or None, as presenters.due_state
    who: str
    summary: str
    identity_shown: bool  # a confidential identity shown unmasked (audited)


@dataclass
class QueuePage:
    """One page of the queue: its rows and the id to continue after (None: last page)."""

    rows: list[QueueRow]
    next_after: int | None


def load_page(flt: queries.QueueFilter, user: User, size: int) -> QueuePage:
    """Return one page of the queue as the user may see it."""
    query = queries.queue_query(flt, user).with_only_columns(*COLUMNS).limit(size + 1)
    # Plain rows through the session's connection (and transaction): no ORM objects.
    found = db.session.connection().execute(query).all()
    more = len(found) > size
    rows = _present(found[:size], Viewer.of(user))
    return QueuePage(rows, rows[-1].id if more else None)


def _present(found, viewer: Viewer) -> list[QueueRow]:
    """Return the rows ready to print, every per-page lookup done once."""
    link = url_for("tickets.detail", complaint_id=0)[:-1]  # ".../complaints/" + id
    day, moment = day_formatter(), datetime_formatter("short")
    statuses, weights, channels = (label_table(g) for g in ("status", "weight", "channel"))
    no_name, mask, biasa = _("(no name)"), service.MASK, Confidentiality.BIASA
    due_state = _DueState()
    rows = []
    for (id_, number, received_at, status, weight, channel, next_due_at, clock_paused,
         name, confidentiality, summary, holder_id, division_id) in found:
        confidential = confidentiality != biasa
        shown = viewer.may_see_identity(holder_id, division_id, confidential)
        is_open = status in OPEN_STATUSES
        weight = weight or ""  # enum members are str: they print and look up as values
        channel = channel or ""
        rows.append(QueueRow(
            id_, f"{link}{id_}", number, day(received_at), status,
            statuses.get(status, status), weight, weights.get(weight, weight),
            channels.get(channel, channel), bool(clock_paused and is_open),
            moment(next_due_at) if is_open else "",
            due_state(next_due_at) if is_open else None,
            ((name or "") if shown else mask) or no_name, summary, shown and confidential,
        ))
    return rows


class _DueState:
    """presenters.due_state for many rows: now and the due-soon horizon taken once."""

    def __init__(self) -> None:
        self.now = clock.now()
        self.horizon: datetime | None = None

    def __call__(self, due) -> str | None:
        if due is None:
            return None
        if due <= self.now:
            return "overdue"
        if self.horizon is None:
            from complaints.workflow.deadline_service import due_soon_horizon

            self.horizon = due_soon_horizon(self.now)
        return "due_soon" if due <= self.horizon else None


def audit(user: User, page: QueuePage) -> None:
    """Record the confidential identities the page showed (after rendering, as elsewhere)."""
    service.record_identity_view(user, [r.id for r in page.rows if r.identity_shown], "queue")


def filter_choices(locale: str) -> dict[str, list[tuple[int, str]]]:
    """Return the active types, services and divisions for the filters, in one statement.

    The same lists and order as intake.catalog's type/service/division_choices.
    """
    zero, empty = literal_column("0", Integer), literal_column("''", String)
    type_name = ComplaintType.name_en if locale == "en" else ComplaintType.name_id
    query: CompoundSelect = union_all(
        select(literal_column("0", Integer).label("kind"), ComplaintType.sort.label("sort"),
               empty.label("sort_name"), ComplaintType.id.label("id"), type_name.label("name"))
        .where(ComplaintType.active.is_(True)),
        select(literal_column("1", Integer), Service.sort, empty, Service.id, Service.name)
        .where(Service.active.is_(True)),
        select(literal_column("2", Integer), zero, Division.name, Division.id, Division.name)
        .where(Division.active.is_(True)),
    ).order_by("kind", "sort", "sort_name", "id")
    lists: dict[str, list[tuple[int, str]]] = {"type": [], "service": [], "division": []}
    names = ("type", "service", "division")
    for kind, _sort, _sort_name, id_, name in db.session.execute(query):
        lists[names[int(kind)]].append((id_, name))
    return lists
