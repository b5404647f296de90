"""Fixtures of the dashboard tests: a workspace with a strategy and hostile text, a client, CSRF tokens."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app

DATA = Path(__file__).resolve().parents[1] / "data" / "web"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(1)>'
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed(ws: Workspace) -> None:
    """Accounts, posts, an import and a reject whose texts are script and attribute-injection payloads."""
    with ws.transaction() as con:
        con.execute(
            "INSERT INTO accounts (platform, account_id, handle, name, bio, followers) VALUES "
            "('x', '1', 'evil', ?, ?, 1200), ('x', '2', 'plain', 'Plain Person', 'hello', 40)",
            [XSS_SCRIPT, XSS_ATTR],
        )
        con.execute(
            "INSERT INTO posts (platform, post_id, author_id, created_at, text, format) VALUES "
            "('x', 'p1', '1', TIMESTAMPTZ '2024-03-01 10:00:00+00', ?, 'text'), "
            "('x', 'p2', '2', TIMESTAMPTZ '2024-03-02 11:00:00+00', ?, 'text')",
            [XSS_SCRIPT, XSS_ATTR],
        )
        con.execute(
            "INSERT INTO imports (import_id, file, format, platform, rows_read, rows_loaded, rows_duplicate, "
            "rows_rejected, status) VALUES (nextval('import_ids'), ?, 'generic-csv', 'x', 3, 2, 0, 1, 'done')",
            [f"/tmp/{XSS_ATTR}.csv"],
        )
        con.execute(
            "INSERT INTO rejects (import_id, file, line, raw, reason) "
            "VALUES (currval('import_ids'), 'posts.csv', 3, ?, ?)",
            [XSS_SCRIPT, f"bad date {XSS_ATTR}"],
        )


@pytest.fixture
def web_ws(tmp_path: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", ws.strategy_path)
    seed(ws)
    return ws


@pytest.fixture
def client(web_ws: Workspace) -> TestClient:
    return TestClient(create_app(web_ws), base_url="http://127.0.0.1")


def csrf(client: TestClient, path: str = "/strategy") -> str:
    """The CSRF token of the client's session, read from a page's form."""
    html = client.get(path).text
    m = _TOKEN.search(html)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright, one per test module (skips when Chromium is not installed)."""
    from tests.web.test_browser import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (scripts/system-deps.sh test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()
