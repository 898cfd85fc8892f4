"""Every route of the mail and notifications domains answers each role as declared."""

from __future__ import annotations

import pytest

from tests.access import mail, notifications

ROLES = ("anonymous", "loket", "registrar", "handler", "kabid", "sekretaris", "kadis", "admin")
ROUTES = mail.ROUTES + notifications.ROUTES


@pytest.mark.parametrize("role", ROLES)
def test_declared_answers(app, client, auth, role):
    if role != "anonymous":
        auth.login_as(role)
    got, wanted = {}, {}
    for endpoint, method, url, expected in ROUTES:
        # A fresh quarantined email per route: retry/ticket take it out of the quarantine.
        values = {"message_id": 1, **mail.make_placeholders(app)}
        got[endpoint] = client.open(url.format(**values), method=method).status_code
        wanted[endpoint] = expected[role]
    assert got == wanted


def test_every_route_of_the_domains_is_declared(app):
    declared = {r[0] for r in ROUTES}
    mine = {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in ("mail", "notifications")}
    assert mine == declared
