"""The Spark job against the single-machine one on the same data (Spark in local mode; marked ``spark``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from signalboost.influence.data import InfluenceData
from signalboost.influence.graph import build_graph
from signalboost.influence.pagerank import pagerank
from signalboost.influence.score import compute_influence

pytestmark = pytest.mark.spark


def graph_data(n: int = 40, m: int = 120, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Interactions over a ring (every account has an in-edge, so PageRank values are distinct) plus random
    edges, random kinds and times; follower counts for all but two accounts."""
    rng = np.random.default_rng(seed)
    src = np.concatenate([np.arange(n), rng.integers(0, n, m)])
    dst = np.concatenate([(np.arange(n) + 1) % n, rng.integers(0, n, m)])
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    inter = pl.DataFrame(
        {
            "actor_id": [f"a{i}" for i in src],
            "kind": rng.choice(["repost", "quote", "reply", "mention", "like"], src.size).tolist(),
            "target_post_id": "",
            "target_account_id": [f"a{i}" for i in dst],
            "occurred_at": [t0 + dt.timedelta(hours=int(h)) for h in rng.integers(0, 24 * 20, src.size)],
            "weight": 1.0,
        }
    )
    followers = rng.integers(0, 10_000, n).astype(float)
    accounts = pl.DataFrame({"account_id": [f"a{i}" for i in range(n)], "followers": followers}).with_columns(
        pl.when(pl.col("account_id").is_in(["a3", "a7"])).then(None).otherwise(pl.col("followers")).alias("followers")
    )
    return inter, accounts.with_columns(pl.col("followers").cast(pl.Int64))


def test_spark_pagerank_matches_single_machine(spark: Any) -> None:
    from signalboost.scale.influence_spark import spark_pagerank

    rng = np.random.default_rng(3)
    n = 30
    edges = pl.DataFrame(
        {
            "src": [f"n{i}" for i in rng.integers(0, n, 80)],
            "dst": [f"n{i}" for i in rng.integers(0, n, 80)],
            "weight": rng.choice([0.5, 1.0, 4.0], 80),
        }
    )
    g = build_graph(edges, source="src", target="dst")
    ours = dict(zip(g.ids.to_list(), pagerank(g, tol=1e-13, max_iter=10_000), strict=True))
    sdf = spark.createDataFrame(edges.rows(), ["src", "dst", "weight"])
    nodes = spark.createDataFrame([(i,) for i in g.ids.to_list()], ["id"])
    theirs = {r["id"]: r["x"] for r in spark_pagerank(sdf, nodes, tol=1e-10, max_iter=400).collect()}
    assert sum(abs(ours[k] - theirs[k]) for k in ours) < 1e-9


def test_spark_scores_match_single_machine(spark: Any, tmp_path: Path) -> None:
    from signalboost.scale.influence_spark import spark_influence

    inter, accounts = graph_data()
    inter.write_parquet(tmp_path / "interactions.parquet")
    accounts.write_parquet(tmp_path / "accounts.parquet")
    single = compute_influence(InfluenceData.from_frames(interactions=inter, accounts=accounts)).table
    frame, unavailable = spark_influence(spark, tmp_path, tol=1e-9)
    got = pl.DataFrame([r.asDict() for r in frame.collect()])
    both = single.join(got, on="account_id", suffix="_spark")
    assert both.height == single.height == got.height
    for col in ("score", "reach", "authority", "activity"):
        a, b = both[col].to_numpy().astype(float), both[f"{col}_spark"].to_numpy().astype(float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), col  # unknown in the same places
        assert np.nanmax(np.abs(a - b)) < 1e-9, col
    assert set(unavailable) == {"amplification", "topic"}  # no posts: amplification unknown
