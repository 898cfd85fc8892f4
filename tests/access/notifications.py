"""Access matrix of the notifications domain (the Outbox page).

The outbox shows recipients and message bodies: only the registrar, the sekretaris
and the admin see it. POST retry answers 302 (with a flash) even for an unknown id.
"""

STAFF_ONLY = {"anonymous": 302, "loket": 403, "registrar": 200, "handler": 403, "kabid": 403,
              "sekretaris": 200, "kadis": 403, "admin": 200}
STAFF_POST = {**STAFF_ONLY, "registrar": 302, "sekretaris": 302, "admin": 302}

ROUTES = [
    ("notifications.index", "GET", "/staff/outbox/", STAFF_ONLY),
    ("notifications.send_now", "POST", "/staff/outbox/send", STAFF_POST),
    ("notifications.retry", "POST", "/staff/outbox/{message_id}/retry", STAFF_POST),
]


def placeholders(world) -> dict:
    """Put one email in the outbox and return {"message_id": its id}."""
    from complaints.core.db import write_transaction
    from complaints.notifications import outbox

    with write_transaction():
        message = outbox.enqueue("email", "notice", "warga@example.invalid",
                                 idempotency_key="access-matrix", subject="Uji",
                                 body_text="Uji")
    return {"message_id": message.id}
