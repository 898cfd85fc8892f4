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
    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops:
        # Behind nginx: take the client address and scheme from the proxy's headers, so that
        # rate limits count per client and HSTS sees https.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)

    from complaints import cli

    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from complaints.core import db as core_db
    from complaints.core import errors, i18n, ratelimit, security
    from complaints.extensions import csrf, db, limiter, login, mail, migrate

    core_db.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    ratelimit.configure(app)
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
    from complaints.messaging import twilio_sender

    twilio_sender.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from complaints.accounts.admin_views import bp as admin_bp
    from complaints.accounts.views import bp as accounts_bp
    from complaints.core.views import bp as core_bp
    from complaints.inbox.views import bp as inbox_bp
    from complaints.intake.views import bp as intake_bp
    from complaints.letters.views import bp as letters_bp
    from complaints.mail.views import bp as mail_bp
    from complaints.messaging.views import bp as messaging_bp
    from complaints.messaging.webhooks import bp as twilio_bp
    from complaints.notifications.views import bp as notifications_bp
    from complaints.public.views import bp as public_bp
    from complaints.register.views import bp as register_bp
    from complaints.reports.dashboard_views import bp as dashboards_bp
    from complaints.reports.views import bp as reports_bp
    from complaints.tickets.catalogue_views import bp as catalogue_bp
    from complaints.tickets.views import bp as tickets_bp
    from complaints.workflow.deadline_views import bp as deadlines_bp

    for blueprint in (core_bp, accounts_bp, admin_bp, catalogue_bp, intake_bp, tickets_bp,
                      inbox_bp, deadlines_bp, public_bp, notifications_bp, mail_bp,
                      messaging_bp, twilio_bp, letters_bp, register_bp, reports_bp,
                      dashboards_bp):
        app.register_blueprint(blueprint)

    from complaints.workflow.admin_views import bp as workflow_admin_bp
    from complaints.workflow.views import bp as workflow_bp

    app.register_blueprint(workflow_bp)
    app.register_blueprint(workflow_admin_bp)

    from complaints.api.token_views import bp as api_tokens_bp
    from complaints.api.views import bp as api_bp
    from complaints.api.views import register_operations

    register_operations()
    app.register_blueprint(api_bp)
    app.register_blueprint(api_tokens_bp)
