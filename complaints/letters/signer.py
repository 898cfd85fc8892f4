"""Who signs a reply letter, by the complaint's weight."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from complaints.accounts.models import Assignment, Position, User
from complaints.core import clock
from complaints.extensions import db
from complaints.tickets.models import Complaint, Weight

BLANK_NAME = "...................................."


@dataclass(frozen=True)
class Signer:
    """The signature block: the official's name, NIP, title and whether acting (Plt.)."""

    user_id: int | None
    name: str
    nip: str | None
    title: str
    acting: bool


def signer_positions(weight: Weight | None, ringan_signer: str) -> list[Position]:
    """Return the positions to try, in order (pure).

    ringan (and not yet weighed): the Kepala Bidang concerned, falling back to the
    Sekretaris (or the Sekretaris alone when so configured); sedang and berat are decided
    by the Kepala Dinas (seeds items d and e), who signs.
    """
    if weight in (Weight.SEDANG, Weight.BERAT):
        return [Position.KADIS]
    if ringan_signer == "sekretaris":
        return [Position.SEKRETARIS]
    return [Position.KABID, Position.SEKRETARIS]


def title_of(position: Position, division_name: str | None, office_name: str) -> str:
    """Return the official's title as printed above the signature."""
    if position == Position.KADIS:
        return f"Kepala {office_name}"
    if position == Position.KABID:
        return f"Kepala Bidang {division_name}" if division_name else "Kepala Bidang"
    return "Sekretaris"


def _holder(position: Position, division_id: int | None) -> Assignment | None:
    query = select(Assignment).join(User).where(Assignment.position == position,
                                                User.active.is_(True))
    if position == Position.KABID:
        if division_id is None:
            return None
        query = query.where(Assignment.division_id == division_id)
    today = clock.now().date()
    current = [a for a in db.session.scalars(query.order_by(Assignment.id)) if a.is_current(today)]
    # The definitive holder signs; a Plt. only when there is none.
    current.sort(key=lambda a: a.acting)
    return current[0] if current else None


def choose_signer(complaint: Complaint) -> Signer:
    """Return the signature block for the complaint (blank name when nobody holds it)."""
    cfg = current_app.config
    positions = signer_positions(complaint.weight, cfg["LETTER_RINGAN_SIGNER"])
    for position in positions:
        found = _holder(position, complaint.division_id)
        if found is not None:
            division = found.division.name if found.division else None
            return Signer(found.user.id, found.user.full_name, found.user.nip,
                          title_of(position, division, cfg["OFFICE_NAME"]), found.acting)
    division = complaint.division.name if complaint.division else None
    return Signer(None, BLANK_NAME, None, title_of(positions[0], division, cfg["OFFICE_NAME"]),
                  False)
