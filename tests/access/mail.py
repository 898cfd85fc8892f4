"""Access matrix of the mail domain (the email quarantine).

Placeholder {inbound_id}: the id of a quarantined incoming email. The harness gets it
from placeholders(world) below, which quarantines one message (a bounce).
"""

STAFF_ONLY = {"anonymous": 302, "loket": 403, "registrar": 200, "handler": 403, "kabid": 403,
              "sekretaris": 200, "kadis": 403, "admin": 200}
STAFF_POST = {**STAFF_ONLY, "registrar": 302, "sekretaris": 302, "admin": 302}

ROUTES = [
    ("mail.quarantine", "GET", "/staff/mail/quarantine", STAFF_ONLY),
    ("mail.detail", "GET", "/staff/mail/quarantine/{inbound_id}", STAFF_ONLY),
    ("mail.raw", "GET", "/staff/mail/quarantine/{inbound_id}/raw", STAFF_ONLY),
    ("mail.retry", "POST", "/staff/mail/quarantine/{inbound_id}/retry", STAFF_POST),
    ("mail.ticket", "POST", "/staff/mail/quarantine/{inbound_id}/ticket", STAFF_POST),
    ("mail.dismiss", "POST", "/staff/mail/quarantine/{inbound_id}/dismiss", STAFF_POST),
]


def placeholders(world) -> dict:
    """Quarantine one email (a bounce) and return {"inbound_id": its id}."""
    import uuid

    from complaints.mail.ingest import ingest
    from tests.support.mailfixtures import eml

    raw = eml("12").replace(b"<bounce-012@", f"<bounce-{uuid.uuid4().hex}@".encode())
    return {"inbound_id": ingest(raw).inbound_id}
