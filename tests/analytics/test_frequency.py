"""Posts-per-day curve and the frequency recommendation, by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from signalboost.analytics.frequency import daily_table, posts_per_day_curve, recommend_frequency

UTC = dt.UTC


def _posts(per_day: dict[int, list[float | None]]) -> pl.DataFrame:
    rows = []
    for day, values in per_day.items():
        for i, v in enumerate(values):
            rows.append(
                {"platform": "x", "created_at": dt.datetime(2024, 1, day, 9 + i, tzinfo=UTC), "interactions": v}
            )
    return pl.DataFrame(
        rows, schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "interactions": pl.Float64}
    )


def test_daily_totals_and_incomplete_days() -> None:
    days = daily_table(_posts({1: [10.0], 2: [4.0, 6.0], 3: [5.0, None]}))
    assert days["n_posts"].to_list() == [1, 2, 2]
    assert days["total"].to_list() == [10.0, 10.0, None]  # a missing metric makes the day's total unknown
    assert days["complete"].to_list() == [True, True, False]


def test_local_days_follow_the_time_zone() -> None:
    # 23:30 UTC on Jan 1 is already Jan 2 in Madrid
    frame = pl.DataFrame(
        {
            "platform": ["x", "x"],
            "created_at": [dt.datetime(2024, 1, 1, 23, 30, tzinfo=UTC), dt.datetime(2024, 1, 2, 8, tzinfo=UTC)],
            "interactions": [1.0, 2.0],
        },
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "interactions": pl.Float64},
    )
    assert daily_table(frame, tz="UTC").height == 2
    madrid = daily_table(frame, tz="Europe/Madrid")
    assert madrid.height == 1 and madrid["n_posts"][0] == 2


def test_curve_by_hand() -> None:
    curve = posts_per_day_curve(
        _posts({1: [10.0], 2: [20.0], 3: [4.0, 6.0], 4: [8.0, 8.0], 5: [1.0, 1.0, 1.0]}), max_k=3
    )
    one = curve.filter(pl.col("posts_per_day") == 1).row(0, named=True)
    assert (one["n_days"], one["per_post"], one["per_day"]) == (2, 15.0, 15.0)
    two = curve.filter(pl.col("posts_per_day") == 2).row(0, named=True)
    assert two["per_day"] == pytest.approx((10 + 16) / 2)
    assert two["per_post"] == pytest.approx((5 + 8) / 2)
    three = curve.filter(pl.col("posts_per_day") == 3).row(0, named=True)
    assert three["label"] == "3+" and three["n_days"] == 1 and three["per_day_low"] is None


def test_recommendation_moves_only_on_clear_evidence() -> None:
    # 10 days with one post (~10 each) and 10 with two posts (~30 a day): a clear gain
    clear = {d: [10.0 + (d % 2)] for d in range(1, 11)} | {d: [15.0, 15.0 + (d % 2)] for d in range(11, 21)}
    clear |= {d: [10.0] for d in range(21, 26)}  # make one post a day the most common level
    rec = recommend_frequency(_posts(clear), min_days=5).row(0, named=True)
    assert rec["current_per_day"] == 1 and rec["recommended_per_day"] == 2 and rec["changed"]
    assert rec["diff_low"] > 0
    # noisy: the two-post days overlap the one-post days -> keep
    noisy = {d: [float(d % 7) * 5] for d in range(1, 16)} | {d: [float(d % 5), float(d % 3) * 6] for d in range(16, 26)}
    keep = recommend_frequency(_posts(noisy), min_days=5).row(0, named=True)
    assert not keep["changed"] and keep["recommended_per_day"] == keep["current_per_day"]
    # too few days
    thin = recommend_frequency(_posts({1: [1.0], 2: [2.0]}), min_days=5).row(0, named=True)
    assert thin["evidence"].startswith("not enough data")


def test_curve_counts_the_days_it_used() -> None:
    """Shaped like an X archive: retweets carry no figure, so a day with one is left out of the curve — and the
    day count shown beside the means must be the days used, not every day with posts (442 shown vs 262 used)."""
    curve = posts_per_day_curve(_posts({1: [3.0], 2: [None], 3: [5.0], 4: [None], 5: [None]}), max_k=2)
    one = curve.filter(pl.col("posts_per_day") == 1).row(0, named=True)
    assert (one["n_days"], one["n_days_used"], one["n_days_incomplete"]) == (5, 2, 3)
    assert one["per_post"] == pytest.approx(4.0)


def test_frequency_table_shows_days_used_and_left_out() -> None:
    from signalboost.cli.analytics_tables import frequency_rows

    curve = posts_per_day_curve(_posts({1: [3.0], 2: [None], 3: [5.0], 4: [None], 5: [None]}), max_k=2)
    row = frequency_rows(curve)[0]
    assert (row["days"], row["left out"]) == ("2", "3")


def test_curve_bounds_of_a_count_stop_at_zero() -> None:
    """Two days of 4+ posts with totals 40 and 400 (10 and 100 per post): mean 220 per day, s = 254.56, t(1) = 12.706,
    half-width 12.706 · 254.56 / √2 = 2,287.1, so the t interval is [−2,067.1, 2,507.1]; no day has negative
    interactions, so the lower bound is 0 (the s9 walk's Facebook table showed 528 [−4,447, 5,502] per day)."""
    curve = posts_per_day_curve(_posts({1: [10.0] * 4, 2: [100.0] * 4}), max_k=4)
    four = curve.filter(pl.col("posts_per_day") == 4).row(0, named=True)
    assert four["per_day"] == pytest.approx(220.0)
    assert four["per_day_high"] == pytest.approx(220 + 12.7062 * 254.558 / 2**0.5, rel=1e-4)
    assert (four["per_day_low"], four["per_post_low"]) == (0.0, 0.0)
    assert four["per_post_high"] == pytest.approx(55 + 12.7062 * 63.6396 / 2**0.5, rel=1e-4)
