"""The `influencer ID` profile in the terminal: no invented grid, periods as dates."""

from __future__ import annotations

from typing import Any

from signalboost.cli.common import console
from signalboost.cli.influence import _print_profile


def _doc(weekday_hour: list[list[int]], posts: int) -> dict[str, Any]:
    return {
        "platform": "x",
        "account_id": "14301605",
        "handle": None,
        "score": {},
        "posts_observed": posts,
        "posts_source": "interactions",
        "formats": [],
        "shared_formats": [],
        "hashtags": [],
        "topics": [],
        "weekday_hour": weekday_hour,
        "timezone": "Europe/Berlin",
        "busiest_slot": None,
        "engagement_over_time": [
            {"period": "2011-03-14T00:00:00+00:00", "interactions": 0, "brand_interactions": 1, "engagement": 0.0}
        ],
        "advice": [],
    }


def _printed(doc: dict[str, Any]) -> str:
    with console.capture() as out:
        _print_profile(doc)
    return out.get()


def test_no_posts_observed_prints_no_grid_of_zeros() -> None:
    """An X archive has no posts by the people in it: the weekday × hour grid would be 56 zeros."""
    text = _printed(_doc([[0] * 24 for _ in range(7)], 0))
    assert "Posts by weekday" not in text
    assert "No posts of theirs in the data: when they post cannot be told." in " ".join(text.split())


def test_the_grid_marks_empty_cells_and_periods_are_dates() -> None:
    grid = [[0] * 24 for _ in range(7)]
    grid[0][9] = 2  # Monday 09:00: two posts
    text = _printed(_doc(grid, 2))
    mon = next(line for line in text.splitlines() if "Mon" in line)
    assert mon.count("·") == 7 and " 2 " in mon
    assert "Mar 14, 2011" in text and "2011-03-14T00" not in text


def test_the_summary_does_not_count_unseen_interactions_as_zero() -> None:
    """On an account export nobody's interactions with the brand are in the data: "0 interaction(s) with the
    brand" would be a figure the data cannot give."""
    from signalboost.cli.influence import profile_summary

    doc = _doc([[0] * 24 for _ in range(7)], 0) | {"engagement_seen": False}
    said = profile_summary(doc)
    assert "0 interaction(s) with the brand" not in said
    assert said == (
        "Not scored yet: run `signalboost influencers` first; their interactions with the brand are not in the "
        "data; 1 from the brand in 1 active period, from Mar 14, 2011."
    )
    quiet = doc | {"engagement_over_time": []}
    assert profile_summary(quiet).endswith("; their interactions with the brand are not in the data.")


def test_profile_knows_whether_anyones_engagement_is_in_the_data() -> None:
    from signalboost.influence.profile import build_profile

    from .test_engagement_segments import brand_data, own_archive

    assert build_profile(own_archive(), "f1", brand_id="B").to_dict()["engagement_seen"] is False
    assert build_profile(brand_data(), "a", brand_id="B").to_dict()["engagement_seen"] is True


def test_the_summary_names_the_span_of_several_active_periods() -> None:
    from signalboost.cli.influence import profile_summary

    doc = _doc([[0] * 24 for _ in range(7)], 0)
    doc["engagement_over_time"] = [
        {"period": "2011-03-14T00:00:00+00:00", "interactions": 2, "brand_interactions": 1, "engagement": 1.0},
        {"period": "2011-03-21T00:00:00+00:00", "interactions": 0, "brand_interactions": 0, "engagement": 0.0},
        {"period": "2011-03-28T00:00:00+00:00", "interactions": 3, "brand_interactions": 0, "engagement": 2.0},
    ]
    assert profile_summary(doc) == (
        "Not scored yet: run `signalboost influencers` first; 5 interaction(s) with the brand and 1 from it in 2 "
        "active periods, Mar 14, 2011 – Mar 28, 2011."
    )


def test_without_a_brand_account_the_summary_says_engagement_was_not_computed() -> None:
    """No brand set (an influencer list and their posts): "no interactions with the brand" and "segment other"
    would state a 0 and a segment that were never computed."""
    from signalboost.cli.influence import profile_summary

    doc = _doc([[0] * 24 for _ in range(7)], 2) | {
        "brand_account_id": None,
        "engagement_over_time": [],
        "score": {"score": 99.5, "rank": 2, "ranked": 400, "segment": "other", "interactions_with_brand": None},
    }
    assert profile_summary(doc) == (
        "Score 99.50, rank 2 of 400 (top 0.5%); no brand account set, so engagement with the brand and the segment "
        "are not computed (set brand.handles in strategy.yaml)."
    )
