"""The Spark job against the single-machine one on the same data (Spark in local mode; marked ``spark``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

from signalboost.influence.graph import build_graph
from signalboost.influence.pagerank import pagerank

pytestmark = pytest.mark.spark


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
