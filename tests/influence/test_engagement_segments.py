"""Engagement with the brand, segments and the whole scoring job (hand-computed, deterministic)."""

from __future__ import annotations

import datetime as dt

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
