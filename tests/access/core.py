"""Access matrix: home, language switch, health check."""


ALL = ("anonymous", "loket", "registrar", "handler", "kabid", "sekretaris", "kadis", "admin")


def same(code):
    """Return the same expected answer for every role."""
    return dict.fromkeys(ALL, code)


ROUTES = [
    # Anonymous users go to the login page, staff to their landing page.
    ("core.home", "GET", "/", {**same(302), "anonymous": 200}),
    ("core.set_language", "POST", "/lang/en", same(302)),
    ("core.set_language", "POST", "/lang/xx", same(404)),
    ("core.health", "GET", "/healthz", same(200)),
]
