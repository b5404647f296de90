"""Pillar assignment (label > rule > classifier > unclassified) and the mix vs target."""

from __future__ import annotations

import polars as pl
import pytest

from signalboost.analytics.pillars import PillarRules, assign_pillars, pillar_mix
from signalboost.errors import AnalyticsError
from signalboost.model.strategy import Pillar

from .frames import posts, t

PILLARS = [
    Pillar(id="product", name="Product", weight=40, keywords=["serum", "lipstick"], hashtags=["#NewIn"]),
    Pillar(id="inspiration", name="Inspiration", weight=30, keywords=["glow"]),
    Pillar(id="action", name="Action", weight=20, keywords=["giveaway"], hashtags=["win"]),
    Pillar(id="education", name="Education", weight=10, keywords=["how to"]),
]
EXAMPLES = [
    ("Our new hydrating serum with hyaluronic acid for soft skin", "product"),
    ("Meet the matte lipstick in six new shades, long lasting colour", "product"),
    ("Natural light, slow mornings and a calm mind: feel beautiful", "inspiration"),
    ("Sunday sunsets and quiet confidence, beauty is a feeling", "inspiration"),
    ("Comment and share to enter our contest, prizes for three winners", "action"),
    ("Tag a friend to enter, winners announced Friday, prizes inside", "action"),
]


def _assign(rows: list[dict[str, object]], **kw: object) -> pl.DataFrame:
    return assign_pillars(posts(rows), PILLARS, examples=EXAMPLES, **kw)  # type: ignore[arg-type]


def test_label_wins_over_rules() -> None:
    out = _assign([{"post_id": "1", "text": "giveaway serum", "pillars": ["inspiration"]}])
    assert out.row(0, named=True) | {"confidence": 1.0} == {
        "platform": "facebook",
        "post_id": "1",
        "pillars": ["inspiration"],
        "method": "label",
        "confidence": 1.0,
    }


def test_rules_match_whole_words_accents_and_hashtags() -> None:
    rules = PillarRules.from_pillars(PILLARS)
    assert rules.match("New SÉRUM in store", None) == ["product"]  # accent- and case-insensitive
    assert rules.match("serums", None) == []  # whole words only
    assert rules.match("Nothing here", ["newin"]) == ["product"]  # hashtag list without #
    assert rules.match("Enter now #WIN", None) == ["action"]  # hashtag in the text
    assert sorted(rules.match("a giveaway of our lipstick", None)) == ["action", "product"]  # several pillars
    assert rules.match("How to layer", None) == ["education"]  # multi-word keyword
    out = _assign([{"post_id": "2", "text": "Glow all day"}])
    assert out["method"][0] == "rule" and out["pillars"][0].to_list() == ["inspiration"]


def test_classifier_with_confidence_and_threshold() -> None:
    text = "share and tag a friend to enter the contest, three winners get prizes"
    out = _assign([{"post_id": "3", "text": text}], threshold=0.3)
    row = out.row(0, named=True)
    assert row["method"] == "classifier" and row["pillars"] == ["action"]
    assert 0.3 <= row["confidence"] <= 1
    strict = _assign([{"post_id": "3", "text": text}], threshold=0.99).row(0, named=True)
    assert strict["method"] == "unclassified" and strict["pillars"] == []
    assert strict["confidence"] == pytest.approx(row["confidence"])  # the probability is still reported


def test_no_text_and_no_examples_is_unclassified() -> None:
    out = assign_pillars(posts([{"post_id": "4", "text": None}, {"post_id": "5", "text": "random words"}]), PILLARS)
    assert out["method"].to_list() == ["unclassified", "unclassified"]
    assert out["confidence"].to_list() == [None, None]


def test_bad_threshold() -> None:
    with pytest.raises(AnalyticsError, match="between 0 and 1"):
        _assign([{"post_id": "1"}], threshold=1.5)


def test_mix_counts_multi_pillar_posts_fractionally_and_flags_drift() -> None:
    frame = posts(
        [
            {"post_id": "1", "created_at": t(2), "pillars": ["product"]},
            {"post_id": "2", "created_at": t(3), "pillars": ["product", "action"]},
            {"post_id": "3", "created_at": t(4), "pillars": ["action"]},
            {"post_id": "4", "created_at": t(5), "pillars": None},
            {"post_id": "5", "created_at": t(2, month=2), "pillars": ["inspiration"]},
        ]
    )
    weights = {"product": 0.4, "inspiration": 0.3, "action": 0.2, "education": 0.1}
    mix = pillar_mix(frame, weights, per_month=True, margin=0.1)
    jan = {r["pillar"]: r for r in mix.filter(pl.col("month") == "2024-01").iter_rows(named=True)}
    assert jan["product"]["posts"] == pytest.approx(1.5) and jan["product"]["share"] == pytest.approx(1.5 / 4)
    # four posts cannot show drift: 37.5% vs 20% has the Wilson interval [9%, 78%]; 0% vs 30% has 1.2 posts due (< 2)
    assert jan["action"]["share"] == pytest.approx(1.5 / 4) and not jan["action"]["drift"]
    assert jan["action"]["share_low"] < 0.2 < jan["action"]["share_high"]
    assert not jan["product"]["drift"]  # 37.5% vs 40%
    assert jan["inspiration"]["share"] == 0 and not jan["inspiration"]["drift"]
    assert jan["inspiration"]["expected"] == pytest.approx(1.2) and jan["inspiration"]["posts_off"] == pytest.approx(
        -1.2
    )
    assert jan["unclassified"]["share"] == pytest.approx(0.25) and not jan["unclassified"]["drift"]
    assert sum(r["share"] for r in jan.values()) == pytest.approx(1.0)
    feb = mix.filter((pl.col("month") == "2024-02") & (pl.col("pillar") == "inspiration")).row(0, named=True)
    assert feb["share"] == 1.0 and feb["n_posts"] == 1
    total = pillar_mix(frame, weights, per_month=False)
    assert set(total["month"]) == {"all"}
