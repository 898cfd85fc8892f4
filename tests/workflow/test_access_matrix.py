"""The workflow's access-matrix data holds against the running app (until the harness runs it)."""

from __future__ import annotations

import pytest

from tests.access.workflow import ROUTES

ROLES = ("anonymous", "loket", "registrar", "handler", "kabid", "sekretaris", "kadis", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_workflow_routes_answer_as_declared(role, client, auth, factory):
    complaint, _code = factory.complaint()
    if role != "anonymous":
        auth.login_as(role, "perizinan" if role in ("handler", "kabid") else None)
    for endpoint, method, url, expected in ROUTES:
        response = client.open(url.format(complaint_id=complaint.id), method=method)
        assert response.status_code == expected[role], (endpoint, method, role)
