"""Expected answers per role for the in-app notices (every logged-in user has an inbox)."""

LOGIN = "login"  # the value of tests.access.LOGIN: a 302 to the login page
ALL_STAFF = {"loket", "registrar", "handler", "kabid", "sekretaris", "kadis", "admin"}

ROUTES = [
    ("inbox.index", "GET", "/inbox", {"anonymous": LOGIN, **dict.fromkeys(ALL_STAFF, 200)}),
    # Marking someone else's (or no) notice changes nothing and redirects to the inbox.
    ("inbox.read", "POST", "/inbox/999999/read",
     {"anonymous": LOGIN, **dict.fromkeys(ALL_STAFF, 302)}),
    ("inbox.read_all", "POST", "/inbox/read-all",
     {"anonymous": LOGIN, **dict.fromkeys(ALL_STAFF, 302)}),
]
