"""Spark label propagation equals the single-machine reference, and agrees with the Leiden segments."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from signalboost.audience.communities import adjacency, find_communities, label_propagation
from signalboost.scale.communities_spark import spark_label_propagation

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def planted(seed: int = 3) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    nx = pytest.importorskip("networkx")
    g = nx.planted_partition_graph(4, 40, 0.3, 0.01, seed=seed)
    e = np.array(sorted(g.edges()))
    return 160, e[:, 0], e[:, 1], np.repeat(np.arange(4), 40)


def test_reference_label_propagation_by_hand() -> None:
    # a path 0-1-2 and an edge 3-4 (weight 2): step 1 gives 0→1, 1→0 (tie 0/2: smaller), 2→1, 3→4, 4→3
    adj = adjacency(5, np.array([0, 1, 3]), np.array([1, 2, 4]), np.array([1.0, 1.0, 2.0]))
    assert label_propagation(adj, iterations=1).tolist() == [1, 0, 1, 4, 3]
    assert label_propagation(adjacency(3, np.array([], dtype=np.int64), np.array([], dtype=np.int64))).tolist() == [
        0,
        1,
        2,
    ]


def test_spark_equals_reference_and_agrees_with_leiden(spark: Any) -> None:
    n, s, d, truth = planted()
    adj = adjacency(n, s, d)
    ref = label_propagation(adj, iterations=10)
    frame = spark.createDataFrame([(int(a), int(b)) for a, b in zip(s, d, strict=True)], ["src", "dst"])
    got = dict(spark_label_propagation(frame, iterations=10).collect())
    assert [got[i] for i in range(n)] == ref.tolist()
    leiden = find_communities(n, s, d).labels
    assert adjusted_rand_score(leiden, ref) > 0.9
    assert adjusted_rand_score(truth, ref) > 0.9
