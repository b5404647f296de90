"""The combination of the component percentiles into the score (``combine``): the tail rule by hand, its bounds
and monotonicity, renormalisation over unknown components, bad input, the strategy setting, and a backtest where
very active mid-authority accounts must not bury the hubs."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from signalboost.errors import InfluenceError
from signalboost.influence import components as comp
from signalboost.influence.backtest import make_cut, metrics, score_of
from signalboost.influence.data import InfluenceData
from signalboost.influence.score import combine, compute_influence
from signalboost.model.strategy import InfluenceSettings

NAN = float("nan")
W = {"authority": 3.0, "activity": 1.0}  # renormalised: 75 % / 25 %, as on the Higgs data


def test_tail_rule_by_hand_keeps_the_hub_above_the_active_mid_account() -> None:
    pcts = {
        "authority": np.array([99.0, 90.0, 50.0, NAN, 30.0]),
        "activity": np.array([20.0, 99.9, NAN, NAN, 30.0]),
    }
    got = combine(pcts, W)
    # hub: tail shares 0.01 and 0.8 -> 1 - 0.01^0.75 · 0.8^0.25 = 1 - 0.0316228 · 0.9457416 = 1 - 0.0299070
    assert got[0] == pytest.approx(100 * (1 - 0.0316227766 * 0.9457416090), abs=1e-7)
    assert got[0] == pytest.approx(97.00930, abs=1e-4)
    # active mid account: tail shares 0.1 and 0.001 -> 1 - 0.1^0.75 · 0.001^0.25 = 1 - 0.1778279 · 0.1778279
    assert got[1] == pytest.approx(100 * (1 - 0.1778279410**2), abs=1e-7)
    assert got[1] == pytest.approx(96.83772, abs=1e-4)
    assert got[0] > got[1]  # the weighted mean puts the mid account first: 92.475 > 79.25
    old = combine(pcts, W, rule="mean")
    assert old[0] == pytest.approx(0.75 * 99 + 0.25 * 20) and old[1] == pytest.approx(0.75 * 90 + 0.25 * 99.9)
    assert old[1] > old[0]
    assert got[2] == pytest.approx(50.0)  # one known component: the score is its percentile
    assert math.isnan(got[3])  # nothing known: unknown, not 0
    assert got[4] == pytest.approx(30.0)  # every component at p: the score is p, under both rules


def test_three_components_by_hand() -> None:
    pcts = {"reach": np.array([75.0]), "authority": np.array([96.0]), "topic": np.array([0.0])}
    w = {"reach": 0.25, "authority": 0.5, "topic": 0.25}
    # tail shares 0.25, 0.04, 1: 0.25^0.25 · 0.04^0.5 · 1 = 0.7071068 · 0.2 = 0.1414214 -> 85.85786
    assert combine(pcts, w)[0] == pytest.approx(85.857864, abs=1e-5)


def test_renormalises_over_unknown_and_zero_weight_components() -> None:
    auth = np.array([99.0, 80.0, 10.0])
    act = np.array([NAN, 20.0, 95.0])
    both = combine({"authority": auth, "activity": act}, W)
    assert both[0] == pytest.approx(99.0)  # activity unknown for this account: authority alone
    assert both[1:] == pytest.approx(combine({"authority": auth[1:], "activity": act[1:]}, W)[:])
    # a component of weight 0 does not count, even at percentile 100 (no 0 · ln 0)
    zero = combine({"authority": auth, "activity": np.full(3, 100.0)}, {"authority": 1.0, "activity": 0.0})
    assert zero == pytest.approx(auth)
    assert math.isnan(combine({"topic": np.array([50.0])}, {"topic": 0.0})[0])
    # weights are renormalised: scaling them all changes nothing
    assert combine({"authority": auth, "activity": act}, {"authority": 30.0, "activity": 10.0}) == pytest.approx(
        both, nan_ok=True
    )


def test_percentile_100_is_guarded_and_never_produced() -> None:
    top = combine({"authority": np.array([100.0, 99.0])}, {"authority": 1.0})
    assert np.isfinite(top).all() and 99.999 < top[0] <= 100.0 and top[1] == pytest.approx(99.0)
    for n in (1, 2, 7, 100_000):
        pct = comp.percentile_rank(np.arange(n, dtype=float))
        assert pct.max() == pytest.approx(100 - 50 / n) and pct.max() < 100 and pct.min() > 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100), st.floats(0, 100) | st.just(NAN)), min_size=1, max_size=6),
    st.tuples(st.floats(0.01, 5), st.floats(0, 5), st.floats(0, 5)),
    st.integers(0, 2),
    st.floats(0, 100),
)
def test_bounds_and_monotone_in_every_component(
    rows: list[tuple[float, float, float]], weights: tuple[float, ...], which: int, raise_to: float
) -> None:
    names = ("reach", "authority", "topic")
    pcts = {c: np.array([r[i] for r in rows]) for i, c in enumerate(names)}
    w = dict(zip(names, weights, strict=True))
    score = combine(pcts, w)
    known = [np.where(np.isnan(pcts[c]) | (w[c] == 0), np.nan, pcts[c]) for c in names]
    lo, hi = np.nanmin(known, axis=0), np.nanmax(known, axis=0)
    # a generalised mean: between the smallest and the largest known percentile, so within 0–100
    assert ((score >= lo - 1e-9) & (score <= hi + 1e-9)).all()
    higher = {c: v.copy() for c, v in pcts.items()}
    higher[names[which]] = np.where(np.isnan(higher[names[which]]), NAN, np.maximum(higher[names[which]], raise_to))
    assert (combine(higher, w) >= score - 1e-9).all()


@pytest.mark.parametrize(
    ("pcts", "weights", "rule", "message"),
    [
        ({"authority": np.array([50.0])}, W, "median", "unknown rule"),
        ({"authority": np.array([100.5])}, W, "tail", "outside 0–100"),
        ({"authority": np.array([-1.0])}, W, "mean", "outside 0–100"),
        ({"authority": np.array([50.0])}, {"authority": -1.0}, "tail", "negative"),
        ({"authority": np.array([50.0]), "activity": np.array([1.0, 2.0])}, W, "tail", "expected 1"),
        ({}, W, "tail", "no component"),
    ],
)
def test_bad_input(pcts: dict[str, np.ndarray], weights: dict[str, float], rule: str, message: str) -> None:
    with pytest.raises(InfluenceError, match=message):
        combine(pcts, weights, rule=rule)


T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def _frame(rows: list[tuple[str, str, str, dt.datetime]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["actor_id", "kind", "target_account_id", "occurred_at"], orient="row")


def test_strategy_setting_picks_the_rule() -> None:
    assert InfluenceSettings().combine == "tail"
    with pytest.raises(ValidationError):
        InfluenceSettings(combine="median")  # type: ignore[arg-type]
    rows = [(f"f{i}", "repost", "hub", T0 + dt.timedelta(hours=i)) for i in range(6)]
    rows += [("busy", "mention", f"f{i}", T0 + dt.timedelta(days=d)) for i in range(3) for d in range(3)]
    data = InfluenceData.from_frames("x", interactions=_frame(rows))
    weights = {"reach": 0.0, "authority": 0.30, "amplification": 0.2, "topic": 0.15, "activity": 0.10}
    for rule in ("tail", "mean"):
        table = compute_influence(data, InfluenceSettings.model_validate({"combine": rule, "weights": weights})).table
        a, b = table["authority"].to_numpy(), table["activity"].to_numpy()
        known = ~np.isnan(b)
        if rule == "mean":
            expected = np.where(known, (0.30 * a + 0.10 * b) / 0.40, a)
        else:
            expected = np.where(known, 100 * (1 - (1 - a / 100) ** 0.75 * (1 - b / 100) ** 0.25), a)
        assert table["score"].to_numpy() == pytest.approx(expected)


def test_backtest_hubs_stay_above_very_active_mid_accounts() -> None:
    """5 hubs reposted by many accounts, 40 minor accounts reposted by 5 each, and 10 mid accounts reposted by 2
    each who post 30 times a day. Afterwards the hubs get most reposts, the minor accounts some, the mid accounts
    one each. The mean of percentiles ranks the busy mid accounts first; the tail rule must rank as well as
    authority alone."""
    rows: list[tuple[str, str, str, dt.datetime]] = []
    for h in range(5):
        rows += [(f"hf{h}_{j}", "repost", f"hub{h}", T0) for j in range(60 + 10 * h)]
        rows.append((f"hub{h}", "repost", f"hub{(h + 1) % 5}", T0))  # each hub posts once: low activity
    for g in range(40):
        rows += [(f"gf{g}_{j}", "repost", f"minor{g}", T0) for j in range(5)]
    for m in range(10):
        rows += [(f"mf{m}_{j}", "repost", f"mid{m}", T0) for j in range(2)]
        rows += [
            (f"mid{m}", "mention", f"x{(m * 30 + j) % 300}", T0 + dt.timedelta(days=d, minutes=j))
            for d in range(3)
            for j in range(30)
        ]
    later = T0 + dt.timedelta(days=4)
    for h in range(5):
        rows += [(f"n{h}_{j}", "repost", f"hub{h}", later) for j in range(50 + 10 * h)]
    rows += [(f"o{g}_{j}", "repost", f"minor{g}", later) for g in range(40) for j in range(3)]
    rows += [(f"p{m}", "repost", f"mid{m}", later) for m in range(10)]
    cut = make_cut(_frame(rows), T0 + dt.timedelta(days=3))
    weights = {"authority": 0.75, "activity": 0.25}
    tail, mean = (metrics(score_of(cut, weights, rule), cut.gains, k=10) for rule in ("tail", "mean"))
    authority = metrics(cut.pcts["authority"], cut.gains, k=10)[0]
    assert tail[0] >= authority - 1e-12
    assert mean[0] < authority - 0.1  # the old rule buries the hubs here
    assert tail[1] >= mean[1]


# ------------------------------------------------------------------ rules a careless edit would break (issue #19)
def test_a_percentile_of_100_counts_as_the_tail_floor_not_as_certainty() -> None:
    # share 1 − 100/100 = 0 is floored at 1e-12: score = 100·(1 − 1e-12) = 100 − 1e-10, never exactly 100;
    # beside a component at percentile 0 (share 1), weights 1:1: 100·(1 − √(1e-12 · 1)) = 100 − 1e-4
    alone = combine({"authority": np.array([100.0])}, {"authority": 1.0})
    assert alone[0] < 100.0 and alone[0] == pytest.approx(100 - 1e-10, abs=1e-12)
    both = combine({"authority": np.array([100.0]), "activity": np.array([0.0])}, {"authority": 1.0, "activity": 1.0})
    assert both[0] == pytest.approx(100 - 1e-4, abs=1e-9)
