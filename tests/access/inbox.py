"""Expected answers per role for the in-app notices (every logged-in user has an inbox)."""

ALL_STAFF = {"loket", "registrar", "handler", "kabid", "sekretaris", "kadis", "admin"}

ROUTES = [
    ("inbox.index", "GET", "/inbox", {"anonymous": 302, **dict.fromkeys(ALL_STAFF, 200)}),
    # Marking someone else's (or no) notice changes nothing and redirects to the inbox.
    ("inbox.read", "POST", "/inbox/999999/read",
     {"anonymous": 302, **dict.fromkeys(ALL_STAFF, 302)}),
    ("inbox.read_all", "POST", "/inbox/read-all",
     {"anonymous": 302, **dict.fromkeys(ALL_STAFF, 302)}),
]
