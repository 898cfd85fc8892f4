"""Access matrix of reply letters.

Needs one placeholder beyond the harness's list: {letter_id}, a reply letter on the
{complaint_id} complaint (create it with complaints.letters.service.create_letter).
Handlers and kabid may write letters only on complaints of their division or held by
them; the harness's complaint is outside it (403). Admin has no QUEUE (403).
"""

ROUTES = [
    ("letters.new", "GET", "/staff/complaints/{complaint_id}/letters/new",
     {"anonymous": 302, "loket": 200, "registrar": 200, "handler": 403, "kabid": 403,
      "sekretaris": 200, "kadis": 200, "admin": 403}),
    # An empty POST re-shows the form with its errors (200).
    ("letters.new", "POST", "/staff/complaints/{complaint_id}/letters/new",
     {"anonymous": 302, "loket": 200, "registrar": 200, "handler": 403, "kabid": 403,
      "sekretaris": 200, "kadis": 200, "admin": 403}),
    ("letters.dispatch", "POST", "/staff/letters/{letter_id}/dispatch",
     {"anonymous": 302, "loket": 302, "registrar": 302, "handler": 403, "kabid": 403,
      "sekretaris": 302, "kadis": 302, "admin": 403}),
]
