"""Flask-Migrate bound lazily: Alembic (about 0.1 s of imports) loads when migrations are used.

Every `flask` command and every web worker imported it at start-up; only `flask db …` (and
Alembic's env.py, tests) need it. Until then a stand-in holds `app.extensions["migrate"]`
and the `db` command group; either one binds the real Flask-Migrate on first use.
"""

from __future__ import annotations

import click


class LazyMigrate:
    """Same call as flask_migrate.Migrate().init_app(app, db, **options), imported on demand."""

    def init_app(self, app, db, **options) -> None:
        app.extensions["migrate"] = _Pending(app, db, options)
        app.cli.add_command(_DbGroup(app), "db")


def _bind(app):
    """Bind Flask-Migrate to the app once (it replaces the stand-ins); return its config."""
    pending = app.extensions["migrate"]
    if isinstance(pending, _Pending):
        from flask_migrate import Migrate

        Migrate(app, pending.target_db, **pending.options)
    return app.extensions["migrate"]


class _Pending:
    """Stands in app.extensions["migrate"]: any attribute read binds the real extension."""

    def __init__(self, app, db, options: dict) -> None:
        self.app, self.target_db, self.options = app, db, options

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_bind(self.app), name)


class _DbGroup(click.Group):
    """Stands in for Flask-Migrate's `db` group: same name and help, the real one runs."""

    def __init__(self, app) -> None:
        super().__init__("db", help="Perform database migrations.")
        self.app = app

    def _real(self) -> click.Group:
        _bind(self.app)
        from flask_migrate.cli import db

        return db

    def make_context(self, info_name, args, parent=None, **extra):
        return self._real().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        return self._real().invoke(ctx)

    def get_command(self, ctx, cmd_name):
        return self._real().get_command(ctx, cmd_name)

    def list_commands(self, ctx):
        return self._real().list_commands(ctx)
