"""The dashboard's Audience page and its JSON twin (a real app over a real workspace), escaping included."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from signalboost.audience.job import run_segments
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from tests.audience.test_job_cli import STRATEGY, fill


def test_audience_page_and_twin(workspace: Workspace) -> None:
    fill(workspace)
    workspace.strategy_path.write_text(STRATEGY)
    with workspace.transaction() as con:  # an untrusted bio that must be drawn as text
        con.execute("UPDATE accounts SET bio = bio || ' <script>alert(1)</script>' WHERE account_id = 'k0'")
        con.execute("UPDATE accounts SET handle = '<b>k0' WHERE account_id = 'k0'")
    run_segments(workspace, min_share=0.0)
    c = TestClient(create_app(workspace), base_url="http://127.0.0.1")
    twin = c.get("/audience.json")
    assert twin.status_code == 200
    data = twin.json()
    assert data["summary"]["segments"] == 2 and len(data["cards"]) == 2
    assert {v["persona"]: v["segment"] is not None for v in data["verdicts"]} == {"home-bakers": True, "gamers": False}
    assert len(data["proposed"]) == 1
    page = c.get("/audience")
    assert page.status_code == 200 and 'href="/audience.json"' in page.text
    assert "Segment size and share of engagement" in page.text and "communities</title>" in page.text
    assert "no segment matches: review it" in page.text
    assert "@&lt;b&gt;k0" in page.text  # the handle is shown, escaped
    assert "<script>alert(1)" not in page.text and "<b>k0" not in page.text
    assert 'href="/audience"' in c.get("/").text  # in the navigation


def test_audience_page_before_any_run(tmp_path: Path) -> None:
    c = TestClient(create_app(Workspace.open(tmp_path / "empty", create=True)), base_url="http://127.0.0.1")
    assert c.get("/audience.json").status_code == 200
    page = c.get("/audience")
    assert page.status_code == 200 and "Import data first" in page.text


def test_audience_page_counts_the_accounts_in_no_segment(workspace: Workspace) -> None:
    import polars as pl

    from signalboost.store import influence_sql as sql

    fill(workspace)
    with workspace.transaction() as con:  # three followers with no link, bio or interaction: "other", no card
        sql.insert_frame(con, "follows", pl.DataFrame({"platform": "x", "follower_id": ["o1", "o2", "o3"],
                                                       "followee_id": "B"}))  # fmt: skip
    workspace.strategy_path.write_text(STRATEGY)
    run_segments(workspace, min_share=0.0)
    c = TestClient(create_app(workspace), base_url="http://127.0.0.1")
    assert c.get("/audience.json").json()["summary"]["other"] == 3
    text = " ".join(c.get("/audience").text.split())
    assert "3 accounts (20%) are in no segment" in text
