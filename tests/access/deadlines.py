"""Expected answers per role for the deadlines pages (calendar admin, delays)."""

LOGIN = "login"  # the value of tests.access.LOGIN: a 302 to the login page
ROLES_403 = {"loket": 403, "registrar": 403, "handler": 403, "kabid": 403, "sekretaris": 403,
             "kadis": 403}

ROUTES = [
    ("deadlines.calendar", "GET", "/admin/calendar",
     {"anonymous": LOGIN, **ROLES_403, "admin": 200}),
    # An empty form is shown again with its errors.
    ("deadlines.calendar", "POST", "/admin/calendar",
     {"anonymous": LOGIN, **ROLES_403, "admin": 200}),
    # No such day off: 404 for the admin; a real one answers 302.
    ("deadlines.calendar_delete", "POST", "/admin/calendar/999999/delete",
     {"anonymous": LOGIN, **ROLES_403, "admin": 404}),
    ("deadlines.delays_page", "GET", "/staff/delays",
     {"anonymous": LOGIN, "loket": 403, "registrar": 403, "handler": 403, "kabid": 403,
      "sekretaris": 200, "kadis": 200, "admin": 403}),
]
