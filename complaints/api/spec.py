"""The operation registry: each handler declares its path, parameters and schemas here.

The Flask routes and the OpenAPI document are both built from this one registry, so they
cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from complaints.api.schemas import SCHEMAS, ref

API_PREFIX = "/api/v1"
ERROR_DESCRIPTIONS = {
    400: "Malformed request or unknown query parameter",
    401: "Missing, unknown, expired or revoked token",
    403: "The token lacks the scope, or the position may not do this",
    404: "Unknown (or not visible to the caller)",
    409: "The complaint changed since it was read (stale version)",
    415: "The body is not JSON",
    422: "Validation failed: messages per field in `errors`",
    429: "Rate limit reached",
}


@dataclass
class Param:
    """A path, query or header parameter."""

    name: str
    where: str  # path, query, header
    schema: dict
    description: str = ""
    required: bool = False

    def as_openapi(self) -> dict:
        return {"name": self.name, "in": self.where, "required": self.required or
                self.where == "path", "description": self.description, "schema": self.schema}


@dataclass
class Operation:
    """One documented operation."""

    method: str
    path: str
    operation_id: str
    summary: str
    tag: str
    view: Callable
    scope: str | None = None  # None: public, no token
    params: list[Param] = field(default_factory=list)
    request: str | None = None  # component schema of the JSON body
    responses: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    errors: tuple[int, ...] = ()
    example: dict | None = None
    description: str = ""

    @property
    def flask_rule(self) -> str:
        """Return the Flask rule of the path (OpenAPI {name} -> <name>)."""
        return re.sub(r"\{(\w+)\}", r"<\1>", self.path)

    def query_names(self) -> set[str]:
        return {p.name for p in self.params if p.where == "query"}


REGISTRY: list[Operation] = []


def _response(description: str, schema: str | None, problem: bool = False) -> dict:
    if schema is None:
        return {"description": description}
    media = "application/problem+json" if problem else "application/json"
    return {"description": description, "content": {media: {"schema": ref(schema)}}}


def _operation_doc(op: Operation) -> dict:
    responses = {str(code): _response(text, schema) for code, (text, schema)
                 in op.responses.items()}
    codes = set(op.errors) | {400}
    if op.request:
        codes |= {415, 422}
    if op.scope:
        codes |= {401, 403}
    for code in sorted(codes):
        responses[str(code)] = _response(ERROR_DESCRIPTIONS[code], "Problem", problem=True)
    doc: dict = {
        "operationId": op.operation_id, "summary": op.summary, "tags": [op.tag],
        "parameters": [p.as_openapi() for p in op.params], "responses": responses,
    }
    if op.description:
        doc["description"] = op.description
    if op.request:
        media: dict = {"schema": ref(op.request)}
        if op.example is not None:
            media["example"] = op.example
        doc["requestBody"] = {"required": True, "content": {"application/json": media}}
    doc["security"] = [{"bearer": [op.scope]}] if op.scope else []
    if op.scope:
        doc["x-scope"] = op.scope
    return doc


def build_document(server_url: str = API_PREFIX) -> dict:
    """Return the OpenAPI 3.1 document of every registered operation."""
    paths: dict[str, dict] = {}
    for op in REGISTRY:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation_doc(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pengaduan API", "version": "1.0.0",
            "description": "File and follow complaints (public, by register number and "
                           "access code) and handle them (staff, with a personal bearer "
                           "token). Errors are application/problem+json, their texts in "
                           "the language of Accept-Language (Indonesian by default, "
                           "English with 'en').",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "A personal token made on the user's token page "
                               "(/account/tokens). Scopes: complaints:read, complaints:write, "
                               "complaints:triage, register:read, reports:read.",
            }},
        },
    }
