"""Communities of hand-made graphs with planted segments: recovered exactly, deterministic, folded, stable."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from signalboost.audience.communities import (
    OTHER,
    Candidate,
    adjacency,
    choose,
    find_communities,
    fold_small,
    leiden,
    segment_links,
    split_half_ari,
    transfer,
)
from signalboost.errors import AudienceError


def cliques(sizes: list[int], bridges: int = 1) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Disjoint cliques of ``sizes`` joined in a ring by ``bridges`` edges each; the planted label per node."""
    src, dst, truth, start = [], [], [], 0
    for c, size in enumerate(sizes):
        nodes = range(start, start + size)
        src += [a for a in nodes for b in nodes if a < b]
        dst += [b for a in nodes for b in nodes if a < b]
        truth += [c] * size
        start += size
    starts = np.cumsum([0, *sizes])
    for c in range(len(sizes)):
        nxt = (c + 1) % len(sizes)
        for b in range(bridges):
            src.append(int(starts[c]) + b)
            dst.append(int(starts[nxt]) + b + 1)
    return start, np.array(src), np.array(dst), np.array(truth)


def test_planted_cliques_recovered_exactly() -> None:
    n, s, d, truth = cliques([12, 10, 8, 15])
    found = find_communities(n, s, d, seed=3)
    # segment 0 is the largest planted clique (15 nodes), then 12, 10, 8
    expected = np.select([truth == 3, truth == 0, truth == 1, truth == 2], [0, 1, 2, 3])
    assert found.labels.tolist() == expected.tolist()
    assert found.segments == 4
    assert found.chosen is not None and found.chosen.seed_ari == 1.0


def test_planted_partition_random_graph_recovered() -> None:
    nx = pytest.importorskip("networkx")
    g = nx.planted_partition_graph(3, 40, 0.4, 0.005, seed=11)
    e = np.array(list(g.edges()))
    truth = np.repeat([0, 1, 2], 40)
    found = find_communities(120, e[:, 0], e[:, 1], seed=0)
    assert adjusted_rand_score(truth, found.labels) == 1.0


def test_same_seed_same_segments_and_matches_igraph_directly() -> None:
    ig = pytest.importorskip("igraph")
    nx = pytest.importorskip("networkx")
    g = nx.planted_partition_graph(5, 30, 0.15, 0.03, seed=5)
    e = np.array(list(g.edges()))
    a = find_communities(150, e[:, 0], e[:, 1], seed=7, resolution=1.0)
    b = find_communities(150, e[:, 0], e[:, 1][::1], seed=7, resolution=1.0)
    assert a.labels.tolist() == b.labels.tolist()
    # peer: modularity of our partition equals igraph's modularity of the same membership, and is high
    labels = leiden(adjacency(150, e[:, 0], e[:, 1]), seed=7)
    q = ig.Graph(n=150, edges=e.tolist()).modularity(labels.tolist())
    assert q == pytest.approx(nx.community.modularity(g, [set(np.flatnonzero(labels == c)) for c in set(labels)]))
    assert q > 0.4


def test_fold_small_orders_by_size_and_folds() -> None:
    labels = np.array([5, 5, 5, 9, 9, 9, 9, 2, 7, 7, 7])
    # floor = max(3, ceil(0.0 * 11)) = 3: community 2 (1 node) folds; 9 (4 nodes) is segment 0; 5 before 7 (tie)
    assert fold_small(labels, min_size=3, min_share=0.0).tolist() == [1, 1, 1, 0, 0, 0, 0, OTHER, 2, 2, 2]
    # floor = max(1, ceil(0.3 * 11) = 4): only community 9 stays
    assert fold_small(labels, min_size=1, min_share=0.3).tolist() == [OTHER] * 3 + [0] * 4 + [OTHER] * 4
    assert fold_small(np.array([], dtype=np.int64)).tolist() == []


def test_isolated_nodes_are_other_and_empty_graph() -> None:
    n, s, d, _truth = cliques([8, 8])
    found = find_communities(n + 3, s, d, min_size=3)
    assert found.labels[-3:].tolist() == [OTHER] * 3
    empty = find_communities(4, np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    assert empty.labels.tolist() == [OTHER] * 4 and "no edges" in empty.notes[0]


def test_transfer_votes_by_weight() -> None:
    # node 3 links to 0 (weight 1, label 0) and to 1 and 2 (weight 1 each, label 1): label 1 wins
    adj = adjacency(5, np.array([3, 3, 3]), np.array([0, 1, 2]))
    labels = np.array([0, 1, 1, -1, -1])
    known = np.array([True, True, True, False, False])
    # nodes 0-2 link only to node 3, which is not known: no vote
    assert transfer(adj, labels, known).tolist() == [OTHER, OTHER, OTHER, 1, OTHER]


def test_split_half_agreement_high_on_planted_low_on_random() -> None:
    nx = pytest.importorskip("networkx")
    g = nx.planted_partition_graph(4, 60, 0.3, 0.005, seed=2)
    e = np.array(list(g.edges()))
    planted = split_half_ari(adjacency(240, e[:, 0], e[:, 1]), seed=1)
    r = nx.gnm_random_graph(240, len(e), seed=2)
    er = np.array(list(r.edges()))
    rand = split_half_ari(adjacency(240, er[:, 0], er[:, 1]), seed=1)
    assert planted is not None and planted > 0.9
    assert rand is not None and rand < 0.3


def test_choose_prefers_stable_with_two_segments() -> None:
    lab = np.zeros(10, dtype=np.int64)
    one = Candidate(0.5, lab, 1, 1.0, 1.0, 1.0)
    two = Candidate(1.0, lab, 2, 1.0, 0.8, 0.7)
    many = Candidate(2.0, lab, 6, 1.0, 0.6, 0.5)
    assert choose([one, two, many]).resolution == 1.0
    tie_low, tie_high = Candidate(0.5, lab, 3, 1.0, 0.9, 0.9), Candidate(2.0, lab, 3, 1.0, 0.9, 0.9)
    assert choose([tie_high, tie_low]).resolution == 0.5  # same distance from 1: the smaller


@pytest.mark.parametrize(
    ("n", "src", "dst", "weight", "fragment"),
    [
        (3, [0, 1], [1], None, "differ in length"),
        (3, [0], [3], None, "outside 0..2"),
        (3, [0], [1], [-1.0], "non-negative"),
        (3, [0], [1], [float("nan")], "finite"),
    ],
)
def test_bad_edges_rejected(n: int, src: list[int], dst: list[int], weight: list[float] | None, fragment: str) -> None:
    with pytest.raises(AudienceError, match=fragment):
        find_communities(n, np.array(src), np.array(dst), None if weight is None else np.array(weight))


def test_bad_resolution_rejected() -> None:
    with pytest.raises(AudienceError, match="positive"):
        find_communities(3, np.array([0]), np.array([1]), resolution=0.0)


def test_segment_links_count_edges_within_and_between() -> None:
    # segment 0 = {0, 1, 2} (triangle), segment 1 = {3, 4} (one edge), node 5 other; 2-3 joins them, 4-5 to other
    adj = adjacency(6, np.array([0, 1, 0, 3, 2, 4]), np.array([1, 2, 2, 4, 3, 5]), np.array([1, 1, 1, 2, 0.5, 1]))
    labels = np.array([0, 0, 0, 1, 1, OTHER])
    assert segment_links(adj, labels) == [(0, 0, 3.0), (0, 1, 0.5), (1, 1, 2.0)]
    assert segment_links(adj, np.full(6, OTHER)) == []
