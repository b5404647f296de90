"""Engagement with the brand, segments and the whole scoring job (hand-computed, deterministic)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl
import pytest

from signalboost.errors import InfluenceError
from signalboost.influence.data import InfluenceData
from signalboost.influence.engagement import engagement, engagement_over_time
from signalboost.influence.graph import node_ids
from signalboost.influence.score import compute_influence
from signalboost.influence.segments import (
    FOLLOWS_FROM_GRAPH,
    FOLLOWS_FROM_INTERACTIONS,
    LISTING_ORDER,
    follows_brand,
    segment_codes,
    segment_names,
    two_hops,
)
from signalboost.model.strategy import InfluenceSettings

T = dt.datetime(2024, 6, 30, tzinfo=dt.UTC)
D = dt.timedelta(days=1)
W = {"repost": 4.0, "quote": 3.0, "reply": 2.0, "mention": 1.0, "like": 0.5}


def brand_data() -> InfluenceData:
    inter = pl.DataFrame(
        {
            "actor_id": ["a", "a", "B", "b", "c"],
            "kind": ["repost", "mention", "reply", "like", "mention"],
            "target_post_id": ["", "", "", "bp1", ""],
            "target_account_id": ["B", "B", "a", "", "a"],
            "occurred_at": [T, T - 30 * D, T - 10 * D, T - 60 * D, T - 5 * D],
        }
    )
    posts = pl.DataFrame({"post_id": ["bp1"], "author_id": ["B"]})
    return InfluenceData.from_frames(interactions=inter, posts=posts)


def test_engagement_recency_weighted_by_kind_and_reciprocity() -> None:
    e = engagement(brand_data(), "B", weights=W, half_life_days=30)
    rows = {r["account_id"]: r for r in e.iter_rows(named=True)}
    # a: repost now (4 · 1) + mention 30 days ago (1 · 1/2); B replied to a 10 days ago: 2 · 2^(-1/3)
    assert rows["a"]["engagement"] == pytest.approx(4.5)
    assert rows["a"]["reciprocity"] == pytest.approx(2 * 2 ** (-1 / 3))
    assert rows["a"]["interactions_with_brand"] == 2 and rows["a"]["reposts"] == 1 and rows["a"]["mentions"] == 1
    # b liked the brand's post 60 days ago: resolved through posts.author_id; 0.5 · 1/4
    assert rows["b"]["engagement"] == pytest.approx(0.125)
    assert "c" not in rows  # c only mentioned a


def test_engagement_as_of_and_half_life_from_settings() -> None:
    e = engagement(brand_data(), "B", weights=W, half_life_days=10, as_of=T + 10 * D)
    a = e.filter(pl.col("account_id") == "a").row(0, named=True)
    assert a["engagement"] == pytest.approx(4 * 0.5 + 1 * 2**-4)


def test_engagement_over_time_weekly() -> None:
    frame = engagement_over_time(brand_data(), "a", "B", every="1w")
    assert frame["interactions"].sum() == 2
    assert frame["brand_interactions"].sum() == 1


def test_follows_brand_from_graph_or_interaction_proxy() -> None:
    data = brand_data()
    assert data.nodes.to_list() == ["B", "a", "b", "c"]
    mask, how = follows_brand(data, "B")
    assert how == FOLLOWS_FROM_INTERACTIONS and mask.tolist() == [False, True, True, False]
    fol = InfluenceData.from_frames(
        interactions=data.interactions,
        posts=data.posts,
        follows=pl.DataFrame({"follower_id": ["c", "b"], "followee_id": ["B", "B"], "active": [True, False]}),
    )
    mask, how = follows_brand(fol, "B")
    assert how == FOLLOWS_FROM_GRAPH and mask.tolist() == [False, False, False, True]  # b unfollowed


def test_two_hops_out_from_followers() -> None:
    inter = pl.DataFrame(
        {
            "actor_id": ["f1", "f1", "f2", "x", "f2"],
            "kind": ["repost", "mention", "like", "repost", "repost"],
            "target_account_id": ["B", "t1", "t2", "t3", "f1"],
        }
    )
    follows = pl.DataFrame({"follower_id": ["f1", "f2", "f2"], "followee_id": ["B", "B", "t4"]})
    data = InfluenceData.from_frames(interactions=inter, follows=follows)
    nodes = data.nodes  # B f1 f2 t1 t2 t3 t4 x
    f, _ = follows_brand(data, "B")
    hop = two_hops(data, "B", f)
    # t1 (mentioned by f1), t4 (followed by f2); not t2 (a like), not t3 (x is no follower), not f1, not B
    assert dict(zip(nodes.to_list(), hop.tolist(), strict=True)) == {
        "B": False, "f1": False, "f2": False, "t1": True, "t2": False, "t3": False, "t4": True, "x": False,
    }  # fmt: skip


def test_assign_segments_truth_table() -> None:
    # interactions with the brand in the window (counts): the last account mentioned the brand once
    score = np.array([80, 80, 20, 80, 80, 20, np.nan, 80, 80])
    count = np.array([2, 0, 5, 0, 0, 0, 3, 1, 1])
    follows = np.array([True, True, False, False, False, True, False, True, False])
    topic = np.array([np.nan, np.nan, np.nan, 75.0, 10.0, np.nan, np.nan, np.nan, np.nan])
    hop = np.array([False, False, False, True, True, False, False, False, True])
    codes = segment_codes(score, count, follows, topic, hop, influence_threshold=70, engagement_threshold=1)
    assert segment_names(codes).to_list() == [
        "advocate",
        "untapped",
        "fan",
        "thought_leader",
        "other",
        "other",
        "fan",
        "advocate",  # one mention: engaged, not untapped
        "advocate",
    ]
    # tolerance 1 with threshold 2: one interaction is not engagement yet, so the follower is untapped
    codes = segment_codes(
        score, count, follows, topic, hop, influence_threshold=70, engagement_threshold=2, untapped_tolerance=1
    )
    assert segment_names(codes).to_list()[7] == "untapped"
    # no follow graph: nobody is untapped (a silent follower looks like a stranger); the rest is unchanged
    codes = segment_codes(
        score, count, follows, topic, hop, influence_threshold=70, engagement_threshold=1, follows_known=False
    )
    names = segment_names(codes).to_list()
    assert "untapped" not in names and names[1] == "other" and names[0] == "advocate" and names[3] == "thought_leader"


def test_one_mention_long_ago_is_engaged_not_untapped() -> None:
    """The demo's artefact: one mention decays to < 1.0 and used to read as "not engaged". Counted, it engages;
    outside the window it does not, and the influential follower is untapped."""
    rows = [(f"u{i}", "mention", "hub", T - D) for i in range(30)]  # hub: influential (reached by 30 accounts)
    rows += [("hub", "mention", "B", T - 40 * D)]  # one mention of the brand, 40 days before the latest data
    rows += [(f"u{i}", "repost", "B", T) for i in range(3)]
    inter = pl.DataFrame(rows, schema=["actor_id", "kind", "target_account_id", "occurred_at"], orient="row")
    fans = [f"u{i}" for i in range(30)]  # the hub's 30 followers: the largest reach
    follows = pl.DataFrame({"follower_id": ["hub", "u0", *fans], "followee_id": ["B", "B", *["hub"] * 30]})
    data = InfluenceData.from_frames(interactions=inter, follows=follows)
    res = compute_influence(data, brand_id="B")
    hub = res.table.filter(pl.col("account_id") == "hub").row(0, named=True)
    assert hub["score"] >= 70 and hub["interactions_with_brand"] == 1
    assert hub["engagement"] == pytest.approx(2 ** (-40 / 30))  # decayed value kept beside the count
    assert hub["segment"] == "advocate"
    short = InfluenceSettings(engagement_window_days=30)
    hub = compute_influence(data, short, brand_id="B").table.filter(pl.col("account_id") == "hub").row(0, named=True)
    assert hub["interactions_with_brand"] == 0 and hub["segment"] == "untapped"


def test_compute_influence_is_deterministic_and_order_free() -> None:
    rng = np.random.default_rng(5)
    n = 400
    inter = pl.DataFrame(
        {
            "actor_id": [f"u{i}" for i in rng.integers(0, 60, n)],
            "kind": rng.choice(["repost", "mention", "reply", "quote", "like"], n).tolist(),
            "target_account_id": [f"u{i}" for i in rng.integers(0, 60, n)],
            "occurred_at": [T - dt.timedelta(hours=int(h)) for h in rng.integers(0, 500, n)],
        }
    )
    # two identical pairs apart from the rest: z1 and z3 (and z2 and z4) tie on every component, hence on the score
    twins = pl.DataFrame(
        {"actor_id": ["z1", "z3"], "kind": ["mention"] * 2, "target_account_id": ["z2", "z4"], "occurred_at": [T] * 2}
    )
    inter = pl.concat([inter, twins])
    stamp = dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
    one = compute_influence(InfluenceData.from_frames(interactions=inter), brand_id="u1", computed_at=stamp)
    two = compute_influence(
        InfluenceData.from_frames(interactions=inter.sample(fraction=1.0, shuffle=True, seed=3)),
        brand_id="u1",
        computed_at=stamp,
    )
    assert one.table.equals(two.table)
    # listed by segment (untapped first), then score descending (unknown last), then id order — many scores tie
    ids = sorted(one.table["account_id"].to_list())
    rows = one.table.select("segment", "score", "account_id").rows()
    expected = sorted(rows, key=lambda r: (LISTING_ORDER.index(r[0]), r[1] is None, -(r[1] or 0.0), ids.index(r[2])))
    assert rows == expected
    assert len({r[1] for r in rows}) < len(rows)  # the tie-break is exercised
    assert set(one.unavailable) == {"amplification", "topic"}  # reach from the distinct accounts interacting
    assert any("distinct accounts interacting" in note for note in one.notes)
    assert one.table.filter(pl.col("account_id") == "u1")["segment"].item() == "other"
    scores = one.table["score"].drop_nulls()
    assert scores.min() >= 0 and scores.max() <= 100
    # the brand's interaction partners and the rest: segments follow the thresholds
    settings = InfluenceSettings()
    adv = one.table.filter(pl.col("segment") == "advocate")
    assert (adv["score"] >= settings.influence_threshold).all()
    assert (adv["interactions_with_brand"] >= settings.engagement_threshold).all()


def test_compute_influence_without_brand_and_bad_input() -> None:
    inter = pl.DataFrame({"actor_id": ["a"], "kind": ["mention"], "target_account_id": ["b"]})
    res = compute_influence(InfluenceData.from_frames(interactions=inter))
    assert res.table["segment"].to_list() == ["other", "other"]
    assert res.table["engagement"].null_count() == 2 and res.notes
    with pytest.raises(InfluenceError, match="no accounts"):
        compute_influence(InfluenceData.from_frames())
    with pytest.raises(InfluenceError, match="unknown interaction kind"):
        InfluenceData.from_frames(interactions=pl.DataFrame({"actor_id": ["a"], "kind": ["retweet"]}))
    with pytest.raises(InfluenceError, match="lacks column"):
        InfluenceData.from_frames(follows=pl.DataFrame({"follower_id": ["a"]}))
    assert node_ids(["", "b", None, "a"]).to_list() == ["a", "b"]


def test_the_brand_is_never_its_own_advocate_or_fan() -> None:
    # with both thresholds at 0 every account that engages is an advocate — except the brand itself, "other"
    inter = pl.DataFrame(
        {
            "actor_id": ["B", "a", "B", "b"],
            "kind": ["mention", "repost", "mention", "mention"],
            "target_account_id": ["B", "B", "a", "B"],
            "occurred_at": [T] * 4,
        }
    )
    settings = InfluenceSettings(engagement_threshold=0, influence_threshold=0)
    res = compute_influence(InfluenceData.from_frames(interactions=inter), settings=settings, brand_id="B")
    seg = dict(zip(res.table["account_id"].to_list(), res.table["segment"].to_list(), strict=True))
    assert seg["B"] == "other"
    assert seg["a"] == "advocate" and seg["b"] == "advocate"


# ------------------------------------------------- rules found by the mutation run of score.py (issue #19)
def full_data() -> InfluenceData:
    """Every table present: follower counts, follows, interactions and posts with hashtags."""
    accounts = pl.DataFrame(
        {
            "account_id": ["B", "a", "b", "c", "d", "e"],
            "handle": ["brand", "alice", None, "carol", "dan", "eve"],
            "followers": [1000, 250, 40, None, 5, 2],
        }
    )
    follows = pl.DataFrame({"follower_id": ["a", "b", "c", "c"], "followee_id": ["B", "B", "a", "b"]})
    inter = pl.DataFrame(
        {
            "actor_id": ["a", "b", "B", "c", "c"],
            "kind": ["repost", "mention", "reply", "mention", "quote"],
            "target_account_id": ["B", "B", "a", "a", "b"],
            "occurred_at": [T, T - 10 * D, T - 20 * D, T - 2 * D, T - 3 * D],
        }
    )
    posts = pl.DataFrame(
        {
            "post_id": ["p1", "p2", "p3", "p4"],
            "author_id": ["a", "a", "b", "B"],
            "created_at": [T - D, T - 5 * D, T - 2 * D, T],
            "hashtags": [["#cats"], ["#cats", "#dogs"], ["#dogs"], ["#cats"]],
        }
    )
    return InfluenceData.from_frames(accounts=accounts, follows=follows, interactions=inter, posts=posts)


COLUMNS = [
    "account_id", "score", "reach", "authority", "amplification", "topic", "activity", "top_topics", "followers",
    "reach_in_band", "pagerank", "audience", "attention", "amplification_raw", "posts_per_day", "active_share",
    "handle",
    "engagement", "reciprocity", "interactions_with_brand", "follows_brand", "segment", "platform", "computed_at",
]  # fmt: skip


def test_the_influence_table_has_every_column_with_its_type_and_source() -> None:
    # each column carries the value of the component it is named for, per account (the table is in listing
    # order, so rows are matched by id); unknown values are null, never 0
    from signalboost.influence import components as comp
    from signalboost.influence.score import compute_components

    data, topics = full_data(), {"pets": ["#cats", "#dogs"], "dogs": ["#dogs"]}
    stamp = dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC)
    said: list[str] = []
    res = compute_influence(data, brand_id="B", topics=topics, as_of=T, computed_at=stamp, progress=said.append)
    assert res.table.columns == COLUMNS
    types = dict(zip(res.table.columns, res.table.dtypes, strict=True))
    assert types["followers"] == pl.Int64 and types["interactions_with_brand"] == pl.Int64
    assert types["top_topics"] == pl.List(pl.String) and types["follows_brand"] == pl.Boolean
    assert types["reciprocity"] == types["engagement"] == types["score"] == pl.Float64
    assert said == [
        "topic leadership and authority; follow graph, amplification, activity and reach alongside",
        "authority (PageRank)",
        "engagement and segments",
    ]
    # the components computed one by one (components.py), not through score.py
    inter = comp.interaction_transition(data, InfluenceSettings().interaction_weights.model_dump())
    parts = {
        "reach": comp.reach(data),
        "activity": comp.activity(data),
        "amplification": comp.amplification(data),
        "topic": comp.topic_leadership(inter, comp.topic_counts(data, topics)),
        "authority": comp.authority_from(
            data.n, [comp.graph_pagerank(inter), comp.graph_pagerank(comp.follow_transition(data))]
        ),
    }
    heard: list[str] = []
    through = compute_components(data, InfluenceSettings(), topics=topics, progress=heard.append)
    assert through["topic"].labels.to_list() == parts["topic"].labels.to_list() and heard  # type: ignore[union-attr]
    for c in comp.COMPONENTS:
        assert np.array_equal(res.table.sort("account_id")[c].to_numpy(), parts[c].pct, equal_nan=True), c
    rows = {r["account_id"]: r for r in res.table.iter_rows(named=True)}
    for ix, account in enumerate(data.nodes.to_list()):
        row = rows[account]
        for column, values in [
            ("pagerank", parts["authority"].raw),
            ("amplification_raw", parts["amplification"].raw),
            ("posts_per_day", parts["activity"].extra["frequency"]),
            ("active_share", parts["activity"].extra["regularity"]),
            ("reach_in_band", parts["reach"].extra["in_band"]),
            ("attention", parts["reach"].extra.get("attention", np.full(data.n, np.nan))),
        ]:
            expected = float(values[ix])
            assert row[column] == (None if np.isnan(expected) else pytest.approx(expected)), (account, column)
        assert row["top_topics"] == parts["topic"].labels.to_list()[ix]  # type: ignore[union-attr]
    # follower counts as given; an account without one is null (its audience too), never 0
    assert {k: (r["followers"], r["audience"]) for k, r in rows.items()} == {
        "B": (1000, 1000.0), "a": (250, 250.0), "b": (40, 40.0), "c": (None, None), "d": (5, 5.0), "e": (2, 2.0)
    }  # fmt: skip
    assert [rows[k]["handle"] for k in "Babcde"] == ["brand", "alice", None, "carol", "dan", "eve"]
    # the topics given are the topics used (the default would be the hashtags themselves, "#cats" and "#dogs")
    labels = {t for r in rows.values() for t in r["top_topics"] or []}
    assert labels and labels <= {"pets", "dogs"}
    # the brand's side: a and b follow the brand (follow graph), c does not; the brand replied to a 20 days
    # before T: reciprocity 2 · 2^(−20/30) with the default half-life of 30 days
    assert [rows[k]["follows_brand"] for k in "Babcde"] == [False, True, True, False, False, False]
    assert rows["a"]["reciprocity"] == pytest.approx(2 * 2 ** (-20 / 30))
    assert rows["a"]["interactions_with_brand"] == 1 and rows["b"]["interactions_with_brand"] == 1
    assert {r["platform"] for r in rows.values()} == {"x"} and {r["computed_at"] for r in rows.values()} == {stamp}
    assert res.platform == "x" and res.computed_at == stamp and res.brand_id == "B"
    assert res.follows_source == FOLLOWS_FROM_GRAPH and res.unavailable == {} and res.notes == []
    total = sum(InfluenceSettings().weights.model_dump().values())
    assert res.weights == {c: w / total for c, w in InfluenceSettings().weights.model_dump().items()}
    # the summary a report or --format json shows
    counts: dict[str, int] = {}
    for r in rows.values():
        counts[r["segment"]] = counts.get(r["segment"], 0) + 1
    assert res.summary() == {
        "platform": "x",
        "computed_at": stamp.isoformat(),
        "brand_account_id": "B",
        "accounts": 6,
        "segments": dict(sorted(counts.items())),
        "weights": res.weights,
        "unavailable": {},
        "follows_brand_from": FOLLOWS_FROM_GRAPH,
        "notes": [],
    }
    for name in counts:
        assert res.segment(name)["account_id"].sort().to_list() == sorted(k for k, r in rows.items() if r[
            "segment"] == name)  # fmt: skip


def test_without_a_brand_the_brand_columns_are_typed_nulls_and_the_note_says_why() -> None:
    res = compute_influence(full_data(), computed_at=dt.datetime(2024, 7, 1, tzinfo=dt.UTC))
    assert res.table.columns == COLUMNS
    for name, dtype in [
        ("engagement", pl.Float64), ("reciprocity", pl.Float64), ("interactions_with_brand", pl.Int64),
        ("follows_brand", pl.Boolean),
    ]:  # fmt: skip
        assert res.table[name].dtype == dtype and res.table[name].null_count() == 6, name
    assert res.table["segment"].to_list() == ["other"] * 6
    assert res.follows_source is None and res.brand_id is None
    assert res.notes == ["no brand account set: engagement and segments were not computed"]
    assert res.summary()["segments"] == {"other": 6}


def test_a_stamp_is_taken_when_none_is_given() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    res = compute_influence(full_data())
    after = dt.datetime.now(dt.UTC)
    assert before <= res.computed_at <= after and res.computed_at.microsecond == 0
    assert res.computed_at.tzinfo is not None and res.table["computed_at"].unique().to_list() == [res.computed_at]


def test_as_of_and_the_half_life_set_the_recency_of_engagement() -> None:
    # a reposted the brand at T (weight 4): at as_of = T + 30 days, one half-life later, 4 · ½ = 2; with a
    # half-life of 10 days, three half-lives: 4 · ⅛ = 0.5
    later = compute_influence(full_data(), brand_id="B", as_of=T + 30 * D)
    a = later.table.filter(pl.col("account_id") == "a").row(0, named=True)
    assert a["engagement"] == pytest.approx(2.0)
    short = InfluenceSettings(engagement_half_life_days=10)
    a = compute_influence(full_data(), short, brand_id="B", as_of=T + 30 * D).table.filter(pl.col("account_id") == "a")
    assert a["engagement"].item() == pytest.approx(0.5)


def test_the_listing_puts_unknown_scores_last_and_keeps_ties_in_id_order() -> None:
    from signalboost.influence.score import _listing_order

    # segments: all "other" (4); scores 50, None, 70, 50 -> 70 (row 2), 50 (row 0), 50 (row 3), None (row 1)
    order = _listing_order(np.array([50.0, np.nan, 70.0, 50.0]), np.full(4, 4, dtype=np.int8))
    assert order.tolist() == [2, 0, 3, 1]
    order = _listing_order(np.array([10.0, 90.0]), np.array([1, 0], dtype=np.int8))  # untapped, advocate
    assert order.tolist() == [0, 1]
    # segments (0 advocate, 1 untapped, 2 fan, 4 other) listed untapped, advocate, fan, other; within each, score
    # descending with ties by row and unknown scores last
    scores = np.array([50.0, np.nan, 70.0, 80.0, 80.0, 99.0, 70.0, np.nan])
    segments = np.array([4, 1, 0, 1, 1, 2, 0, 4], dtype=np.int8)
    assert _listing_order(scores, segments).tolist() == [3, 4, 1, 2, 6, 5, 0, 7]
    assert _listing_order(np.full(3, np.nan), np.full(3, 4, dtype=np.int8)).tolist() == [0, 1, 2]
    assert _listing_order(np.zeros(0), np.zeros(0, dtype=np.int8)).tolist() == []


def test_the_weights_of_unavailable_components_are_zero_and_the_rest_sum_to_one() -> None:
    from signalboost.influence.score import effective_weights

    # reach 3, authority 1 available; a component missing from the weights counts 0
    eff = effective_weights({"reach": 3.0, "authority": 1.0, "topic": 5.0}, ["reach", "authority", "activity"])
    assert eff == {"reach": 0.75, "authority": 0.25, "amplification": 0.0, "topic": 0.0, "activity": 0.0}
    assert effective_weights({"reach": 0.0}, ["reach"]) == dict.fromkeys(eff, 0.0)


def test_combine_ignores_components_without_a_weight_and_an_account_with_none_known_is_unknown() -> None:
    from signalboost.influence.score import combine

    # "topic" has no weight: it does not count. Account 1 has no known percentile of a weighted component.
    out = combine({"reach": np.array([50.0, np.nan]), "topic": np.array([99.0, 99.0])}, {"reach": 1.0})
    assert out[0] == pytest.approx(50.0) and np.isnan(out[1])
    with pytest.raises(InfluenceError, match="weight of reach is negative") as err:
        combine({"reach": np.array([50.0])}, {"reach": -1.0})
    assert err.value.where == "influence.weights.reach" and err.value.hint == "Use a weight ≥ 0"
    with pytest.raises(InfluenceError) as err:
        combine({}, {})
    assert err.value.what == "no component of the influence score can be computed"


def test_an_error_when_every_available_component_has_weight_0() -> None:
    from signalboost.model.strategy import InfluenceSettings as S

    zero = S.model_validate({"weights": dict.fromkeys(["reach", "authority", "amplification", "topic", "activity"], 0)})
    with pytest.raises(InfluenceError) as err:
        compute_influence(full_data(), zero)
    assert err.value.what == "every component that can be computed has weight 0"


def test_what_cannot_be_computed_is_reported_with_its_reason() -> None:
    inter = pl.DataFrame({"actor_id": ["a", "b"], "kind": ["mention"] * 2, "target_account_id": ["b", "a"]})
    res = compute_influence(InfluenceData.from_frames(interactions=inter))
    assert res.unavailable == {
        "amplification": "no posts and no post counts imported (posts per account unknown)",
        "topic": "no hashtags or pillar labels on imported posts",
        "activity": "no dated posts or interactions",
    }
    with pytest.raises(InfluenceError) as err:
        compute_influence(InfluenceData.from_frames(accounts=pl.DataFrame({"account_id": ["a", "b"]})))
    assert err.value.what == "no component of the influence score can be computed from this data"
    assert err.value.where and err.value.where.startswith("reach: no follower counts")


def test_an_account_with_no_known_component_gets_no_score_and_no_warning() -> None:
    import warnings

    from signalboost.influence.score import combine

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0/0 for the unknown account must not print a RuntimeWarning
        for rule in ("tail", "mean"):
            out = combine({"reach": np.array([np.nan, 20.0])}, {"reach": 1.0}, rule=rule)
            assert np.isnan(out[0]) and out[1] == pytest.approx(20.0)


def test_the_untapped_tolerance_and_the_follow_source_reach_the_segments() -> None:
    # every account is influential (threshold 0) and nobody is engaged (2 interactions needed). a and b follow
    # the brand and interacted with it once each: with an untapped tolerance of 1 they are untapped
    settings = InfluenceSettings(influence_threshold=0, engagement_threshold=2, untapped_tolerance=1)
    res = compute_influence(full_data(), settings, brand_id="B")
    seg = dict(zip(res.table["account_id"].to_list(), res.table["segment"].to_list(), strict=True))
    assert seg["a"] == seg["b"] == "untapped" and seg["B"] == "other"
    # without a follow graph "follows the brand" is only a proxy (interacted with it): nobody is untapped
    d = full_data()
    inter = pl.DataFrame(
        {
            "actor_id": ["a", "b", "B", "c"],
            "kind": ["repost", "mention", "reply", "mention"],
            "target_account_id": ["B", "B", "a", "a"],
            "occurred_at": [T, T - 10 * D, T - 20 * D, T],
        }
    )
    proxy = InfluenceData.from_frames(
        accounts=d.accounts.select("account_id", "handle", "followers"), interactions=inter
    )
    res = compute_influence(proxy, settings, brand_id="B")
    seg = dict(zip(res.table["account_id"].to_list(), res.table["segment"].to_list(), strict=True))
    assert res.follows_source != FOLLOWS_FROM_GRAPH
    assert "untapped" not in seg.values() and seg["a"] == seg["b"] == "other"


def test_the_audience_is_the_distinct_interactors_without_follower_counts_and_null_without_reach() -> None:
    # no follower counts, no follow graph: a was reached by b and c (c twice), b by a -> audiences 2 and 1; c by
    # nobody -> 0. followers stays null (not 0): nothing was imported to count them.
    inter = pl.DataFrame(
        {"actor_id": ["b", "c", "c", "a"], "kind": ["mention"] * 4, "target_account_id": ["a", "a", "a", "b"]}
    )
    res = compute_influence(InfluenceData.from_frames(interactions=inter))
    rows = {r["account_id"]: r for r in res.table.iter_rows(named=True)}
    assert {k: r["audience"] for k, r in rows.items()} == {"a": 2.0, "b": 1.0, "c": 0.0}
    assert all(r["followers"] is None for r in rows.values())
    # posts only: reach cannot be computed; its columns are null, the other components still score
    posts = pl.DataFrame(
        {"post_id": ["p1", "p2"], "author_id": ["a", "b"], "created_at": [T - D, T], "hashtags": [["#x"], ["#x"]]}
    )
    res = compute_influence(InfluenceData.from_frames(posts=posts))
    assert "reach" in res.unavailable
    for column in ("followers", "reach_in_band", "audience"):
        assert res.table[column].null_count() == 2, column


def own_archive() -> InfluenceData:
    """Shaped like an X archive: the brand's follower count (its only one), its followers f1–f3 and follows c1–c2
    as ids, its own posts with hashtags, and its own replies and mentions — nobody else's posts or interactions."""
    accounts = pl.DataFrame({"account_id": ["B"], "followers": [3], "is_brand": [True]})
    follows = pl.DataFrame({"follower_id": ["f1", "f2", "f3", "B", "B"], "followee_id": ["B", "B", "B", "c1", "c2"]})
    posts = pl.DataFrame(
        {
            "post_id": ["p1", "p2", "p3"],
            "author_id": ["B", "B", "B"],
            "created_at": [T - 3 * D, T - 2 * D, T - D],
            "hashtags": [["css"], ["css"], ["js"]],
        }
    )
    inter = pl.DataFrame(
        {
            "actor_id": ["B", "B", "B"],
            "kind": ["mention", "reply", "mention"],
            "target_post_id": ["", "", ""],
            "target_account_id": ["f1", "f1", "c1"],
            "occurred_at": [T - 3 * D, T - 2 * D, T - D],
        }
    )
    return InfluenceData.from_frames(accounts=accounts, follows=follows, interactions=inter, posts=posts)


def test_a_component_known_only_for_the_brand_is_unavailable() -> None:
    """The brand is never scored, so a follower count or a post count known only for the brand says nothing about
    anyone else: reach and amplification are unavailable (with the reason) and their weight is not claimed."""
    result = compute_influence(own_archive(), brand_id="B")
    assert set(result.unavailable) >= {"reach", "amplification"}
    assert result.unavailable["reach"] == "known only for the brand's own account (no other account has a value)"
    assert result.weights["reach"] == 0.0 and result.weights["amplification"] == 0.0
    assert sum(result.weights.values()) == pytest.approx(1.0)
    scored = result.table.filter(pl.col("account_id") != "B")
    assert scored["reach"].is_null().all() and scored["amplification"].is_null().all()


def test_a_run_from_the_brands_own_interactions_only_says_so() -> None:
    result = compute_influence(own_archive(), brand_id="B")
    assert any(n.startswith("every interaction in the data is the brand's own (") for n in result.notes)
    assert not any(n.startswith("every interaction") for n in compute_influence(brand_data(), brand_id="B").notes)


def test_empty_fan_segment_says_nobody_engaged_when_nobody_did() -> None:
    """Advocates and fans together are every engaged account: when both are 0, nobody interacted, and "every
    account that interacted scores ≥ 70" (true of nobody) must not be said."""
    from signalboost.influence.words import empty_segment_reasons

    none = empty_segment_reasons({"other": 5}, follows_source=FOLLOWS_FROM_GRAPH, brand=True, settings={})
    assert none["fan"] == "no account interacted with the brand 1+ times in the window"
    some = empty_segment_reasons(
        {"advocate": 2, "other": 5}, follows_source=FOLLOWS_FROM_GRAPH, brand=True, settings={}
    )
    assert some["fan"] == "every account that interacted 1+ times with the brand in the window scores ≥ 70"


def test_nobody_is_untapped_when_no_ones_engagement_with_the_brand_is_in_the_data() -> None:
    """In an account export the followers' likes and replies of the brand are missing: "follows you and never
    interacted" cannot be told from "follows you and interacts every day", so no follower is called untapped, and
    the empty segment says why."""
    from signalboost.influence.score import ENGAGEMENT_UNSEEN
    from signalboost.influence.words import empty_segment_reasons

    result = compute_influence(own_archive(), brand_id="B")
    assert "untapped" not in result.table["segment"].to_list()
    assert ENGAGEMENT_UNSEEN in result.notes
    why = empty_segment_reasons(
        {"other": 5}, follows_source=FOLLOWS_FROM_GRAPH, brand=True, settings={}, engagement_seen=False
    )
    assert why["untapped"] == (
        "no one's interactions with the brand are in the data (an account export holds only the brand's own): "
        "a follower who never interacted cannot be told apart from one who interacts every day"
    )


def test_followers_can_be_untapped_once_someone_elses_engagement_is_seen() -> None:
    data = own_archive()
    like = pl.DataFrame(
        {
            "actor_id": ["f2"],
            "kind": ["like"],
            "target_post_id": ["p1"],
            "target_account_id": [""],
            "occurred_at": [T - D],
        }
    )
    seen = InfluenceData.from_frames(
        accounts=data.accounts.drop("ix"),
        follows=data.follows.drop("src", "dst"),
        interactions=pl.concat([data.interactions.drop("src", "dst").select(like.columns), like]),
        posts=data.posts.drop("ix"),
    )
    result = compute_influence(seen, brand_id="B", settings=InfluenceSettings(influence_threshold=1))
    from signalboost.influence.score import ENGAGEMENT_UNSEEN

    assert ENGAGEMENT_UNSEEN not in result.notes
    assert "untapped" in result.table["segment"].to_list()


def test_unseen_engagement_is_unknown_not_zero() -> None:
    """An account export cannot show anyone's likes or replies of the brand: their engagement and interactions with
    the brand are NULL (unknown) in the table, never 0; the brand's own touches of them (reciprocity) stay known."""
    unseen = compute_influence(own_archive(), brand_id="B").table
    assert unseen["interactions_with_brand"].is_null().all() and unseen["engagement"].is_null().all()
    assert unseen["reciprocity"].drop_nulls().len() > 0
    seen = compute_influence(brand_data(), brand_id="B").table
    assert seen["interactions_with_brand"].null_count() == 0 and seen["interactions_with_brand"].max() > 0


def _listing_peer(score: np.ndarray, segments: np.ndarray) -> list[int]:
    """The documented listing order: segment by LISTING_ORDER, then score descending with unknown scores last,
    then node index."""
    from signalboost.influence.segments import LISTING_ORDER, SEGMENTS

    rank = [LISTING_ORDER.index(s) for s in SEGMENTS]
    return sorted(
        range(score.size),
        key=lambda i: (rank[segments[i]], bool(np.isnan(score[i])), -score[i] if not np.isnan(score[i]) else 0, i),
    )


@pytest.mark.parametrize("seed", range(20))
def test_listing_order_against_its_definition(seed: int) -> None:
    from signalboost.influence.score import _listing_order

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    score = rng.choice([10.0, 20.0, 30.0, 40.0, np.nan], size=n)  # ties, several distinct scores, unknowns
    segments = rng.integers(0, 5, size=n)
    assert _listing_order(score, segments).tolist() == _listing_peer(score, segments)


def test_listing_order_of_one_row_and_of_unknown_scores_ahead_of_a_later_segment() -> None:
    from signalboost.influence.score import _listing_order
    from signalboost.influence.segments import SEGMENTS

    advocate, fan = SEGMENTS.index("advocate"), SEGMENTS.index("fan")
    for seg in range(5):  # one row: order [0] whatever its segment and score
        assert _listing_order(np.array([np.nan]), np.array([seg])).tolist() == [0]
        assert _listing_order(np.array([3.0]), np.array([seg])).tolist() == [0]
    # an advocate with an unknown score is still listed before every fan, the best fan included
    score = np.array([1.0, 2.0, 3.0, np.nan])
    segments = np.array([fan, fan, fan, advocate])
    assert _listing_order(score, segments).tolist() == [3, 2, 1, 0]


def _one(
    score: float, count: float, *, follows: bool = False, topic: float = np.nan, hop: bool = False, **kw: Any
) -> str:
    """The segment of a single account (the settings' defaults: influential at 70, engaged at 1 interaction)."""
    settings: dict[str, Any] = {"influence_threshold": 70, "engagement_threshold": 1} | kw
    codes = segment_codes(
        np.array([score]), np.array([count]), np.array([follows]), np.array([topic]), np.array([hop]), **settings
    )
    return str(segment_names(codes)[0])


def test_the_thresholds_are_reached_at_their_value_not_above_it() -> None:
    """strategy.influence: "score at or above which an account is influential", "interactions … at or above which
    an account is engaged", "at most this many interactions … is untapped"."""
    assert _one(70.0, 1) == "advocate"  # exactly influential, exactly engaged
    assert _one(69.99, 1) == "fan"
    assert _one(70.0, 0.99) == "other"  # not engaged, not a follower, not two hops out
    assert _one(70.0, 0, follows=True) == "untapped"
    assert _one(50.0, 3, influence_threshold=50, engagement_threshold=3) == "advocate"
    assert _one(50.0, 2, influence_threshold=50, engagement_threshold=3) == "other"
    # the tolerance: 2 interactions, engaged only at 3, untapped while 2 <= tolerance
    assert _one(80.0, 2, follows=True, engagement_threshold=3, untapped_tolerance=2) == "untapped"
    assert _one(80.0, 2, follows=True, engagement_threshold=3, untapped_tolerance=1) == "other"
    # the default tolerance is 0: one interaction below an engagement threshold of 2 is not "no interaction"
    assert _one(80.0, 1, follows=True, engagement_threshold=2) == "other"


def test_topic_leadership_decides_thought_leaders_at_the_threshold_and_the_score_stands_in_without_topics() -> None:
    assert _one(10.0, 0, topic=70.0, hop=True) == "thought_leader"  # topic leader at exactly 70, score low
    assert _one(90.0, 0, topic=69.9, hop=True) == "other"  # influential, but not in the brand's topics
    assert _one(70.0, 0, hop=True) == "thought_leader"  # no topic data: the score decides
    assert _one(69.9, 0, hop=True) == "other"
    assert _one(90.0, 0, topic=80.0, hop=False) == "other"  # not two hops out


def test_an_unknown_score_is_never_influential_and_unknown_interactions_are_none() -> None:
    # a threshold of 0 makes every known score influential, never an unknown one
    assert _one(np.nan, 0, follows=True, influence_threshold=0) == "other"
    assert _one(np.nan, 1, influence_threshold=0) == "fan"
    assert _one(0.0, 1, influence_threshold=0) == "advocate"
    assert _one(np.nan, 0, follows=True, influence_threshold=1, hop=True) == "other"
    # no interaction count (NaN): not engaged; an influential follower is untapped
    assert _one(80.0, np.nan) == "other"
    assert _one(80.0, np.nan, follows=True) == "untapped"


def test_the_first_node_can_follow_the_brand() -> None:
    """The account with index 0 (ids are sorted: "alice" before "zeta") is a follower like any other."""
    follows = pl.DataFrame({"follower_id": ["alice", "bob"], "followee_id": ["zeta", "zeta"]})
    data = InfluenceData.from_frames(follows=follows)
    assert data.nodes.to_list() == ["alice", "bob", "zeta"]
    mask, how = follows_brand(data, "zeta")
    assert how == FOLLOWS_FROM_GRAPH and mask.tolist() == [True, True, False]
    inter = pl.DataFrame({"actor_id": ["alice"], "kind": ["reply"], "target_account_id": ["zeta"]})
    mask, how = follows_brand(InfluenceData.from_frames(interactions=inter), "zeta")
    assert how == FOLLOWS_FROM_INTERACTIONS and mask.tolist() == [True, False]


def test_posts_and_follower_counts_without_interactions_say_engagement_is_unknown_not_absent() -> None:
    """An influencer list with follower counts and the influencers' posts (Kim et al.'s shape), and the brand among
    the accounts: nobody's interactions with the brand are in the data. The empty segments must not say "no
    account interacted with the brand" (unknown, not 0), nor send the reader to thought leaders that cannot be
    found (nobody is known to follow the brand)."""
    from signalboost.influence.score import ENGAGEMENT_UNSEEN
    from signalboost.influence.words import empty_segment_reasons, segment_definitions

    accounts = pl.DataFrame({"account_id": ["B", "a", "b", "c"], "followers": [10, 5000, 300, 20]})
    posts = pl.DataFrame(
        {
            "post_id": ["p1", "p2", "p3"],
            "author_id": ["a", "b", "c"],
            "created_at": [T - 3 * D, T - 2 * D, T - D],
            "likes": [400, 30, 2],
        }
    )
    result = compute_influence(
        InfluenceData.from_frames(accounts=accounts, posts=posts),
        brand_id="B",
        settings=InfluenceSettings(influence_threshold=1),
    )
    others = result.table.filter(pl.col("account_id") != "B")
    assert ENGAGEMENT_UNSEEN in result.notes
    assert others["interactions_with_brand"].is_null().all()  # unknown, not 0
    assert set(others["segment"].to_list()) == {"other"}  # everyone influential at threshold 1, nobody segmented
    why = empty_segment_reasons(
        {"other": 3}, follows_source=FOLLOWS_FROM_INTERACTIONS, brand=True, settings={}, engagement_seen=False
    )
    unknown = (
        "no other account's interactions with the brand are in the data, so engagement with the brand is unknown "
        "(not 0) and nobody is counted as engaged"
    )
    assert why == {
        "advocate": unknown,
        "fan": unknown,
        "untapped": "no follow graph to the brand: a follower who never interacted cannot be told apart from a "
        "stranger",
        "thought_leader": "nobody is known to follow the brand (no follow graph to it, and no other account's "
        "interactions with it in the data), so no account is two hops out",
    }
    assert "thought leaders" not in " ".join(segment_definitions({}, False, engagement_seen=False))
    assert "see the thought leaders beyond instead" in " ".join(segment_definitions({}, False))
