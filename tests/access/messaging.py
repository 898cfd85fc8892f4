"""Access matrix of the messaging domain: Twilio webhooks and the call log.

The webhooks answer 403 to every role: the harness posts without a Twilio signature,
and no login, CSRF token or session can replace it. Handlers, kabid: no INTAKE, so no
call-log page; on a complaint, the quick form needs the right to open the complaint
(the harness's {complaint_id} is in the handler's and kabid's division). The POSTs redirect
back (302) after logging or after refusing an empty form.
"""

ALL_403 = {"anonymous": 403, "loket": 403, "registrar": 403, "handler": 403, "kabid": 403,
           "sekretaris": 403, "kadis": 403, "admin": 403}

ROUTES = [
    ("twilio.messages", "POST", "/webhooks/twilio/messages", ALL_403),
    ("twilio.delivery_status", "POST", "/webhooks/twilio/status", ALL_403),
    ("messaging.call_log", "GET", "/staff/calls",
     {"anonymous": 302, "loket": 200, "registrar": 200, "handler": 403, "kabid": 403,
      "sekretaris": 403, "kadis": 403, "admin": 403}),
    # An empty POST re-shows the form with its errors (200).
    ("messaging.call_log", "POST", "/staff/calls",
     {"anonymous": 302, "loket": 200, "registrar": 200, "handler": 403, "kabid": 403,
      "sekretaris": 403, "kadis": 403, "admin": 403}),
    ("messaging.complaint_call", "POST", "/staff/complaints/{complaint_id}/calls",
     {"anonymous": 302, "loket": 302, "registrar": 302, "handler": 302, "kabid": 302,
      "sekretaris": 302, "kadis": 302, "admin": 403}),
]
