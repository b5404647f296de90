"""Formats in `recommend`: effect size with its interval, ranked by effect, not by post count."""

from __future__ import annotations

import math

import polars as pl
import pytest

from signalboost.analytics.analysis import AnalysisOptions, analyze
from signalboost.analytics.compare import compare_formats
from signalboost.analytics.recommend import format_advice

from .frames import metrics, posts, t


def _frame() -> tuple[pl.DataFrame, pl.DataFrame]:
    # four photos (the most common format) at 1, 2, 3, 2 interactions; three videos at 4, 5, 6
    values = [("photo", 1), ("photo", 2), ("photo", 3), ("photo", 2), ("video", 4), ("video", 5), ("video", 6)]
    p = posts([{"post_id": str(i), "created_at": t(1 + i), "format": f} for i, (f, _) in enumerate(values)])
    m = metrics([{"post_id": str(i), "likes": v, "comments": 0, "shares": 0} for i, (_, v) in enumerate(values)])
    return p, m


def test_effect_size_by_hand_and_ranked_by_effect() -> None:
    p, m = _frame()
    result = analyze(None, p, m, options=AnalysisOptions(metric="interactions"))
    table = compare_formats(result.engagement, metric="interactions")
    assert table["group"].to_list() == ["video", "photo"]  # video first although photo has more posts
    video = table.row(0, named=True)
    sd = float(pl.Series([1, 2, 3, 2, 4, 5, 6]).std())  # type: ignore[arg-type]
    assert video["diff_vs_rest"] == pytest.approx(5 - 2) and video["effect"] == pytest.approx(3 / sd)
    # Welch: s² = 1 (videos) and 2/3 (photos); se = √(1/3 + 1/6); the t quantile checked against scipy below
    from scipy import stats

    se = math.sqrt(1 / 3 + (2 / 3) / 4)
    df = (1 / 3 + 1 / 6) ** 2 / ((1 / 3) ** 2 / 2 + (1 / 6) ** 2 / 3)
    half = float(stats.t.ppf(0.975, df)) * se
    assert video["effect_low"] == pytest.approx((3 - half) / sd) and video["effect_high"] == pytest.approx(
        (3 + half) / sd
    )
    assert video["advice"] == "more of it" and table.row(1, named=True)["advice"] == "less of it"
    advice = format_advice(result)
    assert [(a["format"], a["advice"]) for a in advice] == [("video", "more of it"), ("photo", "less of it")]
    assert advice[0]["evidence"].startswith(f"+{3 / sd:.2f} SD vs the other formats")


def test_no_distinguishable_format_says_so() -> None:
    values = [("photo", 1), ("photo", 5), ("video", 2), ("video", 4)]
    p = posts([{"post_id": str(i), "created_at": t(1 + i), "format": f} for i, (f, _) in enumerate(values)])
    m = metrics([{"post_id": str(i), "likes": v, "comments": 0, "shares": 0} for i, (_, v) in enumerate(values)])
    result = analyze(None, p, m, options=AnalysisOptions(metric="interactions"))
    advice = format_advice(result)
    assert {a["advice"] for a in advice} == {"not distinguishable"}
    assert all(a["evidence"].endswith("the interval includes 0") for a in advice)


def test_a_format_without_a_difference_interval_is_not_enough_data() -> None:
    """Shaped like a Mastodon export (no counts at all) or a format seen once: there is no interval to judge, so
    the advice is "not enough data", never "not distinguishable" (which claims a comparison was made)."""
    values = [("photo", 1), ("photo", 5), ("photo", 3), ("video", 2), ("video", 4), ("link", 9)]
    p = posts([{"post_id": str(i), "created_at": t(1 + i), "format": f} for i, (f, _) in enumerate(values)])
    m = metrics([{"post_id": str(i), "likes": v, "comments": 0, "shares": 0} for i, (_, v) in enumerate(values)])
    p = pl.concat([p, posts([{"post_id": "t", "created_at": t(20), "format": "text"}])], how="diagonal_relaxed")
    result = analyze(None, p, m, options=AnalysisOptions(metric="interactions"))
    advice = dict(zip(result.formats["group"], result.formats["advice"], strict=True))
    assert advice["link"] == "not enough data"  # one post: no interval
    assert advice["text"] == "not enough data"  # no figure at all
    assert advice["photo"] == "not distinguishable"  # an interval that includes 0
