"""Temporal backtest of the influence score: score from the first part of a period, then measure how well the
scores rank accounts by the reposts and mentions they receive afterwards.

Metrics: Spearman's rank correlation (ties share their mean rank) and NDCG@k with linear gains
(Järvelin & Kekäläinen 2002, *Cumulated gain-based evaluation of IR techniques*, ACM TOIS)::

    DCG@k = Σ_{i=1..k} gain_i / log2(i + 1),   NDCG@k = DCG@k / ideal DCG@k

Baselines (Cha et al. 2010, *Measuring User Influence in Twitter: The Million Follower Fallacy*): in-degree
(accounts that interacted with the account — the follower-count stand-in when no follow graph exists), reposts
received, and plain (unweighted) PageRank. Run ``python -m signalboost.influence.backtest [FILE]`` for the
figures quoted in docs/validation.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import polars as pl

from signalboost.influence.components import interaction_graph
from signalboost.influence.data import InfluenceData
from signalboost.influence.pagerank import pagerank
from signalboost.influence.score import compute_influence
from signalboost.model.strategy import InfluenceSettings


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's ρ: Pearson correlation of the mean ranks (NaN when either side is constant)."""
    from scipy.stats import rankdata

    rx, ry = rankdata(x), rankdata(y)
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def ndcg_at_k(predicted: np.ndarray, gains: np.ndarray, k: int = 100) -> float:
    """NDCG@k of the ranking by ``predicted`` (descending; ties by position) against ``gains``."""
    order = np.lexsort((np.arange(len(predicted)), -np.asarray(predicted, dtype=np.float64)))[:k]
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float((np.asarray(gains, dtype=np.float64)[order] * discounts[: order.size]).sum())
    ideal = np.sort(np.asarray(gains, dtype=np.float64))[::-1][:k]
    idcg = float((ideal * discounts[: ideal.size]).sum())
    return dcg / idcg if idcg > 0 else float("nan")


def predictors(
    train: pl.DataFrame, settings: InfluenceSettings | None = None
) -> tuple[pl.Series, dict[str, np.ndarray]]:
    """Every predictor computed from ``train`` interactions only: node ids and predictor -> values."""
    settings = settings or InfluenceSettings()
    data = InfluenceData.from_frames("x", interactions=train)
    result = compute_influence(data, settings)
    no_act = settings.model_copy(update={"weights": settings.weights.model_copy(update={"activity": 0.0})})
    plain_score = compute_influence(data, no_act).table
    aligned = data.nodes.to_frame("account_id").join(result.table, on="account_id", how="left", maintain_order="left")
    plain_score = data.nodes.to_frame("account_id").join(
        plain_score, on="account_id", how="left", maintain_order="left"
    )
    edges = data.edges().filter(pl.col("src") != pl.col("dst"))
    n = data.n
    indeg = np.zeros(n)
    distinct = edges.select("src", "dst").unique()
    np.add.at(indeg, distinct["dst"].to_numpy(), 1.0)
    reposts = np.bincount(edges.filter(pl.col("kind") == "repost")["dst"].to_numpy(), minlength=n).astype(float)
    plain = pagerank(interaction_graph(data, {k: 1.0 for k in ("repost", "quote", "reply", "mention", "like")}))
    rng = np.random.default_rng(0)
    out = {
        "influence score": aligned["score"].fill_null(0.0).to_numpy(),
        "influence score, activity weight 0": plain_score["score"].fill_null(0.0).to_numpy(),
        "authority (weighted PageRank)": aligned["authority"].fill_null(0.0).to_numpy(),
        "plain PageRank": plain,
        "in-degree (distinct accounts interacting)": indeg,
        "reposts received": reposts,
        "activity": aligned["activity"].fill_null(0.0).to_numpy(),
        "random": rng.random(n),
    }
    return data.nodes, out


def backtest(
    interactions: pl.DataFrame, split: dt.datetime, *, k: int = 100, settings: InfluenceSettings | None = None
) -> pl.DataFrame:
    """Score on interactions before ``split``; target = reposts + mentions received from ``split`` on.

    One row per predictor: Spearman over every account seen before the split, Spearman over those that also
    received something afterwards, NDCG@k, and the numbers of accounts.
    """
    train = interactions.filter(pl.col("occurred_at") < split)
    test = interactions.filter((pl.col("occurred_at") >= split) & pl.col("kind").is_in(["repost", "mention"]))
    test = test.filter(pl.col("actor_id") != pl.col("target_account_id"))
    nodes, preds = predictors(train, settings)
    received = test.group_by("target_account_id").len()
    gains = (
        nodes.to_frame("target_account_id")
        .join(received, on="target_account_id", how="left", maintain_order="left")["len"]
        .fill_null(0)
        .to_numpy()
        .astype(float)
    )
    active = gains > 0
    rows = []
    for name, values in preds.items():
        rows.append(
            {
                "predictor": name,
                "spearman_all": spearman(values, gains),
                "spearman_received": spearman(values[active], gains[active]),
                f"ndcg@{k}": ndcg_at_k(values, gains, k),
                "accounts": int(nodes.len()),
                "accounts_receiving": int(active.sum()),
            }
        )
    return pl.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """Print the Higgs backtest for a few splits (the figures of docs/validation.md)."""
    from signalboost.demo_data import HIGGS_ACTIVITY, demo_file
    from signalboost.influence.demo import read_higgs_activity

    args = argv if argv is not None else sys.argv[1:]
    path = Path(args[0]) if args else demo_file(*HIGGS_ACTIVITY)
    frame = read_higgs_activity(path)
    pl.Config.set_tbl_rows(20)
    pl.Config.set_tbl_width_chars(160)
    pl.Config.set_float_precision(3)
    for label, split in SPLITS.items():
        res = backtest(frame, split)
        print(f"\n== train before {split:%Y-%m-%d %H:%M} UTC ({label})")
        print(res)
    return 0


SPLITS: Mapping[str, dt.datetime] = {
    "3 days before the announcement, 4 days after": dt.datetime(2012, 7, 4, tzinfo=dt.UTC),
    "first 5 days, last 2": dt.datetime(2012, 7, 6, tzinfo=dt.UTC),
}


if __name__ == "__main__":
    sys.exit(main())
