"""Checks the access-matrix rows of messaging and letters until the shared harness runs them."""

from __future__ import annotations

import pytest

from complaints.extensions import db
from complaints.letters import service
from tests.access import letters as letters_access
from tests.access import messaging as messaging_access

ROWS = letters_access.ROUTES + messaging_access.ROUTES
ROLES = ["anonymous", "loket", "registrar", "handler", "kabid", "sekretaris", "kadis", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_matrix_rows(app, client, auth, factory, role):
    registrar = factory.user(positions=[("registrar", None)])
    complaint, _ = factory.complaint()
    with app.app_context():
        letter = service.create_letter(complaint.id, service.LetterDraft("S", "A", "B"),
                                       db.session.get(type(registrar), registrar.id))
        letter_id = letter.id
    if role != "anonymous":
        auth.login_as(role, division="perizinan" if role in {"handler", "kabid"} else None)
    for endpoint, method, url, expected in ROWS:
        url = url.format(complaint_id=complaint.id, letter_id=letter_id)
        response = client.open(url, method=method, data={})
        assert response.status_code == expected[role], (endpoint, method, role)
