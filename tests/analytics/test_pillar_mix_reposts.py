"""Reposts (retweets, boosts) share another account's post: they are left out of the brand's pillar mix, and said."""

from __future__ import annotations

import polars as pl
import pytest

from signalboost.analytics.analysis import analyze
from signalboost.analytics.pillars import pillar_mix, without_reposts

from .frames import metrics, posts, t


def _history() -> pl.DataFrame:
    """Four own posts on x (pillars a, a, b, a) and two retweets of other accounts' posts (no pillar)."""
    rows = [
        {"platform": "x", "post_id": "1", "created_at": t(1), "pillars": ["a"], "text": "our linen"},
        {"platform": "x", "post_id": "2", "created_at": t(2), "pillars": ["a"], "text": "our wool"},
        {"platform": "x", "post_id": "3", "created_at": t(3), "pillars": ["b"], "text": "how to wash"},
        {"platform": "x", "post_id": "4", "created_at": t(4), "pillars": ["a"], "text": "our cotton"},
        {"platform": "x", "post_id": "5", "created_at": t(5), "pillars": None, "text": "RT @maker: new loom"},
        {"platform": "x", "post_id": "6", "created_at": t(6), "pillars": None, "text": "RT @press: review"},
    ]
    repost_of = [None, None, None, None, "99", "98"]
    return posts(rows).with_columns(pl.Series("repost_of", repost_of, dtype=pl.String))


def test_reposts_are_left_out_and_counted_per_network() -> None:
    history = _history()
    kept, gone = without_reposts(history, history)
    assert sorted(kept["post_id"]) == ["1", "2", "3", "4"] and gone == {"x": 2}
    mix = {r["pillar"]: r for r in pillar_mix(kept, {"a": 0.75, "b": 0.25}, per_month=False).iter_rows(named=True)}
    # hand-computed: a 3 of 4, b 1 of 4 = exactly the targets; with the reposts it read 3/6 and 1/6 + 2 unclassified
    assert mix["a"]["share"] == pytest.approx(0.75) and mix["b"]["share"] == pytest.approx(0.25)
    assert mix["a"]["n_posts"] == 4 and "unclassified" not in mix
    assert not mix["a"]["drift"] and not mix["b"]["drift"]


def test_a_frame_without_reposts_is_unchanged() -> None:
    history = _history().filter(pl.col("repost_of").is_null())
    kept, gone = without_reposts(history, history)
    assert kept.equals(history) and gone == {}
    no_column = history.drop("repost_of")
    kept, gone = without_reposts(no_column, no_column)
    assert kept.equals(no_column) and gone == {}


def test_analyze_leaves_reposts_out_of_the_mix_and_says_so() -> None:
    history = _history()
    m = metrics([{"platform": "x", "post_id": str(i), "likes": i, "shares": 0, "comments": 0} for i in range(1, 7)])
    result = analyze(None, history, m)
    assert set(result.pillar_mix["n_posts"]) == {4}  # six posts, two of them retweets
    assert "x: 2 reposts (other accounts' posts shared) are left out of the pillar mix" in result.notes
    assert result.engagement.height == 6  # engagement still reads every post
