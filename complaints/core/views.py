"""Language switch, home and health check."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from complaints.extensions import db

bp = Blueprint("core", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Return target when it is a path on this site, else the fallback."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def landing_url() -> str:
    """Return where a logged-in user starts: a dashboard, the queue, or the admin pages."""
    from complaints.accounts.models import Position
    from complaints.accounts.permissions import Perm, has_perm, positions_of

    held = positions_of(current_user)
    if Position.KADIS in held and "dashboards.kadis" in current_app.view_functions:
        return url_for("dashboards.kadis")
    if Position.SEKRETARIS in held and "dashboards.sekretaris" in current_app.view_functions:
        return url_for("dashboards.sekretaris")

    if not has_perm(current_user, Perm.QUEUE) and has_perm(current_user, Perm.ADMIN):
        return url_for("admin.users")
    return url_for("tickets.queue")


@bp.get("/")
def home():
    """Send staff to their landing page; everyone else sees the public start page."""
    if current_user.is_authenticated:
        return redirect(landing_url())
    from complaints.public.views import home as public_home

    return public_home()


@bp.post("/lang/<code>")
def set_language(code: str):
    """Remember the chosen language in the session and go back."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.form.get("next"), url_for("core.home")))


@bp.get("/healthz")
def health():
    """Return ok when the database answers."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.record_once
def _template_helpers(state) -> None:
    # Each domain sets its helpers the same way: globals, set once per app rather than
    # merged into every render, and seen by macros imported without context (badge()).
    from complaints.core.labels import label
    from complaints.core.layout import topbar

    def has_endpoint(name: str) -> bool:
        return name in current_app.view_functions

    state.app.jinja_env.globals.update({"has_endpoint": has_endpoint, "label": label,
                                        "topbar": topbar})
