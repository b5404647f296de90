"""What a segment card says about a segment's engagement with the brand, worked out by hand on small frames
(audience.behaviour.describe): counts and shares, unknown (None) vs none (0), active hours and their "not enough
data" floor, the formats/pillars engaged with, example posts and the influence mix."""

from __future__ import annotations

import datetime as dt

import polars as pl

from signalboost.audience.behaviour import MIN_EVENTS, describe

UTC = dt.UTC


def _t(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 1, 10, hour, minute, tzinfo=UTC)  # January: Oslo is UTC+1


SEGMENTS = pl.DataFrame({"account_id": ["a1", "a2", "b1", "d1"], "segment": [0, 0, 1, 2]})
POSTS = pl.DataFrame(
    {
        "post_id": ["p1", "p2", "p3", "q1"],
        "author_id": ["B", "B", "z", "a1"],
        "format": ["video", "image", "text", "text"],
        "pillars": [["recipes"], ["running", "recipes"], ["other"], None],
        "text": ["Sourdough at dawn", "Ten km and a loaf", "not ours", "a1's own post"],
        "created_at": [_t(6), _t(6), _t(6), _t(7, 40)],
    },
    schema_overrides={"pillars": pl.List(pl.String)},
)
INTERACTIONS = pl.DataFrame(
    {
        "actor_id": ["a1", "a1", "a2", "a2", "b1", "x", "d1"],
        "kind": ["like", "reply", "like", "like", "like", "like", "like"],
        "target_account_id": ["B", "B", "B", "z", "B", "B", "z"],
        "target_post_id": ["p1", None, "p2", "p3", "p1", "p1", "p3"],
        "occurred_at": [_t(7, 10), _t(7, 20), _t(8), _t(8, 30), _t(19), _t(9), _t(12)],
    }
)
INFLUENCE = pl.DataFrame({"account_id": ["a1", "a2", "b1"], "segment": ["fan", "advocate", "fan"]})


def _cards(**kw: object) -> dict[int, dict[str, object]]:
    args: dict[str, object] = {"interactions": INTERACTIONS, "posts": POSTS, "brand_id": "B", "influence": INFLUENCE}
    args.update(kw)
    return describe(SEGMENTS, **args)  # type: ignore[arg-type]


def test_engagement_counts_only_members_interactions_with_the_brand_and_shares_split_it() -> None:
    # with the brand: a1 like p1 + a1 reply to B, a2 like p2, b1 like p1 = 4 (a2's like of z's post and the
    # non-member x do not count); d1 only engaged with z: 0 — seen, so 0, not unknown
    cards = _cards()
    assert {s: c["engagement"] for s, c in cards.items()} == {0: 3, 1: 1, 2: 0}
    assert {s: c["engagement_share"] for s, c in cards.items()} == {0: 0.75, 1: 0.25, 2: 0.0}


def test_without_a_brand_every_interaction_of_a_member_counts() -> None:
    # a1 2, a2 2, b1 1, d1 1 = 6 (x is no member)
    cards = _cards(brand_id=None)
    assert {s: c["engagement"] for s, c in cards.items()} == {0: 4, 1: 1, 2: 1}
    assert cards[0]["engagement_share"] == round(4 / 6, 4) == 0.6667


def test_with_no_interaction_in_the_data_engagement_is_unknown_not_zero() -> None:
    cards = _cards(interactions=INTERACTIONS.clear())
    assert all(c["engagement"] is None and c["engagement_share"] is None for c in cards.values())
    # the segment's own posts still date its activity: a1's one post
    assert cards[0]["active"] == {"hours": None, "events": 1}


def test_formats_and_pillars_are_shares_of_the_segments_engagement_with_the_brands_posts() -> None:
    seg = _cards()[0]
    # a1 liked p1 (video; recipes), a2 liked p2 (image; running + recipes); the reply to B has no post
    assert seg["formats"] == [{"value": "image", "n": 1, "share": 0.5}, {"value": "video", "n": 1, "share": 0.5}]
    assert seg["pillars"] == [
        {"value": "recipes", "n": 2, "share": round(2 / 3, 3)},
        {"value": "running", "n": 1, "share": round(1 / 3, 3)},
    ]
    assert _cards()[2]["formats"] == [] and _cards()[2]["pillars"] == []


def test_example_posts_are_the_most_engaged_brand_posts_ties_by_id() -> None:
    cards = _cards()
    assert cards[0]["example_posts"] == [
        {"post_id": "p1", "interactions": 1, "text": "Sourdough at dawn"},
        {"post_id": "p2", "interactions": 1, "text": "Ten km and a loaf"},
    ]
    assert _cards(example_posts=1)[0]["example_posts"] == [
        {"post_id": "p1", "interactions": 1, "text": "Sourdough at dawn"}
    ]
    assert cards[2]["example_posts"] == []


def test_active_hours_need_enough_events_and_are_local_to_the_time_zone() -> None:
    assert MIN_EVENTS == 5
    cards = _cards()
    # segment 0: a1 07:10, 07:20, its post 07:40; a2 08:00, 08:30 = 5 events: 07 (3) before 08 (2)
    assert cards[0]["active"] == {"hours": [7, 8], "events": 5}
    assert _cards(timezone="Europe/Oslo")[0]["active"] == {"hours": [8, 9], "events": 5}
    # segment 1: one event, under the floor: "not enough data"
    assert cards[1]["active"] == {"hours": None, "events": 1}
    # one event fewer in segment 0 (a2's 08:30 like gone): 4 < 5
    fewer = _cards(interactions=INTERACTIONS.filter(pl.col("occurred_at") != _t(8, 30)))
    assert fewer[0]["active"] == {"hours": None, "events": 4}


def test_the_influence_mix_is_the_share_of_members_in_each_influence_segment() -> None:
    cards = _cards()
    assert cards[0]["influence_mix"] == {"advocate": 0.5, "fan": 0.5}
    assert cards[1]["influence_mix"] == {"fan": 1.0}
    assert cards[2]["influence_mix"] is None  # d1 was not scored
    assert _cards(influence=None)[0]["influence_mix"] is None
    assert _cards(influence=INFLUENCE.clear())[0]["influence_mix"] is None
    # three members, one scored: a third of them
    three = SEGMENTS.with_columns(
        pl.when(pl.col("account_id") == "b1").then(0).otherwise(pl.col("segment")).alias("segment")
    )
    assert describe(three, interactions=INTERACTIONS, posts=POSTS, brand_id="B", influence=INFLUENCE.head(1))[0][
        "influence_mix"
    ] == {"fan": round(1 / 3, 3)}


def test_active_hours_are_the_busiest_three_ties_going_to_the_earlier_hour() -> None:
    from signalboost.audience.behaviour import active_hours

    # 10:00 twice, 07, 08 and 09 once each: 10 first, then the earlier two of the tied hours
    stamps = pl.Series("t", [_t(9), _t(7), _t(8), _t(10), _t(10, 30)])
    assert active_hours(stamps) == {"hours": [10, 7, 8], "events": 5}
    assert active_hours(stamps, top=1) == {"hours": [10], "events": 5}
    # missing times are no events: 4 known < 5
    assert active_hours(pl.Series("t", [_t(9), _t(7), _t(8), _t(10), None])) == {"hours": None, "events": 4}
