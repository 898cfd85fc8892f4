"""Walk the demo office as every demo user: every page a link leads to must open (no 4xx/5xx)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from complaints.core.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo
from complaints.extensions import db

LINK = re.compile(r'href="(/[^"]*)"')
SKIP = ("/static/", "/logout", "/lang/")
MAX_PAGES = 120


@pytest.fixture
def demo_app(app):
    with app.app_context():
        seed_demo()
        db.session.remove()
    return app


def crawl(client, start: str) -> dict[str, int]:
    """Return the status of every same-site page reachable by GET links from start."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302, 303) and response.location.startswith("/"):
            queue.append(response.location)
            continue
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        for link in LINK.findall(response.get_data(as_text=True)):
            target = urldefrag(link.replace("&amp;", "&"))[0]
            if target and not target.startswith(SKIP) and urlsplit(target).path:
                queue.append(target)
    return seen


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS] + ["anonymous"])
def test_every_linked_page_opens(demo_app, username):
    client = demo_app.test_client()
    if username != "anonymous":
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302
    seen = crawl(client, "/")
    failures = {url: code for url, code in seen.items() if code >= 400}
    assert not failures, failures
    assert len(seen) > 3
