"""Page profiles of the benchmark on hand-made posts: cadence trend, share of voice interval, days and hours,
hashtags owned, top posts, follower growth. Expected values are worked out by hand, or by a peer (scipy's
linregress, a numpy bootstrap, the log-odds formula written out in plain Python)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import polars as pl
import pytest
from scipy import stats

from signalboost.competitors import profile
from signalboost.competitors.benchmark import benchmark

MONDAY = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # a Monday
SCHEMA = {
    "platform": pl.String,
    "account": pl.String,
    "created_at": pl.Datetime("us", "UTC"),
    "format": pl.String,
    "interactions": pl.Float64,
    "is_brand": pl.Boolean,
    "post_id": pl.String,
    "text": pl.String,
    "hashtags": pl.List(pl.String),
}


def _post(account: str, when: dt.datetime, value: float | None, **kw: Any) -> dict[str, Any]:
    row = {
        "platform": "instagram",
        "account": account,
        "created_at": when,
        "format": "photo",
        "interactions": value,
        "is_brand": account == "you",
        "post_id": f"{account}-{when:%Y%m%d%H%M}",
        "text": None,
        "hashtags": None,
    }
    return row | kw


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMA)


def _weekly(account: str, counts: list[int], value: float = 10.0) -> list[dict[str, Any]]:
    rows = []
    for week, n in enumerate(counts):
        for i in range(n):
            rows.append(_post(account, MONDAY + dt.timedelta(weeks=week, hours=10 + i), value))
    return rows


def _windows(start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    return pl.DataFrame(
        {"platform": ["instagram"], "start": [start], "end": [end]},
        schema={"platform": pl.String, "start": pl.Datetime("us", "UTC"), "end": pl.Datetime("us", "UTC")},
    )


# ------------------------------------------------------------------------------------------- cadence trend


def test_trend_of_a_steady_climb_is_exact_and_a_zigzag_matches_linregress() -> None:
    climb = [1, 2, 3, 4, 5, 6]
    zigzag = [0, 3, 0, 3, 0, 3]
    rows = _weekly("A", climb) + _weekly("B", zigzag)
    rows.append(_post("A", MONDAY + dt.timedelta(weeks=6, hours=1), 10.0))  # in a 7th, partial week: left out
    out = profile.cadence_trend(_frame(rows), _windows(MONDAY, MONDAY + dt.timedelta(weeks=6, days=3)))
    a = out.filter(pl.col("account") == "A").row(0, named=True)
    assert a["trend_weeks"] == 6 and isinstance(a["trend_weeks"], int)
    assert a["trend"] == pytest.approx(1.0)
    assert a["trend_low"] == pytest.approx(1.0) and a["trend_high"] == pytest.approx(1.0)  # no residual
    b = out.filter(pl.col("account") == "B").row(0, named=True)
    peer = stats.linregress(np.arange(6), np.array(zigzag, dtype=float))
    half = stats.t.ppf(0.975, 4) * peer.stderr
    assert b["trend"] == pytest.approx(peer.slope)  # 0.514…
    assert b["trend_low"] == pytest.approx(peer.slope - half)
    assert b["trend_high"] == pytest.approx(peer.slope + half)
    assert b["trend_low"] < 0 < b["trend_high"]


def test_no_trend_from_fewer_than_four_weeks() -> None:
    out = profile.cadence_trend(_frame(_weekly("A", [1, 2, 3])), _windows(MONDAY, MONDAY + dt.timedelta(weeks=3)))
    row = out.row(0, named=True)
    assert row["trend"] is None and row["trend_note"] == "period of 3 full weeks, fewer than 4"


def test_no_trend_for_a_page_whose_posts_cover_only_the_end_of_the_period() -> None:
    # a sample of a page's last posts: 0 posts for 9 weeks, then 2 a week. OLS would call that rising (its
    # interval excludes 0), but the empty weeks may be weeks not imported.
    rows = _weekly("A", [0] * 9 + [2, 2, 2]) + _weekly("B", [1] * 12)
    out = profile.cadence_trend(_frame(rows), _windows(MONDAY, MONDAY + dt.timedelta(weeks=12)))
    a = out.filter(pl.col("account") == "A").row(0, named=True)
    assert a["trend"] is None
    assert a["trend_note"] == "posts cover only Mar 4, 2024 to Mar 18, 2024 of the period"
    b = out.filter(pl.col("account") == "B").row(0, named=True)
    assert b["trend"] == pytest.approx(0.0) and b["trend_note"] is None
    bench = benchmark(_frame(rows), start=MONDAY, end=MONDAY + dt.timedelta(weeks=12), min_posts=3)
    texts = [f["text"] for f in bench.findings if f["figure"] == "trend"]
    assert any(
        t.startswith("instagram: 1 of 2 competitors have no trend: their imported posts cover only") for t in texts
    )


def test_trend_findings_claim_a_rise_only_when_the_interval_excludes_zero() -> None:
    rows = _weekly("you", [0, 3, 0, 3, 0, 3]) + _weekly("A", [1, 2, 3, 4, 5, 6])
    b = benchmark(_frame(rows), start=MONDAY, end=MONDAY + dt.timedelta(weeks=6), min_posts=3)
    texts = [f["text"] for f in b.findings if f["figure"] == "trend"]
    assert any(t.startswith("instagram: A's posting is rising: +1 posts a week") for t in texts), texts
    assert any("your posting shows no clear trend" in t for t in texts), texts
    assert not any("your posting is" in t for t in texts)


# ------------------------------------------------------------------------------------- share of voice interval


def test_share_of_voice_interval_by_hand() -> None:
    # A: 10 and 30 (T = 40, s² = 200, Var T = 2·200 = 400); B: 20, 20, 20 (T = 60, Var T = 0); Σ = 100.
    # Var S_A = (0.6²·400 + 0.4²·0) / 100² = 0.0144 → sd 0.12; Var S_B = (0.4²·0 + 0.6²·400) / 100² = 0.0144.
    rows = [_post("A", MONDAY + dt.timedelta(hours=i), v) for i, v in enumerate([10.0, 30.0])]
    rows += [_post("B", MONDAY + dt.timedelta(hours=i), 20.0) for i in range(3)]
    rows.append(_post("B", MONDAY + dt.timedelta(hours=9), None))  # unknown: not in the sums
    out = {r["account"]: r for r in profile.share_of_voice_interval(_frame(rows)).to_dicts()}
    z = stats.norm.ppf(0.975)
    assert out["A"]["sov_low"] == pytest.approx(0.4 - z * 0.12)
    assert out["A"]["sov_high"] == pytest.approx(0.4 + z * 0.12)
    assert out["B"]["sov_low"] == pytest.approx(0.6 - z * 0.12)
    assert out["B"]["sov_high"] == pytest.approx(0.6 + z * 0.12)


def test_share_of_voice_interval_agrees_with_a_bootstrap_over_posts() -> None:
    rng = np.random.default_rng(7)
    values = {"A": rng.gamma(2.0, 50.0, 80), "B": rng.gamma(2.0, 20.0, 120), "C": rng.gamma(1.0, 30.0, 60)}
    rows = [_post(a, MONDAY + dt.timedelta(hours=i), float(v)) for a, vs in values.items() for i, v in enumerate(vs)]
    out = {r["account"]: r for r in profile.share_of_voice_interval(_frame(rows)).to_dicts()}
    boot = {a: [] for a in values}  # type: dict[str, list[float]]
    for _ in range(3000):
        sums = {a: rng.choice(v, v.size).sum() for a, v in values.items()}
        total = sum(sums.values())
        for a in values:
            boot[a].append(sums[a] / total)
    for a in values:
        lo, hi = np.percentile(boot[a], [2.5, 97.5])
        assert out[a]["sov_low"] == pytest.approx(lo, abs=0.012)
        assert out[a]["sov_high"] == pytest.approx(hi, abs=0.012)


# ------------------------------------------------------------------------------------------ days and hours


def test_posting_hours_are_local_and_date_only_posts_are_left_out() -> None:
    rows = [
        _post("A", dt.datetime(2024, 1, 1, 23, 30, tzinfo=dt.UTC), 1.0),  # Tue 00:30 in Madrid (UTC+1 in winter)
        _post("A", dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.UTC), 1.0),  # Mon 09:00
        _post("A", dt.datetime(2024, 1, 3, 8, 10, tzinfo=dt.UTC), 1.0),  # Wed 09:10
    ]
    hours = profile.posting_hours(profile.timed(_frame(rows), "Europe/Madrid"))
    assert sorted(hours.select("weekday", "hour", "n_posts").iter_rows()) == [(0, 9, 1), (1, 0, 1), (2, 9, 1)]
    midnight = [_post("B", dt.datetime(2024, 1, d, tzinfo=dt.UTC), 1.0) for d in (1, 2, 3)]
    assert profile.timed(_frame(midnight).with_columns(platform=pl.lit("youtube")), "UTC").height == 0


def test_best_day_only_when_its_interval_is_above_the_page_mean() -> None:
    # A: 40 Tuesday posts at 100 and 40 posts on other days at 10 (± a little): Tuesday is clearly best.
    rows = []
    for w in range(40):
        rows.append(_post("A", MONDAY + dt.timedelta(weeks=w, days=1, hours=9), 100.0 + w % 3))
        rows.append(_post("A", MONDAY + dt.timedelta(weeks=w, days=3 + w % 3, hours=9), 10.0 + w % 4))
    # F: the same value on every day: no day is best.
    rows += [_post("F", MONDAY + dt.timedelta(days=d, hours=9), 20.0 + d % 2) for d in range(60)]
    best = profile.best_times(profile.timed(_frame(rows)))
    a = best.filter((pl.col("account") == "A") & (pl.col("dimension") == "day"))
    top = a.filter(pl.col("best"))
    assert top["label"].to_list() == ["tue"]
    row = top.row(0, named=True)
    assert row["n_posts"] == 40 and row["raw_mean"] == pytest.approx(101.0 - 1 / 40)  # 100,101,102 × 13 + 100
    mean_a = (sum(100.0 + w % 3 for w in range(40)) + sum(10.0 + w % 4 for w in range(40))) / 80
    assert row["low"] > mean_a
    assert best.filter((pl.col("account") == "F") & pl.col("best")).height == 0
    assert best.filter((pl.col("account") == "A") & (pl.col("dimension") == "hour")).height == 1  # one hour, 09


# ------------------------------------------------------------------------------------ hashtags and topics


def _log_odds_z(yi: float, yj: float, ni: float, nj: float, yw: float, n: float, a0: float) -> float:
    """Monroe, Colaresi & Quinn (2008) eq. 22, written out independently of the Polars version."""
    aw = a0 * yw / n
    delta = math.log((yi + aw) / (ni + a0 - yi - aw)) - math.log((yj + aw) / (nj + a0 - yj - aw))
    return delta / math.sqrt(1 / (yi + aw) + 1 / (yj + aw))


def test_owned_hashtags_by_weighted_log_odds() -> None:
    rows = []
    # A: #Coffee on 20 posts, #shared on 10; B: #tea on 20, #shared on 10 (and "#" spelled in a few);
    for i in range(20):
        rows.append(_post("A", MONDAY + dt.timedelta(hours=i), 1.0, hashtags=["#Coffee" if i % 2 else "coffee"]))
        rows.append(_post("B", MONDAY + dt.timedelta(hours=i), 1.0, hashtags=["tea"]))
    for i in range(10):
        rows.append(_post("A", MONDAY + dt.timedelta(days=2, hours=i), 1.0, hashtags=["shared"]))
        rows.append(_post("B", MONDAY + dt.timedelta(days=2, hours=i), 1.0, hashtags=["shared", ""]))
    rows.append(_post("C", MONDAY, 1.0, hashtags=["rare"]))  # one use: below MIN_TAG_USES
    out = profile.owned_terms(_frame(rows))
    owned = {(a, t) for a, t in out.select("account", "term").iter_rows()}
    assert owned == {("A", "coffee"), ("B", "tea")}  # #shared is used alike; #rare too rarely
    a = out.filter(pl.col("account") == "A").row(0, named=True)
    # counts: A 30 uses (20 coffee), rest 31 (0 coffee); n = 61; coffee 20 in the group
    assert a["uses"] == 20 and a["group_uses"] == 20 and a["share_of_posts"] == pytest.approx(20 / 30)
    assert a["z"] == pytest.approx(_log_odds_z(20, 0, 30, 31, 20, 61, profile.PRIOR_SIZE))
    assert a["z"] > 1.96


def test_owned_terms_with_no_tags_is_empty() -> None:
    frame = _frame([_post("A", MONDAY, 1.0)])
    assert profile.owned_terms(frame).height == 0
    assert profile.owned_terms(frame.drop("hashtags")).height == 0


# ------------------------------------------------------------------------------------------- top posts


def test_top_posts_never_list_unknown_engagement_and_break_ties_by_the_earlier_post() -> None:
    values = [5.0, None, 50.0, 20.0, 50.0, 1.0]
    rows = [_post("A", MONDAY + dt.timedelta(hours=i), v, text=f"post {i}") for i, v in enumerate(values)]
    top = profile.top_posts(_frame(rows))
    assert top.select("rank", "interactions", "text").rows() == [
        (1, 50.0, "post 2"),
        (2, 50.0, "post 4"),
        (3, 20.0, "post 3"),
    ]


# --------------------------------------------------------------------------------------- follower growth


def test_follower_growth_from_snapshots_in_the_window() -> None:
    t = MONDAY
    snaps = pl.DataFrame(
        {
            "platform": ["instagram"] * 5,
            "account": ["A", "A", "A", "B", "A"],
            "observed_at": [t, t + dt.timedelta(weeks=1), t + dt.timedelta(weeks=2), t, t + dt.timedelta(weeks=9)],
            "followers": [1000, 1040, 1100, 500, 5000],
        },
        schema_overrides={"observed_at": pl.Datetime("us", "UTC")},
    )
    out = {r["account"]: r for r in profile.follower_growth(snaps, end=t + dt.timedelta(weeks=4)).to_dicts()}
    assert out["A"]["growth"] == 100 and out["A"]["n_snapshots"] == 3
    assert out["A"]["growth_pct"] == pytest.approx(0.10)
    assert out["A"]["growth_per_week"] == pytest.approx(50.0)
    assert out["B"]["growth"] is None and out["B"]["growth_pct"] is None  # one snapshot: no growth, not 0
    assert profile.follower_growth(None).height == 0


def test_benchmark_carries_growth_and_says_who_grew_fastest() -> None:
    rows = _weekly("you", [2, 2, 2, 2]) + _weekly("A", [2, 2, 2, 2])
    snaps = pl.DataFrame(
        {
            "platform": ["instagram"] * 4,
            "account": ["you", "you", "A", "A"],
            "observed_at": [MONDAY, MONDAY + dt.timedelta(weeks=3)] * 2,
            "followers": [1000, 1010, 200, 260],
        },
        schema_overrides={"observed_at": pl.Datetime("us", "UTC")},
    )
    b = benchmark(_frame(rows), snapshots=snaps, min_posts=3)
    acc = {r["account"]: r for r in b.accounts.to_dicts()}
    assert acc["A"]["growth_pct"] == pytest.approx(0.30) and acc["you"]["growth"] == 10
    texts = [f["text"] for f in b.findings if f["figure"] == "growth"]
    assert texts[0] == "instagram: A grew fastest in followers: +30% (200 → 260 followers, n=2 snapshots)."
    assert texts[1] == "instagram: your followers changed by +1% (1,000 → 1,010 followers, n=2 snapshots)."
