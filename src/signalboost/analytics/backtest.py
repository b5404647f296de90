"""Backtest of the recommendations: fit on the earlier months, judge on the later ones.

On the training posts we fit the slot model (:func:`signalboost.analytics.timing.slot_table`), pick the best
format and the best pillar (highest mean among groups with at least ``min_group`` posts), exactly as the product
would advise. On the held-out posts we then ask: did the posts that happened to match each recommendation do
better than those that did not? Each answer is a difference of means with a Welch interval (and a percentile
bootstrap interval as a check), with the sample sizes.

We also score the shrinkage itself: predicting each held-out slot's mean from the training data, is the shrunk
estimate closer than the raw training mean? (test-post-weighted mean squared error over slots seen in both).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

from signalboost.analytics.compare import bootstrap_diff, welch_interval
from signalboost.analytics.metrics import as_utc
from signalboost.analytics.pillars import explode_pillars
from signalboost.analytics.timing import recommend_slots, slot_table, with_local_time
from signalboost.errors import AnalyticsError
from signalboost.i18n import L_


@dataclass
class BacktestResult:
    """What the backtest found (frames print as the tables of docs/validation.md)."""

    n_train: int
    n_test: int
    split: dt.datetime
    recommendations: dict[str, str]
    comparisons: pl.DataFrame
    by_matches: pl.DataFrame
    shrinkage: pl.DataFrame
    rank_correlation: tuple[float, float, int]  # Spearman rho, p-value, n


def _best_group(train: pl.DataFrame, col: str, metric: str, min_group: int) -> str:
    means = (
        train.filter(pl.col(metric).is_not_null())
        .group_by(col)
        .agg(pl.col(metric).mean().alias("m"), pl.len().alias("n"))
        .filter(pl.col("n") >= min_group)
        .sort("m", descending=True)
    )
    if means.height == 0:
        raise AnalyticsError(
            L_("no {col} has {min_group} training posts", col=col, min_group=min_group),
            where="backtest",
            hint=L_("Move the split later, lower min_group, or import more posts"),
        )
    return str(means[col][0])


def _best_format(train: pl.DataFrame, metric: str, min_group: int) -> str:
    """The formats the product advises "more of" on the training posts (effect interval above 0), joined by
    `` / ``; ``(none)`` when no format is distinguishable."""
    from signalboost.analytics.compare import compare_formats

    table = compare_formats(train.with_columns(pl.lit("net").alias("platform")), metric=metric)
    more = table.filter((pl.col("advice") == "more of it") & (pl.col("n_used") >= min_group))
    return " / ".join(more["group"].to_list()) or "(none)"


def _compare(name: str, rec: str, y: np.ndarray, match: np.ndarray, seed: int) -> dict[str, object]:
    a, b = y[match], y[~match]
    w = welch_interval(a, b)
    boot = bootstrap_diff(a, b, seed=seed)
    return {
        "recommendation": name,
        "advice": rec,
        "n_match": int(a.size),
        "n_other": int(b.size),
        "mean_match": float(a.mean()) if a.size else None,
        "mean_other": float(b.mean()) if b.size else None,
        "diff": w[0] if w else None,
        "welch_low": w[1] if w else None,
        "welch_high": w[2] if w else None,
        "boot_low": boot[1] if boot else None,
        "boot_high": boot[2] if boot else None,
    }


def backtest(
    frame: pl.DataFrame,
    *,
    split: dt.datetime,
    tz: str = "UTC",
    metric: str = "er_reach",
    hour_block: int = 3,
    min_posts: int = 3,
    top_slots: int = 5,
    min_group: int = 10,
    seed: int = 0,
    method: str = "robust",
) -> BacktestResult:
    """Fit on posts before ``split``, evaluate on posts from ``split`` on (module doc).

    ``method``: ``robust`` (the product's rule: slot model on the winsorised metric, a slot recommended only when
    its interval lies above the mean; formats whose effect interval lies above 0) or ``plain`` (the former rule:
    raw metric, the top shrunk slots whatever their interval; the format with the highest training mean).

    ``frame`` is :func:`post_engagement` output with ``pillars`` and ``format``; posts without the metric are left
    out of both halves.
    """
    data = with_local_time(frame.filter(pl.col(metric).is_not_null()), tz, hour_block=hour_block)
    utc_split = split if split.tzinfo else split.replace(tzinfo=dt.UTC)
    t = as_utc(pl.col("created_at"), data.schema["created_at"])
    train, test = data.filter(t < utc_split), data.filter(t >= utc_split)
    if train.height < 20 or test.height < 20:
        raise AnalyticsError(
            L_(
                "too few posts on one side of the split ({before} before, {after} after)",
                before=train.height,
                after=test.height,
            ),
            where=f"backtest split {utc_split:%Y-%m-%d %H:%M} UTC",
            hint=L_("Each side needs 20 posts with the metric: choose a split date nearer the middle of the data"),
        )
    robust = method == "robust"
    slots = slot_table(train, metric=metric, tz=tz, hour_block=hour_block, min_posts=min_posts, robust=robust)
    best = recommend_slots(slots, k=top_slots, explore=0, distinguishable=robust).filter(
        pl.col("kind") == "recommended"
    )
    best_keys = {(int(r["weekday"]), int(r["slot_hour"])) for r in best.iter_rows(named=True)}
    best_format = _best_format(train, metric, min_group) if robust else _best_group(train, "format", metric, min_group)
    best_pillar = _best_group(explode_pillars(train), "pillar", metric, min_group)
    y = test[metric].cast(pl.Float64).to_numpy()
    keys = list(zip(test["weekday"].to_list(), test["slot_hour"].to_list(), strict=True))
    m_slot = np.array([(int(d), int(h)) in best_keys for d, h in keys])
    m_format = test["format"].is_in(best_format.split(" / ")).fill_null(False).to_numpy()
    m_pillar = test["pillars"].list.contains(best_pillar).fill_null(False).to_numpy()
    slot_text = (
        ", ".join(f"{('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[d]} {h:02d}h" for d, h in sorted(best_keys))
        or "(none: keep the current hours)"
    )
    recs = {"slot": slot_text, "format": best_format, "pillar": best_pillar}
    comparisons = pl.DataFrame(
        [
            _compare("slot (top shrunk slots)", slot_text, y, m_slot, seed),
            _compare("format", best_format, y, m_format, seed),
            _compare("category / pillar", best_pillar, y, m_pillar, seed),
            _compare("all three", "slot + format + pillar", y, m_slot & m_format & m_pillar, seed),
        ],
        infer_schema_length=None,
    )
    return BacktestResult(
        n_train=train.height,
        n_test=test.height,
        split=utc_split,
        recommendations=recs,
        comparisons=comparisons,
        by_matches=_by_matches(y, m_slot.astype(int) + m_format.astype(int) + m_pillar.astype(int)),
        shrinkage=_shrinkage_score(slots, test, metric),
        rank_correlation=_rank(slots, test, metric),
    )


def _by_matches(y: np.ndarray, matches: np.ndarray) -> pl.DataFrame:
    rows = []
    for k in range(4):
        v = y[matches == k]
        if v.size == 0:
            continue
        se = float(v.std(ddof=1)) / np.sqrt(v.size) if v.size > 1 else None
        half = float(stats.t.ppf(0.975, v.size - 1)) * se if se is not None else None
        rows.append(
            {
                "matches": k,
                "n": int(v.size),
                "mean": float(v.mean()),
                "ci_low": float(v.mean()) - half if half is not None else None,
                "ci_high": float(v.mean()) + half if half is not None else None,
            }
        )
    return pl.DataFrame(rows, infer_schema_length=None)


def _test_slot_means(test: pl.DataFrame, metric: str) -> pl.DataFrame:
    return test.group_by("weekday", "slot_hour").agg(
        pl.col(metric).cast(pl.Float64).mean().alias("test_mean"), pl.len().alias("test_n")
    )


def _shrinkage_score(slots: pl.DataFrame, test: pl.DataFrame, metric: str) -> pl.DataFrame:
    """Test-post-weighted MSE of predicting held-out slot means by raw vs shrunk vs overall training means."""
    joined = (
        slots.filter(pl.col("n_posts") > 0)
        .with_columns(pl.col("weekday").cast(pl.Int8), pl.col("slot_hour").cast(pl.Int8))
        .join(_test_slot_means(test, metric), on=["weekday", "slot_hour"], how="inner")
    )
    w = joined["test_n"].cast(pl.Float64).to_numpy()
    truth = joined["test_mean"].to_numpy()
    rows = []
    for name, col in (
        ("raw training mean", "raw_mean"),
        ("shrunk (empirical Bayes)", "expected"),
        ("overall mean", "prior_mean"),
    ):
        pred = joined[col].to_numpy()
        rows.append(
            {
                "predictor": name,
                "weighted_mse": float(np.average((pred - truth) ** 2, weights=w)),
                "slots": joined.height,
                "test_posts": int(w.sum()),
            }
        )
    return pl.DataFrame(rows)


def _rank(slots: pl.DataFrame, test: pl.DataFrame, metric: str) -> tuple[float, float, int]:
    """Spearman correlation between a held-out post's metric and its slot's shrunk training expectation."""
    pred = slots.select(pl.col("weekday").cast(pl.Int8), pl.col("slot_hour").cast(pl.Int8), pl.col("expected"))
    joined = test.join(pred, on=["weekday", "slot_hour"], how="left")
    x, y = joined["expected"].to_numpy(), joined[metric].cast(pl.Float64).to_numpy()
    if joined.height < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan"), float("nan"), joined.height  # no slot differences left after shrinkage
    rho, p = stats.spearmanr(x, y)
    return float(rho), float(p), joined.height
