"""A KPI's trend says "up" or "down" only when the change is more than noise (the s9 walk: 60 own Mastodon posts
against 61 the month before was called "down", and a mean of two posts against two others "up")."""

from __future__ import annotations

import polars as pl
from scipy.stats import binomtest

from signalboost.analytics.kpis import KpiFigure, kpi_trend, metric_value


def test_a_count_of_posts_moves_only_past_the_binomial_test() -> None:
    same_rate = kpi_trend(KpiFigure(60, 60, "ok"), KpiFigure(61, 61, "ok"), "posts", "sum")
    assert same_rate == "no clear change"  # binomtest(60, 121, ½): p = 1.0
    assert binomtest(30, 40, 0.5).pvalue < 0.05 < binomtest(26, 40, 0.5).pvalue  # 0.0022 and 0.08 (peer: scipy)
    assert kpi_trend(KpiFigure(30, 30, "ok"), KpiFigure(10, 10, "ok"), "posts", "sum") == "up"
    assert kpi_trend(KpiFigure(26, 26, "ok"), KpiFigure(14, 14, "ok"), "posts", "sum") == "no clear change"
    assert kpi_trend(KpiFigure(5, 5, "ok"), KpiFigure(5, 5, "ok"), "posts", "sum") == "flat"
    assert kpi_trend(KpiFigure(0, 0, "ok"), KpiFigure(12, 12, "ok"), "posts", "sum") == "down"  # p = 0.00049


def test_a_mean_or_rate_moves_only_when_the_intervals_do_not_overlap() -> None:
    # the walk's Facebook table: 1.62 % [1.05, 2.19] now; before 3.21 % — with an interval above 2.19 % it is down
    now = KpiFigure(0.0162, 53, "ok", 0.0105, 0.0219)
    assert kpi_trend(now, KpiFigure(0.0321, 36, "ok", 0.0250, 0.0392), "engagement_rate_reach", "rate") == "down"
    assert kpi_trend(now, KpiFigure(0.0321, 36, "ok", 0.0210, 0.0432), "engagement_rate_reach", "rate") == (
        "no clear change"  # [2.10 %, 4.32 %] overlaps [1.05 %, 2.19 %]
    )
    # fb-reach 9,914 [5,307, 14,520] vs 8,190 [5,000, 11,380]: overlapping
    reach = KpiFigure(9914, 57, "ok", 5307, 14520)
    assert kpi_trend(reach, KpiFigure(8190, 30, "ok", 5000, 11380), "reach", "mean_per_post") == "no clear change"
    # a window of one post has no interval: no change can be shown
    assert kpi_trend(reach, KpiFigure(100, 1, "ok"), "reach", "mean_per_post") == "no clear change"


def test_a_total_moves_only_past_the_compound_poisson_test() -> None:
    """A sum of per-post values (interactions, views…) tested by z = (T₁ − T₀) / √(Σx₁² + Σx₀²) against 1.96."""
    # 10 posts of 100 now (1,000; Σx² 100,000) vs 2 of 100 (200; 20,000): z = 800 / √120,000 = 2.31 → up
    now = metric_value(_interactions([100] * 10), "interactions")
    before = metric_value(_interactions([100] * 2), "interactions")
    assert (now.value, now.sum_sq, before.value, before.sum_sq) == (1000, 100_000, 200, 20_000)
    assert kpi_trend(now, before, "interactions", "sum") == "up"
    assert kpi_trend(before, now, "interactions", "sum") == "down"
    # 10 + 20 + 30 = 60 (Σx² 1,400) vs 5 + 5 = 10 (50): z = 50 / √1,450 = 1.31 → no clear change (the sign said up)
    small = metric_value(_interactions([10, 20, 30]), "interactions")
    assert kpi_trend(small, metric_value(_interactions([5, 5]), "interactions"), "interactions", "sum") == (
        "no clear change"
    )
    # one viral post of 1,000 vs three of 10: z = 970 / √(1,000,000 + 300) = 0.97 → no clear change
    viral = metric_value(_interactions([1000]), "interactions")
    assert kpi_trend(viral, metric_value(_interactions([10, 10, 10]), "interactions"), "views", "sum") == (
        "no clear change"
    )
    # a total without Σx² (made by hand) cannot show a change; a missing figure says n/a
    assert kpi_trend(KpiFigure(10, 1, "ok"), KpiFigure(100, 1, "ok"), "reach", "sum") == "no clear change"
    assert kpi_trend(KpiFigure(None, 0, "no posts"), KpiFigure(100, 1, "ok"), "reach", "sum") == "n/a"


def test_follower_figures_without_steps_show_no_change() -> None:
    """A follower figure's change is judged against the churn between snapshots (test_kpi_change_interval.py):
    figures made by hand without steps cannot show one (the sign alone said down / up)."""
    assert kpi_trend(KpiFigure(1190, 2, "ok"), KpiFigure(1200, 2, "ok"), "followers", "last") == "no clear change"
    assert kpi_trend(KpiFigure(0.02, 2, "ok"), KpiFigure(0.01, 2, "ok"), "follower_growth", "growth") == (
        "no clear change"
    )


def _interactions(values: list[int]) -> pl.DataFrame:
    return pl.DataFrame({"interactions": values}, schema={"interactions": pl.Int64})
