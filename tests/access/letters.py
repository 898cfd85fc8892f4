"""Access matrix of reply letters.

Needs one placeholder beyond the harness's list: {letter_id}, a reply letter on the
{complaint_id} complaint (create it with complaints.letters.service.create_letter).
Handlers and kabid may write letters only on complaints of their division or held by
them; the harness's complaint is in their division. Admin has no QUEUE (403).
"""

ROUTES = [
    ("letters.new", "GET", "/staff/complaints/{complaint_id}/letters/new",
     {"anonymous": 302, "loket": 200, "registrar": 200, "handler": 200, "kabid": 200,
      "sekretaris": 200, "kadis": 200, "admin": 403}),
    # An empty POST re-shows the form with its errors (200).
    ("letters.new", "POST", "/staff/complaints/{complaint_id}/letters/new",
     {"anonymous": 302, "loket": 200, "registrar": 200, "handler": 200, "kabid": 200,
      "sekretaris": 200, "kadis": 200, "admin": 403}),
    ("letters.dispatch", "POST", "/staff/letters/{letter_id}/dispatch",
     {"anonymous": 302, "loket": 302, "registrar": 302, "handler": 302, "kabid": 302,
      "sekretaris": 302, "kadis": 302, "admin": 403}),
]


def placeholders(world) -> dict:
    """Write one reply letter on the world's complaint and return {"letter_id": its id}."""
    from complaints.accounts.models import User
    from complaints.extensions import db
    from complaints.letters.service import create_letter, default_draft
    from complaints.tickets.models import Complaint

    complaint = db.session.get(Complaint, world.ids["complaint_id"])
    registrar = db.session.get(User, world.users["registrar"])
    draft = default_draft(complaint)
    draft.body = "Pengaduan Saudara telah kami tindak lanjuti."
    letter = create_letter(complaint.id, draft, registrar)
    return {"letter_id": letter.id}
