"""Error pages in the user's language."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http(error: HTTPException):
    """Render an HTTP error as a page (or problem+json under /api)."""
    if _wants_json():
        from complaints.api.problems import http_problem  # the API's own problem documents

        return http_problem(error)
    return render_template("errors/error.html", error=error), error.code


def handle_csrf(error: CSRFError):
    """Explain an expired or missing form token instead of a bare 400."""
    message = _(
        "The form expired or was sent from elsewhere. Please reload the page and try again."
    )
    return render_template("errors/error.html", error=error, message=message), 400


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
