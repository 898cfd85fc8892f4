"""Access matrix of the workflow: actions on a complaint, the triage page, admin tables.

The world's {complaint_id} is a received complaint of perizinan, the division of the handler
and the kabid; {other_complaint_id} (provided by tests/access/tickets.py) belongs to the
Sekretariat, which they may not open. POSTs are sent empty: an incomplete form changes
nothing and goes back to the complaint (302) for everyone who may open it; the transition
table then decides what each position may really do (tests/workflow).
"""

from tests.access import LOGIN


def _roles(loket, registrar, handler, kabid, sekretaris, kadis, admin):
    return {"anonymous": LOGIN, "loket": loket, "registrar": registrar, "handler": handler,
            "kabid": kabid, "sekretaris": sekretaris, "kadis": kadis, "admin": admin}


ACTION = _roles(302, 302, 302, 302, 302, 302, 403)
ACTION_OTHER_DIVISION = _roles(302, 302, 403, 403, 302, 302, 403)
TRIAGE = _roles(403, 200, 403, 403, 403, 403, 403)
ADMIN = _roles(403, 403, 403, 403, 403, 403, 200)

ACTIONS = [
    ("register", "register"), ("reclassify", "reclassify"), ("start", "start"),
    ("coordinate", "coordinate"), ("coordination", "coordination"), ("reply", "reply"),
    ("request_info", "request-info"), ("resume", "resume"), ("proof", "proof"),
    ("answer", "answer"), ("close", "close"), ("reject", "reject"), ("forward", "forward"),
    ("reopen", "reopen"), ("link", "link"), ("merge", "merge"),
]

ROUTES = [
    (f"workflow.{endpoint}", "POST", f"/staff/complaints/{{complaint_id}}/{path}", ACTION)
    for endpoint, path in ACTIONS
] + [
    ("workflow.register", "POST", "/staff/complaints/{other_complaint_id}/register",
     ACTION_OTHER_DIVISION),
    ("workflow.reply", "POST", "/staff/complaints/{other_complaint_id}/reply",
     ACTION_OTHER_DIVISION),
    ("workflow.triage", "GET", "/staff/complaints/{complaint_id}/triage", TRIAGE),
    # An empty triage form is shown again with its errors.
    ("workflow.triage", "POST", "/staff/complaints/{complaint_id}/triage", TRIAGE),
    ("workflow.triage", "GET", "/staff/complaints/999999/triage",
     _roles(403, 404, 403, 403, 403, 403, 403)),
    ("workflow_admin.canned_replies", "GET", "/admin/canned-replies", ADMIN),
    ("workflow_admin.canned_replies", "GET", "/admin/canned-replies?edit=1", ADMIN),
    ("workflow_admin.canned_replies", "POST", "/admin/canned-replies", ADMIN),
    ("workflow_admin.keyword_rules", "GET", "/admin/keyword-rules", ADMIN),
    ("workflow_admin.keyword_rules", "POST", "/admin/keyword-rules", ADMIN),
]
