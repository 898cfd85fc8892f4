"""Access matrix: staff intake is for the counter (loket) and the registrar."""

from tests.access import LOGIN
from tests.access.core import same


def intake(code):
    """Return LOGIN for anonymous users, the code for loket and registrar, else 403."""
    return {**same(403), "anonymous": LOGIN, "loket": code, "registrar": code}


ROUTES = [
    ("intake.choose", "GET", "/staff/intake/", intake(200)),
    ("intake.new", "GET", "/staff/intake/surat", intake(200)),
    ("intake.new", "GET", "/staff/intake/langsung", intake(200)),
    ("intake.new", "POST", "/staff/intake/telepon", intake(200)),  # form with errors
    ("intake.new", "GET", "/staff/intake/email", intake(404)),  # not a staff channel
    ("intake.receipt", "GET", "/staff/intake/receipt/{complaint_id}", intake(200)),
    ("intake.new_code", "POST", "/staff/intake/receipt/{complaint_id}/new-code", intake(302)),
]
