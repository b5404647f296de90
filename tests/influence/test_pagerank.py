"""PageRank and topic-sensitive PageRank against networkx and igraph (peer implementations) and by hand."""

from __future__ import annotations

import networkx as nx
import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signalboost.errors import InfluenceError
from signalboost.influence.graph import build_graph, node_ids
from signalboost.influence.pagerank import (
    FLOAT32_TOL,
    FOLD_LEAVES,
    pagerank,
    pagerank_by_id,
    power_iteration,
    topic_pagerank,
    transition,
    transition_from_edges,
)

TIGHT = 1e-13


def random_edges(n: int, m: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "source": [f"a{i}" for i in rng.integers(0, n, m)],
            "target": [f"a{i}" for i in rng.integers(0, n, m)],
            "weight": rng.choice([0.5, 1.0, 2.0, 4.0], m),
        }
    )


def to_nx(edges: pl.DataFrame) -> nx.DiGraph:
    g = nx.DiGraph()
    for s, t, w in edges.iter_rows():
        if s == t:
            continue
        if g.has_edge(s, t):
            g[s][t]["weight"] += w
        else:
            g.add_edge(s, t, weight=w)
    return g


def l1(ours: dict[str, float], theirs: dict[str, float]) -> float:
    assert set(ours) == set(theirs)
    return sum(abs(ours[k] - theirs[k]) for k in ours)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pagerank_matches_networkx_weighted_with_dangling_nodes(seed: int) -> None:
    edges = random_edges(60, 150, seed)  # sparse enough that some nodes have no out-links
    graph = build_graph(edges)
    assert (graph.out_weight() == 0).any()
    theirs = nx.pagerank(to_nx(edges), alpha=0.85, tol=TIGHT / graph.n, max_iter=10_000)
    ours = pagerank_by_id(graph, tol=TIGHT, max_iter=10_000)
    assert l1(ours, theirs) < 1e-9


def test_pagerank_matches_igraph() -> None:
    import igraph as ig

    edges = random_edges(80, 400, 7)
    graph = build_graph(edges)
    coo = graph.matrix.tocoo()
    g = ig.Graph(n=graph.n, edges=list(zip(coo.row.tolist(), coo.col.tolist(), strict=True)), directed=True)
    theirs = np.array(g.pagerank(weights=coo.data.tolist(), damping=0.85, implementation="prpack"))
    ours = pagerank(graph, tol=TIGHT, max_iter=10_000)
    assert np.abs(ours - theirs).sum() < 1e-9


@pytest.mark.parametrize("seed", [3, 4])
def test_topic_pagerank_matches_networkx_personalization(seed: int) -> None:
    edges = random_edges(50, 200, seed)
    graph = build_graph(edges)
    rng = np.random.default_rng(seed)
    teleports = {"#a": rng.integers(0, 3, graph.n).astype(float), "#b": np.eye(graph.n)[0] * 5}
    ours = topic_pagerank(graph, teleports, tol=TIGHT, max_iter=10_000)
    g = to_nx(edges)
    ids = graph.ids.to_list()
    for topic, vec in teleports.items():
        pers = {ids[i]: float(v) for i, v in enumerate(vec)}
        theirs = nx.pagerank(g, personalization=pers, tol=TIGHT / graph.n, max_iter=10_000)
        mine = {ids[i]: float(v) for i, v in enumerate(ours[topic])}
        assert l1(mine, theirs) < 1e-9, topic


def test_pagerank_by_hand_two_node_cycle_and_star() -> None:
    # a <-> b: symmetric, each 1/2.
    two = build_graph(pl.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "weight": [1.0, 1.0]}))
    assert np.allclose(pagerank(two, tol=1e-14), [0.5, 0.5])
    # star: b -> a, c -> a; a dangling (teleports uniformly). With α = 0.85, n = 3, by symmetry x_b = x_c = y:
    # y = 0.85 · x_a / 3 + 0.05, x_a = 0.85 · (2y + x_a / 3) + 0.05, and x_a + 2y = 1.
    star = build_graph(pl.DataFrame({"source": ["b", "c"], "target": ["a", "a"], "weight": [1.0, 1.0]}))
    x = pagerank(star, tol=1e-14)
    # solve: x_a = 1 - 2y, y = 0.85 (1 - 2y) / 3 + 0.05  ->  y (1 + 1.7/3) = 0.85/3 + 0.05
    y = (0.85 / 3 + 0.05) / (1 + 1.7 / 3)
    assert np.allclose(x, [1 - 2 * y, y, y], atol=1e-12)


def test_parallel_edges_are_summed_and_self_loops_dropped() -> None:
    edges = pl.DataFrame({"source": ["a", "a", "a", "b"], "target": ["b", "b", "a", "c"], "weight": [1.0, 2.0, 9.0, 1]})
    g = build_graph(edges)
    assert g.ids.to_list() == ["a", "b", "c"]
    assert g.matrix.toarray().tolist() == [[0, 3, 0], [0, 0, 1], [0, 0, 0]]


def test_integer_ids_take_the_numeric_path() -> None:
    edges = pl.DataFrame({"source": [10, 2, 2], "target": [2, 30, 10], "weight": [1.0, 1.0, 1.0]})
    g = build_graph(edges)
    assert g.ids.to_list() == [2, 10, 30]
    assert g.matrix.toarray().tolist() == [[0, 1, 1], [1, 0, 0], [0, 0, 0]]
    assert g.index_of(["30", "99"]).tolist() == [2, -1]


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(InfluenceError, match="no column 'weight'"):
        build_graph(pl.DataFrame({"source": ["a"], "target": ["b"]}))
    with pytest.raises(InfluenceError, match="non-negative"):
        build_graph(pl.DataFrame({"source": ["a"], "target": ["b"], "weight": [-1.0]}))
    with pytest.raises(InfluenceError, match="outside the node list"):
        build_graph(pl.DataFrame({"source": ["a"], "target": ["b"], "weight": [1.0]}), nodes=node_ids(["a"]))
    g = build_graph(pl.DataFrame({"source": ["a"], "target": ["b"], "weight": [1.0]}))
    with pytest.raises(InfluenceError, match="all zeros"):
        pagerank(g, personalization=np.zeros(2))
    for bad in ([1.0, -0.5], [1.0, np.nan], [np.inf, 1.0]):
        with pytest.raises(InfluenceError, match="negative or non-finite"):
            pagerank(g, personalization=np.array(bad))
    with pytest.raises(InfluenceError, match="2 entries"):
        pagerank(build_graph(random_edges(5, 10, 0)), personalization=np.ones(2))
    with pytest.raises(InfluenceError, match="did not converge"):
        pagerank(build_graph(random_edges(30, 90, 0)), tol=1e-15, max_iter=3)
    with pytest.raises(InfluenceError, match="alpha"):
        pagerank(g, alpha=1.0)


def test_empty_graph() -> None:
    g = build_graph(pl.DataFrame({"source": [], "target": [], "weight": []}, schema=EMPTY))
    assert g.n == 0
    assert pagerank(g).shape == (0,)


EMPTY = {"source": pl.String, "target": pl.String, "weight": pl.Float64}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8), st.sampled_from([1.0, 2.5])), min_size=1, max_size=30))
def test_property_scores_sum_to_one_and_are_order_independent(edge_list: list[tuple[int, int, float]]) -> None:
    frame = pl.DataFrame(
        {
            "source": [f"n{s}" for s, _, _ in edge_list],
            "target": [f"n{t}" for _, t, _ in edge_list],
            "weight": [w for _, _, w in edge_list],
        }
    )
    a = pagerank(build_graph(frame), tol=1e-12) if build_graph(frame).n else np.zeros(0)
    b = pagerank(build_graph(frame.reverse()), tol=1e-12) if build_graph(frame).n else np.zeros(0)
    if len(a):
        assert abs(a.sum() - 1) < 1e-9
    assert np.array_equal(a, b)


def test_topic_pagerank_on_a_small_support_matches_networkx() -> None:
    # 100 accounts; only 0-19 receive links; 20-99 link into them but nobody links to them. A teleport on 0-4
    # leaves 20-99 at exactly 0, and the iteration runs on the 20 supported nodes only.
    rng = np.random.default_rng(11)
    src = np.concatenate([rng.integers(0, 20, 60), rng.integers(20, 100, 80)])
    dst = rng.integers(0, 20, src.size)
    edges = pl.DataFrame({"source": [f"n{i:03d}" for i in src], "target": [f"n{i:03d}" for i in dst], "weight": 1.0})
    graph = build_graph(edges, nodes=node_ids([f"n{i:03d}" for i in range(100)]))
    tele = np.zeros(100)
    tele[:5] = [1, 2, 3, 4, 5]
    ours = topic_pagerank(graph, {"t": tele}, tol=TIGHT, max_iter=10_000)["t"]
    g = to_nx(edges)
    g.add_nodes_from(graph.ids.to_list())
    theirs = nx.pagerank(g, personalization={f"n{i:03d}": float(tele[i]) for i in range(5)}, tol=TIGHT / 100)
    assert sum(abs(ours[i] - theirs[k]) for i, k in enumerate(graph.ids.to_list())) < 1e-9
    assert (ours[20:] == 0).all()


@pytest.mark.parametrize("tol", [TIGHT, 1e-4])
def test_block_topic_pagerank_equals_one_pagerank_per_topic(tol: float) -> None:
    # Five teleports of very different spread (one node, a few nodes, all nodes, a disjoint region), so the
    # columns converge at different steps: each block column must be what that teleport alone gives (same
    # stopping step), and at the tight tolerance also networkx's personalised PageRank.
    rng = np.random.default_rng(5)
    src = np.concatenate([rng.integers(0, 40, 160), rng.integers(40, 120, 150)])
    dst = np.concatenate([rng.integers(0, 40, 160), rng.integers(0, 60, 150)])
    names = [f"n{i:03d}" for i in range(120)]
    edges = pl.DataFrame({"source": [names[i] for i in src], "target": [names[i] for i in dst], "weight": 1.0})
    graph = build_graph(edges, nodes=node_ids(names))
    tele = {
        "one": np.eye(120)[3],
        "few": np.where(np.arange(120) < 6, np.arange(120) + 1.0, 0.0),
        "all": rng.random(120),
        "outer": np.where(np.arange(120) >= 100, 1.0, 0.0),
        "mixed": rng.integers(0, 2, 120).astype(float),
    }
    block = topic_pagerank(graph, tele, tol=tol, max_iter=10_000)
    rounding = 1e-12 if tol < FLOAT32_TOL else 1e-6  # loose tolerances run in float32 (rounding ~1e-7 relative)
    for name, vec in tele.items():
        alone = pagerank(graph, personalization=vec, tol=tol, max_iter=10_000)
        assert np.abs(block[name] - alone).sum() < rounding, name
    res = power_iteration(graph, personalization=np.column_stack(list(tele.values())), tol=tol, max_iter=10_000)
    assert (res.error < tol).all()
    if tol == TIGHT:
        g = to_nx(edges)
        g.add_nodes_from(names)
        for name, vec in tele.items():
            pers = {k: float(v) for k, v in zip(names, vec, strict=True)}
            theirs = nx.pagerank(g, personalization=pers, tol=TIGHT / 120, max_iter=10_000)
            assert sum(abs(block[name][i] - theirs[k]) for i, k in enumerate(names)) < 1e-9, name


def test_a_shared_transition_gives_the_same_pagerank() -> None:
    graph = build_graph(random_edges(40, 120, 9))
    shared = transition(graph)
    assert np.array_equal(pagerank(shared, tol=1e-12), pagerank(graph, tol=1e-12))
    assert shared.n == graph.n and shared.n_edges == graph.n_edges


@pytest.mark.parametrize("seed", [0, 1])
def test_pagerank_with_a_dangling_vector_matches_networkx(seed: int) -> None:
    # a dangling vector different from the teleport: the linear-system path solves for both and mixes them
    edges = random_edges(40, 80, seed)
    graph = build_graph(edges)
    assert (graph.out_weight() == 0).any()
    rng = np.random.default_rng(seed)
    ids = graph.ids.to_list()
    pers, dang = rng.random(graph.n), rng.integers(0, 3, graph.n).astype(float)
    dang[0] = 1.0
    ours = pagerank(graph, personalization=pers, dangling=dang, tol=TIGHT, max_iter=10_000)
    g = to_nx(edges)
    theirs = nx.pagerank(
        g,
        personalization={k: float(v) for k, v in zip(ids, pers, strict=True)},
        dangling={k: float(v) for k, v in zip(ids, dang, strict=True)},
        tol=TIGHT / graph.n,
        max_iter=10_000,
    )
    assert sum(abs(ours[i] - theirs[k]) for i, k in enumerate(ids)) < 1e-9


def test_transition_blocks_by_hand() -> None:
    # s -> c1, c1 -> c2, c2 -> c1, c2 -> leaf, s -> leaf; iso has no edge. Core {c1, c2}, leaf, source s.
    edges = pl.DataFrame(
        {
            "source": ["s", "c1", "c2", "c2", "s"],
            "target": ["c1", "c2", "c1", "leaf", "leaf"],
            "weight": [1.0, 1.0, 1.0, 3.0, 1.0],
        }
    )
    graph = build_graph(edges, nodes=node_ids(["c1", "c2", "iso", "leaf", "s"]))
    t = transition(graph)
    assert (t.core.tolist(), t.leaves.tolist(), t.sources.tolist()) == ([0, 1], [3], [4])
    assert t.n_edges == 5 and t.dangling.tolist() == [False, False, True, True, False]
    # Wᵀ blocks: column = source, row = target, entries = weight / out-weight of the source
    assert t.cc.toarray().tolist() == [[0.0, 0.25], [1.0, 0.0]]
    assert t.lc.toarray().tolist() == [[0.0, 0.75]]
    assert t.cs.toarray().tolist() == [[0.5], [0.0]]
    assert t.ls.toarray().tolist() == [[0.5]]
    g = to_nx(edges)
    g.add_node("iso")
    expected = nx.pagerank(g, tol=TIGHT / 5, max_iter=10_000)
    ours = pagerank_by_id(graph, tol=TIGHT, max_iter=10_000)
    assert l1(ours, expected) < 1e-12


def test_few_leaves_are_iterated_with_the_core_and_match_networkx() -> None:
    # 40 accounts that all follow each other at random, plus one leaf: the leaf is folded into the iteration
    rng = np.random.default_rng(21)
    src = np.concatenate([np.arange(40), rng.integers(0, 40, 200), [3]])
    dst = np.concatenate([(np.arange(40) + 1) % 40, rng.integers(0, 40, 200), [40]])
    names = [f"n{i:02d}" for i in range(41)]
    edges = pl.DataFrame({"source": [names[i] for i in src], "target": [names[i] for i in dst], "weight": 1.0})
    graph = build_graph(edges)
    t = transition(graph)
    assert t.core.size == 40 and t.rest.size == 0 and t.leaves.tolist() == [40] and t.iterated.size == 41
    theirs = nx.pagerank(to_nx(edges), tol=TIGHT / 41, max_iter=10_000)
    assert l1(pagerank_by_id(graph, tol=TIGHT, max_iter=10_000), theirs) < 1e-9
    tele = np.zeros(41)
    tele[[0, 40]] = [1.0, 2.0]
    mine = pagerank(graph, personalization=tele, tol=TIGHT, max_iter=10_000)
    theirs = nx.pagerank(to_nx(edges), personalization={"n00": 1.0, "n40": 2.0}, tol=TIGHT / 41, max_iter=10_000)
    assert sum(abs(mine[i] - theirs[k]) for i, k in enumerate(names)) < 1e-9


def test_a_loose_tolerance_runs_in_float32_and_stays_within_it() -> None:
    # 1e-4 runs in float32 (and returns float32); the answer must still be within the tolerance of the float64 one
    edges = random_edges(300, 1200, 13)
    graph = build_graph(edges)
    tele = np.random.default_rng(13).random((graph.n, 3))
    loose = power_iteration(graph, personalization=tele, tol=1e-4).scores
    exact = power_iteration(graph, personalization=tele, tol=TIGHT, max_iter=10_000).scores
    assert loose.dtype == np.float32 and exact.dtype == np.float64
    assert (np.abs(loose - exact).sum(axis=0) < 1e-4).all()
    assert np.allclose(loose.sum(axis=0, dtype=np.float64), 1.0, rtol=0, atol=1e-6)
    # a float32 teleport overwritten in place gives the same scores
    tele32 = tele.astype(np.float32)
    again = power_iteration(graph, personalization=tele32, tol=1e-4, overwrite_personalization=True).scores
    assert again is tele32 and np.abs(again - loose).sum() < 1e-5
    assert np.allclose(loose.sum(axis=0), 1.0, atol=1e-12)


def test_unweighted_edges_in_any_order_give_the_same_pagerank_bit_for_bit() -> None:
    # Unweighted transitions keep each column's entries unsorted and repeated pairs unsummed: the products must not
    # depend on the edge order at all, and must equal networkx on the summed graph. Many leaves (not folded).
    rng = np.random.default_rng(8)
    n = 300
    src = rng.integers(0, 200, 3000)  # nodes 200-299 never follow: leaves or isolated
    dst = rng.integers(0, n, 3000)
    src = np.concatenate([src, src[:400]])  # 400 repeated pairs
    dst = np.concatenate([dst, dst[:400]])
    one = transition_from_edges(src, dst, None, n)
    assert one.rest.size > FOLD_LEAVES * one.core.size  # the leaves are split off, not folded
    perm = rng.permutation(src.size)
    two = transition_from_edges(src[perm], dst[perm], None, n)
    tele = rng.random((n, 2))
    a = power_iteration(one, personalization=tele, tol=TIGHT, max_iter=10_000).scores
    b = power_iteration(two, personalization=tele, tol=TIGHT, max_iter=10_000).scores
    assert np.array_equal(a, b)
    weighted = transition_from_edges(src, dst, np.ones(src.size), n)  # the canonical (sorted, summed) build
    for block in ("cc", "cs", "lc", "ls"):
        assert np.allclose(getattr(one, block).toarray(), getattr(weighted, block).toarray(), rtol=0, atol=1e-15)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for s, t in zip(src.tolist(), dst.tolist(), strict=True):
        g.add_edge(s, t, weight=g[s][t]["weight"] + 1 if g.has_edge(s, t) else 1)
    theirs = nx.pagerank(g, tol=TIGHT / n, max_iter=10_000)
    ours = pagerank(one, tol=TIGHT, max_iter=10_000)
    assert sum(abs(ours[i] - theirs[i]) for i in range(n)) < 1e-9


# ------------------------------------------------------------------ rules a careless edit would break (issue #19)
@pytest.mark.parametrize(("tol", "steps"), [(1e-6, 98), (1e-9, 140)])
def test_the_stopping_rule_bounds_the_change_of_the_normalised_scores(tol: float, steps: int) -> None:
    # a ↔ b, teleport to a only. Exact: x = (1, α)/(1 + α). The series starts at y⁰ = μ q with μ = 1/(1 − α)
    # (all of a's mass stays in the core, κ = 1), so y⁰ = (1/(1−α), 0) and ‖y‖₁ = 1/(1−α) from then on; the first
    # step is r₁ = (−α, α)/(1 − α), each next one α times the last. The rule stops at the first step j with
    # 2(1 + α)‖r_j‖₁/‖y‖₁ = 2(1 + α)·2α·α^(j−1) = 6.29·0.85^(j−1) < tol: j = 98 for 1e-6, 140 for 1e-9
    # (a bound half as large, (1 + α)·…, stops 4 steps early).
    two = build_graph(pl.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "weight": [1.0, 1.0]}))
    res = power_iteration(two, personalization=np.array([1.0, 0.0]), tol=tol)
    a = 0.85
    assert res.iterations == steps
    assert res.error[0] == pytest.approx(2 * (1 + a) * 2 * a * a ** (steps - 1), rel=1e-9)
    assert res.error[0] < tol <= 2 * (1 + a) * 2 * a * a ** (steps - 2)
    assert np.abs(res.scores - np.array([1, a]) / (1 + a)).sum() < tol


# ---------------------------------------------------- rules found by the mutation run of pagerank.py (issue #19)
def two_cycle() -> object:
    return build_graph(pl.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "weight": [1.0, 1.0]}))


def test_a_change_equal_to_the_tolerance_is_not_below_it() -> None:
    # a ↔ b, teleport to a: at tol 1e-6 the rule stops at step 98 (see the test above). Asking for exactly the
    # change of step 98 as the tolerance, step 98 is not below it: one more step, 99.
    first = power_iteration(two_cycle(), personalization=np.array([1.0, 0.0]), tol=1e-6)
    assert first.iterations == 98
    again = power_iteration(two_cycle(), personalization=np.array([1.0, 0.0]), tol=float(first.error[0]))
    assert again.iterations == 99


def test_max_iter_is_the_number_of_steps_allowed() -> None:
    # the same case needs 98 steps: max_iter = 98 is enough, 97 is not
    tele = np.array([1.0, 0.0])
    assert power_iteration(two_cycle(), personalization=tele, tol=1e-6, max_iter=98).iterations == 98
    with pytest.raises(InfluenceError, match="did not converge in 97 iterations"):
        power_iteration(two_cycle(), personalization=tele, tol=1e-6, max_iter=97)


def test_teleport_mass_outside_the_core_counts_in_the_norm_of_the_scores() -> None:
    # a ↔ b plus an isolated node s; teleport ½ to a and ½ to s. The core's share of its own teleport that stays in
    # the core is κ = 1, so the series starts at y⁰ = (½/(1−α), 0) on {a, b} and the first step is
    # r₁ = (−α, α)/(2(1−α)), each next one α times the last (it swaps a and b); ‖r_j‖₁ = α^j/(1−α). The mass of
    # the iterated rows stays ½/(1−α), and s keeps its ½: ‖y‖₁ = ½/(1−α) + ½ = (2−α)/(2(1−α)). The rule
    # 2(1+α)‖r_j‖₁/‖y‖₁ = 4(1+α)α^j/(2−α) = 6.4348·0.85^j < 1e-6 first holds at j = 97.
    g = build_graph(
        pl.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "weight": [1.0, 1.0]}),
        nodes=node_ids(["a", "b", "s"]),
    )
    res = power_iteration(g, personalization=np.array([1.0, 0.0, 1.0]), tol=1e-6)
    a = 0.85
    assert res.iterations == 97
    assert res.error[0] == pytest.approx(4 * (1 + a) * a**97 / (2 - a), rel=1e-9)
    # exact: s keeps 1 − α of its teleport... and all of it, as a dangling node it teleports back to (a, s)
    x = pagerank(g, personalization=np.array([1.0, 0.0, 1.0]), tol=1e-14)
    # x_s = (1−α)/2 + α x_s/2 (s dangles to the teleport); x_a = (1−α)/2 + α x_b + α x_s/2; x_b = α x_a
    xs = (1 - a) / 2 / (1 - a / 2)
    xa = ((1 - a) / 2 + a * xs / 2) / (1 - a * a)
    assert np.allclose(x, [xa, a * xa, xs], atol=1e-12)


def test_the_norm_of_the_scores_grows_with_the_mass_the_core_gains() -> None:
    # a → b, b → a, b → c (c a leaf, iterated apart): the mass of the iterated rows changes from step to step, so
    # the rule's denominator must follow it. Peer: the documented rule run on dense matrices by hand.
    g = build_graph(pl.DataFrame({"source": ["a", "b", "b"], "target": ["b", "a", "c"], "weight": [1.0, 1.0, 1.0]}))
    t = transition(g)
    assert t.core.tolist() == [0, 1] and t.rest.tolist() == [2]
    alpha, tol = 0.85, 1e-9
    m = alpha * np.array([[0.0, 0.5], [1.0, 0.0]])  # αWᵀ on the core (a, b): a gets ½ of b, b gets all of a
    b = np.array([1.0, 0.0])  # teleport to a
    kappa = (m @ b).sum() / (alpha * b.sum())
    y = b / (1 - alpha * min(kappa, 1.0))
    r = b + m @ y - y
    steps = 0
    while True:
        steps += 1
        y = y + r
        change = 2 * (1 + alpha) * np.abs(r).sum() / y.sum()  # nothing outside the core is teleported to
        if change < tol:
            break
        r = m @ r
    res = power_iteration(g, personalization=np.array([1.0, 0.0, 0.0]), tol=tol)
    assert res.iterations == steps and res.error[0] == pytest.approx(change, rel=1e-9)


def test_a_teleport_only_to_a_leaf_keeps_all_rank_there() -> None:
    # a ↔ b, a → c; teleport to c only. c dangles back to the teleport, so nothing ever reaches a or b: (0, 0, 1).
    # The core's teleport share is 0 (the start must not divide 0 by 0).
    g = build_graph(pl.DataFrame({"source": ["a", "b", "a"], "target": ["b", "a", "c"], "weight": [1.0, 1.0, 1.0]}))
    assert np.array_equal(pagerank(g, personalization=np.array([0.0, 0.0, 1.0])), [0.0, 0.0, 1.0])


def test_the_default_teleport_is_the_uniform_one() -> None:
    # no personalization = 1/n everywhere: the same scores, steps and error as an explicit uniform vector, in the
    # loose (float32) and the tight case; one column, so one error. The graph has sources and leaves.
    g = build_graph(random_edges(30, 50, 4))
    for tol in (1e-4, 1e-10):
        default = power_iteration(g, tol=tol)
        explicit = power_iteration(g, personalization=np.ones(g.n), tol=tol)
        assert default.scores.dtype == explicit.scores.dtype == (np.float32 if tol >= FLOAT32_TOL else np.float64)
        assert default.iterations == explicit.iterations and default.error.shape == (1,)
        assert np.array_equal(default.error, explicit.error) and np.array_equal(default.scores, explicit.scores)


def test_the_float32_threshold_is_inclusive() -> None:
    # "float32 when tol ≥ FLOAT32_TOL": exactly at the threshold the scores are float32, just below float64
    g = two_cycle()
    assert power_iteration(g, tol=FLOAT32_TOL).scores.dtype == np.float32
    assert power_iteration(g, tol=FLOAT32_TOL * 0.99).scores.dtype == np.float64
    tele = np.array([1.0, 3.0])
    assert power_iteration(g, personalization=tele, dangling=tele, tol=FLOAT32_TOL).scores.dtype == np.float32


def test_an_empty_graph_ran_no_step_and_has_no_error() -> None:
    g = build_graph(pl.DataFrame({"source": [], "target": [], "weight": []}, schema=EMPTY))
    res = power_iteration(g)
    assert res.iterations == 0 and res.error.shape == (0,) and res.scores.shape == (0,)


def test_alpha_must_be_strictly_between_0_and_1_with_where_and_hint() -> None:
    for bad in (0.0, 1.0, -0.1):
        with pytest.raises(InfluenceError, match="alpha must be between 0 and 1") as err:
            pagerank(two_cycle(), alpha=bad)
        assert err.value.where == "alpha" and err.value.hint == "Use a damping factor such as 0.85"


def test_the_error_names_the_vector_that_is_wrong() -> None:
    g = two_cycle()
    with pytest.raises(InfluenceError, match="the personalization vector is all zeros"):
        pagerank(g, personalization=np.zeros(2))
    with pytest.raises(InfluenceError, match="the dangling vector is all zeros"):
        pagerank(g, dangling=np.zeros(2))
    with pytest.raises(InfluenceError, match="the dangling vector has negative"):
        pagerank(g, dangling=np.array([1.0, -1.0]))


def test_the_callers_dangling_vector_is_not_changed() -> None:
    # only an explicitly overwritable personalization is used as working memory
    g = build_graph(random_edges(20, 30, 2))
    dangling = np.arange(1.0, g.n + 1.0)
    tele = np.ones(g.n)
    pagerank(g, personalization=tele, dangling=dangling, tol=1e-10)
    assert np.array_equal(dangling, np.arange(1.0, g.n + 1.0)) and np.array_equal(tele, np.ones(g.n))
    columns = np.column_stack([dangling, dangling])  # n × 2, float64: could be divided in place
    power_iteration(g, personalization=np.column_stack([tele, tele]), dangling=columns, tol=1e-10)
    assert np.array_equal(columns, np.column_stack([dangling, dangling]))


def test_one_dangling_vector_serves_every_teleport_column() -> None:
    # k = 2 teleports with one dangling vector (1-D, or the same as 2 columns): each column is the PageRank of its
    # teleport alone, with the sums over the dangling nodes taken per column; and each column has its error
    edges = random_edges(30, 45, 6)
    g = build_graph(edges)
    rng = np.random.default_rng(6)
    tele, dang = rng.random((g.n, 2)), rng.random(g.n)
    one_d = power_iteration(g, personalization=tele, dangling=dang, tol=1e-12, max_iter=10_000)
    two_d = power_iteration(g, personalization=tele, dangling=np.column_stack([dang, dang]), tol=1e-12, max_iter=10_000)
    assert one_d.scores.shape == (g.n, 2) and one_d.error.shape == (2,)
    for j in range(2):
        alone = pagerank(g, personalization=tele[:, j], dangling=dang, tol=1e-12, max_iter=10_000)
        assert np.abs(one_d.scores[:, j] - alone).sum() < 1e-12
        assert np.abs(two_d.scores[:, j] - alone).sum() < 1e-12
    assert (one_d.error < 1e-12).all()


def test_scores_with_a_dangling_vector_sum_to_one_at_a_loose_tolerance() -> None:
    # the mix α c u + (1 − α) v sums to 1 only up to the solve's error: it is divided by its sum
    g = build_graph(random_edges(60, 90, 8))
    rng = np.random.default_rng(8)
    x = pagerank(g, personalization=rng.random(g.n), dangling=rng.random(g.n), tol=1e-2)
    assert abs(float(x.astype(np.float64).sum()) - 1.0) < 1e-6


def test_topic_pagerank_passes_alpha_and_max_iter_on() -> None:
    g = build_graph(random_edges(30, 60, 3))
    tele = np.random.default_rng(3).random(g.n)
    ours = topic_pagerank(g, {"t": tele}, alpha=0.5, tol=1e-12)["t"]
    assert np.abs(ours - pagerank(g, personalization=tele, alpha=0.5, tol=1e-12)).sum() < 1e-12
    with pytest.raises(InfluenceError, match="did not converge in 2 iterations"):
        topic_pagerank(g, {"t": tele}, tol=1e-12, max_iter=2)


def test_a_scipy_matrix_is_a_graph_too() -> None:
    import scipy.sparse as sp

    # the star of the hand-solved test above, given as a matrix (row = source): b → a, c → a
    star = sp.csr_matrix(np.array([[0.0, 0, 0], [1, 0, 0], [1, 0, 0]]))
    y = (0.85 / 3 + 0.05) / (1 + 1.7 / 3)
    assert np.allclose(pagerank(star, tol=1e-14), [1 - 2 * y, y, y], atol=1e-12)
    with pytest.raises(InfluenceError, match="2 × 3, not square"):
        transition(sp.csr_matrix(np.ones((2, 3))))
    with pytest.raises(InfluenceError) as err:
        transition(sp.csr_matrix(np.array([[0.0, -1.0], [0.0, 0.0]])))
    assert err.value.what == "edge weights must be non-negative" and err.value.where == "adjacency"
    # an explicitly stored zero is not an edge and not an error
    explicit = sp.csr_matrix((np.array([0.0, 1.0]), np.array([1, 0]), np.array([0, 1, 2])), shape=(2, 2))
    t = transition(explicit)
    assert t.n_edges == 1 and t.core.size == 0 and t.leaves.tolist() == [0] and t.sources.tolist() == [1]


def test_edges_of_weight_zero_are_left_out() -> None:
    # 0 → 1 (weight 0), 1 → 2 (0.5), 2 → 1 (1), 3 → 2 (2): node 0 has no edge left (isolated), 3 is a source
    t = transition_from_edges(np.array([0, 1, 2, 3]), np.array([1, 2, 1, 2]), np.array([0.0, 0.5, 1.0, 2.0]), 4)
    assert t.core.tolist() == [1, 2] and t.sources.tolist() == [3] and t.leaves.size == 0 and t.n_edges == 3
    # Wᵀ on the core: 1 → 2 and 2 → 1 each carry all of their source's out-weight
    assert t.cc.toarray().tolist() == [[0.0, 1.0], [1.0, 0.0]]
    assert t.cs.toarray().tolist() == [[0.0], [1.0]]


def test_repeated_weighted_edges_are_one_entry() -> None:
    # weighted edges are summed: 0 → 1 twice (1 + 2) and 1 → 0 once are 2 entries of Wᵀ, each 1
    t = transition_from_edges(np.array([0, 0, 1]), np.array([1, 1, 0]), np.array([1.0, 2.0, 1.0]), 2)
    assert t.n_edges == 2 and t.cc.toarray().tolist() == [[0.0, 1.0], [1.0, 0.0]]


def test_leaves_are_folded_up_to_exactly_five_percent_of_the_core() -> None:
    # a ring of 20 core nodes plus one leaf: 1 leaf = 5 % of 20, still folded into the iteration
    src = np.concatenate([np.arange(20), [0]])
    dst = np.concatenate([(np.arange(20) + 1) % 20, [20]])
    t = transition_from_edges(src, dst, None, 21)
    assert FOLD_LEAVES * 20 == 1.0
    assert t.core.size == 20 and t.rest.size == 0 and t.iterated.size == 21


def test_nodes_without_out_links_cause_no_warning() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 1/0 for a node without out-weight must not print a RuntimeWarning
        t = transition_from_edges(np.array([0, 1]), np.array([1, 2]), np.array([1.0, 1.0]), 4)
        assert t.dangling.tolist() == [False, False, True, True]


def test_unweighted_nodes_of_out_degree_one_pass_all_their_rank_on() -> None:
    """A follow graph (no weights) where most nodes follow one account: 0 → 1, 1 → 2, 2 → 0, 2 → 3, 5 → 0 twice
    (a repeated pair: 5 still passes all its rank to 0), 3 follows no one, 4 is isolated. The transition's columns
    are 1/out-degree — 1 for nodes 0, 1, 5 and ½ for node 2 — and PageRank equals networkx's on the same graph."""
    import warnings

    src = np.array([0, 1, 2, 2, 5, 5])
    dst = np.array([1, 2, 0, 3, 0, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # node 3 and 4 have no out-links: 1/0 must not print a RuntimeWarning
        t = transition_from_edges(src, dst, None, 6)
    assert t.dangling.tolist() == [False, False, False, True, True, False]
    g = nx.DiGraph()
    g.add_nodes_from(range(6))
    g.add_edges_from([(0, 1), (1, 2), (2, 0), (2, 3), (5, 0)])
    theirs = nx.pagerank(g, tol=TIGHT / 6, max_iter=10_000)
    ours = pagerank(t, tol=TIGHT, max_iter=10_000)
    assert sum(abs(ours[i] - theirs[i]) for i in range(6)) < 1e-9
    # by hand, the column sums of Wᵀ over the core and sources are 1 (every entry 1/out-degree)
    weighted = transition_from_edges(src, dst, np.ones(src.size), 6)
    for block in ("cc", "cs", "lc", "ls"):
        assert np.allclose(getattr(t, block).toarray(), getattr(weighted, block).toarray(), rtol=0, atol=1e-15)
