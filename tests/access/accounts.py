"""Access matrix: login and logout."""

from tests.access import LOGIN
from tests.access.core import same

ROUTES = [
    # A logged-in user asking for the login page is sent to their landing page.
    ("accounts.login", "GET", "/login", {**same(302), "anonymous": 200}),
    ("accounts.login", "POST", "/login", {**same(302), "anonymous": 200}),
    ("accounts.logout", "POST", "/logout", {**same(LOGIN), "anonymous": LOGIN}),
]
