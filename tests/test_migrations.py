"""Schema discipline: one Alembic head; upgrade from empty, models agree, downgrade to base.

Runs on SQLite and on a fresh PostgreSQL database (see tests/conftest.py).
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade
from sqlalchemy import inspect

from complaints import create_app
from complaints.extensions import db
from complaints.tickets import search_index
from tests.conftest import postgres_url


@pytest.fixture
def empty_app(backend, tmp_path):
    """An app on a database with no tables at all."""
    if backend == "postgresql":
        url = postgres_url("pengaduan_migrations")
    else:
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": str(tmp_path),
                                 "UPLOAD_DIR": str(tmp_path / "uploads")})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def test_there_is_exactly_one_head(empty_app):
    with empty_app.app_context():
        config = empty_app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}"


def test_upgrade_from_empty_matches_the_models_and_downgrades(empty_app):
    assert _tables(empty_app) == set()
    result = empty_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert {t.name for t in db.metadata.sorted_tables} <= _tables(empty_app)

    with empty_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_object": lambda obj, name, type_, *_: not search_index.is_managed_here(name),
        })
        differences = compare_metadata(context, db.metadata)
    assert differences == [], (
        "models and migrations disagree (run `make regen-migration`):\n"
        + "\n".join(map(str, differences))
    )

    with empty_app.app_context():
        downgrade(revision="base")
    assert _tables(empty_app) <= {"alembic_version"}


def test_search_indexes_follow_upgrade_and_downgrade(empty_app, backend):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with empty_app.app_context():
        names = {index["name"] for index in inspect(db.engine).get_indexes("complaint")}
    made = {f"ix_trgm_complaint_{column}" for column in search_index.COLUMNS}
    assert made <= names if backend == "postgresql" else not (made & names)
    with empty_app.app_context():
        downgrade(revision="0001")
        names = {index["name"] for index in inspect(db.engine).get_indexes("complaint")}
        downgrade(revision="base")
    assert not (made & names)
