"""Access matrix of the workflow routes (read by the access-matrix harness).

Assumes {complaint_id} is a freshly received complaint (no division, no holder), as the
intake creates it: handler and kabid of a division cannot open it (403). Action POSTs
without a valid form change nothing and redirect back to the complaint (302) for every
officer who may open it; the rules then refuse what their position may not do.
"""

ANON = 302  # redirected to the login page

_ACTION = {"anonymous": ANON, "loket": 302, "registrar": 302, "handler": 403, "kabid": 403,
           "sekretaris": 302, "kadis": 302, "admin": 403}
_TRIAGE_GET = {"anonymous": ANON, "loket": 403, "registrar": 200, "handler": 403,
               "kabid": 403, "sekretaris": 403, "kadis": 403, "admin": 403}
_ADMIN = {"anonymous": ANON, "loket": 403, "registrar": 403, "handler": 403, "kabid": 403,
          "sekretaris": 403, "kadis": 403, "admin": 200}

_ACTIONS = [
    ("register", "register"), ("reclassify", "reclassify"), ("start", "start"),
    ("coordinate", "coordinate"), ("coordination", "coordination"), ("reply", "reply"),
    ("request_info", "request-info"), ("resume", "resume"), ("proof", "proof"),
    ("answer", "answer"), ("close", "close"), ("reject", "reject"), ("forward", "forward"),
    ("reopen", "reopen"), ("link", "link"), ("merge", "merge"),
]

ROUTES = [
    (f"workflow.{endpoint}", "POST", f"/staff/complaints/{{complaint_id}}/{path}", _ACTION)
    for endpoint, path in _ACTIONS
] + [
    ("workflow.triage", "GET", "/staff/complaints/{complaint_id}/triage", _TRIAGE_GET),
    # An empty triage form is shown again with its errors.
    ("workflow.triage", "POST", "/staff/complaints/{complaint_id}/triage", _TRIAGE_GET),
    ("workflow_admin.canned_replies", "GET", "/admin/canned-replies", _ADMIN),
    ("workflow_admin.canned_replies", "POST", "/admin/canned-replies", _ADMIN),
    ("workflow_admin.keyword_rules", "GET", "/admin/keyword-rules", _ADMIN),
    ("workflow_admin.keyword_rules", "POST", "/admin/keyword-rules", _ADMIN),
]
