"""KPIs over their windows with trend; tactics vs other weeks."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from signalboost.analytics.kpis import kpi_status, tactic_effects, tactic_weeks, weekly_series
from signalboost.analytics.metrics import post_engagement
from signalboost.model.strategy import Kpi, Tactic

from .frames import metrics, posts, snapshots, t


def _frame() -> pl.DataFrame:
    # window = 7 days ending Jan 21 12:00: posts on Jan 15 and 20 are in; Jan 10 and 12 are the previous window
    p = posts([{"post_id": str(d), "created_at": t(d)} for d in (10, 12, 15, 20, 21)])
    m = metrics(
        [
            {"post_id": "10", "likes": 1, "comments": 0, "shares": 0, "reach": 100},
            {"post_id": "12", "likes": 3, "comments": 0, "shares": 0, "reach": 100},
            {"post_id": "15", "likes": 5, "comments": 1, "shares": 0, "reach": 200},
            {"post_id": "20", "likes": 8, "comments": 0, "shares": 2, "reach": None},
            {"post_id": "21", "likes": 4, "comments": 0, "shares": 0, "reach": 50},
        ]
    )
    return post_engagement(p, m, None)


def test_kpis_by_hand() -> None:
    kpis = [
        Kpi(id="er", metric="engagement_rate_reach", network="facebook", target=0.05, window_days=7),
        Kpi(id="reach", metric="reach", target=300, window_days=7),
        Kpi(id="posts", metric="posts", target=5, window_days=7, direction="at_most"),
        Kpi(id="mentions", metric="mentions", target=1),
        Kpi(id="rel", metric="influencer_interactions", target=3),
    ]
    snaps = snapshots([{"observed_at": t(16), "followers": 100}, {"observed_at": t(20), "followers": 110}])
    out = {r["kpi"]: r for r in kpi_status(kpis, _frame(), snaps).iter_rows(named=True)}
    # current window (Jan 14 12:00, Jan 21 12:00]: posts 15, 20, 21
    er = out["er"]
    assert er["value"] == pytest.approx((6 / 200 + 4 / 50) / 2) and er["n"] == 2  # post 20 has no reach
    # two posts: the mean's t interval (t₁ = 12.71) is [0, 0.37], it straddles 0.05, so no verdict yet
    assert er["met"] is None and er["verdict"] == "too early to tell" and er["aggregation"] == "mean_per_post"
    assert er["low"] == 0.0 and er["high"] == pytest.approx(0.055 + 12.7062047 * 0.025, rel=1e-6)
    # 0.055 now vs 0.02 before, but two posts a window: the intervals overlap, so no clear change (it said "up")
    assert er["previous"] == pytest.approx((0.01 + 0.03) / 2) and er["trend"] == "no clear change"
    assert out["reach"]["value"] == 250 and out["reach"]["met"] is False and out["reach"]["previous"] == 200
    assert out["posts"]["value"] == 3 and out["posts"]["met"] is True  # at most 5
    assert out["mentions"]["status"].startswith("not computed") and out["mentions"]["met"] is None
    assert "outreach kpis --targets" in out["rel"]["status"] and out["rel"]["value"] is None  # measured per influencer


def test_kpi_on_a_network_without_posts() -> None:
    kpis = [
        Kpi(id="yt", metric="views", network="youtube", target=5),
        Kpi(id="n", metric="posts", network="youtube", target=1),
    ]
    out = {r["kpi"]: r for r in kpi_status(kpis, _frame()).iter_rows(named=True)}
    assert out["yt"]["status"] == "no posts on youtube in the window" and out["yt"]["value"] is None
    assert out["n"]["value"] == 0 and out["n"]["met"] is False  # zero posts is a real count


def test_followers_and_growth() -> None:
    snaps = snapshots([{"observed_at": t(16), "followers": 100}, {"observed_at": t(20), "followers": 110}])
    kpis = [
        Kpi(id="f", metric="followers", target=105, window_days=7),
        Kpi(id="g", metric="follower_growth", target=0.05, window_days=7),
    ]
    out = {r["kpi"]: r for r in kpi_status(kpis, _frame(), snaps).iter_rows(named=True)}
    assert out["f"]["value"] == 110 and out["f"]["met"]
    assert out["g"]["value"] == pytest.approx(0.10)
    none = kpi_status(kpis, _frame(), None)
    assert none["status"].to_list() == ["no follower snapshots"] * 2


def test_empty_posts() -> None:
    out = kpi_status([Kpi(id="r", metric="reach", target=1)], _frame().head(0))
    assert out["status"].to_list() == ["no posts"]


def test_tactic_weeks_from_labels_or_rrule() -> None:
    tactic = Tactic(id="give", name="Giveaway", goal="engagement", rrule="FREQ=MONTHLY;BYDAY=1FR")
    frame = _frame()
    weeks, how = tactic_weeks(tactic, frame)
    assert how == "rrule" and weeks == set()  # the first Friday (Jan 5) is before the first post (Jan 10)
    labelled = frame.with_columns(
        pl.when(pl.col("post_id") == "15").then(pl.lit("give")).otherwise(None).alias("tactic")
    )
    weeks, how = tactic_weeks(tactic, labelled)
    assert how == "labelled" and weeks == {dt.date(2024, 1, 15)}


def test_tactic_effect_needs_two_periods_each_side() -> None:
    tactic = Tactic(id="give", name="Giveaway", goal="engagement", rrule="FREQ=WEEKLY;BYDAY=MO", kpis=["inter"])
    kpis = [Kpi(id="inter", metric="interactions", target=10)]
    out = tactic_effects([tactic], kpis, _frame()).row(0, named=True)
    # posts fall in the weeks of Jan 8 and Jan 15; the only Monday in the span is Jan 15
    # by days it would be 1 tactic day (Jan 15) vs 4 others: still too few, so the week row stays
    assert out["kpi"] == "inter" and out["unit"] == "week" and (out["n_with"], out["n_without"]) == (1, 1)
    assert out["verdict"].startswith("not enough data")


def test_weekly_tactic_is_judged_by_days() -> None:
    # a Monday-and-Friday tactic: every week has it, so posting days are compared (Fri 12, Mon 15 vs Wed 10, Sat 20,
    # Sun 21)
    tactic = Tactic(id="mf", name="Mon+Fri", goal="engagement", rrule="FREQ=WEEKLY;BYDAY=MO,FR")
    out = tactic_effects([tactic], [], _frame()).row(0, named=True)
    assert out["kpi"] == "(goal)" and out["metric"] == "interactions"
    assert out["unit"] == "day" and (out["n_with"], out["n_without"]) == (2, 3)
    assert out["mean_with"] == pytest.approx((3 + 6) / 2) and out["mean_without"] == pytest.approx((1 + 10 + 4) / 3)


def test_tactic_on_a_network_without_posts() -> None:
    tactic = Tactic(id="yt", name="Tutorial", goal="reach", rrule="FREQ=WEEKLY;BYDAY=TH", kpis=["views"])
    kpis = [Kpi(id="views", metric="views", network="youtube", target=5)]
    out = tactic_effects([tactic], kpis, _frame()).row(0, named=True)
    assert (out["n_with"], out["n_without"]) == (0, 0) and out["verdict"].startswith("not enough data")


def test_each_kpi_window_ends_at_its_own_networks_last_post() -> None:
    # facebook posted in January, x only in March: the facebook KPI is judged on January, not on empty March
    p = posts(
        [
            {"platform": "facebook", "post_id": "f1", "created_at": t(10)},
            {"platform": "facebook", "post_id": "f2", "created_at": t(20)},
            {"platform": "x", "post_id": "x1", "created_at": t(15, month=3)},
        ]
    )
    m = metrics(
        [
            {"platform": "facebook", "post_id": "f1", "reach": 100},
            {"platform": "facebook", "post_id": "f2", "reach": 300},
            {"platform": "x", "post_id": "x1", "likes": 2, "shares": 1},
        ]
    )
    kpis = [
        Kpi(id="fb", metric="reach", network="facebook", target=350, window_days=30),
        Kpi(id="all", metric="reach", target=350, window_days=30),
    ]
    out = {r["kpi"]: r for r in kpi_status(kpis, post_engagement(p, m)).iter_rows(named=True)}
    assert (out["fb"]["value"], out["fb"]["n"], out["fb"]["met"]) == (400.0, 2, True)
    assert out["fb"]["window_end"] == t(20)
    assert out["all"]["window_end"] == t(15, month=3) and out["all"]["value"] is None  # x reports no reach


# ------------------------------------------------------------------ rules a careless edit would break (issue #19)
def _reach_posts(days: list[int], reach: list[int]) -> pl.DataFrame:
    p = posts([{"post_id": str(d), "created_at": t(d)} for d in days])
    m = metrics([{"post_id": str(d), "reach": r} for d, r in zip(days, reach, strict=True)])
    return post_engagement(p, m)


def test_a_post_at_the_window_start_belongs_to_the_previous_window_only() -> None:
    # window (Jan 14 12:00, Jan 21 12:00]: the post at exactly Jan 14 12:00 is the previous window's last post
    frame = _reach_posts([14, 21], [100, 10])
    kpi = Kpi(id="r", metric="reach", target=1, window_days=7)
    row = kpi_status([kpi], frame, as_of=t(21)).row(0, named=True)
    assert (row["value"], row["n"], row["previous"]) == (10, 1, 100)
    # one post of 10 after one of 100: z = 90 / √(10² + 100²) = 0.90 < 1.96, no clear change (kpi_trend)
    assert row["change"] == -90 and row["trend"] == "no clear change"


def test_a_value_equal_to_its_target_is_met() -> None:
    frame = _reach_posts([20], [250])
    kpis = [
        Kpi(id="least", metric="reach", target=250, window_days=7),
        Kpi(id="most", metric="reach", target=250, window_days=7, direction="at_most"),
        Kpi(id="above", metric="reach", target=251, window_days=7),
        Kpi(id="below", metric="reach", target=249, window_days=7, direction="at_most"),
    ]
    met = {r["kpi"]: r["met"] for r in kpi_status(kpis, frame).iter_rows(named=True)}
    assert met == {"least": True, "most": True, "above": False, "below": False}


def test_weekly_series_sums_counts_and_averages_rates() -> None:
    # week of Jan 15: reach 100 and 300 (likes 5 and 3); week of Jan 22: reach 50 (likes 1)
    p = posts([{"post_id": str(d), "created_at": t(d)} for d in (15, 17, 22)])
    m = metrics(
        [
            {"post_id": "15", "reach": 100, "likes": 5, "comments": 0, "shares": 0},
            {"post_id": "17", "reach": 300, "likes": 3, "comments": 0, "shares": 0},
            {"post_id": "22", "reach": 50, "likes": 1, "comments": 0, "shares": 0},
        ]
    )
    frame = post_engagement(p, m)
    reach = weekly_series(frame, "reach")
    assert reach.rows() == [(dt.date(2024, 1, 15), 400.0, 2), (dt.date(2024, 1, 22), 50.0, 1)]
    rate = weekly_series(frame, "engagement_rate_reach")  # mean of 5/100 and 3/300, not their sum
    assert rate["value"].to_list() == pytest.approx([(0.05 + 0.01) / 2, 0.02])


def test_an_interval_that_straddles_zero_is_no_clear_difference() -> None:
    # tactic weeks (Jan 1, Jan 8) had 10 and 14 interactions, the other weeks (Jan 15, 22) 8 and 12: difference 2,
    # Welch: se = √(8/2 + 8/2) = √8, ν = 2, t(0.975, 2) = 4.303 → 2 ± 12.17: neither better nor worse
    p = posts([{"post_id": str(d), "created_at": t(d), "tactic": "tt" if d < 15 else None} for d in (2, 9, 16, 23)])
    m = metrics(
        [{"post_id": str(d), "likes": v, "comments": 0, "shares": 0} for d, v in ((2, 10), (9, 14), (16, 8), (23, 12))]
    )
    tactic = Tactic(id="tt", name="T", goal="engagement", rrule="FREQ=MONTHLY;BYMONTHDAY=1")
    row = tactic_effects([tactic], [], post_engagement(p, m)).row(0, named=True)
    assert (row["unit"], row["n_with"], row["n_without"]) == ("week", 2, 2)
    assert row["diff"] == pytest.approx(2.0)
    assert row["diff_low"] == pytest.approx(2 - 4.302653 * 8**0.5, abs=1e-4)
    assert row["diff_high"] == pytest.approx(2 + 4.302653 * 8**0.5, abs=1e-4)
    assert row["verdict"] == "no clear difference"


def test_follower_growth_needs_two_snapshots_and_a_positive_start() -> None:
    kpis = [
        Kpi(id="f", metric="followers", target=1, window_days=7),
        Kpi(id="g", metric="follower_growth", target=0.1, window_days=7),
    ]
    one = snapshots([{"observed_at": t(20), "followers": 110}])
    out = {r["kpi"]: r for r in kpi_status(kpis, _frame(), one).iter_rows(named=True)}
    assert (out["f"]["value"], out["f"]["n"]) == (110, 1)
    assert (out["g"]["value"], out["g"]["status"], out["g"]["met"]) == (None, "not enough data", None)
    zero = snapshots([{"observed_at": t(16), "followers": 0}, {"observed_at": t(20), "followers": 50}])
    row = kpi_status(kpis[1:], _frame(), zero).row(0, named=True)
    assert (row["value"], row["status"]) == (None, "not enough data")  # growth from 0 is undefined, not infinite
    # two brand accounts: followers is the sum of each account's last snapshot; growth (last − first) / first summed
    two = snapshots(
        [
            {"account_id": "brand", "observed_at": t(16), "followers": 100},
            {"account_id": "brand", "observed_at": t(20), "followers": 120},
            {"account_id": "brand2", "observed_at": t(17), "followers": 50},
            {"account_id": "brand2", "observed_at": t(19), "followers": None},
        ]
    )
    frame = pl.concat([_frame(), _frame().head(1).with_columns(pl.lit("brand2").alias("author_id"))])
    out = {r["kpi"]: r for r in kpi_status(kpis, frame, two).iter_rows(named=True)}
    assert out["f"]["value"] == 170 and out["f"]["n"] == 3  # the NULL snapshot is not a reading
    assert out["g"]["value"] == pytest.approx((170 - 150) / 150) and out["g"]["met"] is True  # 0.133 ≥ 0.1


def test_a_metric_no_post_reports_is_not_reported_rather_than_zero() -> None:
    frame = _reach_posts([20, 21], [None, None])  # type: ignore[list-item]
    row = kpi_status([Kpi(id="r", metric="reach", target=1, window_days=7)], frame).row(0, named=True)
    assert (row["value"], row["n"], row["status"], row["met"]) == (None, 0, "not reported", None)


def test_an_unchanged_value_is_a_flat_trend_and_a_naive_as_of_is_utc() -> None:
    frame = _reach_posts([12, 19], [100, 100])
    kpi = Kpi(id="r", metric="reach", target=1, window_days=7)
    row = kpi_status([kpi], frame, as_of=dt.datetime(2024, 1, 19, 12)).row(0, named=True)
    assert (row["value"], row["previous"], row["change"], row["trend"]) == (100, 100, 0, "flat")
    assert row["window_end"] == t(19) and row["window_start"] == t(12)


def test_a_tactic_that_clearly_did_better_or_worse_says_so() -> None:
    # tactic weeks 10 and 12 interactions vs 1 and 2: difference 9.5, Welch se = √(2/2 + 0.5/2) = 1.118,
    # ν = 1.25²/(1 + 0.0625) = 1.47: t(0.975, 1.47) ≈ 7.2 -> 9.5 ± 8.0, entirely above 0
    p = posts([{"post_id": str(d), "created_at": t(d), "tactic": "tt" if d < 15 else None} for d in (2, 9, 16, 23)])

    def effect(values: tuple[int, ...]) -> dict[str, object]:
        m = metrics(
            [
                {"post_id": str(d), "likes": v, "comments": 0, "shares": 0}
                for d, v in zip((2, 9, 16, 23), values, strict=True)
            ]
        )
        tactic = Tactic(id="tt", name="T", goal="engagement", rrule="RRULE:FREQ=MONTHLY;BYMONTHDAY=1")
        return tactic_effects([tactic], [], post_engagement(p, m)).row(0, named=True)

    better = effect((10, 12, 1, 2))
    assert better["diff"] == pytest.approx(9.5) and better["diff_low"] > 0
    assert better["verdict"] == "tactic weeks did better"
    worse = effect((1, 2, 10, 12))
    assert worse["diff_high"] < 0 and worse["verdict"] == "tactic weeks did worse"
    assert worse["mean_with"] == pytest.approx(1.5) and worse["mean_without"] == pytest.approx(11)


# ------------------------------------------------------------- tactics: rrule weeks, verdict boundaries (issue #19)
def test_rrule_weeks_include_the_first_day_and_start_on_mondays() -> None:
    # posts Mon Jan 1 .. Sun Jan 21; a Monday tactic occurs on the very first day (the window is inclusive)
    frame = _reach_posts([1, 10, 21], [1, 1, 1])
    monday = Tactic(id="m", name="M", goal="reach", rrule="RRULE:FREQ=WEEKLY;BYDAY=MO")
    assert tactic_weeks(monday, frame) == ({dt.date(2024, 1, 1), dt.date(2024, 1, 8), dt.date(2024, 1, 15)}, "rrule")
    # a Friday tactic: its weeks are the Mondays before (Jan 5 -> Jan 1, Jan 12 -> Jan 8, Jan 19 -> Jan 15)
    friday = Tactic(id="f", name="F", goal="reach", rrule="FREQ=WEEKLY;BYDAY=FR")
    assert tactic_weeks(friday, frame)[0] == {dt.date(2024, 1, 1), dt.date(2024, 1, 8), dt.date(2024, 1, 15)}
    assert tactic_weeks(friday, frame, unit="day") == ({dt.date(2024, 1, d) for d in (5, 12, 19)}, "rrule")
    assert tactic_weeks(friday, frame.head(0)) == (set(), "rrule")
    # a labelled Wednesday post: its week (Monday), by default
    labelled = frame.with_columns(pl.when(pl.col("post_id") == "10").then(pl.lit("f")).alias("tactic"))
    assert tactic_weeks(friday, labelled) == ({dt.date(2024, 1, 8)}, "labelled")


def test_weekly_posts_are_counted_in_the_brand_time_zone() -> None:
    # Mon Jan 8 03:00 UTC is still Sunday Jan 7 in New York: it belongs to the week of Jan 1 there
    p = posts([{"post_id": "a", "created_at": t(8, 3)}, {"post_id": "b", "created_at": t(9, 12)}])
    frame = post_engagement(p, metrics([{"post_id": "a", "reach": 1}, {"post_id": "b", "reach": 1}]))
    assert weekly_series(frame, "posts").rows() == [(dt.date(2024, 1, 8), 2.0, 2)]
    assert weekly_series(frame, "posts", tz="America/New_York").rows() == [
        (dt.date(2024, 1, 1), 1.0, 1),
        (dt.date(2024, 1, 8), 1.0, 1),
    ]


def _weekly(values: dict[int, int], tactic_days: set[int]) -> pl.DataFrame:
    p = posts([{"post_id": str(d), "created_at": t(d), "tactic": "tt" if d in tactic_days else None} for d in values])
    m = metrics([{"post_id": str(d), "likes": v, "comments": 0, "shares": 0} for d, v in values.items()])
    return post_engagement(p, m)


TT = Tactic(id="tt", name="T", goal="engagement", rrule="FREQ=MONTHLY;BYMONTHDAY=1")


def test_verdict_boundaries_with_no_spread() -> None:
    # with and without weeks identical (5, 5 vs 5, 5): the interval is the point 0 — no clear difference
    same = tactic_effects([TT], [], _weekly({2: 5, 9: 5, 16: 5, 23: 5}, {2, 9})).row(0, named=True)
    assert (same["diff"], same["diff_low"], same["diff_high"]) == (0.0, 0.0, 0.0)
    assert same["verdict"] == "no clear difference"
    # 11 vs 10 each week, no spread: the interval is the point 1 — better (any interval above 0 is)
    half = tactic_effects([TT], [], _weekly({2: 11, 9: 11, 16: 10, 23: 10}, {2, 9})).row(0, named=True)
    assert half["diff"] == 1.0 and half["verdict"] == "tactic weeks did better"
    assert (half["tactic"], half["goal"], half["found_by"], half["unit"]) == ("tt", "engagement", "labelled", "week")


def test_a_tactic_that_never_ran_has_no_weeks_with_it() -> None:
    # posts Jan 10 .. Jan 21, a tactic on the 1st of each month: no week with it, the means say so
    row = tactic_effects([TT], [], _weekly({10: 1, 12: 3, 16: 5, 20: 7}, set())).row(0, named=True)
    assert (row["n_with"], row["n_without"], row["mean_with"]) == (0, 2, None)
    assert row["mean_without"] == pytest.approx((4 + 12) / 2) and row["verdict"].startswith("not enough data")


def test_the_confidence_level_sets_the_interval() -> None:
    frame = _weekly({2: 10, 9: 14, 16: 8, 23: 12}, {2, 9})
    wide = tactic_effects([TT], [], frame).row(0, named=True)
    narrow = tactic_effects([TT], [], frame, confidence=0.5).row(0, named=True)
    # Welch ν = 2: t(0.975) = 4.302653, t(0.75) = 0.816497; se = √8
    assert wide["diff_high"] - 2 == pytest.approx(4.302653 * 8**0.5, abs=1e-4)
    assert narrow["diff_high"] - 2 == pytest.approx(0.816497 * 8**0.5, abs=1e-4)


def test_weekly_series_columns_and_a_metric_without_a_series() -> None:
    frame = _reach_posts([15, 22], [100, 50])
    for metric in ("reach", "posts", "engagement_rate_reach"):
        assert weekly_series(frame, metric).columns == ["week", "value", "n"], metric
    empty = weekly_series(frame, "mentions")  # not computed by the analytics: an empty series, not an error
    assert empty.height == 0 and empty.schema == pl.Schema({"week": pl.Date, "value": pl.Float64, "n": pl.UInt32})


def test_tactic_weeks_and_their_values_are_both_in_the_brands_time_zone() -> None:
    """Auckland is UTC+13 in January: a post at Sunday 20:00 UTC is Monday 09:00 there, in the next week. Local
    weeks (Mondays): Jan 1 holds an untagged post (2 likes), Jan 8 and Jan 15 a tactic post each (10), Jan 22 an
    untagged post (4): with [10, 10] against [2, 4], means 10 and 3. Read in UTC instead, the first tactic post would
    fall in the week of Jan 1 beside the untagged one (12), and one week without the tactic would be left."""
    p = posts(
        [
            {"post_id": "a", "created_at": dt.datetime(2024, 1, 2, 2, tzinfo=dt.UTC)},  # Tue Jan 2 15:00 local
            {"post_id": "b", "created_at": dt.datetime(2024, 1, 7, 20, tzinfo=dt.UTC), "tactic": "tt"},  # Mon Jan 8
            {"post_id": "c", "created_at": dt.datetime(2024, 1, 14, 20, tzinfo=dt.UTC), "tactic": "tt"},  # Mon Jan 15
            {"post_id": "d", "created_at": dt.datetime(2024, 1, 23, 2, tzinfo=dt.UTC)},  # Tue Jan 23 15:00 local
        ]
    )
    likes = {"a": 2, "b": 10, "c": 10, "d": 4}
    frame = post_engagement(
        p, metrics([{"post_id": k, "likes": v, "comments": 0, "shares": 0} for k, v in likes.items()])
    )
    row = tactic_effects([TT], [], frame, tz="Pacific/Auckland").row(0, named=True)
    assert (row["unit"], row["n_with"], row["n_without"]) == ("week", 2, 2)
    assert (row["mean_with"], row["mean_without"], row["diff"]) == (10.0, 3.0, 7.0)
    assert tactic_weeks(TT, frame, tz="Pacific/Auckland") == ({dt.date(2024, 1, 8), dt.date(2024, 1, 15)}, "labelled")


def test_a_tactic_in_every_week_and_on_every_day_has_no_mean_without_it() -> None:
    """Both posts carry the tactic: no week and no day without it, so the comparison cannot be made and the mean
    without it is unknown (None), not NaN."""
    row = tactic_effects([TT], [], _weekly({2: 5, 9: 6}, {2, 9})).row(0, named=True)
    assert (row["n_with"], row["n_without"], row["mean_with"], row["mean_without"]) == (2, 0, 5.5, None)
    assert row["diff"] is None and row["verdict"].startswith("not enough data")
