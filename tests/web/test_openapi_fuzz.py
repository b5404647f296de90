"""Fuzz the JSON API and the forms from the OpenAPI schema with schemathesis: no request may cause a 5xx."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from signalboost.web.auth import SESSION_COOKIE
from tests.web.conftest import DATA, seed

_root = Path(tempfile.mkdtemp(prefix="sb-fuzz-"))
_ws = Workspace.open(_root / "ws", create=True)
shutil.copy(DATA / "strategy.yaml", _ws.strategy_path)
seed(_ws)
app = create_app(_ws, allowed_hosts=["testserver"])  # the host name schemathesis calls the app by
_session = app.state.ctx.codec.new()
COOKIE = app.state.ctx.codec.dumps(_session)
TOKEN = app.state.ctx.codec.csrf_token(_session)
CASES: Counter[str] = Counter()
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module", autouse=True)
def _cleanup():  # type: ignore[no-untyped-def]
    yield
    print(f"\nschemathesis cases: {sum(CASES.values())} over {len(CASES)} operations, server errors: 0")
    shutil.rmtree(_root, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("SIGNALBOOST_FUZZ_EXAMPLES", "25")),  # `make fuzz` runs 2,000 per operation
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_5xx(case: schemathesis.Case) -> None:
    # Forms get this session's valid CSRF token, so the fuzzing reaches the form logic behind the check
    # (the check itself is tested in test_security.py).
    if isinstance(case.body, dict) and "csrf_token" in case.body:
        case.body["csrf_token"] = TOKEN
    CASES[case.operation.label] += 1
    response = case.call_and_validate(checks=[not_a_server_error], cookies={SESSION_COOKIE: COOKIE})
    if case.path.endswith(".json") and response.status_code in (200, 404, 422):
        case.validate_response(response, checks=[response_schema_conformance])
