"""Shrinkage on a tiny table, computed by hand; slot table and recommendations."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

from signalboost.analytics.timing import (
    NOT_ENOUGH,
    Hyper,
    active_hours,
    estimate_hyper,
    fit_scale,
    fit_slot_model,
    is_flat,
    recommend_slots,
    shrink,
    slot_key,
    slot_table,
    with_local_time,
)
from signalboost.errors import AnalyticsError

from .frames import t

# Slot A: 1, 2, 3 (mean 2); slot B: 5, 7 (mean 6); slot C: 4.  N = 6, S = 3.
# mu = 22/6; SSW = 2 + 2 + 0 = 4 -> sigma2 = 4/3; MSB = (3(2-22/6)^2 + 2(6-22/6)^2 + (4-22/6)^2)/2 = 29/3
# n0 = (6 - 14/6)/2 = 11/6;  tau2 = (29/3 - 4/3)/(11/6) = 50/11
VALUES = np.array([1.0, 2.0, 3.0, 5.0, 7.0, 4.0])
SLOTS = np.array(["A", "A", "A", "B", "B", "C"])
MU, SIGMA2, TAU2 = 22 / 6, 4 / 3, 50 / 11
# Var(mu^) = (tau2 * sum n_s^2 + sigma2 * N) / N^2 = (50/11 * 14 + 4/3 * 6) / 36 = 788/396 = 197/99
MU_VAR = 197 / 99


def test_hyper_parameters_by_hand() -> None:
    h = estimate_hyper(VALUES, SLOTS)
    assert h.mu == pytest.approx(MU)
    assert h.sigma2 == pytest.approx(SIGMA2)
    assert h.tau2 == pytest.approx(TAU2)
    assert (h.n_posts, h.n_slots) == (6, 3)
    assert h.mu_var == pytest.approx(MU_VAR)


def test_shrinkage_by_hand() -> None:
    h = estimate_hyper(VALUES, SLOTS)
    b_a = TAU2 / (TAU2 + SIGMA2 / 3)  # = 450/494
    assert b_a == pytest.approx(450 / 494)
    mean, lo, hi, weight = shrink(2.0, 3, h)
    assert weight == pytest.approx(450 / 494)
    assert mean == pytest.approx(MU + 450 / 494 * (2 - MU))
    sd = math.sqrt(450 / 494 * SIGMA2 / 3 + (44 / 494) ** 2 * MU_VAR)
    assert (lo, hi) == (pytest.approx(mean - 1.96 * sd), pytest.approx(mean + 1.96 * sd))
    # the single-post slot C is pulled further toward mu than A
    mean_c, *_, w_c = shrink(4.0, 1, h)
    assert w_c == pytest.approx(TAU2 / (TAU2 + SIGMA2)) and w_c < weight
    assert mean_c == pytest.approx(MU + w_c * (4 - MU))
    # an empty slot sits at the prior with the prior's spread
    mean_e, lo_e, hi_e, w_e = shrink(None, 0, h)
    assert (mean_e, w_e) == (pytest.approx(MU), 0.0)
    assert hi_e - lo_e == pytest.approx(2 * 1.96 * math.sqrt(TAU2 + MU_VAR))


def test_no_between_slot_variance_shrinks_all_the_way() -> None:
    # both slots have mean 2: MSB = 0 < MSW -> tau2 = 0, every slot gets the overall mean
    h = estimate_hyper(np.array([1.0, 3.0, 1.0, 3.0]), np.array(["A", "A", "B", "B"]))
    assert h.tau2 == 0
    assert shrink(2.0, 2, h)[0] == pytest.approx(2.0)
    assert shrink(10.0, 2, h)[0] == pytest.approx(2.0)
    # ... but not with a zero-width interval: the grand mean's own uncertainty remains. sigma2 = (1+1+1+1)/2 = 2,
    # Var(mu^) = sigma2 / N = 2/4 (tau2 = 0), so the interval is 2 ± 1.96 * sqrt(0.5)
    _, lo, hi, weight = shrink(10.0, 2, h)
    assert weight == 0.0 and (lo, hi) == (
        pytest.approx(2 - 1.96 * math.sqrt(0.5)),
        pytest.approx(2 + 1.96 * math.sqrt(0.5)),
    )


def _frame() -> pl.DataFrame:
    # Mondays (Jan 1, 8, 15 2024) at 09:00 UTC = 10:00 Madrid; Tuesdays at 18:00 UTC = 19:00 Madrid; one Wed post
    rows = [(t(1, 9), 1.0), (t(8, 9), 2.0), (t(15, 9), 3.0), (t(2, 18), 5.0), (t(9, 18), 7.0), (t(3, 7), 4.0)]
    return pl.DataFrame(
        {
            "platform": ["instagram"] * 6,
            "created_at": [r[0] for r in rows],
            "er_reach": [r[1] for r in rows],
        },
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "er_reach": pl.Float64},
    )


def test_slot_table_uses_the_brand_zone_and_marks_thin_slots() -> None:
    table = slot_table(_frame(), tz="Europe/Madrid", min_posts=2, robust=False)
    assert table.height == 7 * 24
    mon = table.filter((pl.col("weekday_name") == "mon") & (pl.col("slot_hour") == 10)).row(0, named=True)
    assert mon["n_posts"] == 3 and mon["raw_mean"] == pytest.approx(2.0) and mon["status"] == "ok"
    assert mon["expected"] == pytest.approx(MU + 450 / 494 * (2 - MU))
    wed = table.filter((pl.col("weekday_name") == "wed") & (pl.col("slot_hour") == 8)).row(0, named=True)
    assert wed["n_posts"] == 1 and wed["status"] == NOT_ENOUGH
    empty = table.filter(pl.col("n_posts") == 0)
    assert empty.height == 168 - 3 and set(empty["status"]) == {NOT_ENOUGH}


def test_hour_blocks() -> None:
    table = slot_table(_frame(), tz="Europe/Madrid", hour_block=3, min_posts=2)
    assert table.height == 7 * 8
    tue = table.filter((pl.col("weekday") == 1) & (pl.col("slot_hour") == 18)).row(0, named=True)
    assert tue["n_posts"] == 2
    with pytest.raises(AnalyticsError, match="divide 24"):
        slot_table(_frame(), hour_block=5)


def test_recommendations_rank_shrunk_slots_and_add_exploration() -> None:
    table = slot_table(_frame(), tz="Europe/Madrid", min_posts=2)
    rec = recommend_slots(table, k=1, explore=2, distinguishable=False)
    best = rec.filter(pl.col("kind") == "recommended")
    assert best.height == 1
    assert (best["weekday_name"][0], best["slot_hour"][0]) == ("tue", 19)
    explore = rec.filter(pl.col("kind") == "explore")
    assert explore.height == 2
    assert set(explore["status"]) == {NOT_ENOUGH}
    # the single-post Wednesday slot has the narrowest high interval? No: empty slots have the widest;
    # every exploration slot must at least reach the recommended slot's expectation
    assert (explore["ci_high"] >= best["expected"][0]).all()


def test_unknown_metric_column() -> None:
    with pytest.raises(AnalyticsError, match="not a column"):
        slot_table(_frame(), metric="er_followers")


def test_no_slot_is_recommended_when_none_stands_out() -> None:
    # two slots, both mean 2 (1, 3 each): tau2 = 0 -> all shrink weights 0; only exploration may be offered
    frame = pl.DataFrame(
        {
            "platform": ["x"] * 4,
            "created_at": [t(1, 9), t(8, 9), t(2, 18), t(9, 18)],
            "er_reach": [1.0, 3.0, 1.0, 3.0],
        },
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "er_reach": pl.Float64},
    )
    slots = slot_table(frame, min_posts=2)
    assert slots.filter(pl.col("n_posts") > 0)["shrink_weight"].to_list() == [0.0, 0.0]
    rec = recommend_slots(slots, k=3, explore=1)
    assert "recommended" not in rec["kind"].to_list()


# ------------------------------------------------------------------ rules a careless edit would break (issue #19)
def test_a_single_slot_mean_is_as_uncertain_as_a_mean_of_its_posts() -> None:
    # one slot, posts 1, 2, 3, 4: μ = 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3, τ² = 0 (nothing to compare),
    # Var(μ̂) = σ²/N = 5/12 — not σ² (an interval 2× too wide for 4 posts)
    h = estimate_hyper(np.array([1.0, 2.0, 3.0, 4.0]), np.array(["A"] * 4))
    assert (h.mu, h.tau2, h.n_posts, h.n_slots) == (2.5, 0.0, 4, 1)
    assert h.sigma2 == pytest.approx(5 / 3) and h.mu_var == pytest.approx(5 / 12)
    post, low, high, weight = shrink(4.0, 4, h, z=2.0)
    assert (post, weight) == (2.5, 0.0)
    assert (low, high) == pytest.approx((2.5 - 2 * math.sqrt(5 / 12), 2.5 + 2 * math.sqrt(5 / 12)))


def test_a_slot_is_kept_at_its_own_mean_when_posts_do_not_vary_within_slots() -> None:
    # σ² = 0 and τ² > 0: a slot's mean is exact, B = τ² / (τ² + 0) = 1, and its interval has zero width
    h = Hyper(mu=3.0, sigma2=0.0, tau2=1.0, n_posts=4, n_slots=2, mu_var=0.25)
    assert shrink(5.0, 2, h) == (5.0, 5.0, 5.0, 1.0)
    # the same rule from data: slots A (1, 1) and B (5, 5)
    h2 = estimate_hyper(np.array([1.0, 1.0, 5.0, 5.0]), np.array(["A", "A", "B", "B"]))
    assert h2.sigma2 == 0.0 and h2.tau2 > 0
    assert shrink(5.0, 2, h2)[0] == 5.0 and shrink(5.0, 2, h2)[3] == 1.0


def _slots(rows: list[tuple[str, int, int, float, float, float, str]], prior: float = 1.0) -> pl.DataFrame:
    """(The tests on these tables check ranking and exploration mechanics, so they call ``recommend_slots`` with
    ``distinguishable=False``; the interval-above-the-mean rule is tested in ``test_best_times.py``.)

    A hand-made slot table: (platform, slot_hour, n_posts, expected, ci_high, shrink_weight, status) on Mondays."""
    return pl.DataFrame(
        [
            {
                "platform": p, "weekday": 0, "weekday_name": "mon", "slot_hour": h, "n_posts": n, "raw_mean": e,
                "expected": e, "ci_low": e - 1, "ci_high": hi, "shrink_weight": w, "status": s, "prior_mean": prior,
                "metric": "er_reach",
            }
            for p, h, n, e, hi, w, s in rows
        ]
    )  # fmt: skip


def test_a_network_is_flat_only_when_every_slot_with_posts_has_weight_zero() -> None:
    assert is_flat(_slots([("x", 9, 2, 1.0, 2.0, 0.0, "ok"), ("x", 10, 0, 1.0, 3.0, 0.0, NOT_ENOUGH)]))  # one slot
    assert not is_flat(_slots([("x", 9, 1, 1.5, 2.0, 0.5, NOT_ENOUGH), ("x", 10, 3, 1.0, 2.0, 0.0, "ok")]))
    assert not is_flat(_slots([("x", 9, 0, 1.0, 3.0, 0.0, NOT_ENOUGH)]))  # no posts at all: not "flat", unknown


def test_recommendations_default_to_five_slots_and_two_explorations_reproducibly() -> None:
    ok = [("x", h, 5, 2.0 + h / 100, 3.0, 0.5, "ok") for h in range(7)]
    thin = [("x", 10 + h, 1, 1.0, 9.0, 0.1, NOT_ENOUGH) for h in range(10)]  # ten explorations tie on ci_high
    table = _slots(ok + thin)
    rec = recommend_slots(table, distinguishable=False)
    assert rec.filter(pl.col("kind") == "recommended")["slot_hour"].to_list() == [6, 5, 4, 3, 2]
    assert rec.filter(pl.col("kind") == "explore").height == 2
    assert rec["rank"].to_list() == list(range(1, 8))
    assert rec.equals(recommend_slots(table, distinguishable=False)) and rec.equals(
        recommend_slots(table, seed=0, distinguishable=False)
    )  # the seed is 0


def test_equal_expectations_prefer_the_slot_with_more_posts() -> None:
    table = _slots([("x", 9, 3, 2.0, 3.0, 0.5, "ok"), ("x", 10, 8, 2.0, 3.0, 0.5, "ok")])
    assert recommend_slots(table, k=1, explore=0, distinguishable=False)["slot_hour"].to_list() == [10]


def test_exploration_must_reach_the_weakest_recommended_slot_not_the_prior() -> None:
    # prior 1.0; the recommended slot expects 2.0: a thin slot reaching 1.5 could not beat it, one reaching 2.5 might
    table = _slots([("x", 9, 9, 2.0, 2.5, 0.9, "ok"), ("x", 10, 1, 1.0, 1.5, 0.1, NOT_ENOUGH)])
    table = pl.concat([table, _slots([("x", 11, 1, 1.0, 2.5, 0.1, NOT_ENOUGH)])])
    rec = recommend_slots(table, k=1, explore=2, distinguishable=False)
    assert rec.select("kind", "slot_hour").rows() == [("recommended", 9), ("explore", 11)]


def test_recommendation_reasons_give_the_rounded_figures() -> None:
    table = _slots([("x", 9, 12, 0.123456, 1.0, 0.7777, "ok"), ("x", 10, 1, 0.1, 0.987654, 0.1, NOT_ENOUGH)])
    rec = recommend_slots(table, k=1, explore=1, distinguishable=False)
    # 100·(1 − 0.7777) = 22.23 -> 22
    assert rec["reason"].to_list() == [
        "expected 0.1235 (12 posts; shrunk 22.0% toward the network mean)",
        "exploration: only 1 post(s) so far; could reach 0.9877",
    ]


def test_recommendations_are_per_network_in_the_order_given() -> None:
    table = _slots([("x", 9, 5, 2.0, 3.0, 0.5, "ok"), ("bluesky", 10, 5, 2.0, 3.0, 0.5, "ok")])
    rec = recommend_slots(table, k=1, explore=0, distinguishable=False)
    assert rec.select("platform", "rank").rows() == [("x", 1), ("bluesky", 1)]


def test_a_table_without_usable_posts_is_empty_with_the_slot_columns() -> None:
    frame = pl.DataFrame(
        {"platform": ["x"], "created_at": [t(1, 9)], "er_reach": [None]},
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "er_reach": pl.Float64},
    )
    out = slot_table(frame)
    assert out.height == 0 and out.columns[:4] == ["platform", "weekday", "weekday_name", "slot_hour"]
    rec = recommend_slots(out)
    assert rec.height == 0 and {"kind", "reason", "rank"} <= set(rec.columns)


def test_exploration_takes_thin_slots_only_highest_reach_first_and_the_floor_itself() -> None:
    # recommended: hour 9 (expected 2.0). Hour 8 is "ok" but not recommended (k = 1): never an exploration.
    # Thin slots: 11 reaches exactly 2.0 (= the floor: in), 12 reaches 3.0, 13 only 1.9 (out)
    table = _slots(
        [
            ("x", 9, 9, 2.0, 2.5, 0.9, "ok"),
            ("x", 8, 9, 1.5, 9.0, 0.9, "ok"),
            ("x", 11, 1, 1.0, 2.0, 0.1, NOT_ENOUGH),
            ("x", 12, 1, 1.0, 3.0, 0.1, NOT_ENOUGH),
            ("x", 13, 1, 1.0, 1.9, 0.1, NOT_ENOUGH),
        ]
    )
    rec = recommend_slots(table, k=1, explore=5, distinguishable=False)
    assert rec.select("kind", "slot_hour").rows() == [("recommended", 9), ("explore", 12), ("explore", 11)]
    assert recommend_slots(table, k=1, explore=1, distinguishable=False)["slot_hour"].to_list() == [9, 12]


def test_hour_blocks_from_1_to_24_and_a_clear_error_beyond() -> None:
    frame = pl.DataFrame(
        {"platform": ["x", "x"], "created_at": [t(1, 9), t(1, 23)], "er_reach": [1.0, 2.0]},
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "er_reach": pl.Float64},
    )
    whole_day = slot_table(frame, hour_block=24, all_slots=False)
    assert whole_day.select("weekday", "slot_hour", "n_posts").rows() == [(0, 0, 2)]
    assert slot_table(frame, all_slots=False)["slot_hour"].to_list() == [9, 23]  # default: plain hours
    for bad in (25, 0, 7):
        with pytest.raises(AnalyticsError) as info:
            slot_table(frame, hour_block=bad)
        assert info.value.where == "--hour-block" and "Use 1, 2, 3, 4, 6, 8, 12 or 24" in (info.value.hint or "")


# ------------------------------------------------------------------ rare branches of the slot model (issue #19)
def _posts(rows: list[tuple[str, object, float]], naive: bool = False) -> pl.DataFrame:
    kind = pl.Datetime("us") if naive else pl.Datetime("us", "UTC")
    return pl.DataFrame(
        {"platform": [r[0] for r in rows], "created_at": [r[1] for r in rows], "er_reach": [r[2] for r in rows]},
        schema={"platform": pl.String, "created_at": kind, "er_reach": pl.Float64},
    )


def test_one_post_per_slot_uses_the_plain_variance_and_one_post_alone_has_none() -> None:
    # slots A and B with one post each (N = S): σ² = var(1, 3; ddof 1) = 2, MSB = 2 as well: τ² = 0
    h = estimate_hyper(np.array([1.0, 3.0]), np.array(["A", "B"]))
    assert (h.mu, h.sigma2, h.tau2) == (2.0, 2.0, 0.0)
    one = estimate_hyper(np.array([5.0]), np.array(["A"]))  # a single post: no variance at all, not NaN
    assert (one.mu, one.sigma2, one.tau2, one.mu_var) == (5.0, 0.0, 0.0, 0.0)
    with pytest.raises(AnalyticsError, match="no posts"):
        estimate_hyper(np.array([]), np.array([]))


def test_shrink_without_a_sample_or_without_any_variance() -> None:
    h = Hyper(mu=3.0, sigma2=1.0, tau2=1.0, n_posts=4, n_slots=2, mu_var=0.0)
    for mean, n in ((None, 5), (2.0, 0)):  # no sample mean, or no posts: the prior, sd √(τ² + Var μ̂) = 1
        assert shrink(mean, n, h, z=2.0) == (3.0, 1.0, 5.0, 0.0)
    # τ² = 0 and σ² = 0: nothing varies, every slot at μ with the grand mean's own interval
    flat = Hyper(mu=3.0, sigma2=0.0, tau2=0.0, n_posts=4, n_slots=2, mu_var=0.25)
    assert shrink(5.0, 2, flat, z=2.0) == (3.0, 2.0, 4.0, 0.0)
    # σ² = 0.5 < 1 is still a variance: B = 1 / (1 + 0.5/1) = 2/3, posterior 0 + 2/3·(1 − 0)
    small = Hyper(mu=0.0, sigma2=0.5, tau2=1.0, n_posts=4, n_slots=2, mu_var=0.0)
    post, _, _, weight = shrink(1.0, 1, small)
    assert weight == pytest.approx(2 / 3) and post == pytest.approx(2 / 3)


def test_slot_table_rows_sorted_by_network_day_and_hour_with_z_and_min_posts() -> None:
    # x: Tue 09 (3 posts) and Mon 23 (2 posts); bluesky: Mon 10 (1 post). A NaN and a missing time are left out.
    frame = _posts(
        [
            ("x", t(2, 9), 1.0), ("x", t(9, 9), 2.0), ("x", t(16, 9), 3.0), ("x", t(1, 23), 1.0),
            ("x", t(8, 23), 1.0), ("x", t(15, 23), float("nan")), ("x", None, 9.0), ("bluesky", t(1, 10), 2.0),
        ]
    )  # fmt: skip
    out = slot_table(frame, all_slots=False, robust=False, z=1.0)
    assert out.select("platform", "weekday", "slot_hour", "n_posts", "status").rows() == [
        ("bluesky", 0, 10, 1, NOT_ENOUGH),
        ("x", 0, 23, 2, NOT_ENOUGH),
        ("x", 1, 9, 3, "ok"),  # the default min_posts is 3
    ]
    # z = 1: each interval is expected ± 1 sd (symmetric), half as wide as at z = 2
    wide = slot_table(frame, all_slots=False, robust=False, z=2.0)
    assert (out["ci_high"] - out["expected"]).to_list() == pytest.approx((out["expected"] - out["ci_low"]).to_list())
    assert ((wide["ci_high"] - wide["ci_low"]) / 2).to_list() == pytest.approx(
        (out["ci_high"] - out["ci_low"]).to_list()
    )


def test_local_time_columns_for_aware_and_naive_times() -> None:
    aware = with_local_time(_posts([("x", t(1, 23, minute=30), 1.0)]), "Europe/Madrid")  # 00:30 Tue in Madrid
    row = aware.row(0, named=True)
    assert (row["weekday"], row["hour"], row["slot_hour"]) == (1, 0, 0)
    naive = with_local_time(_posts([("x", dt.datetime(2024, 1, 1, 23, 30), 1.0)], naive=True), "UTC")  # read as UTC
    row = naive.row(0, named=True)
    assert (row["weekday"], row["hour"], row["slot_hour"], row["local_date"]) == (0, 23, 23, dt.date(2024, 1, 1))
    blocks = with_local_time(_posts([("x", t(1, 23), 1.0)]), "UTC", hour_block=6)
    assert (blocks["hour"][0], blocks["slot_hour"][0]) == (23, 18)
    with pytest.raises(AnalyticsError, match="unknown time zone 'Mars/Base'"):
        with_local_time(_posts([("x", t(1, 9), 1.0)]), "Mars/Base")


# ------------------------------------------------ grains, scales and the slot table's columns (issue #19, mutmut)
def test_slot_keys_per_grain() -> None:
    day, hour = np.array([2, 6]), np.array([14, 23])
    assert slot_key(day, hour, "weekday_hour").tolist() == [214, 623]
    assert slot_key(day, hour, "weekday_hour_shrunk").tolist() == [214, 623]
    assert slot_key(day, hour, "hour").tolist() == [14, 23]
    assert slot_key(day, hour, "block3").tolist() == [12, 21]


def test_scales_at_their_edges() -> None:
    x = np.array([-5.0, 1000.0])
    for scale in ("raw", "log", "rank"):  # fewer than three values: no scale can be fitted, the figures stay
        fwd, back = fit_scale(np.array([1.0, 2.0]), scale)
        assert fwd(x).tolist() == [-5.0, 1000.0] and back(x).tolist() == [-5.0, 1000.0], scale
    fwd, back = fit_scale(np.array([1.0, 2.0, 3.0, 4.0]), "plain")  # the plain model: no change at all
    assert fwd(x).tolist() == [-5.0, 1000.0] and back(x).tolist() == [-5.0, 1000.0]
    fwd, back = fit_scale(np.array([0.0, 1.0, 3.0]), "log")  # a value below the fitted ones counts as 0
    assert fwd(np.array([-5.0]))[0] == 0.0 and back(np.array([np.log(4.0)]))[0] == pytest.approx(3.0)
    # ranks: ties share their mid-rank, (1 + 3)/(2·4) = 0.5 for the two 2s; beyond the ends 0 and 1
    fwd, back = fit_scale(np.array([1.0, 2.0, 2.0, 3.0]), "rank")
    assert fwd(np.array([2.0, 0.0, 10.0])).tolist() == [0.5, 0.0, 1.0]
    assert back(np.array([-0.5, 0.0, 1.0, 1.5])).tolist() == [1.0, 1.0, 3.0, 3.0]  # clipped to [0, 1]
    _, back = fit_scale(np.arange(20.0), "raw")  # raw: capped going in, the figure itself coming back
    assert back(np.array([123.0])).tolist() == [123.0]


def test_the_two_level_model_follows_its_rule_step_by_step() -> None:
    """weekday × hour shrunk toward its hour: the hour level on y, then each cell's residuals y − θ_h shrunk toward
    their mean by the same model; cell = θ_h + (r̂_c − r̄), variances added, weight 1 − (1 − B_h)(1 − B_c)."""
    rng = np.random.default_rng(3)
    weekday = np.repeat([0, 1, 2, 3], 12)
    hour = np.tile([9, 9, 9, 14, 14, 14, 14, 20, 20, 20, 20, 20], 4)
    y = rng.normal(5.0, 1.0, weekday.size) + 3.0 * (hour == 14) + 2.5 * (weekday == 1) * (hour == 20)
    z = 1.5
    model = fit_slot_model(y, weekday, hour, "weekday_hour_shrunk", z=z)
    h_hyper = estimate_hyper(y, hour)
    by_hour = {h: shrink(float(y[hour == h].mean()), int((hour == h).sum()), h_hyper, z=z) for h in (9, 14, 20)}
    r = y - np.array([by_hour[h][0] for h in hour])
    keys = weekday * 100 + hour
    r_hyper = estimate_hyper(r, keys)
    assert h_hyper.tau2 > 0 and r_hyper.tau2 > 0  # both levels shrink part of the way
    for key in np.unique(keys):
        sel = keys == key
        r_post, r_lo, r_hi, r_w = shrink(float(r[sel].mean()), int(sel.sum()), r_hyper, z=z)
        h_post, h_lo, h_hi, h_w = by_hour[int(key) % 100]
        post = h_post + r_post - r_hyper.mu
        sd = math.sqrt(((h_hi - h_lo) / (2 * z)) ** 2 + ((r_hi - r_lo) / (2 * z)) ** 2)
        n, got_post, lo, hi, weight = model.cells[int(key)]
        assert n == int(sel.sum())
        assert (got_post, lo, hi) == pytest.approx((post, post - z * sd, post + z * sd))
        assert weight == pytest.approx(1 - (1 - h_w) * (1 - r_w))
    # an empty cell of a known hour (Friday 14:00) is its hour's estimate; an unknown hour is the prior
    h_post, h_lo, h_hi, h_w = by_hour[14]
    assert model.cells[414] == (0, h_post, h_lo, h_hi, h_w)
    sd = math.sqrt(h_hyper.tau2 + h_hyper.mu_var)
    assert model.mu == pytest.approx(h_hyper.mu)
    assert model.empty == pytest.approx((0, h_hyper.mu, h_hyper.mu - z * sd, h_hyper.mu + z * sd, 0.0))


def test_one_level_models_keep_each_slots_posts_and_the_prior_for_empty_slots() -> None:
    weekday = np.array([0, 1, 2, 0, 1])
    hour = np.array([9, 10, 11, 15, 16])  # block3: 9, 9, 9 and 15, 15
    y = np.array([1.0, 2.0, 3.0, 7.0, 9.0])
    model = fit_slot_model(y, weekday, hour, "block3", z=2.0)
    hyper = estimate_hyper(y, np.array([9, 9, 9, 15, 15]))
    assert sorted(model.cells) == [9, 15]
    assert model.cells[9] == pytest.approx((3, *shrink(2.0, 3, hyper, z=2.0)))
    assert model.cells[15] == pytest.approx((2, *shrink(8.0, 2, hyper, z=2.0)))
    sd = math.sqrt(hyper.tau2 + hyper.mu_var)
    assert model.empty == pytest.approx((0, 4.4, 4.4 - 2 * sd, 4.4 + 2 * sd, 0.0))


def _week(rows: list[tuple[int, int, float]]) -> pl.DataFrame:
    """(weekday, hour, value) posts in the week of Monday 1 January 2024 (UTC)."""
    return pl.DataFrame(
        {
            "platform": ["x"] * len(rows),
            "created_at": [dt.datetime(2024, 1, 1 + d, h, tzinfo=dt.UTC) for d, h, _ in rows],
            "interactions": [v for _, _, v in rows],
        },
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "interactions": pl.Float64},
    )


def test_the_top3_share_is_the_share_of_a_slots_gain_from_its_three_best_posts() -> None:
    # mean 35/7 = 5. Mon 09: 8, 7, 6, 6 -> gains 3, 2, 1, 1 = 7, of which the best three give 6: 6/7.
    # Tue 10: 0 and 3 -> gains −5, −2: no gain, no share. Wed 11: 5 -> gain 0: no share.
    frame = _week([(0, 9, 8.0), (0, 9, 7.0), (0, 9, 6.0), (0, 9, 6.0), (1, 10, 0.0), (1, 10, 3.0), (2, 11, 5.0)])
    table = slot_table(frame, metric="interactions", robust=False, all_slots=False)
    shares = dict(zip(table["weekday"].to_list(), table["top3_share"].to_list(), strict=True))
    assert shares[0] == pytest.approx(6 / 7) and shares[1] is None
    # the raw means and the prior on the metric's own scale
    assert table["raw_mean"].to_list() == pytest.approx([6.75, 1.5, 5.0])
    assert table["prior_mean"].to_list() == pytest.approx([5.0, 5.0, 5.0])


def test_a_grain_groups_the_cells_and_its_posts_decide_the_status() -> None:
    # hour grain: Mon 09 (1 post) and Tue 09 (2 posts) form one slot of 3 posts: both cells are "ok"; Wed 14 alone
    frame = _week([(0, 9, 4.0), (1, 9, 5.0), (1, 9, 6.0), (2, 14, 1.0)])
    table = slot_table(frame, metric="interactions", grain="hour", all_slots=False, robust=False)
    rows = table.select("weekday", "slot_hour", "n_posts", "cell_group", "group_posts", "status", "grain", "scale")
    assert rows.rows() == [
        (0, 9, 1, 9, 3, "ok", "hour", "plain"),
        (1, 9, 2, 9, 3, "ok", "hour", "plain"),
        (2, 14, 1, 14, 1, NOT_ENOUGH, "hour", "plain"),
    ]
    full = slot_table(frame, metric="interactions", grain="hour", robust=False)
    empty = full.filter((pl.col("weekday") == 6) & (pl.col("slot_hour") == 3)).row(0, named=True)
    assert (empty["n_posts"], empty["raw_mean"], empty["group_posts"], empty["distinguishable"]) == (0, None, 0, False)
    assert empty["expected"] == pytest.approx(4.0) and empty["status"] == NOT_ENOUGH


def test_the_log_scale_maps_its_prior_back_to_the_metric() -> None:
    # log(1 + y) of 0, 1, 3, 7 is 0, ln 2, ln 4, ln 8: mean 1.5·ln 2, so the prior is 2^1.5 − 1 on the metric
    frame = _week([(0, 9, 0.0), (1, 10, 1.0), (2, 11, 3.0), (3, 12, 7.0)])
    table = slot_table(frame, metric="interactions", scale="log", all_slots=False)
    assert set(table["scale"]) == {"log"}
    assert table["prior_mean"][0] == pytest.approx(2**1.5 - 1)


def test_a_slot_is_recommended_only_when_its_interval_lies_above_the_mean_and_its_backtest_backs_it() -> None:
    # prior 1.0; hour 9's interval starts at 1.5 (above), hour 10's exactly at the mean (not above)
    table = _slots([("x", 9, 5, 2.5, 3.0, 0.5, "ok"), ("x", 10, 5, 2.0, 3.0, 0.5, "ok")])
    assert recommend_slots(table, explore=0)["slot_hour"].to_list() == [9]  # ci_low = expected − 1
    # where the account's backtest could not tell (backed False or unknown), no slot is advised
    for backed in (False, None):
        with_backed = table.with_columns(pl.lit(backed, pl.Boolean).alias("backed"))
        assert recommend_slots(with_backed, explore=0).height == 0, backed
    assert recommend_slots(table.with_columns(pl.lit(True).alias("backed")), explore=0)["slot_hour"].to_list() == [9]
    # the former rule ignores both the interval and the backtest
    former = recommend_slots(table.with_columns(pl.lit(False).alias("backed")), explore=0, distinguishable=False)
    assert former["slot_hour"].to_list() == [9, 10]


def test_a_reason_says_how_much_of_the_gain_came_from_the_top_3_posts() -> None:
    table = _slots([("x", 9, 12, 0.123456, 1.0, 0.7777, "ok")]).with_columns(pl.lit(0.6666).alias("top3_share"))
    (reason,) = recommend_slots(table, k=1, explore=0, distinguishable=False)["reason"].to_list()
    assert reason == (
        "expected 0.1235 (12 posts; shrunk 22.0% toward the network mean; 67.0% of its gain from its top 3 posts)"
    )
    table = table.with_columns(pl.lit(0.8).alias("top3_share"))  # 100 · 0.8 = 80
    (reason,) = recommend_slots(table, k=1, explore=0, distinguishable=False)["reason"].to_list()
    assert reason.endswith("; 80.0% of its gain from its top 3 posts)")


def test_an_hour_with_min_posts_posts_counts_as_active_for_exploring() -> None:
    # 03:00 has 3 posts in all (1 + 2 on two weekdays), 04:00 only 2: with the default min_posts = 3 the page's
    # audience demonstrably sees posts at 03:00, so its thin 03:00 cells may be explored; 04:00's may not
    rows = [("x", 3, 1, 1.0, 9.0, 0.1, NOT_ENOUGH), ("x", 4, 2, 1.0, 9.5, 0.1, NOT_ENOUGH)]
    table = pl.concat(
        [_slots(rows), _slots([("x", 3, 2, 1.0, 8.0, 0.1, NOT_ENOUGH)]).with_columns(weekday=pl.lit(1, pl.Int64))]
    )
    assert active_hours(table, 3) == set(range(7, 23)) | {3}
    assert active_hours(table, 4) == set(range(7, 23))
    explore = recommend_slots(table, k=0, explore=5)  # default min_posts 3
    assert explore.select("weekday", "slot_hour").rows() == [(0, 3), (1, 3)]


def test_recommendations_keep_their_columns_typed_and_the_networks_in_the_order_given() -> None:
    networks = [f"n{i:02d}" for i in range(30, 0, -1)]
    table = pl.concat([_slots([(n, 9, 5, 2.0, 3.0, 0.5, "ok")]) for n in networks])  # no top3_share column
    rec = recommend_slots(table, k=1, explore=0, distinguishable=False)
    assert rec["platform"].to_list() == networks
    assert rec.schema["top3_share"] == pl.Float64 and rec["top3_share"].null_count() == 30


def test_a_flat_network_gets_no_recommended_slot_even_under_the_former_rule() -> None:
    # every slot with posts has weight 0 (τ² = 0): ranking them would only rank sample sizes
    table = _slots([("x", 9, 8, 2.0, 3.0, 0.0, "ok"), ("x", 10, 5, 1.5, 3.0, 0.0, "ok")])
    assert recommend_slots(table, k=2, explore=0, distinguishable=False).height == 0
    assert recommend_slots(
        table.with_columns(shrink_weight=pl.Series([0.5, 0.0])), k=2, explore=0, distinguishable=False
    )["slot_hour"].to_list() == [9, 10]


def test_a_reason_gives_the_share_of_the_way_to_the_mean_in_percent() -> None:
    # B = 0.2 keeps a fifth of the slot's own difference: shrunk 100·(1 − 0.2) = 80 % toward the mean
    table = _slots([("x", 9, 4, 1.5, 3.0, 0.2, "ok")])
    (reason,) = recommend_slots(table, k=1, explore=0, distinguishable=False)["reason"].to_list()
    assert reason == "expected 1.5 (4 posts; shrunk 80.0% toward the network mean)"


def test_a_network_with_one_thin_slot_is_explored_against_its_prior() -> None:
    # nothing recommended: the floor is the prior (1.0), which the slot's upper bound 2.0 reaches
    rec = recommend_slots(_slots([("x", 9, 1, 1.0, 2.0, 0.1, NOT_ENOUGH)]), k=1, explore=1)
    assert rec.select("kind", "slot_hour").rows() == [("explore", 9)]


def test_exploration_ties_are_broken_by_the_seeded_draws_highest_first() -> None:
    # six thin slots tie on ci_high: the order is that of numpy's default_rng(seed).random(6), highest draw first
    table = _slots([("x", 10 + h, 1, 1.0, 9.0, 0.1, NOT_ENOUGH) for h in range(6)])
    for seed in (0, 7):
        draws = np.random.default_rng(seed).random(6)
        expected = [10 + int(i) for i in np.argsort(-draws)[:3]]
        rec = recommend_slots(table, k=0, explore=3, seed=seed)
        assert rec["slot_hour"].to_list() == expected, seed
