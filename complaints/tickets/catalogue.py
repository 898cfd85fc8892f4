"""Rules and transactions of the catalogues: complaint types (jenis) and services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from complaints.accounts.models import User
from complaints.accounts.service import add_audit
from complaints.core.db import transactional
from complaints.extensions import db
from complaints.tickets.models import ComplaintType, Service


class CatalogueError(ValueError):
    """A catalogue change was refused; the message is shown next to the field."""


def all_types() -> list[ComplaintType]:
    """Return every complaint type, active or not, in display order."""
    return list(db.session.scalars(select(ComplaintType).order_by(ComplaintType.sort,
                                                                 ComplaintType.id)))


def all_services() -> list[Service]:
    """Return every service, active or not, in display order."""
    return list(db.session.scalars(select(Service).order_by(Service.sort, Service.id)))


@transactional
def save_type(type_id: int | None, *, code: str, name_id: str, name_en: str, active: bool,
              sort: int, actor: User) -> ComplaintType:
    """Create a complaint type (type_id None) or change one; codes are unique."""
    code = code.strip().lower()
    clash = db.session.scalar(
        select(ComplaintType.id).where(func.lower(ComplaintType.code) == code)
    )
    if clash is not None and clash != type_id:
        raise CatalogueError(_l("This code is already used."))
    found = db.session.get(ComplaintType, type_id) if type_id is not None else None
    if type_id is not None and found is None:
        raise CatalogueError(_l("Unknown complaint type."))
    item = found or ComplaintType(code=code)
    item.code = code
    db.session.add(item)
    item.name_id, item.name_en = name_id.strip(), name_en.strip()
    item.active, item.sort = active, sort
    db.session.flush()
    add_audit("type_saved", db.session.get(User, actor.id), object_type="complaint_type",
              object_id=item.id)
    return item


SERVICE_FIELDS = ("name", "requirements", "procedure", "duration", "cost", "product",
                  "legal_basis")


@transactional
def save_service(service_id: int | None, *, code: str, division_id: int | None, active: bool,
                 sort: int, actor: User, **fields: str | None) -> Service:
    """Create a service (service_id None) or change its published standard."""
    code = code.strip().lower()
    clash = db.session.scalar(select(Service.id).where(func.lower(Service.code) == code))
    if clash is not None and clash != service_id:
        raise CatalogueError(_l("This code is already used."))
    found = db.session.get(Service, service_id) if service_id is not None else None
    if service_id is not None and found is None:
        raise CatalogueError(_l("Unknown service."))
    item = found or Service(code=code)
    item.code = code
    db.session.add(item)
    for name in SERVICE_FIELDS:
        value = (fields.get(name) or "").strip()
        setattr(item, name, value or None)
    if not item.name:
        raise CatalogueError(_l("A name is required."))
    item.division_id, item.active, item.sort = division_id, active, sort
    db.session.flush()
    add_audit("service_saved", db.session.get(User, actor.id), object_type="service",
              object_id=item.id)
    return item
