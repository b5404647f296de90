"""The Influencers page on an account's own export: every interaction in the data is the brand's own, so the
ranking is the accounts the brand engages with, not their influence (docs/influence.md). The page's title and a
line above the table say so, as the CLI does; with other accounts' interactions the page keeps its title."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from signalboost.influence.job import run_influence
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app

T = dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)
DAYS = [T - dt.timedelta(days=d) for d in (3, 2, 1)]
TITLE = "Accounts the brand engages with on x (not an influence ranking)"


def _workspace(tmp_path: Path, actors: list[str]) -> Workspace:
    """The brand B's posts and three interactions whose actors are ``actors`` (B's own: an account export)."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    ws.strategy_path.write_text("version: 1\nbrand:\n  name: Brand\n")
    inter = pl.DataFrame(
        {
            "platform": "x",
            "actor_id": actors,
            "kind": ["mention", "reply", "mention"],
            "target_account_id": ["f1", "f1", "c1"],
            "occurred_at": DAYS,
        }
    )
    posts = pl.DataFrame(
        {
            "platform": "x",
            "post_id": ["p1", "p2", "p3"],
            "author_id": "B",
            "created_at": DAYS,
            "hashtags": [["css"], ["css"], ["js"]],
        }
    )
    accounts = pl.DataFrame({"platform": "x", "account_id": ["B"], "handle": ["brand"], "is_brand": [True]})
    with ws.transaction() as con:
        sql.insert_frame(con, "interactions", inter)
        sql.insert_frame(con, "posts", posts)
        sql.insert_frame(con, "accounts", accounts)
    run_influence(ws, platform="x")
    return ws


def _h1(html: str) -> str:
    m = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert m, "no <h1> on the page"
    return " ".join(m.group(1).split())


def test_own_export_is_titled_as_not_an_influence_ranking(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, ["B", "B", "B"])
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    html = client.get("/influencers").text
    assert _h1(html) == TITLE
    assert f"<title>{TITLE}" in html
    note = html.index('id="ranking-note"')
    assert note < html.index('id="influencers"')  # said above the table, not below it
    assert "the scores rank the accounts the brand engages with, not their influence" in html[note:]
    doc = client.get("/influencers.json").json()
    assert doc["title"] == TITLE
    assert doc["ranking_note"].startswith("Every interaction in the data is the brand's own (")
    assert doc["ranking_note"].endswith("the scores rank the accounts the brand engages with, not their influence.")
    assert {r["account_id"] for r in doc["rows"]} == {"f1", "c1"}


def test_own_export_title_in_norwegian(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, ["B", "B", "B"])
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    assert _h1(client.get("/influencers?lang=en").text) == TITLE  # the page data is cached for every language
    h1 = _h1(client.get("/influencers?lang=nb").text)
    assert h1 != TITLE and "x" in h1 and "ikke" in h1
    assert client.get("/influencers.json?lang=nb").json()["title"] == h1


# other accounts interacting with the brand's contacts: f1 → itself, B → f1, c1 → itself; c1 → f1 twice, f1 → c1
# (self-interactions alone link no two accounts: then no component, topic included, can be computed)
@pytest.mark.parametrize("actors", [["f1", "B", "c1"], ["c1", "c1", "f1"]])
def test_other_accounts_interactions_keep_the_influencers_title(tmp_path: Path, actors: list[str]) -> None:
    ws = _workspace(tmp_path, actors)
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    html = client.get("/influencers").text
    assert _h1(html) == "Influencers"
    assert 'id="ranking-note"' not in html and "not an influence ranking" not in html
    doc = client.get("/influencers.json").json()
    assert doc["title"] == "Influencers" and doc["ranking_note"] is None
    assert _h1(client.get("/influencers?lang=nb").text) == "Påvirkere"  # after an English request: not cached words
