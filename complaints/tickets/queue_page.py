"""The staff queue page: one query of the shown columns, each row made ready to print.

The queue is the page staff open most. Loading whole Complaint objects, checking the
viewer's positions per row and resolving labels, dates and links through Flask-Babel and
url_for per row cost several times the query itself; here each is worked out once per page,
and each row's line is kept per app (core.kept), keyed by everything it prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cached_property
from operator import attrgetter

from flask import render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    String,
    literal_column,
    select,
    type_coerce,
    union_all,
)

from complaints.accounts.models import Division, User
from complaints.accounts.permissions import Viewer
from complaints.core import clock
from complaints.core.i18n import datetime_formatter, day_formatter
from complaints.core.kept import kept, kept_each
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


def _stored(column):
    """The column as stored, its value not made an enum member (a third of reading the rows).

    The enums are StrEnums: a member equals, and hashes as, its stored value, so the
    labels, the comparisons below and the kept lines' keys read the same either way.
    """
    return type_coerce(column, String).label(column.key)


# Only what the page shows (and what the identity rule needs): no body, no identity fields
# beyond the name.
COLUMNS = (
    Complaint.id, Complaint.number, Complaint.received_at, _stored(Complaint.status),
    _stored(Complaint.weight), _stored(Complaint.channel), Complaint.next_due_at,
    Complaint.clock_paused, Complaint.complainant_name, _stored(Complaint.confidentiality),
    Complaint.summary, Complaint.holder_id, Complaint.division_id,
)


@dataclass
class QueuePage:
    """One page of the queue, ready to print, and what it showed."""

    html: Markup  # the rows' <li> items
    count: int
    shown_ids: list[int]  # confidential complaints whose identity was shown (audited)
    next_after: int | None  # the id to continue after (None: last page)


def load_page(flt: queries.QueueFilter, user: User, size: int) -> QueuePage:
    """Return one page of the queue as the user may see it."""
    viewer = Viewer.of(user)
    # Plain rows through the session's connection (and transaction): no ORM objects.
    found = db.session.connection().execute(page_statement(flt, user, viewer, size)).all()
    more = len(found) > size
    found = found[:size]
    shown_ids: list[int] = []
    html = _Rows(viewer).render(found, shown_ids)
    return QueuePage(html, len(found), shown_ids, found[-1].id if more else None)


STATEMENTS_EXTENSION = "tickets.queue_statements"
STATEMENTS_MAX = 256  # filters × viewers × pages seen recently


def page_statement(flt: queries.QueueFilter, user: User, viewer: Viewer, size: int) -> Select:
    """Return the statement of one page (size rows and one more), kept per app.

    `viewer` is Viewer.of(user), worked out once by the caller, which needs it for the rows.

    Building the statement again on every page cost more than running it: the clauses, then
    SQLAlchemy's cache key of the new object and its columns matched once more to the
    compiled form it had kept. The same statement object carries its key and its columns.
    The key is all that queue_query reads: the filter and the viewer's id, permissions and
    divisions as of today. The due views read the clock, so they are built every time.
    """
    def build():
        return queries.queue_query(flt, user).with_only_columns(*COLUMNS).limit(size + 1)

    if flt.view in queries.TIMED_VIEWS:
        return build()
    return kept(STATEMENTS_EXTENSION, (viewer, _filter_values(flt), size), build,
                STATEMENTS_MAX)


# Every field of the filter but `extra` (which queue_query does not read), so a field added
# later is in the key without a change here.
_filter_values = attrgetter(*(f.name for f in fields(queries.QueueFilter) if f.name != "extra"))


# One line of the queue. It was a loop in templates/tickets/queue.html calling the badge()
# and due_short() macros; written out here, a page of 50 costs a fraction of that loop.
# Keep it in step with _macros/forms.html badge() and _macros/deadlines.html due_short():
# tests/tickets/test_queue_macros.py fails when they print different HTML.
ROW = """
  <li class="row">
    <a class="number" href="{link}{id}">{number}</a>
    <span class="date">{date}</span>
    {status} {weight}
    {due} {due_badge}
    <span class="channel">{channel}</span>
    <span class="who">{who}</span>
    <span class="summary">{summary}</span>
  </li>
  """
ROWS_EXTENSION = "tickets.queue_rows"
ROWS_MAX = 2048  # lines kept per app: some 40 pages of 50
BADGE = '<span class="badge badge-{group}-{value}">{label}</span>'
DUE = '<span class="due">{text}</span>'


class _Rows:
    """The rows of a page in the reader's language: every lookup done once per page.

    The formatters, labels and texts are worked out only when a line is not kept yet.
    """

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.link = url_for("tickets.detail", complaint_id=0)[:-1]  # ".../complaints/" + id
        self.badges: dict[tuple[str, str], str] = {}
        self.due_state = _DueState()
        self.page_key = (str(get_locale() or "id"), str(get_timezone()), self.link)

    @cached_property
    def day(self) -> Callable[[datetime | None], str]:
        return day_formatter()

    @cached_property
    def moment(self) -> Callable[[datetime | None], str]:
        return datetime_formatter("short")

    @cached_property
    def labels(self) -> dict[str, dict]:
        return {g: label_table(g) for g in ("status", "weight", "channel")}

    @cached_property
    def texts(self) -> dict[str, str]:
        """Return the row's fixed texts in the reader's language."""
        return {"no_name": _("(no name)"), "due": _("Due"),
                "paused": DUE.format(text=escape(_("Clock paused")))}

    @cached_property
    def due_badges(self) -> dict[str | None, str]:
        """Return the badge of each due state (none: no badge)."""
        return {
            None: "",
            "overdue": f'<span class="badge badge-overdue">{escape(_("Overdue"))}</span>',
            "due_soon": f'<span class="badge badge-due-soon">{escape(_("Due soon"))}</span>',
        }

    def badge(self, group: str, value) -> str:
        """Return what badge() of _macros/forms.html prints (worked out once per value)."""
        if not value:
            return ""
        found = self.badges.get((group, value))
        if found is None:
            label = self.labels[group].get(value, value)
            found = self.badges[group, value] = BADGE.format(
                group=group, value=escape(value), label=escape(label))
        return found

    def render(self, found, shown_ids: list[int]) -> Markup:
        """Return the rows as HTML; add to shown_ids the confidential identities shown."""
        keys = []
        for (id_, number, received_at, status, weight, channel, next_due_at, clock_paused,
             name, confidentiality, summary, holder_id, division_id) in found:
            confidential = confidentiality != Confidentiality.BIASA
            shown = self.viewer.may_see_identity(holder_id, division_id, confidential)
            if shown and confidential:
                shown_ids.append(id_)
            due = ((next_due_at, bool(clock_paused), self.due_state(next_due_at))
                   if status in OPEN_STATUSES else None)
            # Everything the line prints (with the page's language, zone and address): a
            # change of any of them is a new line, never a stale one.
            keys.append((self.page_key, id_, number, received_at, status, weight, channel,
                         due, (name or "") if shown else service.MASK, summary))
        lines = kept_each(ROWS_EXTENSION, keys, self._line, ROWS_MAX)
        return Markup("".join(lines))  # noqa: S704 - every value in a line is escaped

    def _line(self, key) -> str:
        """Return one row's <li> from its key (see render)."""
        _page, id_, number, received_at, status, weight, channel, due, who, summary = key
        return ROW.format(
            link=self.link, id=id_, number=escape(number),
            date=escape(self.day(received_at)), status=self.badge("status", status),
            weight=self.badge("weight", weight),
            due=self._due(due[0], due[1]) if due else "",
            due_badge=self.due_badges[due[2] if due else None],
            channel=escape(self.labels["channel"].get(channel, channel) if channel else ""),
            who=escape(who or self.texts["no_name"]), summary=escape(summary),
        )

    def _due(self, next_due_at, clock_paused: bool) -> str:
        """Return what due_short() prints before its badge, for an open complaint."""
        if clock_paused:
            return self.texts["paused"]
        if next_due_at:
            return DUE.format(text=escape(f"{self.texts['due']} {self.moment(next_due_at)}"))
        return ""


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
    service.record_identity_view(user, page.shown_ids, "queue")


def filter_choices(locale: str) -> dict[str, list[tuple[int, str]]]:
    """Return the active types, services and divisions for the filters, in one statement.

    The same lists and order as intake.catalog's type/service/division_choices, read on
    every page (so an edit in any worker shows at once), with a statement built once.
    """
    query = _CHOICES["en" if locale == "en" else "id"]
    lists: dict[str, list[tuple[int, str]]] = {"type": [], "service": [], "division": []}
    names = ("type", "service", "division")
    for kind, _sort, _sort_name, id_, name in db.session.connection().execute(query):
        lists[names[int(kind)]].append((id_, name))
    return lists


FILTERS_EXTENSION = "tickets.queue_filters"
FILTERS_MAX = 64  # languages × filters × catalogue versions seen recently


def filters_html(flt: queries.QueueFilter, choices: dict[str, list[tuple[int, str]]],
                 locale: str) -> Markup:
    """Return the queue's views and filter form (templates/tickets/_queue_filters.html).

    The same for every page with the same language, filter and choices (read from the
    database on every page, so an edit shows at once): rendered once per app and kept.
    """
    shown = (flt.view, flt.status, flt.channel, flt.weight, flt.division_id, flt.type_id,
             flt.service_id, flt.q, flt.sort)  # what the form shows (not `after`, `extra`)
    key = (locale, request.script_root, shown,
           tuple((name, tuple(items)) for name, items in sorted(choices.items())))
    return kept(FILTERS_EXTENSION, key, lambda: Markup(render_template(  # noqa: S704
        "tickets/_queue_filters.html", flt=flt, views=queries.QUEUE_VIEWS, choices=choices)),
        FILTERS_MAX)


def _choices_query(type_name) -> CompoundSelect:
    zero, empty = literal_column("0", Integer), literal_column("''", String)
    return union_all(
        select(literal_column("0", Integer).label("kind"), ComplaintType.sort.label("sort"),
               empty.label("sort_name"), ComplaintType.id.label("id"), type_name.label("name"))
        .where(ComplaintType.active.is_(True)),
        select(literal_column("1", Integer), Service.sort, empty, Service.id, Service.name)
        .where(Service.active.is_(True)),
        select(literal_column("2", Integer), zero, Division.name, Division.id, Division.name)
        .where(Division.active.is_(True)),
    ).order_by("kind", "sort", "sort_name", "id")


_CHOICES = {"en": _choices_query(ComplaintType.name_en),
            "id": _choices_query(ComplaintType.name_id)}
