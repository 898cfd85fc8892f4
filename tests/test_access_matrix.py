"""Every route of app.url_map x every position and anonymous gets its expected answer.

The expected answers live in tests/access/<domain>.py (format in tests/access/__init__.py).
A route without an entry fails test_every_route_has_an_entry, naming it.
"""

from __future__ import annotations

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from complaints.extensions import db
from tests.access import ROLES, Snapshot, build_world, fill, load_entries, matches, missing_rules
from tests.conftest import make_app

ENTRIES, PROBLEMS = load_entries()


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """One app and one world for the whole matrix; the database is reset after writes."""
    tmp = tmp_path_factory.mktemp("matrix")
    app = make_app("sqlite", tmp)
    world = build_world(app)
    snapshot = Snapshot(app, tmp / "test.sqlite3")
    snapshot.save()
    state = {"dirty": False}
    yield app, world, snapshot, state
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_data_modules_are_well_formed():
    assert not PROBLEMS, "malformed access-matrix data:\n  " + "\n  ".join(PROBLEMS)


def test_placeholder_providers_work(matrix):
    problems = matrix[1].problems
    assert not problems, "\n".join(problems)


def test_every_route_has_an_entry(matrix):
    app = matrix[0]
    missing = missing_rules(app, ENTRIES)
    assert not missing, (
        "routes without an access-matrix entry (add them to tests/access/<domain>.py):\n  "
        + "\n  ".join(missing)
    )


def test_every_entry_names_a_real_route(matrix):
    app, world = matrix[0], matrix[1]
    adapter = app.url_map.bind("localhost")
    wrong = []
    for entry in ENTRIES:
        url = fill(entry.url, world.ids)
        try:
            endpoint, _ = adapter.match(url.split("?")[0], method=entry.method)
        except (NotFound, MethodNotAllowed) as exc:
            wrong.append(f"{entry.module}: {entry.label} -> {type(exc).__name__}")
            continue
        if endpoint != entry.endpoint:
            wrong.append(f"{entry.module}: {entry.label} routes to {endpoint}")
    assert not wrong, "entries that do not reach their endpoint:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.endpoint}-{e.method}-{e.url}")
def test_answer(matrix, entry, role):
    app, world, snapshot, state = matrix
    if state["dirty"]:
        snapshot.restore()
        state["dirty"] = False
    url = fill(entry.url, world.ids)
    client = app.test_client()
    if role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = world.login_ids[role]
            session["_fresh"] = True
    state["dirty"] = entry.method != "GET"
    response = client.open(url, method=entry.method, data={})
    expected = entry.expected[role]
    assert matches(expected, response), (
        f"{role} {entry.method} {url} ({entry.endpoint}, tests/access/{entry.module}.py): "
        f"expected {expected}, got {response.status_code} "
        f"{response.headers.get('Location', '')}"
    )
