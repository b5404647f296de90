"""Group comparisons: t and Welch intervals against scipy, bootstrap repeatability, bad input."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy import stats

from signalboost.analytics.compare import bootstrap_diff, compare_groups, compare_paid, welch_interval
from signalboost.errors import AnalyticsError

PHOTO = [0.02, 0.03, 0.05, 0.04]
VIDEO = [0.01, 0.02, 0.015]


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "platform": ["x"] * 8,
            "format": ["photo"] * 4 + ["video"] * 3 + [None],
            "paid": [True, False, None, False, True, False, False, True],
            "er_reach": [*PHOTO, *VIDEO, None],
        }
    )


def test_welch_matches_scipy() -> None:
    diff, lo, hi = welch_interval(np.array(PHOTO), np.array(VIDEO))  # type: ignore[misc]
    ci = stats.ttest_ind(PHOTO, VIDEO, equal_var=False).confidence_interval(0.95)
    assert diff == pytest.approx(np.mean(PHOTO) - np.mean(VIDEO))
    assert (lo, hi) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert welch_interval(np.array([1.0]), np.array(VIDEO)) is None


def test_groups_by_format_with_missing_values() -> None:
    out = compare_groups(_frame(), "format", metric="er_reach")
    photo = out.filter(pl.col("group") == "photo").row(0, named=True)
    assert photo["n_used"] == 4 and photo["mean"] == pytest.approx(np.mean(PHOTO))
    lo, hi = stats.t.interval(0.95, 3, loc=np.mean(PHOTO), scale=stats.sem(PHOTO))
    assert (photo["ci_low"], photo["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    # the rest of photo = the three videos (the unknown-format post has no metric)
    assert photo["diff_vs_rest"] == pytest.approx(np.mean(PHOTO) - np.mean(VIDEO))
    unknown = out.filter(pl.col("group") == "unknown").row(0, named=True)
    assert (unknown["n_posts"], unknown["n_used"], unknown["n_excluded"], unknown["mean"]) == (1, 0, 1, None)


def test_paid_vs_organic_keeps_unknown_apart() -> None:
    out = compare_paid(_frame())
    assert set(out["group"]) == {"paid", "organic", "unknown"}
    paid = out.filter(pl.col("group") == "paid").row(0, named=True)
    assert paid["n_posts"] == 3 and paid["n_used"] == 2  # the last paid post has no metric
    assert paid["mean"] == pytest.approx((0.02 + 0.01) / 2)  # posts 1 and 5


def test_bootstrap_is_seeded_and_brackets_the_difference() -> None:
    a, b = np.array(PHOTO * 5), np.array(VIDEO * 5)
    one = bootstrap_diff(a, b, seed=3)
    assert one == bootstrap_diff(a, b, seed=3)
    assert one is not None and one[1] <= one[0] <= one[2]
    out = compare_groups(_frame(), "format", method="bootstrap", seed=1)
    assert out["method"].unique().to_list() == ["bootstrap"]


def test_bad_method_and_column() -> None:
    with pytest.raises(AnalyticsError, match="interval method"):
        compare_groups(_frame(), "format", method="magic")
    with pytest.raises(AnalyticsError, match="colour"):
        compare_groups(_frame(), "colour")
