"""Backtest metrics (against scipy and by hand) and the demo step on the bundled Higgs data."""

from __future__ import annotations

import datetime as dt
import io
import math

import numpy as np
import polars as pl
import pytest
from rich.console import Console
from scipy.stats import spearmanr

from signalboost.influence.backtest import BASELINES, SCORE, backtest, ndcg_at_k, spearman

T = dt.datetime(2012, 7, 1, tzinfo=dt.UTC)


def test_spearman_matches_scipy_with_ties() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.integers(0, 5, 300), rng.integers(0, 7, 300)
    assert spearman(x, y) == pytest.approx(spearmanr(x, y).statistic, abs=1e-12)
    assert math.isnan(spearman(np.ones(4), np.arange(4)))


def test_ndcg_by_hand() -> None:
    gains = np.array([3.0, 0.0, 1.0, 2.0])
    # ranking by predicted: items 1, 0, 3 (k = 3); DCG = 0 + 3/log2(3) + 2/log2(4); ideal = 3 + 2/log2(3) + 1/2
    got = ndcg_at_k(np.array([5.0, 9.0, 1.0, 4.0]), gains, k=3)
    assert got == pytest.approx((3 / math.log2(3) + 2 / 2) / (3 + 2 / math.log2(3) + 1 / 2))
    assert ndcg_at_k(gains, gains, k=2) == pytest.approx(1.0)
    assert math.isnan(ndcg_at_k(gains, np.zeros(4), k=2))


def test_backtest_rewards_the_predictor_that_matches_the_future() -> None:
    # account t{i} is mentioned by i distinct accounts before the split and 2·i times after it
    rows = []
    for i in range(1, 9):
        rows += [(f"a{j}", "mention", f"t{i}", T) for j in range(i)]
        rows += [(f"b{j}", "repost", f"t{i}", T + dt.timedelta(days=4)) for j in range(2 * i)]
    frame = pl.DataFrame(rows, schema=["actor_id", "kind", "target_account_id", "occurred_at"], orient="row")
    res = backtest(frame, T + dt.timedelta(days=3), k=5, replicates=20)
    row = res.filter(pl.col("predictor").str.starts_with("in-degree")).row(0, named=True)
    assert row["spearman"] == pytest.approx(1.0) and row["ndcg"] == pytest.approx(1.0)
    assert row["spearman_lo"] == pytest.approx(1.0) and row["ndcg_lo"] == pytest.approx(1.0)
    assert row["accounts_receiving"] == 8
    assert set(res["predictor"]) == {SCORE, *BASELINES[:3]}  # no follower counts: no follower baseline
    # the default score is reach here; D (distinct interactors) and A (attention received) both grow with i, so
    # their product ranks like in-degree: the same ranking, a paired difference of exactly 0
    score = res.filter(pl.col("predictor") == SCORE).row(0, named=True)
    assert score["ndcg"] == pytest.approx(1.0) and row["d_ndcg_lo"] == row["d_ndcg_hi"] == pytest.approx(0.0)


@pytest.mark.slow
def test_demo_step_on_the_bundled_higgs_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from signalboost.demo import DemoContext
    from signalboost.demo.influencers import demo_step
    from signalboost.store.workspace import Workspace

    out = io.StringIO()
    ctx = DemoContext(Workspace.open(tmp_path / "ws", create=True), Console(file=out, width=200))
    demo_step(ctx)
    text = out.getvalue()
    assert "account 88" in text  # the most-mentioned account (by distinct accounts) stands in for the brand
    for comp in ("amplification", "topic"):
        assert f"{comp} unavailable" in text
    assert "reach unavailable" not in text  # reach from the distinct accounts interacting
    assert "interacted with the brand" in text
    frame = ctx.workspace.query("SELECT segment, count(*) AS n FROM influence_scores GROUP BY 1")
    counts = dict(frame.iter_rows())
    # no follow graph: nobody is untapped (a silent follower looks like a stranger); the thought leaders instead
    assert "untapped" not in counts and "thought leaders beyond" in " ".join(text.split())
    assert counts["thought_leader"] > 0 and counts["advocate"] > 0 and sum(counts.values()) == 304_691 - 1
    # one mention of the brand engages: every account that interacted with it is advocate or fan
    engaged = ctx.workspace.query("SELECT DISTINCT segment FROM influence_scores WHERE interactions_with_brand >= 1")[
        "segment"
    ].to_list()
    assert sorted(engaged) == ["advocate", "fan"]
    assert ctx.outputs["influence quadrant chart"].stat().st_size > 10_000
