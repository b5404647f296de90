"""Every engagement metric against hand-computed values on a three-post table."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from scipy import stats

from signalboost.analytics.metrics import (
    definition,
    followers_at_post,
    normalise_within_account,
    post_engagement,
    summarize_engagement,
)
from signalboost.errors import AnalyticsError

from .frames import metrics, posts, snapshots, t


@pytest.fixture
def tiny() -> pl.DataFrame:
    p = posts(
        [
            {"post_id": "a", "created_at": t(2)},
            {"post_id": "b", "created_at": t(6)},
            {"post_id": "c", "created_at": t(9)},
            {"post_id": "d", "created_at": t(9)},  # no metrics at all
        ]
    )
    m = metrics(
        [
            # an older snapshot of a: the latest one (below) must win
            {"post_id": "a", "observed_at": t(3), "likes": 1, "comments": 0, "shares": 0, "reach": 10},
            {
                "post_id": "a",
                "observed_at": t(20),
                "likes": 10,
                "comments": 2,
                "shares": 3,
                "reach": 100,
                "impressions": 150,
            },
            {"post_id": "b", "likes": 4, "comments": 0, "shares": None, "reach": 50, "impressions": 60},
            {"post_id": "c", "likes": 6, "comments": 1, "shares": 1, "reach": None, "impressions": 0},
        ]
    )
    s = snapshots([{"observed_at": t(1), "followers": 100}, {"observed_at": t(10), "followers": 400}])
    return post_engagement(p, m, s)


def _row(frame: pl.DataFrame, post_id: str) -> dict[str, object]:
    return frame.filter(pl.col("post_id") == post_id).row(0, named=True)


def test_interactions_and_rates_by_hand(tiny: pl.DataFrame) -> None:
    a = _row(tiny, "a")
    assert a["interactions"] == 15  # 10 + 2 + 3 from the latest snapshot, not the older one
    assert a["er_reach"] == pytest.approx(15 / 100)
    assert a["er_impressions"] == pytest.approx(15 / 150)
    assert a["followers_at_post"] == 100  # Jan 2 is nearest the Jan 1 snapshot
    assert a["er_followers"] == pytest.approx(15 / 100)


def test_unreported_share_keeps_interactions_missing(tiny: pl.DataFrame) -> None:
    b = _row(tiny, "b")
    assert b["interactions"] is None  # shares not reported: never treated as 0
    assert b["er_reach"] is None and b["er_impressions"] is None and b["er_followers"] is None
    assert b["followers_at_post"] == 400  # Jan 6: 4 days from Jan 10, 5 from Jan 1


def test_missing_or_zero_denominators_leave_rates_missing(tiny: pl.DataFrame) -> None:
    c = _row(tiny, "c")
    assert c["interactions"] == 8
    assert c["er_reach"] is None  # no reach: excluded from reach-based rates
    assert c["er_impressions"] is None  # 0 impressions is no denominator
    assert c["er_followers"] == pytest.approx(8 / 400)
    d = _row(tiny, "d")
    assert d["likes"] is None and d["interactions"] is None


def test_summary_counts_exclusions_and_gives_t_interval(tiny: pl.DataFrame) -> None:
    s = summarize_engagement(tiny, by=())
    reach = s.filter(pl.col("metric") == "er_reach").row(0, named=True)
    assert (reach["n_posts"], reach["n_used"], reach["n_excluded"]) == (4, 1, 3)
    # b lacks shares; c lacks reach; d lacks everything (both reasons)
    assert (reach["n_missing_interactions"], reach["n_missing_denominator"]) == (2, 2)
    assert reach["value"] == pytest.approx(0.15) and reach["ci_low"] is None  # one post: no interval
    assert "reach" in reach["definition"]
    inter = s.filter(pl.col("metric") == "interactions").row(0, named=True)
    assert inter["value"] == pytest.approx(11.5)
    half = 12.706204736 * math.sqrt(((15 - 11.5) ** 2 + (8 - 11.5) ** 2) / 1) / math.sqrt(2)
    assert 11.5 - half < 0 and inter["ci_low"] == 0.0  # interactions cannot be negative: the t bound is floored
    assert inter["ci_high"] == pytest.approx(11.5 + half, rel=1e-6)
    foll = s.filter(pl.col("metric") == "er_followers").row(0, named=True)
    assert foll["value"] == pytest.approx((0.15 + 0.02) / 2) and foll["n_used"] == 2


def test_summary_interval_matches_scipy() -> None:
    values = [0.01, 0.04, 0.02, 0.07, 0.03]
    frame = pl.DataFrame({"platform": ["x"] * 5, "er_reach": values})
    row = summarize_engagement(frame, metrics=("er_reach",)).row(0, named=True)
    lo, hi = stats.t.interval(0.95, 4, loc=np.mean(values), scale=stats.sem(values))
    assert row["ci_low"] == pytest.approx(lo) and row["ci_high"] == pytest.approx(hi)


def test_followers_without_snapshots_is_missing() -> None:
    p = posts([{"post_id": "a", "created_at": t(2)}])
    assert followers_at_post(p, None)["followers_at_post"].to_list() == [None]
    other = snapshots([{"account_id": "someone-else", "observed_at": t(2), "followers": 5}])
    assert followers_at_post(p, other)["followers_at_post"].to_list() == [None]


def test_z_scores_are_within_each_account() -> None:
    frame = pl.DataFrame(
        {
            "platform": ["x", "x", "x", "y", "y", "y"],
            "author_id": ["big", "big", "big", "small", "small", "small"],
            "interactions": [1000.0, 2000.0, 3000.0, 1.0, 2.0, None],
        }
    )
    z = normalise_within_account(frame, "interactions")["interactions_z"].to_list()
    assert z[:3] == pytest.approx([-1.0, 0.0, 1.0])  # mean 2000, sd 1000
    assert z[3:5] == pytest.approx([-1 / math.sqrt(2) * 1, 1 / math.sqrt(2)])  # mean 1.5, sd 0.7071
    assert z[5] is None


def test_unknown_metric_is_a_clear_error() -> None:
    with pytest.raises(AnalyticsError, match="unknown metric"):
        definition("virality")


def test_missing_key_column_is_a_clear_error() -> None:
    with pytest.raises(AnalyticsError, match="post_id"):
        post_engagement(pl.DataFrame({"platform": ["x"]}), pl.DataFrame({"platform": ["x"]}))
