"""Errors as application/problem+json (RFC 9457)."""

from __future__ import annotations

from flask import Response, json

PROBLEM_TYPE = "application/problem+json"
TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Payload too large",
          415: "Unsupported media type", 422: "Unprocessable content",
          429: "Too many requests", 500: "Internal server error"}


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
    """Return the problem document as a response."""
    body: dict = {"type": "about:blank", "title": TITLES.get(status, "Error"),
                  "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    response.headers.update(headers or {})
    return response
