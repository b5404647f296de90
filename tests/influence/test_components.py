"""Each component of the influence score against hand-computed values (and scipy/networkx as peers)."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import networkx as nx
import numpy as np
import polars as pl
import pytest
from scipy.stats import percentileofscore

from signalboost.influence import components as comp
from signalboost.influence.data import InfluenceData, encode_ids
from signalboost.influence.score import combine, effective_weights

T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
W = {"repost": 4.0, "quote": 3.0, "reply": 2.0, "mention": 1.0, "like": 0.5}


def test_percentile_rank_by_hand_and_against_scipy() -> None:
    got = comp.percentile_rank(np.array([1.0, 2.0, 2.0, 3.0, np.nan]))
    assert got[:4].tolist() == [12.5, 50.0, 50.0, 87.5]
    assert np.isnan(got[4])
    rng = np.random.default_rng(0)
    v = rng.integers(0, 20, 200).astype(float)
    theirs = [percentileofscore(v, x, kind="mean") for x in v]
    assert np.allclose(comp.percentile_rank(v), theirs, atol=1e-12)
    assert np.isnan(comp.percentile_rank(np.array([np.nan]))).all()


def test_percentile_rank_with_a_large_tie_at_the_minimum_and_nan_against_scipy() -> None:
    # A large tie at the minimum. [0, 0, 0, 1, NaN]: 4 known values; 0 has none below and three
    # equal -> (0 + 1.5) / 4 = 37.5 %; 1 has three below -> (3 + 0.5) / 4 = 87.5 %.
    got = comp.percentile_rank(np.array([0.0, 0.0, 0.0, 1.0, np.nan]))
    assert got[:4].tolist() == [37.5, 37.5, 37.5, 87.5] and np.isnan(got[4])
    assert comp.percentile_rank(np.full(4, 7.0)).tolist() == [50.0] * 4
    rng = np.random.default_rng(2)
    v = np.where(rng.random(400) < 0.7, -3.0, rng.normal(size=400))
    v[rng.random(400) < 0.1] = np.nan
    known = v[~np.isnan(v)]
    theirs = np.array([np.nan if np.isnan(x) else percentileofscore(known, x, kind="mean") for x in v])
    assert np.allclose(comp.percentile_rank(v), theirs, atol=1e-12, equal_nan=True)


def test_average_rank_equals_scipy_rankdata_exactly_with_ties_signed_zeros_and_infinities() -> None:
    from scipy.stats import rankdata

    # [2, 0, −0, 2, −inf, inf, 2]: −inf rank 1; the two zeros (equal) 2 and 3 -> 2.5; the three 2s 4, 5, 6 -> 5
    v = np.array([2.0, 0.0, -0.0, 2.0, -np.inf, np.inf, 2.0])
    assert comp.average_rank(v).tolist() == [5.0, 2.5, 2.5, 5.0, 1.0, 7.0, 5.0]
    rng = np.random.default_rng(3)
    for values in (rng.integers(0, 50, 5000).astype(float), rng.normal(size=3000), np.full(10, 1.5), np.zeros(0)):
        assert np.array_equal(comp.average_rank(values), rankdata(values, method="average"))


def test_percentile_rank_positive_sorts_only_positive_values_and_keeps_zero_at_zero() -> None:
    # [0, 0, 1, 2, 2]: 1 has two zeros below -> (2 + 0.5) / 5 = 50 %; each 2 has three below, two equal ->
    # (3 + 1) / 5 = 80 %; zeros stay 0 (not their shared-rank 20 %).
    assert comp.percentile_rank_positive(np.array([0.0, 0.0, 1.0, 2.0, 2.0])).tolist() == [0, 0, 50, 80, 80]
    rng = np.random.default_rng(1)
    v = np.where(rng.random(300) < 0.6, 0.0, rng.integers(1, 9, 300).astype(float))
    theirs = np.array([percentileofscore(v, x, kind="mean") if x > 0 else 0.0 for x in v])
    assert np.allclose(comp.percentile_rank_positive(v), theirs, atol=1e-12)
    assert comp.percentile_rank_positive(np.zeros(3)).tolist() == [0, 0, 0]


def test_reach_log_percentile_and_size_band() -> None:
    accounts = pl.DataFrame({"account_id": ["a", "b", "c", "d", "e"], "followers": [0, 9, 10, 150, None]})
    data = InfluenceData.from_frames(accounts=accounts)
    r = comp.reach(data)
    assert r.pct[:4].tolist() == [12.5, 37.5, 62.5, 87.5]
    assert np.isnan(r.pct[4])
    assert np.allclose(r.raw[:4], np.log10([1, 10, 11, 151]))
    # bands: {a, b} (0-9), {c} (10-99), {d} (100-999): in-band percentiles 25/75, 50, 50
    assert r.extra["in_band"][:4].tolist() == [25.0, 75.0, 50.0, 50.0]
    assert comp.size_band(np.array([0, 1, 9, 10, 99, 100, 12_345])).tolist() == [0, 0, 0, 1, 1, 2, 4]


def test_reach_from_follow_graph_in_degree_and_unavailable() -> None:
    follows = pl.DataFrame({"follower_id": ["a", "b", "c"], "followee_id": ["c", "c", "a"]})
    data = InfluenceData.from_frames(follows=follows)
    r = comp.reach(data)  # in-degree a 1, b 0, c 2
    assert r.pct.tolist() == [50.0, pytest.approx(100 / 6), pytest.approx(500 / 6)]
    none = InfluenceData.from_frames(interactions=pl.DataFrame({"actor_id": ["a"], "kind": ["mention"]}))
    assert not comp.reach(none).available
    assert "no follower counts" in (comp.reach(none).reason or "")


def test_reach_from_interactions_blends_distinct_interactors_and_weighted_attention_by_hand() -> None:
    # No follower counts, no follow graph. Received (self excluded):
    #   t: u reposts it 3 times, v reposts it once  -> D = 2 distinct, A = 4 reposts · 1          = 4
    #   m: u mentions it, v replies to it           -> D = 2 distinct, A = 2 · 1 + 2 · 1          = 4
    #   k: u likes it twice, k mentions itself      -> D = 1 (likes count as interacting), A = 0  = 0
    #   q: u quotes it, v mentions it, w replies    -> D = 3, A = 1 + 2 + 2                        = 5
    #   u, v, w: receive nothing                    -> D = 0, A = 0
    rows = [("u", "repost", "t")] * 3 + [("v", "repost", "t"), ("u", "mention", "m"), ("v", "reply", "m")]
    rows += [("u", "like", "k"), ("u", "like", "k"), ("k", "mention", "k")]
    rows += [("u", "quote", "q"), ("v", "mention", "q"), ("w", "reply", "q")]
    inter = pl.DataFrame(rows, schema=["actor_id", "kind", "target_account_id"], orient="row")
    data = InfluenceData.from_frames(interactions=inter)
    at = {name: data.index(name) for name in ("t", "m", "k", "q", "u", "v", "w")}
    r = comp.reach(data)
    assert r.source == comp.REACH_FROM_INTERACTORS
    d = {"t": 2, "m": 2, "k": 1, "q": 3, "u": 0, "v": 0, "w": 0}
    a = {"t": 4, "m": 4, "k": 0, "q": 5, "u": 0, "v": 0, "w": 0}
    for name, i in at.items():
        assert r.extra["interactors"][i] == d[name]
        assert r.extra["attention"][i] == a[name]
        # reach_raw = ½ (log10(1 + D) + log10(1 + A)): the log of the geometric mean of 1 + D and 1 + A
        assert r.raw[i] == pytest.approx(0.5 * (np.log10(1 + d[name]) + np.log10(1 + a[name])))
    # raw order: u = v = w (0) < k (log 2 / 2) < t = m (log 3 + log 5) / 2 < q (log 4 + log 6) / 2; mean-rank
    # percentiles over 7 accounts: 3 tied at the bottom -> 1.5/7; k -> 3.5/7; t, m -> (4 + 1)/7; q -> 6.5/7
    expected = {"u": 1.5, "v": 1.5, "w": 1.5, "k": 3.5, "t": 5.0, "m": 5.0, "q": 6.5}
    for name, i in at.items():
        assert r.pct[i] == pytest.approx(100 * expected[name] / 7)
    # in-band: D's percentile within its size band (all D < 10 here: one band, D's own percentile)
    assert r.extra["in_band"][at["q"]] == pytest.approx(100 * 6.5 / 7)
    assert r.extra["in_band"][at["k"]] == pytest.approx(100 * 3.5 / 7)
    assert comp.distinct_interactors(data)[at["q"]] == 3  # type: ignore[index]
    assert comp.attention_received(data)[at["t"]] == 4  # type: ignore[index]


def test_reach_from_interactions_ranks_a_mentioned_account_above_a_reposted_one() -> None:
    # Same distinct interactors (2), same number of interactions (2): mentions weigh twice reposts.
    rows = [("u", "mention", "named"), ("v", "mention", "named"), ("u", "repost", "shared"), ("v", "repost", "shared")]
    data = InfluenceData.from_frames(
        interactions=pl.DataFrame(rows, schema=["actor_id", "kind", "target_account_id"], orient="row")
    )
    r = comp.reach(data)
    assert r.pct[data.index("named")] > r.pct[data.index("shared")]


def test_authority_is_weighted_pagerank_and_mixes_follow_graph() -> None:
    inter = pl.DataFrame(
        {
            "actor_id": ["a", "a", "b", "c", "d"],
            "kind": ["repost", "mention", "reply", "quote", "like"],
            "target_account_id": ["b", "c", "c", "a", "a"],
        }
    )
    follows = pl.DataFrame({"follower_id": ["a", "b", "d"], "followee_id": ["d", "d", "b"]})
    data = InfluenceData.from_frames(interactions=inter, follows=follows)
    nodes = data.nodes
    gi, gf = comp.interaction_graph(data, W), comp.follow_graph(data)
    assert gf is not None
    # hand: interaction edge weights by kind
    assert gi.matrix.toarray().tolist() == [[0, 4, 1, 0], [0, 0, 2, 0], [3, 0, 0, 0], [0.5, 0, 0, 0]]
    ni = nx.DiGraph()
    ni.add_nodes_from(nodes.to_list())
    ni.add_weighted_edges_from([("a", "b", 4), ("a", "c", 1), ("b", "c", 2), ("c", "a", 3), ("d", "a", 0.5)])
    nf = nx.DiGraph([("a", "d"), ("b", "d"), ("d", "b")])
    nf.add_nodes_from(nodes.to_list())
    pi = nx.pagerank(ni, tol=1e-14, max_iter=10_000)
    pf = nx.pagerank(nf, tol=1e-14, max_iter=10_000)
    expected = np.array([(pi[k] + pf[k]) / 2 for k in nodes.to_list()])
    a = comp.authority(gi, gf, tol=1e-13)
    assert np.abs(a.raw - expected).sum() < 1e-9
    only = comp.authority(gi, None, tol=1e-13)
    assert np.abs(only.raw - np.array([pi[k] for k in nodes.to_list()])).sum() < 1e-9
    assert not comp.authority(
        comp.interaction_graph(InfluenceData.from_frames(accounts=pl.DataFrame({"account_id": ["z"]})), W), None
    ).available


def test_amplification_reposts_and_quotes_per_post() -> None:
    posts = pl.DataFrame({"post_id": ["p1", "p2", "p3"], "author_id": ["a", "a", "b"]})
    inter = pl.DataFrame(
        {
            "actor_id": ["x", "x2", "y", "z", "w"],
            "kind": ["repost", "repost", "quote", "repost", "mention"],
            "target_post_id": ["p1", "p1", "p2", "p3", ""],
            "target_account_id": ["", "", "", "", "a"],
        }
    )
    data = InfluenceData.from_frames(posts=posts, interactions=inter)
    assert data.nodes.to_list() == ["a", "b", "w", "x", "x2", "y", "z"]
    amp = comp.amplification(data)
    # a: 3 (2 reposts + 1 quote) / 2 posts = 1.5; b: 1 / 1 = 1.0; others have no known posts
    assert amp.raw[:2].tolist() == [1.5, 1.0]
    assert np.isnan(amp.raw[2:]).all()
    assert amp.pct[:2].tolist() == [75.0, 25.0]


def test_amplification_uses_posts_count_and_reports_unavailable() -> None:
    acc = pl.DataFrame({"account_id": ["a", "b"], "posts_count": [4, 0]})
    inter = pl.DataFrame({"actor_id": ["c", "c"], "kind": ["repost", "repost"], "target_account_id": ["a", "b"]})
    data = InfluenceData.from_frames(accounts=acc, interactions=inter)
    amp = comp.amplification(data)
    assert amp.raw[0] == 0.25 and np.isnan(amp.raw[1]) and np.isnan(amp.raw[2])  # b: zero posts -> unknown
    plain = InfluenceData.from_frames(interactions=inter)
    res = comp.amplification(plain)
    assert not res.available and "no posts" in (res.reason or "")


def test_topic_counts_and_topic_leadership() -> None:
    posts = pl.DataFrame(
        {
            "post_id": ["1", "2", "3", "4"],
            "author_id": ["a", "a", "b", "c"],
            "hashtags": [["#Cats", "cats"], ["cats"], ["#dogs"], []],
            "pillars": [None, None, None, ["pets"]],
        }
    )
    inter = pl.DataFrame(
        {"actor_id": ["b", "c", "d"], "kind": ["repost", "repost", "mention"], "target_account_id": ["a", "a", "b"]}
    )
    data = InfluenceData.from_frames(posts=posts, interactions=inter)
    counts = comp.topic_counts(data, None)
    # "#Cats" and "cats" on one post count once; hashtags are lower-cased, "#" stripped
    assert counts.select("author_id", "topic", "posts").rows() == [("a", "#cats", 2.0), ("b", "#dogs", 1.0)]
    pillar = comp.topic_counts(data, {"pets": ["dogs"]})
    assert pillar.select("author_id", "topic", "posts").rows() == [("b", "pets", 1.0), ("c", "pets", 1.0)]
    nodes = data.nodes
    g = comp.interaction_graph(data, W)
    t = comp.topic_leadership(g, counts, tol=1e-13, lead_pct=80)  # 4 accounts: the top percentile is 87.5
    nxg = nx.DiGraph([("b", "a", {"weight": 4}), ("c", "a", {"weight": 4}), ("d", "b", {"weight": 1})])
    cats = nx.pagerank(nxg, personalization={"a": 2.0}, tol=1e-14, max_iter=10_000)
    dogs = nx.pagerank(nxg, personalization={"b": 1.0}, tol=1e-14, max_iter=10_000)
    expected = np.array([(cats[k] + dogs[k]) / 2 for k in nodes.to_list()])
    assert np.abs(t.raw - expected).sum() < 1e-9
    assert t.labels is not None
    # a leads #cats (all of its rank sits on a), b leads #dogs
    assert t.labels.to_list() == [["#cats"], ["#dogs"], [], []]
    assert not comp.topic_leadership(g, counts.head(0)).available
    # counts naming a cell twice and out of order (not topic_counts' form) are summed: the same teleports
    split = pl.concat([counts.tail(1), counts.head(1).with_columns(pl.col("posts") / 2)] * 2)
    again = comp.topic_leadership(g, split[[0, 1, 3]], tol=1e-13, lead_pct=80)
    assert np.array_equal(again.raw, t.raw) and again.labels is not None
    assert again.labels.to_list() == t.labels.to_list()


def test_leading_topics_by_hand() -> None:
    per = np.array([[95.0, 91.0, 10.0], [50.0, 99.0, 99.5], [10.0, 20.0, 30.0]])
    got = comp.leading_topics(per, ["x", "y", "z"], lead_pct=90, max_topics=2)
    assert got.to_list() == [["x", "y"], ["z", "y"], []]
    assert comp.leading_topics(np.zeros((2, 3)), ["x", "y", "z"]).to_list() == [[], []]


def test_activity_frequency_and_regularity_by_hand() -> None:
    h = dt.timedelta(hours=1)
    d = dt.timedelta(days=1)
    inter = pl.DataFrame(
        {
            "actor_id": ["a", "a", "b", "b", "b", "c", "a"],
            "kind": ["mention", "repost", "reply", "mention", "mention", "repost", "like"],
            "target_account_id": ["x"] * 7,
            "occurred_at": [T0, T0 + d, T0, T0 + h, T0 + 2 * h, T0 + 2 * d, T0 + 2 * d],
        }
    )
    acc = pl.DataFrame({"account_id": ["e"]})
    data = InfluenceData.from_frames(interactions=inter, accounts=acc)
    assert data.nodes.to_list() == ["a", "b", "c", "e", "x"]
    act = comp.activity(data)
    # window 2 days -> 3 day periods; likes are not posts.
    # a: 2 posts / 2 days = 1, active 2/3; b: 1.5, 1/3; c: 0.5, 1/3
    assert act.extra["frequency"][:3].tolist() == [1.0, 1.5, 0.5]
    assert np.allclose(act.extra["regularity"][:3], [2 / 3, 1 / 3, 1 / 3])
    # pct(freq) = 50, 83.3, 16.7; pct(reg) = 83.3, 33.3, 33.3; means 66.7, 58.3, 25 -> pct 83.3, 50, 16.7
    assert np.allclose(act.pct[:3], [250 / 3, 50.0, 50 / 3])
    assert np.isnan(act.pct[3]) and np.isnan(act.pct[4])  # never seen posting: unknown, not 0


def test_activity_prefers_posts_and_weeks_for_long_windows() -> None:
    posts = pl.DataFrame(
        {
            "post_id": ["1", "2", "3"],
            "author_id": ["a", "a", "b"],
            "created_at": [T0, T0 + dt.timedelta(days=70), T0 + dt.timedelta(days=1)],
        }
    )
    data = InfluenceData.from_frames(posts=posts)
    act = comp.activity(data)
    # 70 days > 8 weeks: 11 weekly periods; a active in weeks 0 and 10, b in week 0
    assert np.allclose(act.extra["regularity"], [2 / 11, 1 / 11])
    assert np.allclose(act.extra["frequency"], [2 / 70, 1 / 70])


def test_combine_renormalises_over_known_components() -> None:
    pcts = {"reach": np.array([50.0, np.nan, np.nan]), "authority": np.array([100.0, 20.0, np.nan])}
    score = combine(pcts, {"reach": 0.25, "authority": 0.30}, rule="mean")  # the tail rule: tests/test_combine.py
    assert score[0] == pytest.approx((0.25 * 50 + 0.30 * 100) / 0.55)
    assert score[1] == pytest.approx(20.0)
    assert np.isnan(score[2])
    w = effective_weights({"reach": 0.25, "authority": 0.30, "activity": 0.1}, ["authority", "activity"])
    assert w == pytest.approx({"reach": 0.0, "authority": 0.75, "amplification": 0.0, "topic": 0.0, "activity": 0.25})


def test_encode_ids_numeric_and_string_paths() -> None:
    from signalboost.influence.data import encode_ids

    ids, codes = encode_ids([pl.Series(["10", "2", None, ""]), pl.Series(["2", "300"])])
    assert ids.to_list() == ["2", "10", "300"]  # numeric order
    assert [c.tolist() for c in codes] == [[1, 0, -1, -1], [0, 2]]
    for odd in (
        "007",
        "00",
        "-0",
        "+0",
        "0999999999999999999",
        "٣",
        "+7",
        "-7",
        "7a",
        " 7",
        "7 ",
        "0x7",
        "1_000",
        "1e3",
        "99999999999999999999",
        "1234567890123456789",
        "0",
    ):
        ids, codes = encode_ids([pl.Series(["7", odd])])
        assert sorted(ids.to_list()) == sorted({"7", odd}), odd  # kept as the exact strings
        assert ids[int(codes[0][1])] == odd
    # a column in several chunks (a Parquet column has one per row group) is encoded chunk by chunk
    chunked = pl.concat([pl.Series(["5", None]), pl.Series(["3"]), pl.Series(["5", "12"])], rechunk=False)
    assert chunked.n_chunks() == 3
    ids, codes = encode_ids([chunked, pl.Series(["3"])])
    assert ids.to_list() == ["3", "5", "12"]
    assert [c.tolist() for c in codes] == [[1, -1, 0, 1, 2], [0]]
    sparse = [pl.Series(["1", "999999999999"])]  # far apart: sorted path, not a lookup table
    assert encode_ids(sparse)[0].to_list() == ["1", "999999999999"]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("at_least", [0.0, 50.0, 90.0, 99.0, 100.0])
def test_top_percentiles_are_the_full_percentiles_at_or_above_the_threshold(seed: int, at_least: float) -> None:
    rng = np.random.default_rng(seed)
    # many zeros and many ties, as topic PageRanks have
    v = np.where(rng.random(500) < 0.6, 0.0, rng.integers(1, 30, 500) / 7.0)
    full = comp.percentile_rank_positive(v)
    where, pct = comp.top_percentiles(v, at_least)
    expected = np.flatnonzero((full >= at_least) & (v > 0))
    assert where.tolist() == expected.tolist()
    assert np.allclose(pct, full[expected], atol=1e-9)
    assert comp.top_percentiles(np.zeros(0), 90.0)[0].size == 0


def test_in_band_percentile_equals_the_percentile_within_each_band() -> None:
    rng = np.random.default_rng(3)
    followers = np.floor(rng.lognormal(4, 2.5, 2000))
    followers[rng.random(2000) < 0.1] = np.nan
    followers[:50] = 100.0  # a tie on a band edge
    pct = comp.percentile_rank(np.log10(1 + followers))
    got = comp.in_band_percentile(followers, pct)
    band = comp.size_band(followers)
    for b in np.unique(band[~np.isnan(band)]):
        sel = band == b
        assert np.allclose(got[sel], comp.percentile_rank(followers[sel]), atol=1e-9), b
    assert np.isnan(got[np.isnan(followers)]).all()


def test_reach_skips_a_source_known_only_for_the_brand() -> None:
    """An account export beside other data of the same network: the brand's own follower count and its own
    followers/follows rank nobody else, so reach comes from the other accounts' interactions (by hand: b and c are
    each reached by a; a by nobody)."""
    accounts = pl.DataFrame({"account_id": ["B"], "followers": [900], "is_brand": [True]})
    follows = pl.DataFrame({"follower_id": ["a", "B"], "followee_id": ["B", "c"]})
    inter = pl.DataFrame({"actor_id": ["a", "a"], "kind": ["repost", "mention"], "target_account_id": ["b", "c"]})
    data = InfluenceData.from_frames(accounts=accounts, follows=follows, interactions=inter)
    r = comp.reach(data)
    assert r.source == comp.REACH_FROM_INTERACTORS
    assert r.extra["interactors"][data.index("b")] == 1 and r.extra["interactors"][data.index("a")] == 0
    # the same export alone (only the brand acts): unavailable, with the reason
    own = InfluenceData.from_frames(
        accounts=accounts,
        follows=follows,
        interactions=pl.DataFrame({"actor_id": ["B"], "kind": ["mention"], "target_account_id": ["c"]}),
    )
    assert comp.reach(own).reason == comp.BRAND_ONLY


def test_the_package_api_names_are_what_they_say_after_any_submodule_import() -> None:
    """The lazy package API (PEP 562) must not shadow a submodule: after every submodule is imported, each
    exported name is still the function or class, not a module."""
    import importlib
    import pkgutil
    import types

    import signalboost.influence as influence

    for info in pkgutil.iter_modules(influence.__path__):
        importlib.import_module(f"signalboost.influence.{info.name}")
    for name in influence.__all__:
        assert not isinstance(getattr(influence, name), types.ModuleType), name


# ``encode_ids`` against a plain-Python peer: the distinct ids in their
# documented order and each row's index. The peer follows the docstring only: ids that are all canonical decimal
# integers (``0`` or digits without a leading zero, below 2**63) are ordered by value, any other set of ids as
# strings; nulls and ``""`` are missing (-1). Columns are built in several chunks (a Parquet column has one per row
# group), so the chunk-by-chunk encoding is checked where it can go wrong: the offset of each chunk in the output
# and the codes of the last chunk.
_CANONICAL = re.compile(r"0|[1-9][0-9]*")


def _encode_peer(columns: list[list[str | None]]) -> tuple[list[str], list[list[int]]]:
    present = {v for col in columns for v in col if v}
    numeric = all(_CANONICAL.fullmatch(v) and int(v) < 2**63 for v in present)
    ids = sorted(present, key=int) if numeric else sorted(present)
    where = {v: i for i, v in enumerate(ids)}
    return ids, [[where[v] if v else -1 for v in col] for col in columns]


def _chunked(values: list[str | None], cuts: list[int]) -> pl.Series:
    """``values`` as one String series in several chunks, cut at ``cuts``."""
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(values)}), len(values)]
    parts = [pl.Series("id", values[a:b], dtype=pl.String) for a, b in itertools.pairwise(bounds)]
    series = pl.concat(parts, rechunk=False)
    assert series.n_chunks() == len(parts)
    return series


def _check_encoding(columns: list[list[str | None]], cuts: list[list[int]]) -> None:
    ids, codes = encode_ids([_chunked(col, cut) for col, cut in zip(columns, cuts, strict=True)])
    want_ids, want_codes = _encode_peer(columns)
    assert ids.to_list() == want_ids
    assert [np.asarray(c).tolist() for c in codes] == want_codes
    assert all(np.asarray(c).dtype.kind == "i" for c in codes)  # indices: an integer type (1.0 == 1 in a list)
    assert (ids.name, ids.dtype) == ("id", pl.String)
    assert all(np.asarray(c).size == len(col) for c, col in zip(codes, columns, strict=True))


@pytest.mark.parametrize("seed", range(12))
def test_chunked_numeric_ids_match_the_peer_dense_and_sparse(seed: int) -> None:
    # dense ids (lookup table: top < 64 · rows + 1024) for even seeds, ids up to 10**15 (sorted path) for odd ones
    rng = np.random.default_rng(seed)
    top = 300 if seed % 2 == 0 else 10**15
    columns: list[list[str | None]] = []
    cuts: list[list[int]] = []
    for _ in range(int(rng.integers(1, 4))):
        size = int(rng.integers(1, 40))
        pool = rng.integers(0, top, size=8)  # few distinct values: repeats across chunks and columns
        col: list[str | None] = [str(int(pool[rng.integers(0, 8)])) for _ in range(size)]
        for i in rng.choice(size, size=size // 5, replace=False):
            col[int(i)] = None if rng.random() < 0.5 else ""
        columns.append(col)
        cuts.append([int(x) for x in rng.integers(1, size, size=int(rng.integers(0, 4)))] if size > 1 else [])
    _check_encoding(columns, cuts)


def test_ids_at_the_ends_of_the_range_and_a_missing_id_in_every_chunk() -> None:
    # 0 (the smallest id), the largest id of the table (its last slot stands for "missing") and one missing id at
    # the start and end of every chunk, in two columns of three and two chunks
    first: list[str | None] = [None, "0", "17", "", "", "17", None, "250"]
    second: list[str | None] = ["250", None, "3", "0"]
    _check_encoding([first, second], [[3, 5], [2]])


def test_one_column_without_any_id_among_columns_with_ids() -> None:
    _check_encoding([[None, ""], ["5", "9", None], []], [[1], [1], []])


def test_a_non_canonical_id_in_a_later_chunk_sorts_every_id_as_a_string() -> None:
    # "10" < "9" as strings; by value 9 < 10: a single "007" in the last chunk must switch the whole encoding
    _check_encoding([["9", "10", "100"], ["10", "007"]], [[1, 2], [1]])


def test_only_missing_ids_give_no_ids_and_all_codes_minus_one() -> None:
    ids, codes = encode_ids([_chunked([None, "", None], [1]), pl.Series("id", [], dtype=pl.String)])
    assert (ids.to_list(), ids.name, ids.dtype) == ([], "id", pl.String)
    assert [np.asarray(c).tolist() for c in codes] == [[-1, -1, -1], []]


def test_the_id_zero_and_missing_ids_far_from_the_largest_id() -> None:
    # ids far apart (sorted path, not a lookup table): 0 is an id like any other, a missing id is -1
    _check_encoding([["0", None, "1000000000000", ""], ["7", "0"]], [[2], [1]])


def test_the_id_zero_alone_is_an_id() -> None:
    # 0 is the smallest canonical id: a table whose only id is "0" has one id, not none
    _check_encoding([["0", None, "0"], [""]], [[1], []])


def test_the_largest_63_bit_id_is_numeric_and_one_more_is_a_string() -> None:
    biggest = str(2**63 - 1)
    _check_encoding([["5", biggest, "40"]], [[1]])  # sparse: sorted by value
    _check_encoding([["5", str(2**63), "40"]], [[1]])  # past Int64: every id sorted as a string


def test_teleports_sum_a_cell_named_twice_and_cells_out_of_order() -> None:
    from signalboost.influence.pagerank import FLOAT32_TOL

    # 2 nodes × 2 topics, flat cell = node · 2 + topic: cell 1 (node 0, topic 1) named twice (2 + 3), cell 3 once
    got = comp._teleports(np.array([1, 1, 3]), np.array([2.0, 3.0, 4.0]), 2, 2, 1e-9)
    assert got.tolist() == [[0.0, 5.0], [0.0, 4.0]] and got.dtype == np.float64
    got = comp._teleports(np.array([3, 0]), np.array([4.0, 1.0]), 2, 2, 1e-9)  # descending cells
    assert got.tolist() == [[1.0, 0.0], [0.0, 4.0]]
    got = comp._teleports(np.array([0, 2, 3]), np.array([1.0, 2.0, 3.0]), 2, 2, FLOAT32_TOL)  # ascending, once each
    assert got.tolist() == [[1.0, 0.0], [2.0, 3.0]] and got.dtype == np.float32  # the threshold is inclusive
    assert comp._teleports(np.array([], dtype=np.int64), np.array([]), 1, 2, 1e-9).tolist() == [[0.0, 0.0]]


def test_a_source_is_beyond_the_brand_when_some_row_touches_no_brand_account() -> None:
    brand = np.array([0])
    assert comp._beyond(brand, np.array([0, 1]))  # row 2 is another account's
    assert not comp._beyond(brand, np.array([0, 0]))  # every row is the brand's own
    assert not comp._beyond(brand, np.array([0, 1]), np.array([1, 0]))  # each follow has the brand at one end
    assert comp._beyond(brand, np.array([0, 1]), np.array([1, 2]))  # 1 → 2 does not involve the brand
    assert comp._beyond(np.array([], dtype=np.int64), np.array([3]))  # no brand account: any row counts
    assert not comp._beyond(np.array([], dtype=np.int64), np.array([], dtype=np.int64))
