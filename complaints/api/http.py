"""The request side of an operation: token, parameters and JSON body, checked strictly."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import Blueprint, Response, g, jsonify, request
from flask_babel import gettext as _

from complaints.api import tokens
from complaints.api.messages import schema_message
from complaints.api.problems import ApiProblem
from complaints.api.schemas import MAX_ID, SCHEMAS
from complaints.api.spec import REGISTRY, Operation, Param

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

DIGITS = re.compile(r"^[0-9]{1,10}$")
# Control characters other than tab and line breaks: refused in any text (PostgreSQL
# refuses NUL, and none belongs in a complaint).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Call:
    """What a handler gets: checked path values, query, headers, body and the caller."""

    path: dict[str, int | str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: dict = field(default_factory=dict)
    caller: tokens.Caller | None = None

    @property
    def user(self):
        assert self.caller is not None
        return self.caller.user


def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # on the first API body: ~0.15 s of imports

    schema = {"$ref": f"#/components/schemas/{name}", "components": {"schemas": SCHEMAS}}
    return Draft202012Validator(schema)


def _field_of(error) -> str:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        path.append(missing[0] if missing else "")
    return ".".join(path) or "body"


def schema_errors(name: str, data) -> dict[str, list[str]]:
    """Return the messages per field of a value checked against a component schema."""
    errors: dict[str, list[str]] = {}
    for error in _validator(name).iter_errors(data):
        if error.validator == "additionalProperties":
            for unknown in sorted(set(error.instance) - set(error.schema.get("properties", {}))):
                errors.setdefault(unknown, []).append(schema_message("additionalProperties",
                                                                     None))
            continue
        errors.setdefault(_field_of(error), []).append(
            schema_message(str(error.validator), error.validator_value))
    return errors


def _control_errors(data, prefix: str = "") -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            errors.update(_control_errors(value, f"{prefix}{key}"))
    elif isinstance(data, str) and CONTROL.search(data):
        errors[prefix or "body"] = [_("Control characters are not allowed.")]
    return errors


def read_body(schema: str) -> dict:
    """Return the JSON body checked against its schema (415, 400 or 422 otherwise)."""
    if not request.is_json:
        raise ApiProblem(415, _("Send the body as JSON (Content-Type: application/json)."))
    try:
        data = json.loads(request.get_data(as_text=True) or "null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiProblem(400, _("The body is not valid JSON: %(error)s", error=exc)) from exc
    if not isinstance(data, dict):
        raise ApiProblem(422, _("The body must be a JSON object."),
                         {"body": [_("Not an object.")]})
    errors = schema_errors(schema, data) or _control_errors(data)
    if errors:
        raise ApiProblem(422, _("The request has invalid or unknown fields."), errors)
    return data


def _check_value(param: Param, raw: str) -> int | str | None:
    """Return the value when it fits the parameter's schema, else None."""
    schema = param.schema
    if "integer" in schema.get("type", ""):
        if not DIGITS.match(raw) or not 1 <= int(raw) <= schema.get("maximum", MAX_ID):
            return None
        return int(raw)
    if "enum" in schema and raw not in schema["enum"]:
        return None
    if len(raw) > schema.get("maxLength", 200) or CONTROL.search(raw):
        return None
    pattern = schema.get("pattern")
    if pattern and not re.search(pattern, raw):
        return None
    return raw


def _path_values(op: Operation, kwargs: dict) -> dict:
    values = {}
    for param in (p for p in op.params if p.where == "path"):
        value = _check_value(param, str(kwargs.get(param.name, "")))
        if value is None:
            raise ApiProblem(404, _("Not found: no such %(name)s.", name=param.name))
        values[param.name] = value
    return values


def _query_values(op: Operation) -> dict[str, str]:
    unknown = set(request.args) - op.query_names()
    if unknown:
        raise ApiProblem(400, _("Unknown query parameter: %(names)s",
                                names=", ".join(sorted(unknown))))
    values = {}
    for param in (p for p in op.params if p.where == "query"):
        given = request.args.getlist(param.name)
        if len(given) > 1:
            raise ApiProblem(400, _("Query parameter given twice: %(name)s", name=param.name))
        if not given or given[0] == "":
            if param.required:
                raise ApiProblem(400, _("Query parameter missing: %(name)s", name=param.name))
            continue
        if _check_value(param, given[0]) is None:
            raise ApiProblem(400, _("Invalid value of query parameter %(name)s.",
                                    name=param.name))
        values[param.name] = given[0]
    return values


def _header_values(op: Operation) -> dict[str, str]:
    values = {}
    for param in (p for p in op.params if p.where == "header"):
        raw = request.headers.get(param.name, "")
        if not raw and param.required:
            raise ApiProblem(400, _("Header missing: %(name)s", name=param.name))
        if raw and _check_value(param, raw) is None:
            raise ApiProblem(400, _("Invalid header %(name)s.", name=param.name))
        values[param.name] = raw
    return values


def _caller(scope: str) -> tokens.Caller:
    header = request.headers.get("Authorization", "")
    kind, _sep, value = header.partition(" ")
    caller = tokens.authenticate(value.strip()) if kind.lower() == "bearer" else None
    if caller is None:
        raise ApiProblem(401, _("Give a valid bearer token in the Authorization header."),
                         headers={"WWW-Authenticate": 'Bearer realm="pengaduan"'})
    if scope not in caller.scopes:
        raise ApiProblem(403, _("The token lacks the scope %(scope)s, or the user's position "
                                "no longer allows it.", scope=scope))
    return caller


def _wrap(op: Operation) -> Callable:
    def endpoint(**kwargs):
        call = Call()
        call.caller = _caller(op.scope) if op.scope else None
        g.api_caller = call.caller
        call.path = _path_values(op, kwargs)
        call.query = _query_values(op)
        call.headers = _header_values(op)
        if op.request:
            call.body = read_body(op.request)
        result = op.view(call)
        if isinstance(result, Response):
            return result
        payload, status = result
        return jsonify(payload), status

    endpoint.__name__ = endpoint.__qualname__ = op.operation_id
    endpoint.__module__ = op.view.__module__
    return endpoint


def operation(bp: Blueprint, method: str, path: str, *, limits: tuple = (), **spec):
    """Register the decorated handler as a route of bp and as an operation of the document."""

    def decorator(view: Callable) -> Callable:
        op = Operation(method=method, path=path, operation_id=view.__name__,
                       view=view, **spec)
        endpoint = _wrap(op)
        for limit in limits:
            endpoint = limit(endpoint)
        bp.add_url_rule(op.flask_rule, endpoint=op.operation_id,
                        view_func=endpoint,
                        methods=[method])
        REGISTRY.append(op)
        return view

    return decorator
