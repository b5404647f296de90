"""The dashboard's fast paths give the library's figures: each is checked against the library function it stands
in for (the peer implementation), on real data (the bundled UCI posts) or a seeded random graph."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from signalboost.store import analytics_sql, outreach_sql
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from signalboost.web.session import WebWorkspace
from signalboost.web.views import analytics, fast_analysis, influencers

ANALYTICS_STRATEGY = Path(__file__).resolve().parents[1] / "data" / "analytics" / "strategy.yaml"


@pytest.fixture
def uci_ws(tmp_path: Path) -> WebWorkspace:
    """The bundled UCI Facebook posts (imported by the product's importer) with a strategy that has KPIs."""
    from signalboost.demo_data import UCI_FACEBOOK, demo_file
    from signalboost.ingest.pipeline import import_files

    ws = WebWorkspace.wrap(Workspace.open(tmp_path / "ws", create=True))
    import_files(ws, [demo_file(*UCI_FACEBOOK)], progress=False)
    shutil.copy(ANALYTICS_STRATEGY, ws.strategy_path)
    return ws


def _store_pillars(ws: Workspace) -> None:
    from signalboost.analytics.analysis import analyze
    from signalboost.store.analytics_sql import read_analytics_frames, replace_post_pillars

    f = read_analytics_frames(ws)
    replace_post_pillars(ws, analyze(ws.strategy(), f.posts, f.post_metrics, f.account_snapshots).pillar_assignments)


def test_overview_figures_equal_the_full_analysis(uci_ws: WebWorkspace) -> None:
    full = analytics.build(uci_ws)
    computed = analytics.overview_figures(uci_ws)
    assert computed["pillars_from"] == "computed"
    assert full["kpis"] and any(r["value"] is not None for r in full["kpis"])  # the comparison compares something
    assert full["pillar_mix"] and any(r["n_posts"] for r in full["pillar_mix"])
    assert computed["kpis"] == full["kpis"]
    assert computed["pillar_mix"] == full["pillar_mix"]
    _store_pillars(uci_ws)
    stored = analytics.overview_figures(uci_ws)
    assert stored["pillars_from"] == "stored"
    assert stored["kpis"] == full["kpis"]
    assert stored["pillar_mix"] == full["pillar_mix"]
    assert fast_analysis.stored_assignments(uci_ws) is not None  # the page now analyses with the stored pillars
    assert analytics.build(uci_ws) == full  # every section, sample size and note the same


def test_stored_pillars_older_than_the_strategy_are_not_used(uci_ws: WebWorkspace) -> None:
    _store_pillars(uci_ws)
    later = dt.datetime.now(dt.UTC).timestamp() + 3600
    os.utime(uci_ws.strategy_path, (later, later))  # strategy.yaml changed after the assignments were stored
    assert analytics.overview_figures(uci_ws)["pillars_from"] == "computed"


def test_stored_pillars_missing_a_post_are_not_used(uci_ws: WebWorkspace) -> None:
    _store_pillars(uci_ws)
    with uci_ws.transaction() as con:
        con.execute("DELETE FROM post_pillars WHERE post_id = (SELECT min(post_id) FROM post_pillars)")
        assert analytics_sql.stored_pillar_assignments(con, dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) is None


# ------------------------------------------------------------------------------------ a seeded random graph
KINDS = ("repost", "quote", "reply", "mention", "like")


@pytest.fixture
def graph_ws(tmp_path: Path) -> WebWorkspace:
    """60 accounts (brand '0'), ~900 interactions on posts and accounts, ~200 follows; influence scored."""
    from signalboost.influence.job import run_influence

    rng = random.Random(8)
    ws = WebWorkspace.wrap(Workspace.open(tmp_path / "g", create=True))
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    accounts = [(str(i), f"user{i}", i == 0) for i in range(60)]
    accounts.append(("60", "7", False))  # a handle that is another account's id
    posts = [(f"p{i}", str(rng.randrange(60)), start + dt.timedelta(hours=rng.randrange(2000))) for i in range(150)]
    inter = []
    for _ in range(900):
        actor = str(min(rng.randrange(60), rng.randrange(60)))  # low ids act more
        at = start + dt.timedelta(hours=rng.randrange(2000))
        if rng.random() < 0.5:
            post = rng.choice(posts)
            inter.append((actor, rng.choice(KINDS), post[0], "", at))
        else:
            inter.append((actor, rng.choice(KINDS[:4]), "", str(rng.randrange(60)), at))
    follows = {(str(rng.randrange(60)), str(rng.randrange(15))) for _ in range(200)}
    with ws.transaction() as con:
        con.executemany("INSERT INTO accounts (platform, account_id, handle, is_brand) VALUES ('x', ?, ?, ?)", accounts)
        con.executemany(
            "INSERT INTO posts (platform, post_id, author_id, created_at, format) VALUES ('x', ?, ?, ?, 'text')",
            posts,
        )
        con.executemany(
            "INSERT INTO interactions (platform, actor_id, kind, target_post_id, target_account_id, occurred_at) "
            "VALUES ('x', ?, ?, ?, ?, ?)",
            [i for i in inter if i[0] != i[3]],
        )
        con.executemany(
            "INSERT INTO follows (platform, follower_id, followee_id) VALUES ('x', ?, ?)",
            [f for f in follows if f[0] != f[1]],
        )
    run_influence(ws, platform="x")
    return ws


def test_neighbourhood_profile_equals_the_library_profile(graph_ws: WebWorkspace) -> None:
    from signalboost.influence.job import influencer_profile

    compared = 0
    assert influencers.neighbourhood_profile(graph_ws, "x", "0") is None  # the brand is not scored: library path
    for account in ["1", "2", "5", "13", "42", "59"]:
        fast = influencers.neighbourhood_profile(graph_ws, "x", account)
        assert fast is not None
        expected = influencer_profile(graph_ws, account, platform="x").to_dict()
        assert fast.to_dict() == expected
        compared += bool(expected["engagement_over_time"]) and expected["posts_observed"] > 0
    assert compared >= 3  # accounts with posts and engagement with the brand were among them


def test_neighbourhood_profile_defers_when_the_key_is_someone_elses_handle(graph_ws: WebWorkspace) -> None:
    assert influencers.neighbourhood_profile(graph_ws, "x", "7") is None  # account 60's handle is "7"
    assert influencers.neighbourhood_profile(graph_ws, "x", "nobody") is None


@pytest.mark.parametrize("source", ["interactions", "follows"])
def test_bridge_rows_equal_the_library_bridges(graph_ws: WebWorkspace, source: str) -> None:
    from signalboost.outreach.overlap import bridges_of

    found = 0
    for threshold in (0.0, 40.0):
        for cand in ["1", "3", "8", "12"]:
            expected = bridges_of(graph_ws, cand, platform="x", brand=["0"], source=source, threshold=threshold)
            with graph_ws.connect() as con:
                got = outreach_sql.bridge_rows(con, "x", ["0"], cand, source=source, threshold=threshold, limit=20)
            assert got == expected.to_dicts()
            found += len(got)
    assert found > 0


# ------------------------------------------------------------------------------ one parse, one connection
def test_a_page_takes_the_lock_once_and_parses_the_strategy_once(
    uci_ws: WebWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signalboost.model.validate as model_validate
    import signalboost.store.workspace as workspace_module

    client = TestClient(create_app(uci_ws), base_url="http://127.0.0.1")
    client.get("/")  # warm: imports, migrations
    locks, parses = [], []
    real_lock, real_load = workspace_module.workspace_lock, model_validate.validate_bytes

    def counting_lock(*a, **k):  # type: ignore[no-untyped-def]
        locks.append(1)
        return real_lock(*a, **k)

    def counting_load(*a, **k):  # type: ignore[no-untyped-def]
        parses.append(1)
        return real_load(*a, **k)

    monkeypatch.setattr(workspace_module, "workspace_lock", counting_lock)
    monkeypatch.setattr(model_validate, "validate_bytes", counting_load)  # the parse Workspace.strategy() keeps
    for page in ("/overview.json", "/analytics.json", "/outreach.json"):
        client.app.state.ctx.cache.clear()  # type: ignore[attr-defined]
        assert client.get(page).status_code == 200
        assert len(locks) == 1, page
        locks.clear()
    assert parses == []  # parsed before, unchanged since
    uci_ws.strategy_path.write_text(uci_ws.strategy_path.read_text() + "\n# edited\n")
    client.app.state.ctx.cache.clear()  # type: ignore[attr-defined]
    assert client.get("/overview.json").status_code == 200
    assert len(parses) == 1


# ------------------------------------------------------------------------------------------- strategy page
def _strategy_page_reference(ws: Workspace) -> dict[str, object]:
    """The Strategy page as first written: validate the text, load the document again, build the strategy."""
    from signalboost.errors import StrategyError
    from signalboost.model.io import StrategyDocument
    from signalboost.web.views import strategy as page

    text = ws.strategy_path.read_text(encoding="utf-8", errors="replace")
    issues = page.validate_text(text, ws.strategy_path.name)
    out: dict[str, object] = {"issues": [i.as_dict() for i in issues]}
    try:
        doc = StrategyDocument.load(ws.strategy_path)
        out["sections"] = {k: page._dump(doc.data[k]) for k in page.SECTIONS if k in doc.data}
        out["brand"] = doc.strategy().brand.name
    except StrategyError as exc:
        out["error"] = exc.message()
    return out


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t,
        lambda t: t.replace("weight: 20", "weight: 25", 1),  # weights no longer sum to 100
        lambda t: t + "\nbrand: [unclosed\n",  # not YAML
        lambda t: t.replace("name:", "nme:", 1),  # a wrong field
        lambda t: "",  # empty
    ],
)
def test_strategy_page_parses_once_with_the_same_result(tmp_path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    from signalboost.web.views import strategy as page

    ws = Workspace.open(tmp_path / "s", create=True)
    shutil.copy(ANALYTICS_STRATEGY, ws.strategy_path)
    ws.strategy_path.write_text(edit(ws.strategy_path.read_text()))
    got = page.build(ws)
    want = _strategy_page_reference(ws)
    assert got["issues"] == want["issues"]
    assert got.get("error") == want.get("error")
    assert got["sections"] == want.get("sections", {})
    assert got.get("brand") == want.get("brand")
