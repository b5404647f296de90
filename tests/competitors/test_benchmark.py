"""The benchmark algorithm on hand-made posts whose answers are worked out by hand (and scipy for t quantiles)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl
import pytest
from scipy import stats

from signalboost.competitors.benchmark import benchmark
from signalboost.errors import AnalyticsError

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2024, 1, 29, tzinfo=dt.UTC)  # 28 days = 4 weeks


def _rows(account: str, values: list[float | None], fmt: str, *, brand: bool = False, followers: float | None = None):
    out = []
    for i, v in enumerate(values):
        out.append(
            {
                "platform": "instagram",
                "account": account,
                "created_at": START + dt.timedelta(hours=6 * i + 1),
                "format": fmt,
                "interactions": v,
                "er_followers": None if (v is None or followers is None) else v / followers,
                "is_brand": brand,
            }
        )
    return out


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "platform": pl.String,
            "account": pl.String,
            "created_at": pl.Datetime("us", "UTC"),
            "format": pl.String,
            "interactions": pl.Float64,
            "er_followers": pl.Float64,
            "is_brand": pl.Boolean,
        },
    )


@pytest.fixture
def group() -> pl.DataFrame:
    # you: 10 photos of 10 and 10 videos of 30 interactions, 1,000 followers; B: 20 photos of 5 (followers unknown);
    # C: 3 videos of 1,000 (too thin to rank).
    rows = _rows("you", [10.0] * 10, "photo", brand=True, followers=1000) + _rows(
        "you", [30.0] * 10, "video", brand=True, followers=1000
    )
    rows += _rows("B", [5.0] * 20, "photo") + _rows("C", [1000.0] * 3, "video")
    return _frame(rows)


def _acc(b: Any, account: str) -> dict[str, Any]:
    return next(r for r in b.accounts.to_dicts() if r["account"] == account)


def _rank(b: Any, figure: str, account: str) -> dict[str, Any]:
    return next(r for r in b.rankings.to_dicts() if r["figure"] == figure and r["account"] == account)


def test_share_of_voice_and_of_posts(group: pl.DataFrame) -> None:
    b = benchmark(group, start=START, end=END)
    # group engagement: you 10·10 + 10·30 = 400, B 20·5 = 100, C 3·1000 = 3000 → 3500; posts 20 + 20 + 3 = 43
    assert _acc(b, "you")["share_of_voice"] == pytest.approx(400 / 3500)
    assert _acc(b, "B")["share_of_voice"] == pytest.approx(100 / 3500)
    assert _acc(b, "C")["share_of_voice"] == pytest.approx(3000 / 3500)
    assert _acc(b, "you")["share_of_posts"] == pytest.approx(20 / 43)
    assert _acc(b, "C")["share_of_posts"] == pytest.approx(3 / 43)


def test_posts_per_week_over_the_same_window(group: pl.DataFrame) -> None:
    b = benchmark(group, start=START, end=END)
    assert _acc(b, "you")["posts_per_week"] == pytest.approx(5.0)
    assert _acc(b, "C")["posts_per_week"] == pytest.approx(0.75)


def test_engagement_per_post_with_t_interval(group: pl.DataFrame) -> None:
    b = benchmark(group, start=START, end=END)
    you = _acc(b, "you")
    assert you["engagement_per_post"] == pytest.approx(20.0)
    sd = math.sqrt(20 * 10**2 / 19)  # ten values 10 below and ten 10 above the mean 20
    half = stats.t.ppf(0.975, 19) * sd / math.sqrt(20)
    assert (you["ep_low"], you["ep_high"]) == pytest.approx((20 - half, 20 + half))
    assert you["n_engagement"] == 20
    b_row = _acc(b, "B")
    assert (b_row["engagement_per_post"], b_row["ep_low"], b_row["ep_high"]) == pytest.approx((5.0, 5.0, 5.0))


def test_rate_per_follower_only_where_followers_are_known(group: pl.DataFrame) -> None:
    b = benchmark(group, start=START, end=END)
    assert _acc(b, "you")["engagement_per_follower"] == pytest.approx(0.02)  # 20 interactions / 1,000 followers
    assert _acc(b, "you")["n_per_follower"] == 20
    assert _acc(b, "B")["engagement_per_follower"] is None
    assert _acc(b, "B")["n_per_follower"] == 0
    r = _rank(b, "engagement_per_follower", "B")
    assert r["rank"] is None and r["label"] == "no data"
    assert _rank(b, "engagement_per_follower", "you")["rank"] == 1


def test_thin_page_is_labelled_and_not_ranked_first(group: pl.DataFrame) -> None:
    b = benchmark(group, start=START, end=END)
    # C has by far the highest engagement per post and share of voice, from 3 posts: not ranked
    for figure in ("engagement_per_post", "share_of_voice", "posts_per_week"):
        c = _rank(b, figure, "C")
        assert c["rank"] is None
        assert c["label"] == "too thin (n=3 < 10)"
    assert _rank(b, "engagement_per_post", "you")["rank"] == 1
    assert _rank(b, "engagement_per_post", "B")["rank"] == 2
    assert _rank(b, "share_of_voice", "you")["rank"] == 1
    texts = " ".join(f["text"] for f in b.findings)
    assert "C (n=3)" in texts
    assert "C leads" not in texts and "C holds the largest" not in texts


def test_findings_claim_a_lead_only_when_intervals_do_not_overlap(group: pl.DataFrame) -> None:
    b = benchmark(group, start=START, end=END)
    lead = next(f for f in b.findings if f["figure"] == "engagement_per_post" and "leads" in f["text"])
    assert "you leads on engagement per post" in lead["text"] and "clearly ahead of B" in lead["text"]
    assert lead["n"] == 20 and lead["low"] is not None
    # two noisy pages with overlapping intervals: no leader claimed
    rows = _rows("P", [1.0, 9.0] * 6, "photo") + _rows("Q", [2.0, 7.0] * 6, "photo")
    b2 = benchmark(_frame(rows))
    f = next(f for f in b2.findings if f["figure"] == "engagement_per_post")
    assert "no page clearly leads" in f["text"] and "overlap" in f["text"]


def test_brand_against_competitors(group: pl.DataFrame) -> None:
    b = benchmark(group, start=START, end=END)
    f = next(f for f in b.findings if f["figure"] == "engagement_per_post" and "your engagement" in f["text"])
    # only B is comparable (C thin); you (15.2–24.8) are clearly above B (5–5)
    assert f["above"] == ["B"] and f["below"] == []
    assert "clearly above 1 and clearly below 0 of 1 competitors" in f["text"]
    cadence = next(f for f in b.findings if f["figure"] == "posts_per_week")
    assert "5 times a week" in cadence["text"] and "median competitor posts 2.88" in cadence["text"]  # (5 + .75)/2


def test_format_effects_within_accounts(group: pl.DataFrame) -> None:
    b = benchmark(group, start=START, end=END)
    # relative engagement (post / its account's mean): you photo 0.5 ×10, video 1.5 ×10; B photo 1 ×20; C video 1 ×3
    video = [1.5] * 10 + [1.0] * 3
    photo = [0.5] * 10 + [1.0] * 20
    found = {f["format"]: f for f in b.findings if f["figure"] == "format"}
    for name, values in (("video", video), ("photo", photo)):
        n = len(values)
        mean = sum(values) / n
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
        half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
        assert found[name]["value"] == pytest.approx(mean)
        assert (found[name]["low"], found[name]["high"]) == pytest.approx((mean - half, mean + half))
        assert found[name]["n"] == n
    assert "video posts get 1.4×" in found["video"]["text"]
    assert "you post 50% video against 50% for the average competitor" in found["video"]["text"]  # B 0 %, C 100 %
    assert "photo posts get only 0.83×" in found["photo"]["text"]


def test_no_format_claim_when_the_interval_spans_one() -> None:
    rows = _rows("P", [1.0, 9.0] * 6, "photo") + _rows("P", [2.0, 8.0] * 6, "video")
    rows += _rows("Q", [3.0, 5.0] * 6, "photo") + _rows("Q", [5.0, 3.0] * 6, "video")
    b = benchmark(_frame(rows))
    assert [f for f in b.findings if f["figure"] == "format"] == []


def test_unreported_interactions_are_not_zero() -> None:
    rows = _rows("P", [10.0] * 10 + [None] * 10, "photo") + _rows("Q", [10.0] * 10, "photo")
    b = benchmark(_frame(rows))
    p = _acc(b, "P")
    assert p["engagement_per_post"] == pytest.approx(10.0)  # not 5: the 10 unreported posts are left out
    assert p["n_engagement"] == 10 and p["n_posts"] == 20
    assert p["share_of_voice"] == pytest.approx(0.5)
    assert p["share_of_posts"] == pytest.approx(20 / 30)


def test_networks_are_never_pooled(group: pl.DataFrame) -> None:
    other = _frame(_rows("Z", [1.0] * 12, "photo")).with_columns(pl.lit("x").alias("platform"))
    b = benchmark(pl.concat([group, other]), start=START, end=END)
    z = _acc(b, "Z")
    assert z["share_of_voice"] == pytest.approx(1.0) and z["share_of_posts"] == pytest.approx(1.0)
    assert _rank(b, "engagement_per_post", "Z")["rank"] == 1
    assert _acc(b, "you")["share_of_voice"] == pytest.approx(400 / 3500)


def test_bad_input() -> None:
    with pytest.raises(AnalyticsError, match="account"):
        benchmark(pl.DataFrame({"created_at": [START], "interactions": [1.0]}))
    frame = _frame(_rows("P", [1.0] * 3, "photo"))
    with pytest.raises(AnalyticsError, match="ends before it starts"):
        benchmark(frame, start=END, end=START)
    with pytest.raises(AnalyticsError, match="confidence"):
        benchmark(frame, confidence=1.5)
    with pytest.raises(AnalyticsError, match="min_posts"):
        benchmark(frame, min_posts=1)


def test_empty_frame_gives_empty_benchmark() -> None:
    b = benchmark(_frame([]))
    assert b.accounts.height == 0 and b.findings == []


def test_share_of_voice_finding_names_a_thin_page_with_more(group: pl.DataFrame) -> None:
    b = benchmark(group, start=START, end=END)
    f = next(f for f in b.findings if f["figure"] == "share_of_voice")
    assert "among pages with enough posts, you holds the largest share of voice, 11.4%" in f["text"]
    assert "C holds 85.7% from only 3 posts (too few to rank)" in f["text"]
