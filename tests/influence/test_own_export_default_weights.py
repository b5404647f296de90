"""An account's own export (every interaction the brand's own, no follower counts, no topic hashtags) gives the
authority component alone, which the default weights weigh 0 (docs/validation.md). ``signalboost influencers`` then
ranks on the components the data gives, weighed equally, and says so — it refused with "every component that can be
computed has weight 0" on the X archive and the Mastodon export, pointing at an ``influence.weights`` the user never
wrote. Weights a user sets are kept: all 0 is still an error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from signalboost.influence import job
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace

T = dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)


def _own_export(tmp_path: Path, strategy: str = "version: 1\nbrand:\n  name: Brand\n") -> Workspace:
    """The brand B reposts r1, replies to c1, mentions f1 and likes a post of l1; its posts carry no hashtag."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    ws.strategy_path.write_text(strategy)
    inter = pl.DataFrame(
        {
            "platform": "x",
            "actor_id": "B",
            "kind": ["repost", "reply", "mention", "like"],
            "target_account_id": ["r1", "c1", "f1", "l1"],
            "occurred_at": [T - dt.timedelta(days=d) for d in (4, 3, 2, 1)],
        }
    )
    posts = pl.DataFrame(
        {"platform": "x", "post_id": ["p1", "p2"], "author_id": "B", "created_at": [T, T], "hashtags": [[], []]}
    )
    accounts = pl.DataFrame({"platform": "x", "account_id": ["B"], "handle": ["brand"], "is_brand": [True]})
    with ws.transaction() as con:
        sql.insert_frame(con, "interactions", inter)
        sql.insert_frame(con, "posts", posts)
        sql.insert_frame(con, "accounts", accounts)
    return ws


def test_an_own_export_is_ranked_on_authority_alone_and_says_why(tmp_path: Path) -> None:
    from signalboost.influence.score import DEFAULTS_GIVE_NOTHING, ONLY_BRAND_INTERACTS

    ws = _own_export(tmp_path)
    job.run_influence(ws, platform="x")
    frame, run = job.stored_influencers(ws, platform="x")
    assert run is not None
    assert run["weights"] == {"reach": 0.0, "authority": 1.0, "amplification": 0.0, "topic": 0.0, "activity": 0.0}
    assert DEFAULTS_GIVE_NOTHING in run["notes"] and ONLY_BRAND_INTERACTS in run["notes"], run["notes"]
    assert set(run["unavailable"]) == {"reach", "amplification", "topic", "activity"}, run["unavailable"]
    # PageRank on the brand's star: a target's share of B's out-weight (repost 4 > reply 2 > mention 1 > like 0.5)
    # orders the accounts; one component of weight 1: the score is its percentile
    rows = frame.filter(pl.col("account_id") != "B").sort("score", descending=True)
    assert rows["account_id"].to_list() == ["r1", "c1", "f1", "l1"]
    assert rows["score"].to_list() == pytest.approx(rows["authority"].to_list())


def test_the_cli_lists_them_and_says_the_weights(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from signalboost.cli.main import main

    ws = _own_export(tmp_path)
    assert main(["influencers", "-w", str(ws.root)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Accounts the brand engages with on x (not an influence ranking)" in out
    assert "weights authority 100%" in out
    assert "The default weights give 0 to every component this data can give, so those are weighed equally" in out


def test_weights_a_user_set_are_kept_even_when_they_weigh_nothing_the_data_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from signalboost.cli.main import main

    ws = _own_export(tmp_path, "version: 1\nbrand:\n  name: Brand\ninfluence:\n  weights: {reach: 1, authority: 0}\n")
    assert main(["influencers", "-w", str(ws.root)]) == 1
    assert "every component that can be computed has weight 0" in capsys.readouterr().err


def test_the_dashboard_says_it_above_the_table(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from signalboost.web.app import create_app

    ws = _own_export(tmp_path)
    job.run_influence(ws, platform="x")
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    data = client.get("/influencers.json").json()
    assert "so those are weighed equally" in (data.get("ranking_note") or ""), data.get("ranking_note")
    page = " ".join(client.get("/influencers").text.split())
    assert "The default weights give 0 to every component this data can give" in page


STRATEGY_PILLARS = """version: 1
brand:
  name: Brand
pillars:
  - {id: finance, name: Finance, weight: 60, hashtags: ["#finops"]}
  - {id: team, name: Team, weight: 40}
"""


def _tag_posts(ws: Workspace, tags: list[str]) -> None:
    with ws.transaction() as con:
        con.execute("UPDATE posts SET hashtags = ?", [tags])


def test_topic_says_when_the_posts_hashtags_name_no_pillar(tmp_path: Path) -> None:
    """The s9 walk's Mastodon export: posts tagged #cat, pillars tagged #finops — topic leadership said "no hashtags
    or pillar labels on imported posts", which was untrue."""
    from signalboost.influence.components import TOPIC_NO_MATCH

    ws = _own_export(tmp_path, STRATEGY_PILLARS)
    _tag_posts(ws, ["cat"])
    job.run_influence(ws, platform="x")
    _frame, run = job.stored_influencers(ws, platform="x")
    assert run is not None and run["unavailable"]["topic"] == TOPIC_NO_MATCH
    _tag_posts(ws, [])  # no hashtag at all: the old reason stands
    job.run_influence(ws, platform="x")
    _frame, run = job.stored_influencers(ws, platform="x")
    assert run is not None and run["unavailable"]["topic"] == "no hashtags or pillar labels on imported posts"


def test_the_dashboard_says_what_was_not_computed_in_the_readers_language(tmp_path: Path) -> None:
    """The Influencers page listed the stored English reasons ("reach (known only for the brand's own account …)")
    on a Norwegian page too."""
    from fastapi.testclient import TestClient

    from signalboost.web.app import create_app

    ws = _own_export(tmp_path)
    job.run_influence(ws, platform="x")
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    page = " ".join(client.get("/influencers?lang=nb").text.split())
    said = page.split("Ikke beregnet her:", 1)[1].split("</p>", 1)[0]
    assert "rekkevidde (kjent bare for merkevarens egen konto" in said, said
    assert "known only for the brand's own account" not in said and "reach (" not in said, said
