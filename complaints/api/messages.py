"""The API's error texts in the request's language (Accept-Language; Indonesian by default)."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

TITLES = {400: _l("Bad request"), 401: _l("Unauthorized"), 403: _l("Forbidden"),
          404: _l("Not found"), 405: _l("Method not allowed"), 409: _l("Conflict"),
          413: _l("Payload too large"), 415: _l("Unsupported media type"),
          422: _l("Unprocessable content"), 429: _l("Too many requests"),
          500: _l("Internal server error")}


def title(status: int) -> str:
    """Return the problem title of an HTTP status in the request's language."""
    return str(TITLES.get(status, _l("Error")))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _types(value) -> str:
    return " | ".join(value) if isinstance(value, list) else str(value)


def _length(kind: str, limit: int) -> str:
    if kind == "minLength" and limit == 1:
        return _("Must not be empty.")
    if kind == "minLength":
        return _("Must be at least %(count)d characters long.", count=limit)
    return _("Must be at most %(count)d characters long.", count=limit)


def schema_message(kind: str, limit) -> str:
    """Return the message of a failed JSON Schema keyword (with the keyword's value)."""
    if kind == "required":
        return _("This field is required.")
    if kind == "additionalProperties":
        return _("Unknown field.")
    if kind == "type":
        return _("Must be of type %(type)s.", type=_types(limit))
    if kind in ("minLength", "maxLength"):
        return _length(kind, limit)
    if kind == "minimum":
        return _("Must be at least %(value)s.", value=limit)
    if kind == "maximum":
        return _("Must be at most %(value)s.", value=limit)
    if kind == "enum":
        return _("Must be one of: %(values)s.", values=", ".join(_json(v) for v in limit))
    if kind == "const":
        return _("Must be %(value)s.", value=_json(limit))
    if kind == "format":
        return _("Not a valid %(format)s.", format=limit)
    return _("Invalid value.")


def http_detail(error: HTTPException) -> str:
    """Return the detail of an HTTP error raised outside an operation (routing, limits)."""
    code = error.code or 500
    if code == 404:
        return _("Nothing is at this address.")
    if code == 405:
        return _("This method is not allowed at this address.")
    if code == 413:
        return _("The request is too large.")
    if code == 429:
        return _("Too many requests (limit: %(limit)s). Try again later.",
                 limit=error.description)
    if code >= 500:
        return _("Something went wrong on our side. Try again later.")
    return _("The request could not be understood.")


def invalid_filter(error: Exception) -> str:
    """Return the detail of a refused filter (the reason names the parameter and value)."""
    return _("Invalid filter: %(reason)s", reason=str(error))


def stale_complaint() -> str:
    """Return the detail of an optimistic-locking conflict."""
    return _("The complaint was changed by someone else: read it again and send its current "
             "version.")
