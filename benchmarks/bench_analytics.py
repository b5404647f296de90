"""Analytics speed: engagement metrics and the shrunk weekday × hour table on synthetic posts.

Baseline (same process): the same per-post rates and slot means computed row by row in pure Python, the way a
notebook would loop over posts. Prints medians of 3 runs and the ratio baseline / Signalboost.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from signalboost.analytics.frequency import posts_per_day_curve
from signalboost.analytics.metrics import post_engagement
from signalboost.analytics.timing import estimate_hyper, slot_table

N_POSTS = 200_000


def synthetic(n: int, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    start = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    seconds = rng.integers(0, 365 * 86400, n)
    posts = pl.DataFrame(
        {
            "platform": rng.choice(["facebook", "instagram", "x"], n),
            "post_id": [f"p{i}" for i in range(n)],
            "author_id": rng.choice([f"a{i}" for i in range(50)], n),
            "created_at": [start + dt.timedelta(seconds=int(s)) for s in seconds],
        }
    )
    reach = rng.integers(100, 100_000, n)
    metrics = pl.DataFrame(
        {
            "platform": posts["platform"],
            "post_id": posts["post_id"],
            "observed_at": [start] * n,
            "reach": reach,
            "impressions": reach * 2,
            "likes": rng.poisson(50, n),
            "comments": rng.poisson(5, n),
            "shares": rng.poisson(3, n),
        }
    )
    return posts, metrics


def ours(posts: pl.DataFrame, metrics: pl.DataFrame) -> None:
    eng = post_engagement(posts, metrics, None)
    slot_table(eng, tz="Europe/Madrid")
    posts_per_day_curve(eng, tz="Europe/Madrid")


def baseline(posts: pl.DataFrame, metrics: pl.DataFrame) -> None:
    zone = ZoneInfo("Europe/Madrid")
    by_id = {r["post_id"]: r for r in metrics.iter_rows(named=True)}
    values: dict[tuple[str, int, int], list[float]] = defaultdict(list)
    per_day: dict[tuple[str, dt.date], int] = defaultdict(int)
    for p in posts.iter_rows(named=True):
        m = by_id[p["post_id"]]
        rate = (m["likes"] + m["comments"] + m["shares"]) / m["reach"]
        local = p["created_at"].astimezone(zone)
        values[(p["platform"], local.weekday(), local.hour)].append(rate)
        per_day[(p["platform"], local.date())] += 1
    for platform in {k[0] for k in values}:
        ys = [(v, k) for k, vs in values.items() if k[0] == platform for v in vs]
        estimate_hyper(np.array([y for y, _ in ys]), np.array([k[1] * 100 + k[2] for _, k in ys]))


def _median(fn: Callable[[], None], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    posts, metrics = synthetic(N_POSTS)
    t_ours = _median(lambda: ours(posts, metrics))
    t_base = _median(lambda: baseline(posts, metrics))
    print(f"posts: {N_POSTS:,}")
    print(f"signalboost analytics (metrics + slot table + posts/day): median {t_ours:.3f} s")
    print(f"pure-Python row loop baseline:                            median {t_base:.3f} s")
    print(f"ratio baseline / signalboost: {t_base / t_ours:.1f}x")


if __name__ == "__main__":
    main()
