"""Scores against ground truth: hand-computed BER/F1, a scikit-learn peer, the optimal matching and baselines."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score

from signalboost.audience.evaluate import (
    as_circles,
    ber,
    circle_agreement,
    f1,
    label_agreement,
    matched_score,
    random_circle_baseline,
    random_label_baseline,
)


def test_ber_and_f1_by_hand() -> None:
    c, t = frozenset({0, 1, 2}), frozenset({1, 2, 3})
    # |C \ C̄| / |C| = 1/3; outside C (7 items) but in C̄: {3} → 1/7
    assert ber(c, t, 10) == pytest.approx(0.5 * (1 / 3 + 1 / 7))
    assert f1(c, t) == pytest.approx(2 * 2 / 6)
    assert ber(t, t, 10) == 0.0 and f1(t, t) == 1.0
    assert f1(frozenset(), frozenset()) == 0.0


def test_one_minus_ber_equals_balanced_accuracy_with_roles_swapped() -> None:
    rng = np.random.default_rng(4)
    for _ in range(20):
        pred, true = rng.random(50) < 0.3, rng.random(50) < 0.4
        c, t = frozenset(np.flatnonzero(pred).tolist()), frozenset(np.flatnonzero(true).tolist())
        if 0 < len(c) < 50:
            assert 1 - ber(c, t, 50) == pytest.approx(balanced_accuracy_score(pred, true))


def test_optimal_matching() -> None:
    detected = [frozenset({0, 1}), frozenset({5, 6, 7})]
    truth = [frozenset({5, 6}), frozenset({0, 1, 2})]
    # the crossed matching: 2·2/(2+3) = 0.8 both
    assert matched_score(detected, truth, f1) == pytest.approx(0.8)
    assert circle_agreement(detected, truth, 10)["f1"] == pytest.approx(0.8)
    assert matched_score([], truth, f1) is None
    # more detected than true circles: only the best one is matched
    assert matched_score([*detected, frozenset({9})], truth[:1], f1) == pytest.approx(0.8)


def test_as_circles_skips_other() -> None:
    assert as_circles(np.array([0, -1, 1, 0]), [10, 11, 12, 13]) == [frozenset({10, 13}), frozenset({12})]


def test_baselines_near_chance_and_perfect_labels_score_one() -> None:
    truth = np.repeat(["a", "b", "c"], 100)
    perfect = np.repeat([0, 1, 2], 100)
    assert label_agreement(truth, perfect) == {"nmi": pytest.approx(1.0), "ari": pytest.approx(1.0)}
    rand = random_label_baseline(truth, perfect)
    assert abs(rand["ari"]) < 0.02 and rand["nmi"] < 0.03
    circles = as_circles(perfect)
    ours = circle_agreement(circles, circles, 300)
    base = random_circle_baseline(perfect, circles, list(range(300)))
    assert ours["f1"] == 1.0 and base["f1"] is not None and base["f1"] < 0.45
