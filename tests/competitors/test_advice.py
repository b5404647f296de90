"""Suggestions from the market for `recommend`: the Garwood interval against tabulated values, cadence and
format advice only where the group's evidence supports them, always labelled as from the market."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from signalboost.competitors.advice import market_advice, poisson_rate_interval
from signalboost.competitors.benchmark import benchmark

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
END = START + dt.timedelta(weeks=4)


def test_garwood_interval_matches_the_table() -> None:
    # exact Poisson limits for n = 4 (Garwood 1936; e.g. Ulm 1990 table): 1.090 and 10.242
    lo, hi = poisson_rate_interval(4, 1.0)
    assert lo == pytest.approx(1.0899, abs=1e-4) and hi == pytest.approx(10.2416, abs=1e-4)
    assert poisson_rate_interval(0, 2.0)[0] == 0.0
    assert poisson_rate_interval(0, 2.0)[1] == pytest.approx(3.6889 / 2, abs=1e-4)  # −ln(0.025) = 3.689


def _posts(
    account: str, n: int, *, brand: bool = False, video_every: int = 2, boost: float = 3.0
) -> list[dict[str, Any]]:
    rows = []
    span = (END - START) / n
    for i in range(n):
        video = i % video_every == 0
        rows.append(
            {
                "platform": "instagram",
                "account": account,
                "created_at": START + span * i,
                "format": "video" if video else "photo",
                "interactions": (10.0 * boost if video else 10.0) + i % 3,
                "is_brand": brand,
            }
        )
    return rows


def test_cadence_and_format_advice_from_the_market() -> None:
    # you: 12 posts in 4 weeks, video 1 in 6; A: 40 posts, B: 48 posts, video every other post; video ≈ 3× photos.
    rows = _posts("you", 12, brand=True, video_every=6) + _posts("A", 40) + _posts("B", 48)
    b = benchmark(pl.DataFrame(rows), start=START, end=END)
    advice = {r["what"]: r for r in market_advice(b, {"instagram": 3})}
    cadence = advice["cadence"]
    assert cadence["kind"] == "market" and cadence["value"] == "competitors post more"
    lo, hi = poisson_rate_interval(12, 4.0)  # 1.55–5.24 a week, below the median of 10 and 12 = 11
    assert f"CI {lo:.2g}–{hi:.2g}, n=12 posts" in cadence["evidence"]
    assert "the median of 2 competitors with 10+ posts is 11 a week" in cadence["evidence"]
    assert "your strategy asks for at least 3" in cadence["evidence"]
    assert cadence["evidence"].startswith("from the market: ")
    assert "does not show that posting more pays" in cadence["evidence"]
    video = advice["format video"]
    assert video["value"] == "more of it" and "you post 17% video, the average competitor 50%" in video["evidence"]
    photo = advice["format photo"]  # photos get less than an account's average and you post more of them
    assert photo["value"] == "less of it" and "you post 83% photo, the average competitor 50%" in photo["evidence"]


def test_no_cadence_claim_when_the_interval_includes_the_market() -> None:
    rows = _posts("you", 40, brand=True) + _posts("A", 40) + _posts("B", 44)
    b = benchmark(pl.DataFrame(rows), start=START, end=END)
    advice = {r["what"]: r for r in market_advice(b)}
    assert advice["cadence"]["value"] == "in line"
    assert "format video" not in advice  # you post as much video as they do


def test_no_market_advice_without_enough_peers_or_a_brand() -> None:
    thin = benchmark(pl.DataFrame(_posts("you", 12, brand=True) + _posts("A", 40) + _posts("B", 5)))
    assert [r for r in market_advice(thin) if r["what"] == "cadence"] == []  # one peer with 10+ posts
    nobrand = benchmark(pl.DataFrame(_posts("A", 40) + _posts("B", 48)))
    assert market_advice(nobrand) == []
