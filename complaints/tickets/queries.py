"""Read-side queries: the staff queue with filters, search and keyset pagination."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, false, or_, select

from complaints.accounts.models import User
from complaints.accounts.permissions import Perm, divisions_of, perms_of
from complaints.core import clock
from complaints.tickets.models import (
    Channel,
    Complaint,
    Confidentiality,
    Status,
    Weight,
)

QUEUE_VIEWS = ("mine", "division", "untriaged", "open", "due_soon", "overdue", "all")
TIMED_VIEWS = ("due_soon", "overdue")  # their statement holds the time it was built at
SORTS = ("newest", "oldest")
FILTER_KEYS = {"view", "status", "channel", "weight", "division", "type", "service", "q",
               "after", "sort"}


class QueryError(ValueError):
    """A filter or sort key or value that is not allowed (answered with 400).

    The reason is a lazy translation, so str() gives it in the language of the request
    that shows it (page or API), not of the code that raised it.
    """


def refuse_unknown_keys(args, allowed) -> None:
    """Raise QueryError naming the query arguments that are not among the allowed keys."""
    unknown = set(args.keys()) - set(allowed)
    if unknown:
        raise QueryError(_l("unknown parameter: %(names)s", names=", ".join(sorted(unknown))))


@dataclass
class QueueFilter:
    view: str = "open"
    status: Status | None = None
    channel: Channel | None = None
    weight: Weight | None = None
    division_id: int | None = None
    type_id: int | None = None
    service_id: int | None = None
    q: str = ""
    sort: str = "newest"
    after: int | None = None
    extra: dict = field(default_factory=dict)


def parse_enum(cls, raw: str | None):
    """Return the enum member for a query value (None when empty), or raise QueryError."""
    if not raw:
        return None
    try:
        return cls(raw)
    except ValueError as exc:
        raise QueryError(_l("unknown value %(value)s", value=repr(raw))) from exc


def _int(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise QueryError(_l("not a number: %(value)s", value=repr(raw)))
    return int(raw)


def parse_filter(args) -> QueueFilter:
    """Return the filter from query arguments, refusing unknown keys and values."""
    refuse_unknown_keys(args, FILTER_KEYS)
    view = args.get("view") or "open"
    sort = args.get("sort") or "newest"
    if view not in QUEUE_VIEWS:
        raise QueryError(_l("unknown view %(value)s", value=repr(view)))
    if sort not in SORTS:
        raise QueryError(_l("unknown sort %(value)s", value=repr(sort)))
    return QueueFilter(
        view=view,
        status=parse_enum(Status, args.get("status")),
        channel=parse_enum(Channel, args.get("channel")),
        weight=parse_enum(Weight, args.get("weight")),
        division_id=_int(args.get("division")),
        type_id=_int(args.get("type")),
        service_id=_int(args.get("service")),
        q=(args.get("q") or "").strip()[:200],
        sort=sort,
        after=_int(args.get("after")),
    )


def visible_to(query: Select, user: User) -> Select:
    """Restrict a complaint query to what the user may open."""
    perms = perms_of(user)
    if Perm.VIEW_ALL in perms:
        return query
    if Perm.VIEW_DIVISION in perms:
        divisions = divisions_of(user)
        return query.where(or_(Complaint.holder_id == user.id,
                               Complaint.division_id.in_(divisions or [-1])))
    return query.where(false())


def search_clause(q: str, may_see_identity: bool):
    """Return the WHERE clause for a free-text search.

    A register number matches exactly; otherwise words must all occur in the summary or
    text, or (for those allowed to see identities) in the name, phone or email.
    """
    text = q.strip()
    if text.upper().count("/") == 2:
        return Complaint.number == text.upper()
    clauses = []
    for word in text.split()[:6]:
        pattern = f"%{_escape_like(word)}%"
        options: list = [Complaint.summary.ilike(pattern, escape="\\"),
                   Complaint.body.ilike(pattern, escape="\\")]
        identity = [Complaint.complainant_name.ilike(pattern, escape="\\"),
                    Complaint.complainant_phone.ilike(pattern, escape="\\"),
                    Complaint.complainant_email.ilike(pattern, escape="\\")]
        if may_see_identity:
            options += identity
        else:
            options.append(and_(Complaint.confidentiality == Confidentiality.BIASA, or_(*identity)))
        clauses.append(or_(*options))
    return and_(*clauses) if clauses else None


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def due_clause(view: str):
    """Return the WHERE clause of the due_soon / overdue views (next_due_at is indexed)."""
    from complaints.tickets.models import OPEN_STATUSES
    from complaints.workflow.deadline_service import due_soon_horizon

    now = clock.now()
    still_open = Complaint.status.in_(OPEN_STATUSES)
    if view == "overdue":
        return and_(still_open, Complaint.next_due_at <= now)
    return and_(still_open, Complaint.next_due_at > now,
                Complaint.next_due_at <= due_soon_horizon(now))


def queue_query(flt: QueueFilter, user: User) -> Select:
    """Return the query of one page of the queue (one row more, to know if there is a next)."""
    query = visible_to(select(Complaint), user)
    if flt.view in TIMED_VIEWS:
        query = query.where(due_clause(flt.view))
    if flt.view == "mine":
        query = query.where(Complaint.holder_id == user.id)
    elif flt.view == "division":
        query = query.where(Complaint.division_id.in_(divisions_of(user) or [-1]))
    elif flt.view == "untriaged":
        query = query.where(Complaint.status.in_([Status.RECEIVED, Status.REGISTERED]))
    elif flt.view == "open":
        from complaints.tickets.models import OPEN_STATUSES

        query = query.where(Complaint.status.in_(OPEN_STATUSES))
    for column, value in (
        (Complaint.status, flt.status), (Complaint.channel, flt.channel),
        (Complaint.weight, flt.weight), (Complaint.division_id, flt.division_id),
        (Complaint.type_id, flt.type_id), (Complaint.service_id, flt.service_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if flt.q:
        clause = search_clause(flt.q, Perm.SEE_IDENTITY in perms_of(user))
        if clause is not None:
            query = query.where(clause)
    if flt.sort == "newest":
        if flt.after is not None:
            query = query.where(Complaint.id < flt.after)
        query = query.order_by(Complaint.id.desc())
    else:
        if flt.after is not None:
            query = query.where(Complaint.id > flt.after)
        query = query.order_by(Complaint.id.asc())
    return query
