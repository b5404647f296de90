"""KPI windows, follower snapshots and the change interval at their edges: each test kills mutants of `_one_kpi`,
`metric_value`, `follower_steps` and `change_interval` that survived the session-10 mutation run (a window's
boundaries, an aware ``as_of``, naive snapshot times, another network's snapshots, the previous window's
aggregation, two steps exactly). Every expected value is worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from signalboost.analytics.kpis import KpiFigure, change_interval, follower_steps, kpi_status
from signalboost.analytics.metrics import post_engagement
from signalboost.model.strategy import Kpi

from .frames import metrics, posts, snapshots, t

T1 = 12.706205  # Student t, 1 degree of freedom, 97.5 %
T3 = 3.182446


def _frame(reach: dict[str, tuple[dt.datetime, int]], platform: str = "facebook") -> pl.DataFrame:
    p = posts([{"post_id": k, "created_at": w, "platform": platform} for k, (w, _) in reach.items()])
    m = metrics([{"post_id": k, "likes": 1, "reach": r, "platform": platform} for k, (_, r) in reach.items()])
    return post_engagement(p, m, None)


def _row(kpi: Kpi, frame: pl.DataFrame, snaps: pl.DataFrame | None = None, **kw: object) -> dict[str, object]:
    [row] = kpi_status([kpi], frame, snaps, **kw).iter_rows(named=True)  # type: ignore[arg-type]
    return row


def test_an_aware_as_of_keeps_its_zone_and_a_naive_one_is_utc() -> None:
    # posts at 10:30 (reach 10) and 11:30 UTC (reach 100) on 20 January; 12:00 in Oslo (UTC+1) is 11:00 UTC, so
    # the 7-day window to it holds the 10:30 post only (a mutant reading 12:00 as UTC takes both: 110)
    frame = _frame({"a": (t(20, 10, minute=30), 10), "b": (t(20, 11, minute=30), 100)})
    kpi = Kpi(id="r", metric="reach", target=1, window_days=7)
    oslo = dt.datetime(2024, 1, 20, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert _row(kpi, frame, as_of=oslo)["value"] == 10
    assert _row(kpi, frame, as_of=dt.datetime(2024, 1, 20, 11))["value"] == 10  # naive: read as UTC


def test_follower_windows_at_their_exact_edges() -> None:
    """End = the last post, 20 Jan 10:00; 7 days: now (13 Jan 10:00, 20 Jan 10:00], before (6 Jan 10:00, 13 Jan
    10:00]. A snapshot exactly at an edge belongs to the window it ends."""
    frame = _frame({"p": (t(20, 10), 100)})
    snaps = snapshots(
        [
            {"observed_at": t(1), "followers": 800},  # before the previous window
            {"observed_at": t(6, 10), "followers": 900},  # exactly 2 windows back: not in the previous window
            {"observed_at": t(9), "followers": 995},
            {"observed_at": t(13, 10), "followers": 1000},  # exactly 1 window back: the previous window's last
            {"observed_at": t(14), "followers": 1010},
            {"observed_at": t(16), "followers": 1030},
            {"observed_at": t(18), "followers": 1040},
            {"observed_at": t(20, 10), "followers": 1060},  # exactly at the end: the current window's last
        ]
    )
    f = _row(Kpi(id="f", metric="followers", target=1, window_days=7), frame, snaps)
    assert (f["value"], f["n"], f["previous"]) == (1060, 4, 1000)
    # steps into the window: 1000→1010, 1010→1030, 1030→1040, 1040→1060 = 10, 20, 10, 20 (mean 15, s² = 33.33):
    # 60 ± t₃·√(4·33.33) = 60 ± 36.75 (the step 995→1000 ends at the edge, in the previous window)
    assert f["change_low"] == pytest.approx(60 - T3 * (400 / 3) ** 0.5, abs=1e-3)
    assert f["change_high"] == pytest.approx(60 + T3 * (400 / 3) ** 0.5, abs=1e-3)
    assert f["trend"] == "up"
    g = _row(Kpi(id="g", metric="follower_growth", target=0.01, window_days=7), frame, snaps)
    # now: (1060 − 1010) / 1010; before: 995 → 1000 (the 900 at the edge and the 800 are older): 5 / 995
    assert g["value"] == pytest.approx(50 / 1010) and g["n"] == 4
    assert g["previous"] == pytest.approx(5 / 995)
    assert g["change_low"] is None and g["trend"] == "no clear change"  # one step before: no spread to judge by


def test_naive_snapshot_times_are_utc_and_other_networks_are_left_out() -> None:
    frame = _frame({"p": (t(20, 10), 100)})
    naive = pl.DataFrame(
        {
            "platform": ["facebook", "facebook", "x"],
            "account_id": "brand",
            "observed_at": [dt.datetime(2024, 1, 16), dt.datetime(2024, 1, 20, 10), dt.datetime(2024, 1, 19)],
            "followers": [100, 110, 5000],
        },
        schema={
            "platform": pl.String,
            "account_id": pl.String,
            "observed_at": pl.Datetime("us"),
            "followers": pl.Int64,
        },
    )
    # the facebook KPI counts the facebook snapshots only (110, not 110 + 5,000); 10:00 naive = 10:00 UTC = the end
    f = _row(Kpi(id="f", metric="followers", network="facebook", target=1, window_days=7), frame, naive)
    assert (f["value"], f["n"]) == (110, 2)


def test_a_window_without_posts_still_counts_followers_and_says_n_0_otherwise() -> None:
    frame = _frame({"p": (t(10), 100), "q": (t(12), 300)})
    snaps = snapshots([{"observed_at": t(25), "followers": 1100}, {"observed_at": t(26), "followers": 1120}])
    end = t(27)  # (20 Jan, 27 Jan]: no post, two snapshots
    f = _row(Kpi(id="f", metric="followers", target=1, window_days=7), frame, snaps, as_of=end)
    assert (f["value"], f["status"]) == (1120, "ok")
    g = _row(Kpi(id="g", metric="follower_growth", target=0.01, window_days=7), frame, snaps, as_of=end)
    assert g["value"] == pytest.approx(20 / 1100)
    r = _row(Kpi(id="r", metric="reach", target=1, window_days=7), frame, as_of=end)
    assert (r["value"], r["n"], r["status"]) == (None, 0, "no posts in the window")


def test_the_previous_window_is_aggregated_as_the_kpi_says() -> None:
    # reach per post (mean): now 50 (one post on 20 Jan); before (6–13 Jan) posts of 100 and 300: mean 200, not 400
    frame = _frame({"p": (t(10), 100), "q": (t(12), 300), "r": (t(20), 50)})
    row = _row(Kpi(id="r", metric="reach", target=1, window_days=7, aggregation="mean_per_post"), frame)
    assert (row["value"], row["previous"]) == (50, 200)
    # a post between 2 and 3 windows back (31 Dec) is in neither window
    frame = _frame({"o": (t(31, month=12).replace(year=2023), 1000), "q": (t(12), 300), "r": (t(20), 50)})
    assert _row(Kpi(id="r", metric="reach", target=1, window_days=7), frame)["previous"] == 300


def test_change_interval_edges_by_hand() -> None:
    # followers, exactly 2 steps 10 and 30 (s² = 200): 40 ± t₁·√(2·200) = 40 ± 12.7062·20 = 40 ± 254.12
    low, high = change_interval(
        KpiFigure(1040, 2, "ok", steps=(10, 30)), KpiFigure(1000, 1, "ok"), "followers", "last"
    ) or (None, None)
    assert low == pytest.approx(40 - T1 * 20) and high == pytest.approx(40 + T1 * 20)
    # steps 10 + 20 = 30 do not add up to a change of 31: no interval
    assert (
        change_interval(KpiFigure(1031, 2, "ok", steps=(10, 20)), KpiFigure(1000, 1, "ok"), "followers", "last") is None
    )
    # growth with exactly 2 steps a window: now 10, 20 of 1,000 (s² = 50: 2·50/1e6 = 1e-4), before 2, 4 of 1,000
    # (s² = 2: 4e-6); 0.024 ± t₁·√1.04e-4 = 0.024 ± 0.12958
    now = KpiFigure(0.03, 3, "ok", steps=(10, 20), base=1000)
    before = KpiFigure(0.006, 3, "ok", steps=(2, 4), base=1000)
    low, high = change_interval(now, before, "follower_growth", "growth") or (None, None)
    assert low == pytest.approx(0.024 - T1 * 1.04e-4**0.5) and high == pytest.approx(0.024 + T1 * 1.04e-4**0.5)
    # a total needs Σx² in both windows
    assert change_interval(KpiFigure(10, 1, "ok", sum_sq=100), KpiFigure(5, 1, "ok"), "reach", "sum") is None
    assert change_interval(KpiFigure(10, 1, "ok"), KpiFigure(5, 1, "ok", sum_sq=25), "reach", "sum") is None


def test_follower_steps_follow_time_per_account_whatever_the_input_order() -> None:
    snaps = snapshots(
        [
            {"account_id": "b", "observed_at": t(4), "followers": 90},
            {"account_id": "a", "observed_at": t(3), "followers": 15},
            {"account_id": "b", "observed_at": t(2), "followers": 100},
            {"account_id": "a", "observed_at": t(1), "followers": 10},
        ]
    )
    # a: 10 → 15 (+5, at 3 Jan); b: 100 → 90 (−10, at 4 Jan)
    assert follower_steps(snaps) == (5.0, -10.0)
    assert follower_steps(snaps, after=t(3)) == (-10.0,)
