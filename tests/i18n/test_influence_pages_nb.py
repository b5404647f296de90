"""The dashboard's Influencers, influencer profile, Outreach, Partners, Audience and Competitors pages in bokmål:
the text the views compute (messages, chart labels and tips, persona descriptions, verdicts, notes, alerts,
findings, segment and stage names) in Norwegian, with CLDR numbers — through the app in process, and in a real
browser (Chromium through Playwright) on a running server."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from babel.numbers import format_percent
from fastapi.testclient import TestClient

from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app

#: English the views used to compute; none may be left on the Norwegian pages
ENGLISH = (
    "No influence scores yet",
    "Approach untapped influencer",
    "Segment size and share of engagement",
    "of the audience",
    "accounts in the audience",
    "no segment matches",
    "matches a segment",
    "talking about",
    "most active around",
    "Engagement per post by page",
    "Format mix: share",
    "When each page posts",
    "leads on",
    "too thin",
    "posts a week",
    "due 2026",
    "thought leader",
    "thought_leader",
    "identified",
    "organic",
    "full weeks",
    "posts cover only",
)


def _visible(html: str) -> str:
    """The page's text, tags dropped but SVG <title>/<desc> tips kept (they are read out and shown on hover)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)))  # no-break spaces kept


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Brand B on x with two planted audience groups (tests/audience), its influence scores, its segments, and one
    influencer in the pipeline whose follow-up was due on 1 Nov 2026."""
    from signalboost.audience.job import run_segments
    from signalboost.influence.job import run_influence
    from signalboost.outreach import pipeline
    from tests.audience.test_job_cli import STRATEGY, fill

    ws = Workspace.open(tmp_path_factory.mktemp("people") / "ws", create=True)
    with ws.connect():
        pass
    fill(ws)
    ws.strategy_path.write_text(STRATEGY)
    run_influence(ws)
    run_segments(ws, min_share=0.0)
    pipeline.add_influencer(ws, "x", "r1", handle="r1", due_date=dt.date(2026, 11, 1), next_step="send the brief")
    return ws


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/competitors/test_cli.py's market (you 12 posts, Acme 12, Tiny 3 on Instagram), registered."""
    from signalboost.cli.main import main
    from tests.competitors.test_cli import _page

    tmp = tmp_path_factory.mktemp("market")
    ws = tmp / "ws"
    assert main(["init", str(ws), "--template", "clothing-store"]) == 0
    pages = (("me", 12, 10, "@threadline"), ("acme", 12, 40, "@acme"), ("tiny", 3, 500, "tinyshop"))
    for prefix, n, likes, author in pages:
        page = _page(tmp / f"{prefix}.csv", prefix, n, likes)
        args = ["import", str(page), "-w", str(ws), "--map", f"platform==instagram,author_id=={author}"]
        assert main([*args, "--observed-at", "2024-02-01T00:00:00Z"]) == 0
    assert main(["competitors", "add", "Acme", "-p", "instagram", "-a", "@acme", "-w", str(ws)]) == 0
    assert main(["competitors", "add", "Tiny", "-p", "instagram", "-a", "@tinyshop", "-w", str(ws)]) == 0
    from signalboost import i18n

    i18n.set_override(None)
    return ws


def _page(client: TestClient, path: str) -> str:
    r = client.get(path + ("&" if "?" in path else "?") + "lang=nb")
    assert r.status_code == 200, r.text[:500]
    return _visible(r.text)


def test_people_pages_in_norwegian(people: Workspace) -> None:
    client = TestClient(create_app(people), base_url="http://127.0.0.1")
    audience = _page(client, "/audience")
    assert "Fellesskapene i publikummet" in audience and "Segmentstørrelse og andel av engasjementet" in audience
    half = format_percent(0.5, locale="nb")  # two planted groups of 6 of 12
    assert f"6 kontoer ({half} av publikummet); snakker om " in audience  # the card's description, regenerated
    assert "ingen segmenter passer: se over personaen" in audience  # "gamers" matches nothing
    assert "passer med et segment på " + half in audience  # "home-bakers" matches the bakers
    assert "følgergrafen" in audience and "merkevarekonto: B (strategy.yaml brand.handles.x)" in audience
    influencers = _page(client, "/influencers")
    assert "Påvirkere" in influencers and ("meningsleder" in influencers or "ambassadør" in influencers)
    outreach = _page(client, "/outreach")
    assert "identifisert" in outreach and "organisk" in outreach
    overview = _page(client, "/")
    assert "frist 1. nov. 2026: send the brief" in overview + outreach  # the alert of kpis.due, in nb form
    for text in (audience, influencers, outreach):
        assert [e for e in ENGLISH if e in text] == []


def test_competitors_page_in_norwegian(market: Path) -> None:
    client = TestClient(create_app(Workspace.open(market)), base_url="http://127.0.0.1")
    text = _page(client, "/competitors")
    assert "Engasjement per innlegg per side (snitt, 95 %-intervall)" in text
    assert "Formatmiks: andel av hver sides innlegg" in text and "for tynt (n=3 < 10)" in text
    assert "engasjement per innlegg" in text  # the rankings' figure names
    assert "dere (@threadline)" in text  # the brand's own label
    assert [e for e in ENGLISH if e in text] == []


@pytest.mark.browser
def test_influence_pages_in_norwegian_in_chromium(people: Workspace, market: Path, tmp_path: Path) -> None:
    from tests.web.live import running_server
    from tests.web.test_browser import ARGS, CHROMIUM, WAIT_MS

    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (scripts/system-deps.sh test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page()
            with running_server(people.root) as base:
                page.goto(base + "/audience?lang=nb")
                sync_api.expect(page.locator("html")).to_have_attribute("lang", "nb", timeout=WAIT_MS)
                verdicts = page.locator("#verdicts")
                sync_api.expect(verdicts).to_contain_text("ingen segmenter passer", timeout=WAIT_MS)
                body = page.locator("main").inner_text()
                assert "av publikummet" in body and "snakker om" in body
                assert [e for e in ENGLISH if e in body] == []
                page.screenshot(path=str(tmp_path / "audience-nb.png"), full_page=True)
                # the choice is remembered: the next pages are Norwegian without ?lang
                page.goto(base + "/outreach")
                sync_api.expect(page.get_by_role("heading", name="Identifisert")).to_be_visible(timeout=WAIT_MS)
                body = page.locator("main").inner_text()
                assert "organisk" in body and [e for e in ENGLISH if e in body] == []
                page.goto(base + "/influencers")
                body = page.locator("main").inner_text()
                assert "Påvirkere" in body and [e for e in ENGLISH if e in body] == []
            with running_server(market) as base:
                page.goto(base + "/competitors?lang=nb")
                sync_api.expect(page.locator("main")).to_contain_text("for tynt (n=3 < 10)", timeout=WAIT_MS)
                body = page.locator("main").inner_text()
                assert "engasjement per innlegg" in body and [e for e in ENGLISH if e in body] == []
                page.screenshot(path=str(tmp_path / "competitors-nb.png"), full_page=True)
        finally:
            browser.close()
