"""Access matrix: the staff queue, a complaint, its notes, hand-overs and files.

{other_complaint_id}: a complaint of another division that nobody holds (provided below),
which the handler and the kabid of perizinan may not open.
"""

from tests.access import LOGIN
from tests.access.core import same


def staff(code, division=None):
    """LOGIN for anonymous, 403 for the admin; the division roles get `division` if given."""
    expected = {**same(code), "anonymous": LOGIN, "admin": 403}
    if division is not None:
        expected.update(handler=division, kabid=division)
    return expected


def placeholders(world):
    """Create a complaint in the Sekretariat division."""
    from complaints.accounts.models import Division
    from complaints.extensions import db
    from complaints.intake.service import IntakeRecord, create_complaint
    from complaints.tickets.models import Channel

    division = db.session.scalar(db.select(Division).where(Division.code == "sekretariat"))
    result = create_complaint(IntakeRecord(channel=Channel.SURAT, body="Lain bidang",
                                           division_id=division.id))
    return {"other_complaint_id": result.complaint.id}


ROUTES = [
    ("tickets.queue", "GET", "/staff/queue", staff(200)),
    ("tickets.queue", "GET", "/staff/queue?view=mine&sort=oldest", staff(200)),
    ("tickets.queue", "GET", "/staff/queue?order_by=password_hash", staff(400)),
    ("tickets.detail", "GET", "/staff/complaints/{complaint_id}", staff(200)),
    ("tickets.detail", "GET", "/staff/complaints/{other_complaint_id}", staff(200, 403)),
    ("tickets.detail", "GET", "/staff/complaints/999999", staff(404)),
    ("tickets.handover", "POST", "/staff/complaints/{complaint_id}/handover", staff(302)),
    ("tickets.handover", "POST", "/staff/complaints/{other_complaint_id}/handover",
     staff(302, 403)),
    ("tickets.note", "POST", "/staff/complaints/{complaint_id}/notes", staff(302)),
    ("tickets.note", "POST", "/staff/complaints/{other_complaint_id}/notes", staff(302, 403)),
    ("tickets.attachment", "GET", "/staff/attachments/{attachment_id}", staff(200)),
]
