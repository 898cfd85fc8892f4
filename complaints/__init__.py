"""Pengaduan: complaint handling for DPMPTSP Kota Pekanbaru."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from config import CONFIGS, check_production

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, commands, error pages."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("INSTANCE_PATH", str(ROOT / "instance")),
    )
    name = config_name or os.environ.get("APP_CONFIG", "development")
    app.config.from_object(CONFIGS[name])
    app.config.from_prefixed_env("PENGADUAN")
    if overrides:
        app.config.update(overrides)
    if app.config["ENV_NAME"] == "production":
        problems = check_production(app.config)
        if problems:
            raise RuntimeError("refusing to start in production: " + "; ".join(problems))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)

    from complaints import cli

    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from complaints.core import db as core_db
    from complaints.core import errors, i18n, security
    from complaints.extensions import csrf, db, limiter, login, mail, migrate

    core_db.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from complaints.accounts import service as accounts

    login.init_app(app)
    login.login_view = "accounts.login"
    login.login_message_category = "info"
    login.user_loader(accounts.load_user)
    import complaints.models  # noqa: F401  (every table registered on the metadata)


def _register_blueprints(app: Flask) -> None:
    from complaints.accounts.admin_views import bp as admin_bp
    from complaints.accounts.views import bp as accounts_bp
    from complaints.core.views import bp as core_bp
    from complaints.intake.views import bp as intake_bp
    from complaints.register.views import bp as register_bp
    from complaints.tickets.views import bp as tickets_bp

    for blueprint in (core_bp, accounts_bp, admin_bp, intake_bp, tickets_bp, register_bp):
        app.register_blueprint(blueprint)
