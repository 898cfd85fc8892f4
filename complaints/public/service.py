"""The citizen's side: submit through the one intake, look up by number + code, reply, rate."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from complaints.core import clock
from complaints.core.db import transactional, write_transaction
from complaints.extensions import db
from complaints.intake.service import IntakeRecord, create_complaint
from complaints.public import quota as submission_quota
from complaints.public.models import Rating
from complaints.tickets import attachments
from complaints.tickets.codes import check_access_code, hash_access_code
from complaints.tickets.models import Channel, Complaint, Service, Status
from complaints.tickets.service import record_event
from complaints.workflow import closing
from complaints.workflow.handling import resume_clock_if_paused
from complaints.workflow.service import WorkflowError

# Checked when the number is unknown, so that a wrong number costs the same as a wrong code.
_DUMMY_HASH = hash_access_code("0000-0000-0000")
RATABLE = (Status.ANSWERED, Status.CLOSED)
MESSAGE_CLOSED = (Status.CLOSED, Status.REJECTED, Status.FORWARDED)
DEADLINE_DEFAULTS = {
    "DEADLINE_FIRST_RESPONSE_DAYS": 3,
    "DEADLINE_RINGAN_DAYS": 3,
    "DEADLINE_SEDANG_DAYS": 7,
    "DEADLINE_BERAT_DAYS": 15,
}


class PublicError(ValueError):
    """The action is not possible now; the message is shown to the person."""


def handling_deadlines() -> dict[str, int]:
    """Return the handling targets in working days (first response, ringan, sedang, berat)."""
    return {
        key.removeprefix("DEADLINE_").removesuffix("_DAYS").lower(): int(
            current_app.config.get(key, default)
        )
        for key, default in DEADLINE_DEFAULTS.items()
    }


def published_services() -> list[Service]:
    """Return the active services with their published standards, in catalogue order."""
    return list(
        db.session.scalars(
            select(Service).where(Service.active.is_(True)).order_by(Service.sort, Service.id)
        )
    )


def service_by_code(code: str) -> Service | None:
    """Return an active service by its code."""
    return db.session.scalar(select(Service).where(Service.code == code, Service.active.is_(True)))


@dataclass(frozen=True)
class Submission:
    """What the receipt and the tracking session need of a complaint just filed."""

    complaint_id: int
    access_code: str
    fingerprint: str


def submit(record: IntakeRecord, language: str | None = None,
           quota: tuple[submission_quota.Counter, ...] = ()) -> Submission:
    """File a complaint from the website; the receipt goes to the contact given (same commit).

    The submission is counted against its quota in the same transaction (QuotaExceeded
    rolls it back). The answer is made of values read before the commit, so the page needs
    no reload.
    """
    record.channel = Channel.WEB
    record.acknowledge = True
    record.language = language or record.language
    with write_transaction():  # the intake's own transaction joins this one
        submission_quota.hit(quota)
        result = create_complaint(record)  # no source_key: always a new complaint with a code
    return Submission(result.complaint_id, result.access_code or "",
                      fingerprint_of(result.access_code_hash))


def normalize_number(number: str) -> str:
    """Return the register number as stored: trimmed, upper case, no inner spaces."""
    return "".join((number or "").split()).upper()


def lookup(number: str, code: str) -> Complaint | None:
    """Return the complaint when number and code match; the same work and None otherwise."""
    complaint = db.session.scalar(
        select(Complaint).where(Complaint.number == normalize_number(number))
    )
    stored = complaint.access_code_hash if complaint is not None else _DUMMY_HASH
    matches = check_access_code(stored, code)
    return complaint if (complaint is not None and matches) else None


def fingerprint(complaint: Complaint) -> str:
    """Return a value that changes when the access code is reset (ends a tracking session).

    Keyed with the secret key, so the session cookie reveals nothing of the stored hash.
    """
    return fingerprint_of(complaint.access_code_hash)


def fingerprint_of(access_code_hash: str) -> str:
    """Return the fingerprint of a stored access code hash (see fingerprint)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, access_code_hash.encode(), hashlib.sha256).hexdigest()[:32]


@transactional
def add_message(complaint_id: int, text: str, uploads: list[attachments.Upload]) -> None:
    """Add the complainant's information or answer to the kartu kendali, with files."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise PublicError("unknown complaint")
    if complaint.status in MESSAGE_CLOSED:
        raise PublicError("closed")
    record_event(complaint, "complainant_message", None, note=text.strip(), public=True)
    # The answer to an information request restarts a paused clock.
    resume_clock_if_paused(complaint, None, note=Channel.WEB.value)
    for upload in uploads:
        attachments.store(complaint, upload, None, public=True)
        record_event(complaint, "attachment", None, note=upload.filename, public=True)


def can_reopen(complaint: Complaint) -> bool:
    """Return whether the complainant may reopen the complaint now (within the window)."""
    return closing.complainant_may_reopen(complaint)


def reopen(complaint_id: int, text: str) -> Complaint:
    """Reopen an answered or closed complaint at the complainant's request."""
    try:
        return closing.reopen_by_complainant(complaint_id, text)
    except WorkflowError as exc:
        raise PublicError(str(exc)) from exc


def can_rate(complaint: Complaint) -> bool:
    """Return whether the complaint is answered or closed, so it can be rated."""
    return complaint.status in RATABLE


def rating_of(complaint_id: int) -> Rating | None:
    """Return the complaint's rating, if any."""
    return db.session.scalar(select(Rating).where(Rating.complaint_id == complaint_id))


def rating_editable(rating: Rating | None, now: datetime | None = None) -> bool:
    """Return whether a rating may still be given or changed (within the change window)."""
    if rating is None:
        return True
    days = current_app.config.get("PUBLIC_RATING_CHANGE_DAYS", 7)
    return (now or clock.now()) - rating.created_at <= timedelta(days=days)


@transactional
def rate(complaint_id: int, score: int, comment: str | None) -> Rating:
    """Record or change the complainant's rating (1–4) of an answered or closed complaint."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or not can_rate(complaint):
        raise PublicError("not ratable")
    if score not in (1, 2, 3, 4):
        raise PublicError("score out of range")
    rating = rating_of(complaint_id)
    if not rating_editable(rating):
        raise PublicError("rating window over")
    now = clock.now()
    if rating is None:
        rating = Rating(complaint_id=complaint_id, created_at=now)
        db.session.add(rating)
    rating.score = score
    rating.comment = (comment or "").strip() or None
    rating.status_at_rating = complaint.status.value
    rating.updated_at = now
    return rating


@dataclass
class PublicEvent:
    """A line of the public timeline."""

    at: datetime
    kind: str  # created, status, reply, info_request, complainant_message, attachment
    value: str | None
    note: str | None


PUBLIC_KINDS = ("created", "reply", "info_request", "complainant_message", "attachment")
# Status changes shown to the complainant; "triaged" is internal bookkeeping.
PUBLIC_STATUSES = {s.value for s in Status} - {Status.TRIAGED.value}


def public_timeline(complaint: Complaint) -> list[PublicEvent]:
    """Return what the complainant may see of the kartu kendali: no officers, no notes."""
    lines = []
    for event in complaint.events:
        if event.kind == "status" and event.to_value in PUBLIC_STATUSES:
            lines.append(PublicEvent(event.at, "status", event.to_value, None))
        elif event.public and event.kind in PUBLIC_KINDS:
            note = event.note if event.kind != "created" else None
            lines.append(PublicEvent(event.at, event.kind, None, note))
    return lines


@dataclass
class RatingSummary:
    """Ratings given in a period, for the reports (SKM scale 1–4)."""

    count: int
    mean: float | None
    by_score: dict[int, int]


def rating_summary(start: datetime, end: datetime) -> RatingSummary:
    """Return the ratings first given in [start, end): how many, their mean, per score."""
    scores = list(
        db.session.scalars(
            select(Rating.score).where(Rating.created_at >= start, Rating.created_at < end)
        )
    )
    by_score = {score: scores.count(score) for score in (1, 2, 3, 4)}
    mean = round(sum(scores) / len(scores), 2) if scores else None
    return RatingSummary(len(scores), mean, by_score)
