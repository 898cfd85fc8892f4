"""Admin-editable workflow tables: canned replies and keyword rules, with their defaults."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _
from sqlalchemy import func, select

from complaints.accounts.models import User
from complaints.accounts.service import add_audit
from complaints.core.db import transactional
from complaints.extensions import db
from complaints.tickets.models import ComplaintType, Weight
from complaints.workflow import rules
from complaints.workflow.models import CannedReply, KeywordRule
from complaints.workflow.service import WorkflowError

DEFAULT_CANNED_REPLIES = [
    ("Diterima dan sedang ditangani",
     "Yth. {name},\n\nPengaduan Anda nomor {number} telah kami terima dan sedang ditangani. "
     "Kami akan menyampaikan tindak lanjutnya sesuai standar pelayanan.\n\n{office}"),
    ("Permintaan kelengkapan data",
     "Yth. {name},\n\nUntuk menindaklanjuti pengaduan nomor {number} tentang {service}, "
     "mohon lengkapi data berikut: ...\n\nInformasi: {phone}\n{office}"),
    ("Jawaban persyaratan layanan",
     "Yth. {name},\n\nPersyaratan {service} dapat dilihat pada standar pelayanan kami. "
     "Terima kasih atas pengaduan nomor {number}.\n\n{office}"),
]


@dataclass
class CannedInput:
    """A canned reply as typed by the admin."""

    title: str | None
    body: str | None
    active: bool = True
    sort: int = 0


@transactional
def save_canned(actor: User, data: CannedInput, reply_id: int | None = None) -> CannedReply:
    """Create or update a canned reply."""
    title = (data.title or "").strip()
    body = (data.body or "").strip()
    if not title or not body:
        raise WorkflowError(_("A canned reply needs a title and a text."))
    row = db.session.get(CannedReply, reply_id) if reply_id else CannedReply()
    if row is None:
        raise WorkflowError(_("Unknown canned reply."))
    clash = db.session.scalar(select(CannedReply.id).where(
        func.lower(CannedReply.title) == title.lower()))
    if clash is not None and clash != row.id:
        raise WorkflowError(_("Another canned reply has this title."))
    row.title, row.body, row.active, row.sort = title[:120], body, data.active, data.sort
    db.session.add(row)
    db.session.flush()
    add_audit("canned_reply_saved", actor, object_type="canned_reply", object_id=row.id)
    return row


def canned_replies(active_only: bool = True) -> list[CannedReply]:
    """Return the canned replies in their order."""
    query = select(CannedReply).order_by(CannedReply.sort, CannedReply.title)
    if active_only:
        query = query.where(CannedReply.active.is_(True))
    return list(db.session.scalars(query))


@dataclass
class KeywordInput:
    """A keyword rule as typed by the admin."""

    keyword: str | None
    weight: Weight | None
    type_code: str | None
    reason: str | None
    active: bool = True


@transactional
def save_keyword(actor: User, data: KeywordInput, rule_id: int | None = None) -> KeywordRule:
    """Create or update a keyword rule."""
    keyword = " ".join((data.keyword or "").lower().split())
    reason = (data.reason or "").strip()
    if not keyword or not reason:
        raise WorkflowError(_("A keyword rule needs a keyword and a reason."))
    if data.weight is None and not data.type_code:
        raise WorkflowError(_("A keyword rule suggests a weight, a type or both."))
    if data.type_code and db.session.scalar(
            select(ComplaintType.id).where(ComplaintType.code == data.type_code)) is None:
        raise WorkflowError(_("Unknown complaint type."))
    row = db.session.get(KeywordRule, rule_id) if rule_id else KeywordRule()
    if row is None:
        raise WorkflowError(_("Unknown keyword rule."))
    clash = db.session.scalar(select(KeywordRule.id).where(KeywordRule.keyword == keyword))
    if clash is not None and clash != row.id:
        raise WorkflowError(_("This keyword already has a rule."))
    row.keyword, row.weight, row.type_code = keyword[:100], data.weight, data.type_code or None
    row.reason, row.active = reason[:250], data.active
    db.session.add(row)
    db.session.flush()
    add_audit("keyword_rule_saved", actor, object_type="keyword_rule", object_id=row.id)
    return row


def keyword_rules() -> list[KeywordRule]:
    """Return every keyword rule."""
    return list(db.session.scalars(select(KeywordRule).order_by(KeywordRule.keyword)))


@transactional
def seed_defaults() -> None:
    """Create the default keyword rules and canned replies that are missing (idempotent)."""
    known = set(db.session.scalars(select(KeywordRule.keyword)))
    for hint in rules.DEFAULT_KEYWORD_RULES:
        if hint.keyword not in known:
            db.session.add(KeywordRule(keyword=hint.keyword, weight=hint.weight,
                                       type_code=hint.type_code, reason=hint.reason,
                                       active=True))
    titles = set(db.session.scalars(select(CannedReply.title)))
    for sort, (title, body) in enumerate(DEFAULT_CANNED_REPLIES):
        if title not in titles:
            db.session.add(CannedReply(title=title, body=body, active=True, sort=sort))
