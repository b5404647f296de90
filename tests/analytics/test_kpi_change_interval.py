"""The change of a KPI total (interactions, views, reach…) or a follower figure from the previous window has a 95 %
interval, and the trend says up/down only when it excludes 0 — like means and rates (the s9 walk: totals and
follower counts said the sign of any change). Every expected value is worked out by hand in the comments."""

from __future__ import annotations

import polars as pl
import pytest

from signalboost.analytics.kpis import KpiFigure, change_interval, kpi_status, kpi_trend
from signalboost.analytics.metrics import post_engagement
from signalboost.model.strategy import Kpi

from .frames import metrics, posts, snapshots, t

Z = 1.959964  # normal 97.5 % quantile
T3 = 3.182446  # Student t, 3 degrees of freedom, 97.5 %
T2 = 4.302653  # Student t, 2 degrees of freedom, 97.5 %


def _frame(reach: dict[str, tuple[object, int]]) -> pl.DataFrame:
    p = posts([{"post_id": pid, "created_at": when} for pid, (when, _) in reach.items()])
    m = metrics([{"post_id": pid, "likes": 1, "reach": r} for pid, (_, r) in reach.items()])
    return post_engagement(p, m, None)


def _one(kpi: Kpi, frame: pl.DataFrame, snaps: pl.DataFrame | None = None) -> dict[str, object]:
    [row] = kpi_status([kpi], frame, snaps).iter_rows(named=True)
    return row


def test_a_total_through_kpi_status_gets_the_interval_of_its_change() -> None:
    # window 7 days ending at the last post (Jan 20 10:00): 10 posts of reach 100 on Jan 20 01:00–10:00 now; 2 posts
    # of 100 on Jan 10 and 11 before (Jan 6 10:00 – Jan 13 10:00]
    now = {f"n{h}": (t(20, h), 100) for h in range(1, 11)}
    frame = _frame({**now, "b1": (t(10), 100), "b2": (t(11), 100)})
    row = _one(Kpi(id="reach", metric="reach", target=500, window_days=7), frame)
    # 1,000 vs 200: change 800 ± 1.96·√(10·100² + 2·100²) = 800 ± 1.96·346.41 = 800 ± 678.95
    assert (row["value"], row["previous"], row["change"]) == (1000, 200, 800)
    assert row["change_low"] == pytest.approx(800 - Z * 120_000**0.5, abs=0.01)  # 121.05
    assert row["change_high"] == pytest.approx(800 + Z * 120_000**0.5, abs=0.01)  # 1,478.95
    assert row["trend"] == "up"


def test_one_viral_post_is_no_clear_change_through_kpi_status() -> None:
    # one post of 1,000 now vs three of 10: 970 ± 1.96·√(1,000,000 + 300) = 970 ± 1,960.26 holds 0
    frame = _frame({"v": (t(20), 1000), "a": (t(9), 10), "b": (t(10), 10), "c": (t(11), 10)})
    row = _one(Kpi(id="reach", metric="reach", target=500, window_days=7), frame)
    assert row["change"] == 970 and row["trend"] == "no clear change"
    assert row["change_low"] == pytest.approx(970 - Z * 1_000_300**0.5, abs=0.01)  # −990.26


def _followers(series: list[tuple[object, int]]) -> pl.DataFrame:
    return snapshots([{"observed_at": when, "followers": n} for when, n in series])


def test_followers_steady_growth_is_up_churn_is_no_clear_change() -> None:
    frame = _frame({"p": (t(20, 10), 100)})  # window (Jan 13 10:00, Jan 20 10:00]
    kpi = Kpi(id="f", metric="followers", target=1, window_days=7)
    # before: 1,000 on Jan 12; now 1,010, 1,030, 1,040, 1,060 → change 60 from the steps 10, 20, 10, 20 (m = 4,
    # mean 15, s² = 4·25/3 = 33.33): 60 ± t₃·√(4·33.33) = 60 ± 3.1824·11.547 = 60 ± 36.75 → [23.25, 96.75], up
    steady = _followers([(t(12), 1000), (t(14), 1010), (t(16), 1030), (t(18), 1040), (t(20, 9), 1060)])
    row = _one(kpi, frame, steady)
    assert (row["value"], row["previous"]) == (1060, 1000)
    assert row["change_low"] == pytest.approx(60 - T3 * (400 / 3) ** 0.5, abs=1e-3)
    assert row["change_high"] == pytest.approx(60 + T3 * (400 / 3) ** 0.5, abs=1e-3)
    assert row["trend"] == "up"
    # churn: steps +40, −30, +40, −30 → change 20 (mean 5, s² = 4·35²/3 = 1,633.3): 20 ± 3.1824·√6,533.3 =
    # 20 ± 257.23 holds 0 — the sign said "up"
    churn = _followers([(t(12), 1000), (t(14), 1040), (t(16), 1010), (t(18), 1050), (t(20, 9), 1020)])
    row = _one(kpi, frame, churn)
    assert row["change"] == 20 and row["trend"] == "no clear change"
    assert row["change_low"] == pytest.approx(20 - T3 * (4 * 1633.3333) ** 0.5, abs=1e-2)
    # one step (a snapshot a window) gives no spread: no interval, no clear change (the sign said "up")
    row = _one(kpi, frame, _followers([(t(12), 1000), (t(20, 9), 1200)]))
    assert row["change"] == 200 and row["change_low"] is None and row["trend"] == "no clear change"


def test_follower_growth_compares_two_windows_churn() -> None:
    frame = _frame({"p": (t(20, 10), 100)})
    kpi = Kpi(id="g", metric="follower_growth", target=0.01, window_days=7)
    # now (Jan 13 10:00, Jan 20 10:00]: 1,000 → 1,010 → 1,030 → 1,040: growth 0.04, steps 10, 20, 10 (s² = 33.33,
    # m·s²/F₀² = 1e-4); before (Jan 6 10:00, Jan 13 10:00]: 1,000 → 1,000 → 1,002 → 1,004: growth 0.004, steps 0, 2,
    # 2 (s² = 1.333, 4e-6). 0.036 ± t₂·√1.04e-4 = 0.036 ± 4.3027·0.010198 = 0.036 ± 0.04388 holds 0
    series = [(t(7), 1000), (t(9), 1000), (t(11), 1002), (t(13, 9), 1004)]
    series += [(t(14), 1000), (t(16), 1010), (t(18), 1030), (t(20, 9), 1040)]
    row = _one(kpi, frame, _followers(series))
    assert row["value"] == pytest.approx(0.04) and row["previous"] == pytest.approx(0.004)
    assert row["change_low"] == pytest.approx(0.036 - T2 * 1.04e-4**0.5, abs=1e-6)  # −0.00788
    assert row["trend"] == "no clear change"  # the sign said "up"


def test_growth_and_followers_by_hand_figures() -> None:
    # growth 0.036 (steps 10, 12, 14 of 1,000: s² = 4) vs 0.006 (1, 2, 3: s² = 1): var 3·4/1e6 + 3·1/1e6 = 1.5e-5,
    # 0.030 ± 4.3027·0.003873 = 0.030 ± 0.016664 → up
    now = KpiFigure(0.036, 4, "ok", steps=(10, 12, 14), base=1000)
    before = KpiFigure(0.006, 4, "ok", steps=(1, 2, 3), base=1000)
    low, high = change_interval(now, before, "follower_growth", "growth") or (None, None)
    assert low == pytest.approx(0.030 - T2 * 1.5e-5**0.5) and high == pytest.approx(0.030 + T2 * 1.5e-5**0.5)
    assert kpi_trend(now, before, "follower_growth", "growth") == "up"
    assert kpi_trend(before, now, "follower_growth", "growth") == "down"
    # a window with one step has no spread
    assert change_interval(now, KpiFigure(0.006, 2, "ok", steps=(6,), base=1000), "follower_growth", "growth") is None
    # followers: steps that do not add up to the change (an account counted in one window only) give none
    odd = KpiFigure(1100, 3, "ok", steps=(10, 20))
    assert change_interval(odd, KpiFigure(1000, 1, "ok"), "followers", "last") is None
    # means, medians, rates and the posts count keep their own tests: no change interval here
    assert change_interval(KpiFigure(5, 5, "ok"), KpiFigure(3, 3, "ok"), "posts", "sum") is None
    assert change_interval(KpiFigure(0.5, 5, "ok", 0.4, 0.6), KpiFigure(0.3, 5, "ok", 0.2, 0.4), "x", "rate") is None
