"""The Spark overlap job (local mode) against the exact DuckDB result."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from signalboost.outreach import overlap
from signalboost.store.workspace import Workspace

from .conftest import add_follows

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def test_spark_overlap_matches_duckdb(ws: Workspace, tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    import shutil

    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime (scripts/system-deps.sh test installs one)")
    import polars as pl

    from signalboost.scale.overlap_spark import run_overlap_job

    g = nx.gnp_random_graph(400, 0.05, seed=11, directed=True)
    edges = [(str(u), str(v)) for u, v in g.edges()] + [("0", "1")]
    add_follows(ws, edges)
    cands = [str(i) for i in range(1, 16)] + ["nobody"]
    exact = overlap.audience_overlap(ws, cands, platform="x", brand=["0"], method="exact")
    path = tmp_path / "follows.parquet"
    pl.DataFrame({"follower_id": [a for a, _ in edges], "followee_id": [b for _, b in edges]}).write_parquet(path)
    got = run_overlap_job(str(path), ["0"], cands, master="local[1]")
    assert [(o.account_id, o.audience, o.our_audience, o.shared, o.jaccard, o.unique_reach) for o in got] == [
        (o.account_id, o.audience, o.our_audience, o.shared, o.jaccard, o.unique_reach) for o in exact
    ]
