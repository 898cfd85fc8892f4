"""Fixtures: app (SQLite or PostgreSQL), ctx, client, runner, auth, factories.

Tests in files named test_service*.py, test_models*.py, test_concurrency*.py and
test_migrations*.py, and tests marked both_db, run on SQLite and again on a throwaway
PostgreSQL cluster that the suite starts itself; tests marked postgresql_only run on that
cluster alone. The `app` fixture does not push an
app context (so requests through the test client get their own); use `ctx` for code
that talks to the database directly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from complaints import create_app  # noqa: E402
from complaints.extensions import db  # noqa: E402
from tests.support.postgres import PostgresCluster, find_bindir  # noqa: E402

BOTH_DB_FILES = ("test_service", "test_models", "test_concurrency", "test_migrations")
PASSWORD = "password-123"
_state: dict = {"cluster": None, "schema_ready": set(), "pg_error": None}


def pytest_report_header(config):
    if os.environ.get("TEST_POSTGRES_URL"):
        return "PostgreSQL: TEST_POSTGRES_URL"
    if find_bindir() is None:
        return ("!!!!! NO POSTGRESQL BINARIES FOUND (initdb/pg_ctl): "
                "the PostgreSQL pass is SKIPPED, SQLite only !!!!!")
    return f"PostgreSQL: throwaway cluster from {find_bindir()}"


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames:
        return
    name = Path(str(metafunc.definition.fspath)).name
    both = metafunc.definition.get_closest_marker("both_db") is not None or name.startswith(
        BOTH_DB_FILES
    )
    backends = ["sqlite", "postgresql"] if both else ["sqlite"]
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        backends = ["postgresql"]
    metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request):
    return request.param


def postgres_cluster() -> PostgresCluster | None:
    """Start the session's cluster on first use; None (and skip) where none can run."""
    if _state["cluster"] is None and _state["pg_error"] is None:
        bindir = find_bindir()
        if bindir is None:
            _state["pg_error"] = "no PostgreSQL binaries (initdb/pg_ctl) on this machine"
        else:
            cluster = PostgresCluster(bindir)
            try:
                cluster.start()
            except Exception as exc:  # noqa: BLE001 - reported as a skip reason
                _state["pg_error"] = f"PostgreSQL did not start: {exc}"
            else:
                _state["cluster"] = cluster
    return _state["cluster"]


def postgres_url(database: str = "pengaduan_test") -> str:
    """Return the URL of a fresh PostgreSQL database, skipping the test when none can run."""
    if os.environ.get("TEST_POSTGRES_URL") and database == "pengaduan_test":
        return os.environ["TEST_POSTGRES_URL"]
    cluster = postgres_cluster()
    if cluster is None:
        pytest.skip(_state["pg_error"])
    if database == "pengaduan_test" and database in _state["schema_ready"]:
        return cluster.url(database)
    return cluster.create_database(database)


def pytest_sessionfinish(session, exitstatus):
    if _state["cluster"] is not None:
        _state["cluster"].stop()


def database_url(backend: str, tmp_path: Path) -> str:
    """Return the database URL for a test on the given backend."""
    if backend == "postgresql":
        return postgres_url()
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def make_app(backend: str, tmp_path: Path, **overrides):
    """Build a test app with its own database, schema and reference data."""
    url = database_url(backend, tmp_path)
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "OUTBOX_LOG": str(tmp_path / "outbox.log"),
        "INSTANCE_DIR": str(tmp_path),
    }
    config.update(overrides)
    app = create_app("testing", config)
    with app.app_context():
        if backend == "postgresql":
            if url not in _state["schema_ready"]:
                db.create_all()
                _state["schema_ready"].add("pengaduan_test")
                _state["schema_ready"].add(url)
        else:
            db.create_all()
        from complaints.core.seed import seed_reference

        seed_reference()
    return app


def truncate_all(app) -> None:
    """Empty every table (PostgreSQL runs share one database)."""
    with app.app_context():
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def app(backend, tmp_path):
    application = make_app(backend, tmp_path)
    yield application
    if backend == "postgresql":
        truncate_all(application)
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def standin():
    """A local stand-in for Twilio's REST API, for the real twilio library to talk to."""
    from tests.support.twilio_standin import StandIn

    server = StandIn().start()
    yield server
    server.stop()


@pytest.fixture
def ctx(app):
    """An app context for code that uses the database directly."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app):
    from tests.factories import Factory

    return Factory(app)


class AuthActions:
    """Log a test client in and out."""

    def __init__(self, client, factory):
        self._client = client
        self._factory = factory

    def login(self, username: str, password: str = PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def login_as(self, position: str, division: str | None = "perizinan", **kwargs):
        """Create a user holding the position and log in as them; return the user."""
        user = self._factory.user(positions=[(position, division)], **kwargs)
        response = self.login(user.username)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client, factory):
    return AuthActions(client, factory)
