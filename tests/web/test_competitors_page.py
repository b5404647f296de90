"""The Competitors page and its JSON twin: the benchmark of a hand-made market, hostile text escaped, the empty
state, and the page in real Chromium (charts drawn, no script run, no request leaves the dashboard)."""

from __future__ import annotations

import datetime as dt
import html
import shutil
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from signalboost.competitors.registry import add_competitor
from signalboost.store.analytics_sql import insert_frame
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from tests.web.conftest import DATA, XSS_ATTR, XSS_SCRIPT

START = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)


def _market(ws: Workspace) -> None:
    """You (@me, the brand): 30 posts of 20 likes; Acme (@acme): 30 posts of 60 likes with #roast, and a hostile
    competitor name and post text; Tiny (@tiny): 3 posts of 900 likes (too thin to rank)."""
    posts, metrics = [], []
    for author, n, likes, tags in (("me", 30, 20, ["shop"]), ("acme", 30, 60, ["roast"]), ("tiny", 3, 900, None)):
        for i in range(n):
            pid = f"{author}-{i}"
            text = XSS_ATTR if author == "acme" and i == 0 else f"post {i}"
            when = START + dt.timedelta(days=2 * i, hours=i % 5)
            fmt = "video" if i % 3 == 0 else "photo"
            posts.append(("instagram", pid, author, when, text, fmt, tags))
            metrics.append(("instagram", pid, START + dt.timedelta(days=90), likes + i % 7, 2))
    insert_frame(
        ws,
        "posts",
        pl.DataFrame(
            posts,
            schema={
                "platform": pl.String,
                "post_id": pl.String,
                "author_id": pl.String,
                "created_at": pl.Datetime("us", "UTC"),
                "text": pl.String,
                "format": pl.String,
                "hashtags": pl.List(pl.String),
            },
            orient="row",
        ),
    )
    insert_frame(
        ws,
        "post_metrics",
        pl.DataFrame(
            metrics,
            schema={
                "platform": pl.String,
                "post_id": pl.String,
                "observed_at": pl.Datetime("us", "UTC"),
                "likes": pl.Int64,
                "comments": pl.Int64,
            },
            orient="row",
        ),
    )
    insert_frame(
        ws,
        "accounts",
        pl.DataFrame({"platform": ["instagram"], "account_id": ["me"], "handle": ["me"], "is_brand": [True]}),
    )
    add_competitor(ws, f"Acme {XSS_SCRIPT}", "instagram", ["@acme"])
    add_competitor(ws, "Tiny", "instagram", ["@tiny"])


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace.open(tmp_path_factory.mktemp("competitors-web") / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", ws.strategy_path)
    _market(ws)
    return ws


def test_page_and_twin_show_the_benchmark(market: Workspace) -> None:
    c = TestClient(create_app(market), base_url="http://127.0.0.1")
    data = c.get("/competitors.json").json()
    acc = {r["account"]: r for r in data["accounts"]}
    assert set(acc) == {"you (@me)", f"Acme {XSS_SCRIPT} (@acme)", "Tiny (@tiny)"}
    assert acc["you (@me)"]["role"] == "brand" and acc["you (@me)"]["n_posts"] == 30
    # group engagement: you Σ(20 + i%7 + 2), Acme Σ(60 + i%7 + 2) over 30 posts, Tiny 3 posts of 900 + i + 2
    extra = sum(i % 7 for i in range(30))
    you, acme, tiny = 30 * 22 + extra, 30 * 62 + extra, 3 * 902 + 0 + 1 + 2
    assert acc["you (@me)"]["share_of_voice"] == pytest.approx(you / (you + acme + tiny))
    ranks = [r for r in data["rankings"] if r["figure"] == "engagement_per_post"]
    assert [r["rank"] for r in ranks if r["account"] == "Tiny (@tiny)"] == [None]  # too thin, not first
    assert any(t["term"] == "roast" for t in data["hashtags"])
    assert data["findings"] and all("text" in f for f in data["findings"])
    page = c.get("/competitors")
    assert page.status_code == 200 and 'href="/competitors.json"' in page.text
    for chart in ("engagement-instagram", "timeline-instagram", "formats-instagram", "hours-instagram"):
        assert f'id="{chart}"' in page.text
    assert XSS_SCRIPT not in page.text and XSS_ATTR not in page.text  # drawn as text, never markup
    assert html.escape(XSS_SCRIPT, quote=False) in page.text


def test_min_posts_query_ranks_thin_pages_and_is_checked(market: Workspace) -> None:
    c = TestClient(create_app(market), base_url="http://127.0.0.1")
    data = c.get("/competitors.json?min_posts=3").json()
    ranks = {r["account"]: r["rank"] for r in data["rankings"] if r["figure"] == "engagement_per_post"}
    assert ranks["Tiny (@tiny)"] == 1 and data["min_posts"] == 3  # 3 posts of ~900: first once 3 posts suffice
    assert c.get("/competitors.json?min_posts=1").status_code == 422


def test_empty_workspace_says_how_to_start(tmp_path: Path) -> None:
    c = TestClient(create_app(Workspace.open(tmp_path / "empty", create=True)), base_url="http://127.0.0.1")
    page = c.get("/competitors")
    assert page.status_code == 200 and "no competitor is registered" in page.text
    assert "signalboost competitors add" in page.text
    assert c.get("/competitors.json").json()["empty"] is True


@pytest.mark.browser
def test_competitors_page_in_chromium(browser: object, market: Workspace) -> None:
    from playwright.sync_api import expect

    from tests.web.live import running_server
    from tests.web.test_browser import WAIT_MS, _shot

    expect.set_options(timeout=WAIT_MS)
    with running_server(market.root) as base:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page = ctx.new_page()
        dialogs: list[str] = []
        errors: list[str] = []
        elsewhere: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        ctx.on("request", lambda r: None if r.url.startswith((base, "data:")) else elsewhere.append(r.url))
        page.goto(base + "/competitors")
        expect(page.locator("h1")).to_have_text("Competitors")
        expect(page.locator("nav a[href='/competitors']")).to_be_visible()
        for chart in ("engagement", "timeline", "formats", "hours"):
            expect(page.locator(f"#{chart}-instagram svg")).to_be_visible()
        expect(page.locator("#timeline-instagram svg polyline")).to_have_count(2)  # Tiny has one month: a dot
        expect(page.locator("#benchmark-instagram tbody tr")).to_have_count(3)
        expect(page.locator("#benchmark-instagram")).to_contain_text(f"Acme {XSS_SCRIPT}")  # shown as text
        expect(page.locator("ul.findings li").first).to_be_visible()
        _shot(page, "competitors")
        ctx.close()
    assert dialogs == [] and errors == [] and elsewhere == []
