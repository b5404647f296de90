"""The demo's influencers.csv holds the best scores plus the best of each named segment, not every account."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
from rich.console import Console

from signalboost.demo import DemoContext
from signalboost.demo.influencers import csv_selection, demo_step
from signalboost.store.workspace import Workspace


def test_top_scores_plus_capped_named_segments() -> None:
    # ids 0..99, score = id; segments: 0-9 untapped, 10-49 fan, 50-51 advocate, the rest other
    seg = ["untapped"] * 10 + ["fan"] * 40 + ["advocate"] * 2 + ["other"] * 48
    table = pl.DataFrame(
        {
            "account_id": [str(i) for i in range(100)] + ["none"],
            "score": [float(i) for i in range(100)] + [None],
            "segment": [*seg, "untapped"],
        }
    )
    got = csv_selection(table, top=5, per_segment=3)
    # top 5: 99..95 (other); untapped best 3: 9, 8, 7; fan best 3: 49, 48, 47; advocate: 51, 50
    assert got["account_id"].to_list() == ["99", "98", "97", "96", "95", "51", "50", "49", "48", "47", "9", "8", "7"]
    assert got.columns == table.columns


def test_overlap_is_not_written_twice() -> None:
    table = pl.DataFrame({"account_id": ["a", "b", "c"], "score": [3.0, 2.0, 1.0], "segment": ["fan", "fan", "other"]})
    assert csv_selection(table, top=2, per_segment=5)["account_id"].to_list() == ["a", "b"]


def test_demo_step_says_how_many_rows_of_how_many(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    with ws.transaction() as con:
        for actor in ("1", "2", "3"):
            con.execute(
                "INSERT INTO interactions (platform, actor_id, kind, target_account_id, occurred_at) "
                "VALUES ('x', ?, 'mention', '88', TIMESTAMPTZ '2012-07-01 00:00:00+00')",
                [actor],
            )
    out = io.StringIO()
    ctx = DemoContext(workspace=ws, console=Console(file=out, width=300))
    demo_step(ctx)
    rows = ctx.outputs["influencers (CSV)"].read_text(encoding="utf-8").count("\n") - 1
    total = ws.query("SELECT count(*) AS n FROM influence_scores")["n"][0]
    assert rows == total > 0  # a tiny workspace: every account fits
    assert f"influencers.csv: {rows:,} of {total:,} accounts (top 1,000 by score" in out.getvalue()
