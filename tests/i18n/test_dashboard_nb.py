"""The dashboard in Norwegian: ``?lang=nb`` (remembered in a cookie), the strategy's ``brand.language``, and a real
Chromium (Playwright) reading the pages in bokmål."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from tests.web.conftest import DATA, seed

PAGES = ["/", "/strategy", "/calendar", "/analytics", "/influencers", "/audience", "/outreach", "/partners", "/imports"]
#: English words of the dashboard's own text that must not be left on a Norwegian page
ENGLISH = [
    "Overview",
    "Skip to content",
    "this page as JSON",
    "Upload an export",
    "Import history",
    "Completeness",
    "KPIs against targets",
    "Nothing needs attention",
    "Plan the calendar",
    "Not available yet",
]


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style|svg|code)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", ws.strategy_path)
    seed(ws)
    return ws


@pytest.fixture
def client(workspace: Workspace) -> Iterator[TestClient]:
    yield TestClient(create_app(workspace), base_url="http://127.0.0.1")


def test_lang_nb_in_the_query_translates_the_page_and_is_remembered(client: TestClient) -> None:
    r = client.get("/?lang=nb")
    assert r.status_code == 200
    assert '<html lang="nb">' in r.text
    text = _visible(r.text)
    assert "Oversikt" in text and "Hopp til innholdet" in text and "KPI-er mot målene" in text
    assert "sb_lang=nb" in r.headers["set-cookie"]
    # the next page, without ?lang: the cookie keeps Norwegian
    again = client.get("/imports")
    assert '<html lang="nb">' in again.text and "Importhistorikk" in again.text


@pytest.mark.parametrize("path", PAGES)
def test_every_page_in_norwegian_has_no_english_chrome(client: TestClient, path: str) -> None:
    r = client.get(path + "?lang=nb")
    assert r.status_code == 200, path
    text = _visible(r.text)
    left = [w for w in ENGLISH if w in text]
    assert not left, f"{path}: {left}"


def test_english_is_the_default_and_unknown_lang_is_ignored(client: TestClient) -> None:
    assert '<html lang="en">' in client.get("/").text
    r = client.get("/?lang=xx")
    assert (
        r.status_code == 200
        and '<html lang="en">' in r.text
        and "set-cookie" not in {k.lower() for k in r.headers if "sb_lang" in r.headers.get(k, "")}
    )


def test_the_strategy_brand_language_sets_the_dashboard(workspace: Workspace) -> None:
    text = workspace.strategy_path.read_text(encoding="utf-8")
    workspace.strategy_path.write_text(re.sub(r"(?m)^brand:\n", "brand:\n  language: nb\n", text, count=1))
    client = TestClient(create_app(workspace), base_url="http://127.0.0.1")
    assert '<html lang="nb">' in client.get("/").text
    assert '<html lang="en">' in client.get("/?lang=en").text  # the reader's choice wins


def test_json_twins_keep_english_keys(client: TestClient) -> None:
    en = client.get("/overview.json").json()
    nb = client.get("/overview.json?lang=nb").json()
    assert set(en) == set(nb) and set(en["counts"]) == set(nb["counts"])


def test_numbers_on_a_norwegian_page_use_decimal_commas(client: TestClient) -> None:
    # the strategy's pillar weights are shown in the completeness matrix and the form; the form keeps '12.5'
    r = client.get("/strategy?lang=nb")
    assert r.status_code == 200
    assert not re.search(r'name="weight"[^>]*value="\d+,\d', r.text)  # an <input type=number> needs a dot


# ------------------------------------------------------------------------------------------ a real browser


@pytest.mark.browser
def test_the_dashboard_in_norwegian_in_chromium(workspace: Workspace, tmp_path: Path) -> None:
    from tests.web.live import running_server
    from tests.web.test_browser import ARGS, CHROMIUM, WAIT_MS

    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (scripts/system-deps.sh test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with running_server(workspace.root) as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(base + "/")
            sync_api.expect(page.locator("html")).to_have_attribute("lang", "en", timeout=WAIT_MS)
            # the reader picks Norwegian in the header's language menu
            page.get_by_role("navigation", name="Language").get_by_role("link", name="norsk bokmål").click()
            sync_api.expect(page.locator("html")).to_have_attribute("lang", "nb", timeout=WAIT_MS)
            nav = page.get_by_role("navigation", name="Sider")
            sync_api.expect(nav.get_by_role("link", name="Oversikt")).to_be_visible(timeout=WAIT_MS)
            # the choice follows the reader to the next page (cookie), where the words are Norwegian
            nav.get_by_role("link", name="Importer").click()
            sync_api.expect(page.get_by_role("heading", name="Importhistorikk")).to_be_visible(timeout=WAIT_MS)
            nav.get_by_role("link", name="Kalender").click()
            sync_api.expect(page.get_by_role("button", name="Planlegg", exact=True)).to_be_visible(timeout=WAIT_MS)
            body = page.locator("main").inner_text()
            assert "Plan the calendar" not in body and "Weeks" not in body
            page.screenshot(path=str(tmp_path / "calendar-nb.png"), full_page=True)
        finally:
            browser.close()
