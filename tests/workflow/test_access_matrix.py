"""Checks the access-matrix data of deadlines and inbox (the shared harness checks all)."""

from __future__ import annotations

import pytest

from tests.access import deadlines, inbox

ROLE_POSITIONS = {"loket": ("loket", None), "registrar": ("registrar", None),
                  "handler": ("handler", "perizinan"), "kabid": ("kabid", "perizinan"),
                  "sekretaris": ("sekretaris", None), "kadis": ("kadis", None),
                  "admin": ("admin", None)}
CASES = [(endpoint, method, url, role, code)
         for endpoint, method, url, answers in deadlines.ROUTES + inbox.ROUTES
         for role, code in answers.items()]


@pytest.mark.parametrize("endpoint, method, url, role, code", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CASES])
def test_answer_per_role(app, client, auth, endpoint, method, url, role, code):
    with app.test_request_context():
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        assert method in rule.methods
    if role != "anonymous":
        position, division = ROLE_POSITIONS[role]
        auth.login_as(position, division)
    response = client.open(url, method=method)
    if code == "login":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == code
