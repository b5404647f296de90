"""Pillar drift you can trust: the target outside the Wilson interval of the share, or 0 posts where ≥ 2 were due."""

from __future__ import annotations

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
