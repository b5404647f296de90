"""Overlap and coverage against sets computed by hand, in memory and in DuckDB."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest

from signalboost.errors import OutreachError
from signalboost.outreach import coverage, overlap
from signalboost.store.workspace import Workspace

from .conftest import add_follows, add_scores

# Our audience B and three candidates' audiences, small enough to check by hand.
OURS = {"f1", "f2", "f3", "f4"}
THEIRS = {
    "c1": {"f1", "f2", "n1", "n2", "n3"},  # shared 2, |A|=5, union 7 -> J=2/7, smaller=2/4, unique 3
    "c2": {"f3", "n3", "n4"},  # shared 1, union 6 -> J=1/6, smaller 1/3, unique 2
    "c3": {"n5"},  # shared 0 -> J=0, smaller 0, unique 1
}
HAND = {
    "c1": (5, 2, 2 / 7, 2 / 4, 3),
    "c2": (3, 1, 1 / 6, 1 / 3, 2),
    "c3": (1, 0, 0.0, 0.0, 1),
}


def _load(ws: Workspace) -> None:
    edges = [(m, "brand") for m in OURS] + [(m, c) for c, members in THEIRS.items() for m in members]
    edges.append(("brand", "c2"))  # we follow c2: c2 is in our network
    edges.append(("f1", "brand"))  # a duplicate edge must not double count
    add_follows(ws, edges)


def _check(got: list[overlap.Overlap]) -> None:
    assert [o.account_id for o in got] == ["c1", "c2", "c3"]
    for o in got:
        size, shared, j, smaller, unique = HAND[o.account_id]
        assert (o.audience, o.our_audience, o.shared, o.unique_reach) == (size, 4, shared, unique)
        assert o.jaccard == pytest.approx(j)
        assert o.overlap_smaller == pytest.approx(smaller)


def test_overlap_from_sets_matches_hand() -> None:
    _check(overlap.overlap_from_sets(OURS, THEIRS))


def test_exact_overlap_in_duckdb_matches_hand(ws: Workspace) -> None:
    _load(ws)
    got = overlap.audience_overlap(ws, ["c3", "c1", "c2"], platform="x", brand=["brand"], method="exact")
    _check(got)
    assert all(o.bridges is None for o in got)  # no influence scores: not 0, unknown


def test_bridges_count_influential_members_outside_our_network(ws: Workspace) -> None:
    _load(ws)
    # n1 (90) and n3 (80) are influential; f1 is influential but already ours; c2 we follow (our network);
    # n4 is below the threshold. c2's audience holds n3 -> 1 bridge; c1 holds n1, n3 -> 2; c3 none.
    add_scores(ws, [("n1", 90, "other", False), ("n3", 80, "other", False), ("f1", 99, "advocate", True)])
    add_scores(ws, [("n4", 40, "other", False), ("c2", 95, "other", False)])
    got = {
        o.account_id: o.bridges
        for o in overlap.audience_overlap(
            ws, ["c1", "c2", "c3"], platform="x", brand=["brand"], method="exact", threshold=70
        )
    }
    assert got == {"c1": 2, "c2": 1, "c3": 0}
    frame = overlap.bridges_of(ws, "c1", platform="x", brand=["brand"], threshold=70)
    assert frame["account_id"].to_list() == ["n1", "n3"]


def test_latest_score_decides_bridge(ws: Workspace) -> None:
    import datetime as dt

    _load(ws)
    add_scores(ws, [("n5", 90, "other", False)])
    with ws.transaction() as con:  # a newer, lower score replaces the old one
        con.execute(
            "INSERT INTO influence_scores (platform, account_id, computed_at, score, segment) "
            "VALUES ('x', 'n5', ?, 10, 'other')",
            [dt.datetime(2027, 1, 1, tzinfo=dt.UTC)],
        )
    (c3,) = overlap.audience_overlap(ws, ["c3"], platform="x", brand=["brand"], method="exact", threshold=70)
    assert c3.bridges == 0


def test_unknown_candidate_has_empty_audience(ws: Workspace) -> None:
    _load(ws)
    (o,) = overlap.audience_overlap(ws, ["ghost"], platform="x", brand=["brand"], method="exact")
    assert (o.audience, o.shared, o.jaccard, o.overlap_smaller, o.unique_reach) == (0, 0.0, 0.0, None, 0)


def test_empty_both_sides_gives_none_not_zero() -> None:
    assert overlap.overlap_metrics(0, 0, 0) == (None, None, 0)


def test_bad_method_source_and_no_candidates(ws: Workspace) -> None:
    with pytest.raises(OutreachError, match="unknown method 'fast'"):
        overlap.audience_overlap(ws, ["c1"], platform="x", brand=["b"], method="fast")
    with pytest.raises(OutreachError, match="unknown audience source 'likes'"):
        overlap.audience_overlap(ws, ["c1"], platform="x", brand=["b"], source="likes")
    with pytest.raises(OutreachError, match="no candidate partners"):
        overlap.audience_overlap(ws, [], platform="x", brand=["b"])


def test_minhash_path_close_to_exact_on_a_random_graph(ws: Workspace) -> None:
    g = nx.gnp_random_graph(3000, 0.01, seed=7, directed=True)
    add_follows(ws, [(str(u), str(v)) for u, v in g.edges()])
    cands = [str(i) for i in range(1, 21)]
    exact = overlap.audience_overlap(ws, cands, platform="x", brand=["0"], method="exact")
    sketched = overlap.audience_overlap(ws, cands, platform="x", brand=["0"], method="minhash", num_perm=256)
    for e, s in zip(exact, sketched, strict=True):
        assert (e.account_id, e.audience, e.our_audience) == (s.account_id, s.audience, s.our_audience)
        assert s.jaccard_se is not None
        assert (
            abs((s.jaccard or 0) - (e.jaccard or 0))
            <= 4 * overlap.jaccard_standard_error(e.jaccard or 0, 256) + 1 / 256
        )


# ------------------------------------------------------------------------------------------------ coverage
def _brute_force(sets: dict[str, set[str]], k: int, covered: set[str]) -> int:
    return max(len(set().union(*(sets[c] for c in combo)) - covered) for combo in itertools.combinations(sets, k))


def test_greedy_coverage_on_hand_sets() -> None:
    # New people: c1 adds {n1,n2,n3}; then c2 adds {n4} (n3 is already reached); then c3 adds {n5}.
    got = coverage.greedy_max_coverage(THEIRS, 2, covered=OURS)
    assert got.chosen == ["c1", "c2"]
    assert got.gains == [3.0, 1.0]
    assert got.new_reach == 4.0
    assert got.new_reach == _brute_force(THEIRS, 2, OURS)
    assert got.upper_bound >= got.new_reach
    assert "1 − 1/e" in got.guarantee and "Nemhauser" in got.guarantee


def test_greedy_can_be_suboptimal_but_keeps_its_guarantee() -> None:
    # The classic bad case: greedy takes the big set "g" first, the optimum is {a, b}.
    sets = {"g": {1, 2, 3, 4}, "a": {1, 2, 5}, "b": {3, 4, 6}}
    got = coverage.greedy_max_coverage(sets, 2)
    best = _brute_force({k: set(map(str, v)) for k, v in sets.items()}, 2, set())
    assert got.chosen[0] == "g" and got.new_reach == 5 and best == 6
    assert got.new_reach >= coverage.RATIO * best
    assert got.upper_bound >= best  # the data-dependent bound really bounds the optimum


@pytest.mark.parametrize("seed", range(6))
def test_greedy_guarantee_and_bound_on_random_instances(seed: int) -> None:
    import random

    rng = random.Random(seed)
    universe = [str(i) for i in range(40)]
    sets = {f"c{i}": set(rng.sample(universe, rng.randint(1, 15))) for i in range(8)}
    covered = set(rng.sample(universe, 10))
    for k in (1, 2, 3):
        got = coverage.greedy_max_coverage(sets, k, covered=covered)
        best = _brute_force(sets, k, covered)
        assert best * coverage.RATIO - 1e-9 <= got.new_reach <= best <= got.upper_bound + 1e-9


def test_choose_partners_in_duckdb_matches_in_memory(ws: Workspace) -> None:
    _load(ws)
    got = coverage.choose_partners(ws, ["c1", "c2", "c3"], 3, platform="x", brand=["brand"])
    assert got.chosen == ["c1", "c2", "c3"] and got.gains == [3.0, 1.0, 1.0]
    assert got.upper_bound == 5.0  # every candidate taken: greedy is optimal
    assert [r["cumulative_new_reach"] for r in got.rows()] == [3.0, 4.0, 5.0]


def test_sketched_coverage_close_to_exact() -> None:
    import random

    rng = random.Random(3)
    sets = {f"c{i}": {f"m{rng.randrange(20000)}" for _ in range(rng.randint(500, 3000))} for i in range(8)}
    exact = coverage.greedy_max_coverage(sets, 3)
    sk = {c: overlap.sketch_of_set(s, num_perm=256) for c, s in sets.items()}
    approx = coverage.greedy_coverage_sketches(sk, 3)
    assert approx.new_reach == pytest.approx(exact.new_reach, rel=4 / math.sqrt(256))


def test_bad_k() -> None:
    with pytest.raises(OutreachError, match="k must be at least 1"):
        coverage.greedy_max_coverage(THEIRS, 0)
    with pytest.raises(OutreachError, match="no candidate partners"):
        coverage.greedy_max_coverage({}, 2)


def test_vectorised_sketch_equals_datasketch_update_batch() -> None:
    import numpy as np
    from datasketch import MinHash

    values = np.random.default_rng(5).integers(0, 2**32, 5000, dtype=np.uint64).astype(np.uint32)
    ours = overlap.sketch(values, num_perm=64, seed=3, chunk=777)
    ref = MinHash(num_perm=64, seed=3, hashfunc=lambda x: x)
    ref.update_batch(values)
    assert np.array_equal(ours.hashvalues, ref.hashvalues)
    assert np.array_equal(overlap.sketch(values[:0], num_perm=64).hashvalues, MinHash(num_perm=64).hashvalues)


# ------------------------------------------------------------------ rules a careless edit would break (issue #19)
def test_members_of_our_network_are_never_bridges() -> None:
    # c1's audience f1 f2 n1 n2 n3; influential: f1 (ours), n1, n3 and m (not in c1's audience); our network adds n3
    # (we follow n3): the bridges are the influential members outside it, n1 alone
    influential = {"f1", "n1", "n3", "m"}
    (c1,) = overlap.overlap_from_sets(OURS, {"c1": THEIRS["c1"]}, influential=influential, network=OURS | {"n3"})
    assert c1.bridges == 1
    # by default our network is our audience: n1 and n3 are bridges, f1 is not
    (c1,) = overlap.overlap_from_sets(OURS, {"c1": THEIRS["c1"]}, influential=influential)
    assert c1.bridges == 2


def test_a_candidate_given_twice_is_one_row_with_its_audience(ws: Workspace) -> None:
    _load(ws)
    for method in ("exact", "minhash"):
        got = overlap.audience_overlap(ws, ["c1", "c2", "c1"], platform="x", brand=["brand"], method=method)
        assert [o.account_id for o in got] == ["c1", "c2"], method
        assert [(o.audience, o.our_audience) for o in got] == [(5, 4), (3, 4)], method


@pytest.mark.parametrize("seed", range(8))
def test_the_sketched_overlap_never_exceeds_the_smaller_audience(seed: int) -> None:
    # a candidate with 10 followers, all of them ours (we have 100): J = 0.1; the estimate Ĵ scatters around it
    # (SE √(0.1·0.9/64) = 0.0375), and whenever Ĵ > 0.1 the formula Ĵ/(1 + Ĵ)·110 exceeds 10: capped at 10
    ours = {f"m{i}" for i in range(100)}
    theirs = {f"m{i}" for i in range(10)}
    sk_ours = overlap.sketch_of_set(ours, num_perm=64, seed=seed + 1)
    (o,) = overlap.minhash_overlap(
        sk_ours, 100, {"c": overlap.sketch_of_set(theirs, num_perm=64, seed=seed + 1)}, {"c": 10}, num_perm=64
    )
    assert 0 <= o.shared <= 10 and o.unique_reach >= 0
    assert o.overlap_smaller is not None and o.overlap_smaller <= 1


def test_overlap_formulas_at_their_edges() -> None:
    assert overlap.overlap_metrics(5, 4, 2) == (2 / 7, 2 / 4, 3)
    assert overlap.overlap_metrics(0, 4, 0) == (0.0, None, 0)  # an empty audience overlaps nothing; no smaller share
    assert overlap.overlap_metrics(3, 10, 3) == (3 / 10, 1.0, 0)  # all of the smaller audience is ours
    # the MinHash standard error √(J(1 − J)/k), with J clamped to [0, 1]
    assert overlap.jaccard_standard_error(0.5, 256) == pytest.approx(0.03125)
    assert overlap.jaccard_standard_error(-0.1, 256) == 0.0 and overlap.jaccard_standard_error(1.2, 64) == 0.0


def test_partners_rank_by_unique_reach_then_bridges_then_least_overlap_then_id() -> None:
    def o(account_id: str, unique: float, bridges: int | None, jaccard: float | None) -> overlap.Overlap:
        return overlap.Overlap(account_id, 10, 10, 10 - unique, jaccard, None, unique, bridges, "exact")

    ranked = overlap.rank_partners(
        [o("e", 5, 1, 0.2), o("d", 5, 1, 0.2), o("c", 5, 1, 0.1), o("b", 5, None, 0.0), o("a", 8, 0, 0.9)]
    )
    assert [r.account_id for r in ranked] == ["a", "c", "d", "e", "b"]
