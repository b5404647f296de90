"""Pillar drift you can trust: the target outside the Wilson interval of the share, or 0 posts where ≥ 2 were due."""

from __future__ import annotations

import polars as pl
import pytest

from signalboost.analytics.pillars import drift_words, pillar_mix, wilson_interval

from .frames import posts, t


def _mix(counts: dict[str, int], weights: dict[str, float]) -> dict[str, dict[str, object]]:
    rows = []
    i = 0
    for pillar, n in counts.items():
        for _ in range(n):
            rows.append({"post_id": str(i), "created_at": t(1 + i % 28), "pillars": [pillar] if pillar else None})
            i += 1
    mix = pillar_mix(posts(rows), weights, per_month=False)
    return {str(r["pillar"]): r for r in mix.iter_rows(named=True)}


def test_wilson_by_hand() -> None:
    # 0 of 50: p̂ = 0, so the bounds are 0 and (z²/n) / (1 + z²/n) = 0.0768292 / 1.0768292 = 0.0713476
    low, high = wilson_interval(0, 50)
    assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(0.0713476, abs=1e-6)
    # 40 of 100: centre (0.4 + 0.019207) / 1.038415 = 0.403699, half 1.959964·√(0.0024 + 0.0000960) / 1.038415
    low, high = wilson_interval(40, 100)
    assert (low, high) == (pytest.approx(0.309401, abs=1e-5), pytest.approx(0.497997, abs=1e-5))
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_zero_percent_against_ten_over_fifty_posts_drifts_by_five() -> None:
    mix = _mix({"product": 50}, {"product": 0.9, "education": 0.1})
    edu = mix["education"]
    assert edu["share"] == 0 and edu["drift"] is True
    assert edu["expected"] == pytest.approx(5.0) and edu["posts_off"] == pytest.approx(-5.0)
    assert drift_words(edu) == "education: 0 of 50 posts (0%), 5 were due (10%) — 5 posts too few"
    assert mix["product"]["drift"] is True and mix["product"]["posts_off"] == pytest.approx(5.0)


def test_a_tiny_share_against_ten_percent_drifts() -> None:
    # the 0.06 % vs 10 %: 1 post of 1,600
    mix = _mix({"education": 1, "product": 1599}, {"product": 0.9, "education": 0.1})
    assert mix["education"]["drift"] is True and mix["education"]["posts_off"] == pytest.approx(1 - 160)


def test_absent_pillar_drifts_once_two_posts_were_due() -> None:
    # 0 of 10 at 20 %: the Wilson interval [0, 27.8 %] holds 20 %, but 2 posts were due and none came
    mix = _mix({"product": 10}, {"product": 0.8, "education": 0.2})
    assert mix["education"]["share_high"] > 0.2 and mix["education"]["drift"] is True
    # 0 of 10 at 10 %: 1 post due, the interval holds it: too early to call it drift
    mix = _mix({"product": 10}, {"product": 0.9, "education": 0.1})
    assert mix["education"]["drift"] is False


def test_within_the_interval_is_not_drift_and_unclassified_never_drifts() -> None:
    # 20 of 100 vs 25 %: Wilson [13.3 %, 28.9 %] holds it; 40 of 100 vs 25 %: [30.9 %, 49.8 %] does not (+15 posts)
    mix = _mix({"a": 20, "b": 40, "c": 30, None: 10}, {"a": 0.25, "b": 0.25, "c": 0.5})  # type: ignore[dict-item]
    assert mix["a"]["drift"] is False
    assert mix["b"]["drift"] is True and mix["b"]["posts_off"] == pytest.approx(15.0)
    assert mix["unclassified"]["drift"] is False


def test_the_margin_is_a_gap_the_drift_must_exceed() -> None:
    # 50 of 100 vs 25 %: Wilson [40.4 %, 59.6 %] leaves 25 % out; the gap is 0.5 − 0.25 = 0.25 exactly
    assert _mix({"a": 50, "b": 50}, {"a": 0.25, "b": 0.75})["a"]["drift"] is True
    margin = {m: pillar_mix(posts(_rows({"a": 50, "b": 50})), {"a": 0.25, "b": 0.75}, per_month=False, margin=m)
              for m in (0.24, 0.25)}  # fmt: skip
    assert [bool(margin[m].filter(pl.col("pillar") == "a")["drift"][0]) for m in (0.24, 0.25)] == [True, False]


def test_a_lower_confidence_narrows_the_interval_and_flags_sooner() -> None:
    # 20 of 100 vs 25 %: at 95 % Wilson [13.3 %, 28.9 %] holds 25 %; at 50 % (z = 0.6745) the interval is
    # centre (0.2 + 0.4549/200) / 1.004549 = 0.201360, half 0.6745·√(0.0016 + 0.0000114) / 1.004549 = 0.026953:
    # [17.4 %, 22.8 %], which leaves 25 % out
    rows = posts(_rows({"a": 20, "b": 80}))
    weights = {"a": 0.25, "b": 0.75}
    wide = pillar_mix(rows, weights, per_month=False).filter(pl.col("pillar") == "a").row(0, named=True)
    narrow = pillar_mix(rows, weights, per_month=False, confidence=0.5).filter(pl.col("pillar") == "a")
    row = narrow.row(0, named=True)
    assert wide["drift"] is False and row["drift"] is True
    assert (row["share_low"], row["share_high"]) == (
        pytest.approx(0.174407, abs=1e-5),
        pytest.approx(0.228313, abs=1e-5),
    )


def test_undated_posts_are_not_in_the_mix_and_a_two_pillar_post_counts_half_to_each() -> None:
    rows = [
        *_rows({"a": 4, "b": 4}),
        {"post_id": "ab1", "created_at": t(3), "pillars": ["a", "b"]},
        {"post_id": "ab2", "created_at": t(4), "pillars": ["a", "b"]},
        {"post_id": "undated", "created_at": None, "pillars": ["a"]},
    ]
    mix = {r["pillar"]: r for r in pillar_mix(posts(rows), {"a": 0.5, "b": 0.5}, per_month=False).iter_rows(named=True)}
    assert (mix["a"]["posts"], mix["b"]["posts"], mix["a"]["n_posts"]) == (5.0, 5.0, 10)
    assert mix["a"]["share"] == 0.5 and mix["a"]["expected"] == 5.0 and mix["a"]["posts_off"] == 0.0


def test_drift_words_say_one_post_and_too_many() -> None:
    row = {"pillar": "x", "posts": 3.0, "n_posts": 10, "share": 0.3, "expected": 2.0, "target": 0.2, "posts_off": 1.0}
    assert drift_words(row) == "x: 3 of 10 posts (30%), 2 were due (20%) — 1 post too many"
    row |= {"posts": 1.0, "share": 0.1, "expected": 3.0, "target": 0.3, "posts_off": -2.0}
    assert drift_words(row) == "x: 1 of 10 posts (10%), 3 were due (30%) — 2 posts too few"


def _rows(counts: dict[str, int]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for pillar, n in counts.items():
        out += [{"post_id": f"{pillar}{i}", "created_at": t(1 + i % 28), "pillars": [pillar]} for i in range(n)]
    return out
