"""The staff navigation: links by position, kept per language and positions, never stale."""

from __future__ import annotations

import re

import pytest

from complaints.accounts.models import Assignment, Position
from complaints.accounts.views import NAV_EXTENSION
from complaints.extensions import db


def _nav(client, path: str = "/inbox") -> str:
    page = client.get(path).get_data(as_text=True)
    return page[page.index('<nav class="nav"'):page.index("</nav>", page.index('<nav class="nav"'))]


def _links(nav: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize(("position", "division", "present", "absent"), [
    ("loket", None, ["/staff/queue", "/staff/intake/", "/staff/calls"],
     ["/admin/users", "/staff/reports/", "/staff/outbox"]),
    ("admin", None, ["/admin/users", "/admin/divisions", "/staff/outbox"],
     ["/staff/reports/"]),
    ("sekretaris", None, ["/staff/reports/", "/staff/outbox", "/staff/delays"],
     ["/admin/users"]),
])
def test_links_follow_the_position(client, auth, position, division, present, absent):
    auth.login_as(position, division)
    links = _links(_nav(client))
    assert "/inbox" in links
    for path in present:
        assert any(link.startswith(path) for link in links), (path, links)
    for path in absent:
        assert not any(link.startswith(path) for link in links), (path, links)


def test_kept_links_are_the_freshly_rendered_ones(app, client, auth):
    auth.login_as("sekretaris", None)
    kept = _nav(client)
    app.extensions[NAV_EXTENSION].clear()
    assert _nav(client) == kept
    assert _nav(client, "/staff/queue") == kept  # the same links on every staff page


def test_one_entry_per_language_and_set_of_positions(app, client, auth, factory):
    auth.login_as("handler")
    _nav(client)
    factory.user("rina", positions=[("handler", "perizinan")])
    auth.logout()
    auth.login("rina")
    _nav(client)
    assert len(app.extensions[NAV_EXTENSION]) == 1  # same positions: the same links
    client.post("/lang/en", data={"next": "/inbox"})
    english = _nav(client)
    assert "Notices" in english and "Queue" in english
    assert len(app.extensions[NAV_EXTENSION]) == 2


def test_a_new_position_shows_on_the_next_page(app, client, auth):
    user = auth.login_as("handler")
    assert "/admin/users" not in _links(_nav(client))
    with app.app_context():
        db.session.add(Assignment(user_id=user.id, position=Position.ADMIN))
        db.session.commit()
    assert "/admin/users" in _links(_nav(client))
    with app.app_context():
        db.session.execute(db.delete(Assignment).where(Assignment.user_id == user.id,
                                                       Assignment.position == Position.ADMIN))
        db.session.commit()
    assert "/admin/users" not in _links(_nav(client))


def test_unread_count_is_not_kept_with_the_links(app, client, auth):
    from complaints.core.db import write_transaction
    from complaints.inbox import service as inbox

    user = auth.login_as("handler")
    assert "badge-unread" not in _nav(client)
    with app.app_context(), write_transaction():
        inbox.notify([user.id], "deadline_overdue", {"number": "ADU/2026/000001",
                                                    "due": "2026-11-25T09:00:00+00:00"})
    assert ">1</span>" in _nav(client)
