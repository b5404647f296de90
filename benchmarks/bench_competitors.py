"""Benchmark speed: the brand and 100 competitors × 10,000 posts each (1.01 M posts), target < 5 s.

Three timings, medians of 3 runs, each as wall time and CPU time (all threads) with the load average, since
the machine may be shared: ``benchmark()`` alone on the per-post frame; ``post_engagement`` → ``benchmark`` from
the canonical frames; and the whole of ``signalboost benchmark`` (``run_benchmark``: read the workspace's DuckDB
tables, match the 100 registered competitors, compute) on a workspace holding the 1.01 M posts.
Run: ``python -m benchmarks bench_competitors``.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable

import numpy as np
import polars as pl

from signalboost.analytics.metrics import post_engagement
from signalboost.competitors.benchmark import benchmark
from signalboost.competitors.job import run_benchmark
from signalboost.competitors.registry import add_competitor
from signalboost.store.analytics_sql import insert_frame
from signalboost.store.workspace import Workspace

N_ACCOUNTS = 101  # the brand + 100 competitors
POSTS_EACH = 10_000
TARGET_S = 5.0


def synthetic(seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Posts and metrics of ``N_ACCOUNTS`` Instagram accounts with different engagement levels and format mixes."""
    rng = np.random.default_rng(seed)
    n = N_ACCOUNTS * POSTS_EACH
    account = np.repeat(np.arange(N_ACCOUNTS), POSTS_EACH)
    start = np.datetime64("2024-01-01T00:00:00", "us")
    offsets = rng.integers(0, 365 * 86400 * 10**6, n).astype("timedelta64[us]")
    level = rng.gamma(2.0, 20.0, N_ACCOUNTS)[account]
    posts = pl.DataFrame(
        {
            "platform": ["instagram"] * n,
            "post_id": np.char.add("p", np.arange(n).astype(str)),
            "author_id": np.char.add("acct", account.astype(str)),
            "created_at": start + offsets,
            "format": rng.choice(["photo", "video", "carousel", "reel"], n),
            "hashtags": [[f"tag{i % 50}", f"tag{(i * 7) % 300}"] for i in range(n)],
        }
    ).with_columns(pl.col("created_at").dt.replace_time_zone("UTC"))
    metrics = pl.DataFrame(
        {
            "platform": posts["platform"],
            "post_id": posts["post_id"],
            "observed_at": [dt.datetime(2025, 1, 1, tzinfo=dt.UTC)] * n,
            "likes": rng.poisson(level),
            "comments": rng.poisson(level / 10),
        }
    )
    return posts, metrics


def _median(fn: Callable[[], object], runs: int = 3) -> tuple[float, float]:
    """Median wall time and median CPU time (all threads) of ``runs`` calls: on a shared, loaded machine the
    wall time overstates what one idle machine takes, the CPU time does not."""
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def workspace(root: str, posts: pl.DataFrame, metrics: pl.DataFrame) -> Workspace:
    """A workspace holding ``posts``: acct0 is the brand (``accounts.is_brand``), the others registered competitors."""
    ws = Workspace.open(root, create=True)
    insert_frame(ws, "posts", posts)
    insert_frame(ws, "post_metrics", metrics)
    brand = pl.DataFrame({"platform": ["instagram"], "account_id": ["acct0"], "handle": ["acct0"], "is_brand": [True]})
    insert_frame(ws, "accounts", brand)
    for i in range(1, N_ACCOUNTS):
        add_competitor(ws, f"Rival {i}", "instagram", [f"acct{i}"])
    return ws


def main() -> None:
    posts, metrics = synthetic()
    eng = post_engagement(posts, metrics, None).with_columns(
        account=pl.col("author_id"), is_brand=pl.col("author_id") == "acct0"
    )
    alone = _median(lambda: benchmark(eng))

    def whole() -> None:
        e = post_engagement(posts, metrics, None).with_columns(
            account=pl.col("author_id"), is_brand=pl.col("author_id") == "acct0"
        )
        benchmark(e)

    full = _median(whole)
    result = benchmark(eng)
    with tempfile.TemporaryDirectory(prefix="signalboost-bench-competitors-") as root:
        ws = workspace(root, posts, metrics)
        run = run_benchmark(ws)
        assert run.result.accounts.height == N_ACCOUNTS, run.notes
        command = _median(lambda: run_benchmark(ws))
    print(f"{N_ACCOUNTS} accounts × {POSTS_EACH:,} posts = {posts.height:,} posts")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"benchmark() alone: {alone[0]:.2f} s wall, {alone[1]:.2f} s CPU (medians of 3)")
    print(f"post_engagement + benchmark: {full[0]:.2f} s wall, {full[1]:.2f} s CPU; target < {TARGET_S:.0f} s")
    print(f"run_benchmark (DuckDB read + match + compute): {command[0]:.2f} s wall, {command[1]:.2f} s CPU")
    print(f"{len(result.findings)} findings; {result.rankings.height} ranking rows")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print("OK" if command[0] < TARGET_S else "wall time over target (see the CPU time and the load average)")


if __name__ == "__main__":
    main()
