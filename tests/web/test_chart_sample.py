"""The Influencers chart's sample is stored with the scores (table ``influence_chart``, migration 031): the rows
are checked against the three rules computed by hand in Python, against the per-request query (the peer), and the
page still draws a chart for scores written before the table existed."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from signalboost.store import influence_sql
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app

SEGS = ("advocate", "untapped", "fan", "thought_leader", "other")


def score_table(n: int, when: dt.datetime, *, seed: int = 7, null_every: int = 0) -> pl.DataFrame:
    """``n`` accounts with seeded scores (ties included: scores are whole numbers) and segments."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        score = None if null_every and i % null_every == 0 else float(rng.randint(0, 100))
        count = rng.choice([None, 0, rng.randint(1, 9)])  # interactions with the brand in the window (None: no brand)
        rows.append(
            {
                "platform": "x",
                "account_id": f"a{i:05d}",
                "computed_at": when,
                "score": score,
                "engagement": None if count is None else count * 0.8,
                "interactions_with_brand": count,
                "segment": rng.choice(SEGS),
            }
        )
    frame = pl.DataFrame(rows, schema_overrides={"computed_at": pl.Datetime("us", "UTC")})
    missing = [c for c in influence_sql.SCORE_COLUMNS if c not in frame.columns]
    return frame.with_columns(pl.lit(None).alias(c) for c in missing).select(influence_sql.SCORE_COLUMNS)


def expected_sample(table: pl.DataFrame) -> list[str]:
    """The sample's account ids by the rules, in plain Python: rank by score desc then id; keep the 150 best,
    advocate/untapped among the first 1000, and every k-th rank with k = n // 250 + 1."""
    scored = [r for r in table.iter_rows(named=True) if r["score"] is not None]
    scored.sort(key=lambda r: (-r["score"], r["account_id"]))
    k = len(scored) // 250 + 1
    keep = []
    for rn, r in enumerate(scored, start=1):
        if rn <= 150 or (rn <= 1000 and r["segment"] in ("advocate", "untapped")) or rn % k == 0:
            keep.append(r["account_id"])
    return keep


def run_meta(when: dt.datetime, n: int) -> dict[str, object]:
    return {"platform": "x", "computed_at": when, "weights": {}, "unavailable": {}, "accounts": n}


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.open(tmp_path / "ws", create=True)


def test_the_stored_sample_follows_the_rules(ws: Workspace) -> None:
    when = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
    table = score_table(3000, when, null_every=11)
    with ws.transaction() as con:
        influence_sql.write_scores(con, table, run_meta(when, table.height))
    want = expected_sample(table)
    assert 400 < len(want) < 1000  # the three rules all matter at this size
    with ws.connect() as con:
        stored = influence_sql.read_chart_sample(con, "x", when)
        drawn = influence_sql.chart_points(con, "x", None)  # the per-request query, the peer
    assert stored is not None
    assert [p["account_id"] for p in stored] == want
    assert stored == drawn
    assert all(p["score"] is not None for p in stored)  # an unscored account is never drawn at a fake 0


def test_a_new_run_replaces_the_sample(ws: Workspace) -> None:
    first, second = dt.datetime(2026, 1, 5, tzinfo=dt.UTC), dt.datetime(2026, 1, 6, tzinfo=dt.UTC)
    with ws.transaction() as con:
        influence_sql.write_scores(con, score_table(500, first), run_meta(first, 500))
    small = score_table(40, second, seed=3)
    with ws.transaction() as con:
        influence_sql.write_scores(con, small, run_meta(second, 40))
        rows = con.execute("SELECT DISTINCT computed_at FROM influence_chart").fetchall()
        assert [r[0] for r in rows] == [second]
        assert influence_sql.read_chart_sample(con, "x", first) is None
        points = influence_sql.chart_points(con, "x", second)
    assert [p["account_id"] for p in points] == expected_sample(small)  # 40 accounts: every one of them


def test_the_handle_is_the_accounts_current_one(ws: Workspace) -> None:
    when = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    table = score_table(20, when)
    with ws.transaction() as con:
        influence_sql.write_scores(con, table, run_meta(when, 20))
        con.execute("INSERT INTO accounts (platform, account_id, handle) VALUES ('x', 'a00003', 'renamed')")
        points = influence_sql.chart_points(con, "x", when)
    handles = {p["account_id"]: p["handle"] for p in points}
    assert handles["a00003"] == "renamed" and handles["a00004"] is None


def test_scores_without_a_stored_sample_still_draw_the_chart(ws: Workspace) -> None:
    """Scores written before migration 031 (no sample): the page draws it from the scores, the same points."""
    when = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    table = score_table(600, when)
    with ws.transaction() as con:
        influence_sql.write_scores(con, table, run_meta(when, 600))
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    with_sample = client.get("/influencers.json").json()["points"]
    with ws.transaction() as con:
        con.execute("DELETE FROM influence_chart")
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    without = client.get("/influencers.json").json()["points"]
    assert [p["account_id"] for p in without] == expected_sample(table)
    assert without == with_sample
    html = client.get("/influencers").text
    drawn = [p for p in without if p["engagement"] is not None]  # an unknown engagement is not drawn as 0
    assert 0 < len(drawn) < len(without)
    assert html.count("<circle") == len(drawn)
