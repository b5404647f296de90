"""The slot model's core by hand: kills mutants of `fit_slot_model` & co. that survived the session-10 mutation run
(the default 95 % level, the weekday cells filled for an hour seen on some days). Every value is worked out in the
comments from the module's formulas (estimate_hyper, shrink)."""

from __future__ import annotations

import numpy as np
import pytest

from signalboost.analytics.timing import fit_slot_model


def test_one_level_hour_model_by_hand() -> None:
    # hour 9: 1, 3 (mean 2); hour 14: 5, 7 (mean 6). μ = 4; σ² = SS_within / (n − s) = 4 / 2 = 2; MSB = (2·4 + 2·4) / 1
    # = 16; n₀ = (4 − Σn²/n) / (s − 1) = (4 − 8/4) = 2; τ² = (16 − 2) / 2 = 7; Var(μ̂) = (τ²·Σn² + σ²·n) / n² =
    # (56 + 8) / 16 = 4. Hour 14: B = 7 / (7 + 2/2) = 0.875, posterior 4 + 0.875·2 = 5.75, variance
    # 0.875·2/2 + 0.125²·4 = 0.9375; an hour without posts: μ ± z·√(τ² + Var μ̂) = 4 ± 1.96·√11
    model = fit_slot_model(np.array([1.0, 3.0, 5.0, 7.0]), np.zeros(4, dtype=int), np.array([9, 9, 14, 14]), "hour")
    assert model.mu == pytest.approx(4.0)
    n, post, low, high, weight = model.cells[14]
    assert (n, post, weight) == (2, pytest.approx(5.75), pytest.approx(0.875))
    assert (low, high) == (pytest.approx(5.75 - 1.96 * 0.9375**0.5), pytest.approx(5.75 + 1.96 * 0.9375**0.5))
    assert model.cells[9][1] == pytest.approx(4 - 0.875 * 2)
    assert model.empty == (
        0,
        pytest.approx(4.0),
        pytest.approx(4 - 1.96 * 11**0.5),
        pytest.approx(4 + 1.96 * 11**0.5),
        0.0,
    )


def test_two_levels_fill_the_seven_weekdays_of_each_hour_seen_and_no_more() -> None:
    # posts on Monday and Tuesday at 9 and 14: every weekday 0–6 of hours 9 and 14 gets a cell (the hour's estimate
    # where the day has no post), no other key
    weekday = np.array([0, 0, 1, 1, 0, 1])
    hour = np.array([9, 14, 9, 14, 9, 14])
    model = fit_slot_model(np.array([1.0, 5.0, 3.0, 7.0, 2.0, 6.0]), weekday, hour, "weekday_hour_shrunk")
    assert set(model.cells) == {d * 100 + h for d in range(7) for h in (9, 14)}
    # a day without posts has the hour's one-level estimate (n = 0)
    hours = fit_slot_model(np.array([1.0, 5.0, 3.0, 7.0, 2.0, 6.0]), weekday, hour, "hour")
    assert model.cells[614][0] == 0 and model.cells[614][1] == pytest.approx(hours.cells[14][1])
