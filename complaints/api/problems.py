"""Errors as application/problem+json (RFC 9457)."""

from __future__ import annotations

from flask import Response, json
from flask_babel import get_locale
from werkzeug.exceptions import HTTPException

from complaints.api import messages

PROBLEM_TYPE = "application/problem+json"


class ApiProblem(Exception):
    """Raised by a handler to answer with a problem document."""

    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(status: int, detail: str, errors: dict | None = None,
                     headers: dict | None = None) -> Response:
    """Return the problem document as a response, in the request's language."""
    body: dict = {"type": "about:blank", "title": messages.title(status),
                  "status": status, "detail": str(detail)}
    if errors:
        body["errors"] = {name: [str(m) for m in texts] for name, texts in errors.items()}
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    response.headers["Content-Language"] = str(get_locale() or "id")
    response.headers["Vary"] = "Accept-Language"
    response.headers.update(headers or {})
    return response


def http_problem(error: HTTPException) -> Response:
    """Return an HTTP error under /api (unknown address, method, size, rate limit) as a problem."""
    response = problem_response(error.code or 500, messages.http_detail(error))
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response
