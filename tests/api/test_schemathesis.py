"""schemathesis against the live app (werkzeug on loopback, SQLite in tmp): no 5xx, no answer
that breaks the document; anonymous and with a staff token. Bounded: few examples each."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.api.support import live_server, make_token
from tests.conftest import make_app

MAX_EXAMPLES = 20
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance")


def _schemathesis(url: str, *headers: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{url}/api/v1/openapi.json",
        "--base-url", f"{url}/api/v1", "--checks", CHECKS,
        "--hypothesis-max-examples", str(MAX_EXAMPLES), "--hypothesis-derandomize",
        "--hypothesis-suppress-health-check", "all", "--request-timeout", "10000",
        "--experimental=openapi-3.1", "--no-color", *headers,
    ]
    env = {**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "SCHEMATHESIS_HOOKS": ""}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def _compile_report(app, registrar_id: int) -> None:
    """Compile a monthly report (id 1), so the report operations also answer 200."""
    from complaints.accounts.models import User
    from complaints.extensions import db
    from complaints.reports import service

    with app.app_context():
        service.compile_report(2025, 1, db.session.get(User, registrar_id))
        db.session.remove()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from tests.factories import Factory

    app = make_app("sqlite", tmp_path_factory.mktemp("schemathesis"))
    factory = Factory(app)
    registrar = factory.user(positions=[("registrar", None)])
    handler = factory.user(positions=[("handler", "perizinan")])
    for n in range(3):
        factory.complaint(body=f"Keluhan uji nomor {n} tentang izin usaha.")
    _compile_report(app, registrar.id)
    with live_server(app) as live:
        yield live.url, make_token(app, registrar), make_token(app, handler)


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anonymous", "registrar", "handler"])
def test_no_server_error_and_no_schema_violation(served, who):
    url, registrar_token, handler_token = served
    token = {"registrar": registrar_token, "handler": handler_token}.get(who)
    headers = ("-H", f"Authorization: Bearer {token}") if token else ()
    started = time.monotonic()
    result = _schemathesis(url, *headers)
    elapsed = time.monotonic() - started
    print(result.stdout[-1500:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert elapsed < 60, f"schemathesis took {elapsed:.0f}s"
