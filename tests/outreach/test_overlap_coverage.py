"""Overlap and coverage against sets computed by hand, in memory and in DuckDB."""

from __future__ import annotations

import itertools
import math
import zlib
from pathlib import Path

import networkx as nx
import numpy as np
import polars as pl
import pytest
from datasketch import MinHash

from signalboost.errors import OutreachError
from signalboost.outreach import coverage, overlap
from signalboost.store.workspace import Workspace

from .conftest import T0, add_follows, add_interactions, add_scores

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


# ---------------------------------------------------- the MinHash path, rules found by mutation testing (issue #19)
def _minhash(values: list[int]) -> MinHash:
    """A signature with the given values: Ĵ of two of them is the share of equal positions."""
    return MinHash(num_perm=len(values), hashvalues=values, scheme="affine32")


def test_the_sketched_shared_count_is_j_over_1_plus_j_times_both_sizes() -> None:
    # Ĵ = 2/4 = 0.5 exactly; shared = 0.5 / 1.5 · (40 + 50) = 30 (below the cap min(40, 50) = 40);
    # J = 30 / (40 + 50 − 30) = 0.5, smaller = 30/40, unique = 10, SE = √(0.5 · 0.5 / 4) = 0.25
    ours = _minhash([1, 2, 3, 4])
    (o,) = overlap.minhash_overlap(ours, 50, {"c": _minhash([1, 2, 7, 8])}, {"c": 40}, num_perm=4)
    assert (o.account_id, o.audience, o.our_audience, o.bridges, o.method) == ("c", 40, 50, None, "minhash")
    assert o.shared == pytest.approx(30.0)
    assert o.jaccard == pytest.approx(0.5)
    assert o.overlap_smaller == pytest.approx(0.75)
    assert o.unique_reach == pytest.approx(10.0)
    assert o.jaccard_se == pytest.approx(0.25)


def test_a_sketched_candidate_with_one_follower_is_still_compared() -> None:
    # identical signatures: Ĵ = 1 -> 1/2 · (1 + 1) = 1 shared, all of it
    (o,) = overlap.minhash_overlap(_minhash([5, 6]), 1, {"c": _minhash([5, 6])}, {"c": 1}, num_perm=2)
    assert (o.shared, o.jaccard, o.overlap_smaller, o.unique_reach) == (1.0, 1.0, 1.0, 0.0)


def test_without_a_sketch_or_a_size_on_either_side_nothing_is_shared() -> None:
    sig = _minhash([1, 2, 3, 4])
    cases = {
        # candidate without a sketch (whatever its size), without a size, with size 0
        "no_sketch": (sig, 10, {"c": None}, {"c": 7}),
        "no_size": (sig, 10, {"c": sig}, {}),
        "size_0": (sig, 10, {"c": sig}, {"c": 0}),
        # an empty audience is not compared at all, whatever its signature (here one of another length)
        "size_0_other_length": (sig, 10, {"c": _minhash([1, 2])}, {"c": 0}),
        # our side without a sketch, or with size 0
        "ours_none": (None, 10, {"c": sig}, {"c": 7}),
        "ours_0": (sig, 0, {"c": sig}, {"c": 7}),
    }
    for name, (ours, our_size, theirs, sizes) in cases.items():
        (o,) = overlap.minhash_overlap(ours, our_size, theirs, sizes, num_perm=4)
        assert o.shared == 0.0, name
        assert o.audience == sizes.get("c", 0), name
        assert o.unique_reach == o.audience, name
    # both audiences empty: no Jaccard and no standard error, not 0
    (o,) = overlap.minhash_overlap(None, 0, {"c": None}, {"c": 0}, num_perm=4)
    assert (o.shared, o.jaccard, o.jaccard_se, o.overlap_smaller, o.unique_reach) == (0.0, None, None, None, 0)


def test_the_sketched_shared_count_is_capped_at_the_smaller_audience() -> None:
    # identical signatures, Ĵ = 1: the formula gives 1/2 · (10 + 100) = 55 > 10 followers: capped at 10
    (o,) = overlap.minhash_overlap(_minhash([1, 2]), 100, {"c": _minhash([1, 2])}, {"c": 10}, num_perm=2)
    assert (o.shared, o.unique_reach, o.overlap_smaller) == (10.0, 0.0, 1.0)


def test_sketch_of_set_is_the_datasketch_minhash_of_the_crc32_of_each_member() -> None:
    members = {"ana", "bo", 7, ("t", 1)}
    values = np.array([zlib.crc32(str(m).encode()) for m in members], dtype=np.uint32)

    def peer(num_perm: int, seed: int) -> np.ndarray:
        ref = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda x: x)
        ref.update_batch(values)
        return np.asarray(ref.hashvalues)

    default = overlap.sketch_of_set(members)  # num_perm 256, seed 1
    assert np.array_equal(default.hashvalues, peer(256, 1))
    assert np.array_equal(overlap.sketch_of_set(members, num_perm=64, seed=3).hashvalues, peer(64, 3))


def _hash_frame(rows: list[tuple[int, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"owner": pl.Int32, "h": pl.UInt64}, orient="row")


def test_sketches_from_hashes_sizes_count_distinct_64_bit_hashes_per_owner() -> None:
    big = 2**32
    # owner 0 ("a"): 5, 5 + 2³² (same low 32 bits, another member) and 9 twice -> 3 members, sketch of {5, 9};
    # owner 1 ("b"): nobody; owner 2 ("c"): 9 and 3 -> 2 members; owner 3 ("d", last): nobody. Rows interleaved.
    rows = [(2, 9), (0, big + 5), (0, 9), (0, 5), (2, 3), (0, 9)]
    sketches, sizes = overlap.sketches_from_hashes(_hash_frame(rows), ["a", "b", "c", "d"], num_perm=32, seed=4)
    assert sizes == {"a": 3, "b": 0, "c": 2, "d": 0}
    assert set(sketches) == {"a", "c"}  # an empty audience has no sketch

    def peer(values: list[int], num_perm: int = 32, seed: int = 4) -> np.ndarray:
        ref = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda x: x)
        ref.update_batch(np.array(values, dtype=np.uint32))
        return np.asarray(ref.hashvalues)

    assert np.array_equal(sketches["a"].hashvalues, peer([5, 9]))
    assert np.array_equal(sketches["c"].hashvalues, peer([3, 9]))
    # the defaults: 256 permutations, seed 1
    sketches, _ = overlap.sketches_from_hashes(_hash_frame(rows), ["a", "b", "c", "d"])
    assert np.array_equal(sketches["c"].hashvalues, peer([3, 9], 256, 1))


def test_sketches_from_no_hashes_give_every_owner_size_0_and_no_sketch() -> None:
    for empty in (_hash_frame([]), pl.DataFrame({"owner": [], "h": []})):
        assert overlap.sketches_from_hashes(empty, ["a", "b"]) == ({}, {"a": 0, "b": 0})


def test_distinct_keeps_each_value_once_in_order() -> None:
    for values, expected in [
        ([], []),
        ([4], [4]),
        ([3, 1, 3, 2, 2, 1], [1, 2, 3]),
        ([7, 7, 7], [7]),
        ([1, 2, 2], [1, 2]),
    ]:
        got = overlap._distinct(np.array(values, dtype=np.uint64))
        assert got.tolist() == expected, values


def test_the_sketched_path_counts_an_interactor_once_and_reads_the_chosen_audience(ws: Workspace) -> None:
    # interactions only: f1 twice and f2 with the brand; f1, f2 (three times) and the brand with c1. Our audience
    # and c1's (the brand left out of it) are both {f1, f2}: equal sets have equal signatures, so Ĵ = 1 exactly and
    # shared = 1/2 · (2 + 2) = 2 on the sketched path too
    rows = [("f1", "like", "", "brand", T0)] * 2 + [("f2", "reply", "", "brand", T0)]
    rows += [("f1", "like", "", "c1", T0), ("brand", "like", "", "c1", T0)] + [("f2", "like", "", "c1", T0)] * 3
    add_interactions(ws, rows)
    for method in ("exact", "minhash"):
        (o,) = overlap.audience_overlap(
            ws, ["c1"], platform="x", brand=["brand"], source="interactions", method=method, num_perm=64
        )
        assert (o.audience, o.our_audience, o.shared, o.jaccard, o.method) == (2, 2, 2.0, 1.0, method)
    with ws.connect() as con:
        # the default audience is the follow graph: none imported here
        assert overlap.audience_sketches(con, "x", ["brand", "c1"]) == ({}, {"brand": 0, "c1": 0})
        sk, sizes = overlap.audience_sketches(con, "x", ["brand", "c1"], source="interactions", exclude=["brand"])
    assert sizes == {"brand": 2, "c1": 2}
    assert np.array_equal(sk["brand"].hashvalues, sk["c1"].hashvalues)
    assert len(sk["c1"].hashvalues) == overlap.DEFAULT_NUM_PERM and sk["c1"].seed == 1


def test_a_brand_with_two_accounts_is_compared_by_the_union_of_their_audiences(ws: Workspace) -> None:
    # b1's followers {f1}, b2's {f2}; c1's {f1, f2} is their union: the union of the two signatures is the
    # signature of {f1, f2}, so Ĵ = 1 and shared = 2 on the sketched path as on the exact one
    add_follows(ws, [("f1", "b1"), ("f2", "b2"), ("f1", "c1"), ("f2", "c1")])
    for method in ("exact", "minhash"):
        (o,) = overlap.audience_overlap(ws, ["c1"], platform="x", brand=["b1", "b2"], method=method)
        assert (o.audience, o.our_audience, o.shared, o.jaccard, o.unique_reach) == (2, 2, 2.0, 1.0, 0.0), method


def test_sketch_of_one_or_a_few_hashes_is_datasketchs_and_can_be_extended() -> None:
    def peer(values: list[int], num_perm: int = 256, seed: int = 1) -> MinHash:
        ref = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda x: x)
        ref.update_batch(np.array(values, dtype=np.uint32))
        return ref

    for values in ([42], [7, 2**32 - 1], [3, 1, 2]):
        got = overlap.sketch(np.array(values, dtype=np.uint32))  # defaults: 256 permutations, seed 1
        want = peer(values)
        assert np.array_equal(got.hashvalues, want.hashvalues), values
        assert got.hashvalues.dtype == want.hashvalues.dtype and got.seed == 1
        # the same members given as plain (64-bit) integers are read as 32-bit hashes
        assert np.array_equal(overlap.sketch(np.array(values, dtype=np.int64)).hashvalues, want.hashvalues)
    # a returned sketch takes further hashes as datasketch does (they are hashes already: no second hashing)
    values = np.arange(1, 40, dtype=np.uint32)
    extended = overlap.sketch(values[:5], num_perm=32, seed=2)
    extended.update_batch(values[5:])
    assert np.array_equal(extended.hashvalues, peer(values.tolist(), 32, 2).hashvalues)


def _lock_holder(ws: Workspace) -> str:
    return (ws.root / ".signalboost.lock").read_text()


def test_overlap_reads_tell_a_waiting_process_they_only_read(ws: Workspace) -> None:
    # the lock file names the last holder and its purpose; another process that waits for the lock shows it
    _load(ws)
    add_scores(ws, [("n1", 90, "other", False)])
    calls = {
        "default_platform": lambda: overlap.default_platform(ws),
        "influence_threshold": lambda: overlap.influence_threshold(ws),
        "bridges_of": lambda: overlap.bridges_of(ws, "c1", platform="x", brand=["brand"], threshold=70),
        "default_candidates": lambda: overlap.default_candidates(ws, platform="x", brand=["brand"]),
        "audience_overlap": lambda: overlap.audience_overlap(ws, ["c1"], platform="x", brand=["brand"]),
        "audience_overlap minhash": lambda: overlap.audience_overlap(
            ws, ["c1"], platform="x", brand=["brand"], method="minhash"
        ),
    }
    for name, call in calls.items():
        with ws.transaction():  # leaves "(write)" behind
            pass
        call()
        assert _lock_holder(ws).endswith("(read)"), name


def test_the_default_platform_is_the_one_with_most_follows_unless_asked_for_interactions(ws: Workspace) -> None:
    add_follows(ws, [("f1", "c1")], platform="x")
    add_follows(ws, [("f1", "c1"), ("f2", "c1")], platform="ig")
    add_interactions(ws, [("f1", "like", "", "c1", T0), ("f2", "like", "", "c1", T0)])  # platform x
    assert overlap.default_platform(ws) == "ig"
    assert overlap.default_platform(ws, "interactions") == "x"


def test_without_candidates_the_20_largest_follow_audiences_are_taken(ws: Workspace) -> None:
    # a00 … a21: account a_i has i + 1 followers; the brand has 50 and is never a candidate; z has the most
    # interactors but no followers (the default audience is the follow graph)
    edges = [(f"m{j}", f"a{i:02d}") for i in range(22) for j in range(i + 1)]
    add_follows(ws, edges + [(f"m{j}", "brand") for j in range(50)])
    add_interactions(ws, [(f"p{j}", "like", "", "z", T0) for j in range(60)])
    got = overlap.default_candidates(ws, platform="x", brand=["brand"])
    assert got == [f"a{i:02d}" for i in range(21, 1, -1)]  # the 20 largest, largest first
    assert overlap.default_candidates(ws, platform="x", brand=["brand"], source="interactions", top=3) == ["z"]


def test_a_candidate_shows_its_20_strongest_bridges_by_default(ws: Workspace) -> None:
    # c1's 22 followers n00 … n21 have scores 71 … 92, none in our network: the 20 best are listed, best first
    add_follows(ws, [(f"n{i:02d}", "c1") for i in range(22)] + [("f1", "brand")])
    add_scores(ws, [(f"n{i:02d}", 71.0 + i, "other", False) for i in range(22)])
    frame = overlap.bridges_of(ws, "c1", platform="x", brand=["brand"], threshold=70)
    assert frame["account_id"].to_list() == [f"n{i:02d}" for i in range(21, 1, -1)]


def test_rows_say_which_method_made_them() -> None:
    assert {o.method for o in overlap.overlap_from_sets(OURS, THEIRS)} == {"exact"}


def test_the_bridge_threshold_is_the_strategys_else_70_and_none_without_scores(ws: Workspace) -> None:
    assert overlap.influence_threshold(ws) is None  # no influence scores: no bridge counts at all
    add_scores(ws, [("n1", 90, "other", False)])
    assert overlap.influence_threshold(ws) == 70.0  # no strategy: the strategy's own default
    ws.strategy_path.write_text(
        "version: 1\nbrand: {name: B, handles: {x: brand}}\npillars: [{id: a, name: A, weight: 100}]\n"
        "influence: {influence_threshold: 55}\n",
        encoding="utf-8",
    )
    assert overlap.influence_threshold(ws) == 55.0


def test_the_brand_is_looked_up_on_the_platform_asked_for(ws: Workspace, tmp_path: Path) -> None:
    # the ws fixture's brand is b1 on x (and an account u9 on ig that is not the brand)
    assert overlap.resolve_brand(ws) == ("x", ["b1"])
    assert overlap.resolve_brand(ws, "x") == ("x", ["b1"])
    with pytest.raises(OutreachError) as err:
        overlap.resolve_brand(ws, "ig")
    assert err.value.what == "the brand's own account is unknown on ig"
    with ws.transaction() as con:
        con.execute("UPDATE accounts SET is_brand = TRUE WHERE account_id = 'u9'")
    assert overlap.resolve_brand(ws, "ig") == ("ig", ["u9"])
    with pytest.raises(OutreachError) as err:
        overlap.resolve_brand(ws)
    assert err.value.what == "the brand has accounts on several platforms (ig, x)"
    assert err.value.hint == "Pass --platform with one of: ig, x"
    with pytest.raises(OutreachError) as err:
        overlap.resolve_brand(Workspace.open(tmp_path / "new", create=True))  # nothing imported, no strategy
    assert err.value.what == "the brand's own account is unknown"


def test_partners_tied_on_reach_and_bridges_rank_by_least_overlap_an_unknown_one_as_none() -> None:
    def o(account_id: str, jaccard: float | None) -> overlap.Overlap:
        return overlap.Overlap(account_id, 10, 10, 5, jaccard, None, 5, 1, "exact")

    ranked = overlap.rank_partners([o("a", 0.3), o("b", 0.1), o("c", None), o("d", 0.05)])
    assert [r.account_id for r in ranked] == ["c", "d", "b", "a"]


def test_an_unknown_candidate_has_0_bridges_when_bridges_are_counted(ws: Workspace) -> None:
    _load(ws)
    add_scores(ws, [("n1", 90, "other", False)])
    got = overlap.audience_overlap(ws, ["ghost", "c1"], platform="x", brand=["brand"], method="exact", threshold=70)
    assert [(o.account_id, o.audience, o.bridges, o.method) for o in got] == [
        ("c1", 5, 1, "exact"),
        ("ghost", 0, 0, "exact"),
    ]


def test_one_person_on_one_side_gives_a_jaccard_of_0_not_none() -> None:
    # union 1: J = 0/1 = 0; the smaller audience is empty, so no overlap share
    assert overlap.overlap_metrics(1, 0, 0) == (0.0, None, 1)
    assert overlap.overlap_metrics(0, 1, 0) == (0.0, None, 0)


def test_auto_is_exact_up_to_the_limit_on_the_edges_of_that_platform_and_audience(ws: Workspace) -> None:
    _load(ws)  # 4 + 9 + 2 = 15 follow edges on x (the duplicate included); ig's and interactions' are not counted
    add_follows(ws, [(f"m{i}", "c1") for i in range(30)], platform="ig")
    add_interactions(ws, [("f1", "like", "", "c1", T0)])

    def method(limit: int, source: str = "follows") -> str:
        (o,) = overlap.audience_overlap(ws, ["c1"], platform="x", brand=["brand"], source=source, exact_limit=limit)
        return o.method

    assert (method(15), method(14)) == ("exact", "minhash")
    assert (method(1, "interactions"), method(0, "interactions")) == ("exact", "minhash")


def test_the_sketched_overlap_uses_seed_1_by_default(ws: Workspace) -> None:
    _load(ws)

    def jaccards(**seed: int) -> list[float | None]:
        got = overlap.audience_overlap(
            ws, ["c1", "c2"], platform="x", brand=["brand"], method="minhash", num_perm=16, **seed
        )
        return [o.jaccard for o in got]

    assert jaccards() == jaccards(seed=1) != jaccards(seed=2)
    # with 16 permutations Ĵ is a multiple of 1/16, and its standard error is √(Ĵ(1 − Ĵ)/16)
    for o in overlap.audience_overlap(ws, ["c1", "c2"], platform="x", brand=["brand"], method="minhash", num_perm=16):
        assert o.jaccard is not None and (o.jaccard * 16) == pytest.approx(round(o.jaccard * 16))
        assert o.jaccard_se == pytest.approx(math.sqrt(o.jaccard * (1 - o.jaccard) / 16))
    with ws.connect() as con:
        sk, _ = overlap.audience_sketches(con, "x", ["c1"], num_perm=8, seed=3)
    assert (len(sk["c1"].hashvalues), sk["c1"].seed) == (8, 3)


def test_no_candidates_is_an_error_that_says_so(ws: Workspace) -> None:
    with pytest.raises(OutreachError) as err:
        overlap.audience_overlap(ws, [], platform="x", brand=["b1"])
    assert (err.value.what, err.value.where) == ("no candidate partners given", "CANDIDATES")


def test_bridges_are_listed_for_the_audience_asked_for_up_to_the_limit(ws: Workspace) -> None:
    # c1's interactors n0 … n4 are influential (scores 80 … 84); it has no followers at all
    add_interactions(ws, [(f"n{i}", "like", "", "c1", T0) for i in range(5)])
    add_scores(ws, [(f"n{i}", 80.0 + i, "other", False) for i in range(5)])
    kw = {"platform": "x", "brand": ["brand"], "threshold": 70}
    assert overlap.bridges_of(ws, "c1", **kw).height == 0  # the follow graph by default
    got = overlap.bridges_of(ws, "c1", source="interactions", limit=3, **kw)
    assert got["account_id"].to_list() == ["n4", "n3", "n2"]


def test_unknown_audience_source_and_empty_audiences_say_where_and_what_to_do(ws: Workspace) -> None:
    with pytest.raises(OutreachError) as err:
        overlap.check_method("exact", "likes")
    assert (err.value.where, err.value.hint) == ("--audience", "Use follows or interactions")
    with pytest.raises(OutreachError) as err:
        overlap.default_candidates(ws, platform="x", brand=["b1"])
    assert err.value.what == "no account on x has a follows audience: no follows data imported for x"
    assert err.value.where == "--audience"
    assert err.value.hint is not None and err.value.hint.endswith("or pass --audience interactions")
    with pytest.raises(OutreachError) as err:
        overlap.default_candidates(ws, platform="x", brand=["b1"], source="interactions")
    assert err.value.hint is not None and err.value.hint.endswith("or pass --audience follows")


def test_accounts_whose_only_known_follower_is_the_brand_are_no_default_candidates(ws: Workspace) -> None:
    """Shaped like an X archive: the brand's own followers (f1, f2) and the accounts it follows (c1, c2), whose
    only follower in the data is the brand. Their audiences are unknown, not empty of new reach: ranking them
    would show every candidate with audience 0, so the default candidates say that no audience is known."""
    add_follows(ws, [("f1", "brand"), ("f2", "brand"), ("brand", "c1"), ("brand", "c2")])
    with pytest.raises(OutreachError) as err:
        overlap.default_candidates(ws, platform="x", brand=["brand"])
    assert (
        err.value.what
        == "no account on x but the brand has a known follows audience (only the brand's own follows are imported)"
    )
    assert err.value.hint is not None and "partners fetch-audience" in err.value.hint
    add_follows(ws, [("m1", "c2"), ("brand", "c3"), ("m1", "c3"), ("m2", "c3")])  # c3: 2 known beyond the brand
    assert overlap.default_candidates(ws, platform="x", brand=["brand"]) == ["c3", "c2"]
