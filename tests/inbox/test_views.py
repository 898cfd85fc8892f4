"""My notices: listed, counted in the navigation, marked read."""

from __future__ import annotations

from complaints.core.db import write_transaction
from complaints.extensions import db
from complaints.inbox import service as inbox
from complaints.inbox.models import Notification


def _notify(app, user_id: int, complaint_id: int | None = None) -> int:
    with app.app_context(), write_transaction():
        (row,) = inbox.notify([user_id], "deadline_overdue",
                              {"number": "ADU/2026/000001", "due": "2026-11-25T09:00:00+00:00"},
                              complaint_id=complaint_id)
        db.session.flush()
        return row.id


def test_notices_are_listed_counted_and_marked_read(app, client, auth, factory):
    user = auth.login_as("sekretaris")
    complaint, _ = factory.complaint()
    notice_id = _notify(app, user.id, complaint.id)
    home = client.get("/inbox").get_data(as_text=True)
    assert "ADU/2026/000001" in home
    assert 'class="badge badge-unread"' in home
    response = client.post(f"/inbox/{notice_id}/read",
                           data={"next": f"/staff/complaints/{complaint.id}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/complaints/{complaint.id}")
    assert "badge-unread" not in client.get("/inbox").get_data(as_text=True)


def test_read_all_and_no_open_redirect(app, client, auth):
    user = auth.login_as("handler")
    first = _notify(app, user.id)
    _notify(app, user.id)
    response = client.post(f"/inbox/{first}/read", data={"next": "//evil.example/"})
    assert response.headers["Location"].endswith("/inbox")
    assert client.post("/inbox/read-all").status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Notification.id))
                                 .where(Notification.read_at.is_(None))) == 0


def test_notices_of_others_are_not_touched(app, client, auth, factory):
    other = factory.user(positions=[("kabid", "perizinan")])
    theirs = _notify(app, other.id)
    auth.login_as("handler")
    client.post(f"/inbox/{theirs}/read")
    with app.app_context():
        assert db.session.get(Notification, theirs).read_at is None
    assert "ADU/2026/000001" not in client.get("/inbox").get_data(as_text=True)


def test_inbox_needs_login(client):
    assert client.get("/inbox").status_code == 302
