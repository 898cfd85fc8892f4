"""Fixtures of the API tests: a world with a triaging registrar and a handler, with tokens."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.api.support import make_token


@dataclass
class ApiWorld:
    registrar_id: int
    handler_id: int
    registrar_token: str
    handler_token: str
    kadis_token: str


@pytest.fixture
def world(app, factory) -> ApiWorld:
    registrar = factory.user(positions=[("registrar", None)])
    handler = factory.user(positions=[("handler", "perizinan")])
    kadis = factory.user(positions=[("kadis", None)])
    return ApiWorld(registrar.id, handler.id, make_token(app, registrar),
                    make_token(app, handler), make_token(app, kadis))


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()
