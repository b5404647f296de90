"""Engagement metrics, defined once for the whole of Signalboost.

Every figure the analytics print names its definition (``DEFINITIONS``) and its sample size. A metric a network
did not report stays missing (``None``), never 0; a post without reach is left out of reach-based rates and
counted as excluded.

Definitions (per post):

- ``interactions = likes + comments + shares`` — missing when any of the three is missing (Facebook's
  "Total Interactions" in the UCI data is exactly this sum).
- ``er_reach = interactions / reach`` — engagement rate by reach (people who saw the post).
- ``er_impressions = interactions / impressions`` — engagement rate by impressions (times it was shown).
- ``er_followers = interactions / followers_at_post`` — engagement rate by followers at posting time, the
  follower count of the author's snapshot nearest in time to ``created_at``.

A rate whose denominator is missing or 0 is missing. Aggregates are the mean of per-post values, so every post
weighs the same (Sprout Social and Hootsuite both define "average engagement rate per post" this way; the
pooled ratio Σinteractions/Σreach would let one viral post dominate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

from signalboost.errors import AnalyticsError

METRIC_COLUMNS: tuple[str, ...] = (
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "views",
    "engaged_users",
)


@dataclass(frozen=True)
class MetricDefinition:
    """One metric: its name, the formula in words, and what a post needs to be counted."""

    name: str
    label: str
    formula: str
    needs: str


DEFINITIONS: dict[str, MetricDefinition] = {
    d.name: d
    for d in (
        MetricDefinition(
            "interactions",
            "Interactions per post",
            "likes + comments + shares",
            "likes, comments and shares all reported",
        ),
        MetricDefinition(
            "er_reach",
            "Engagement rate by reach",
            "(likes + comments + shares) / reach",
            "interactions reported and reach > 0",
        ),
        MetricDefinition(
            "er_impressions",
            "Engagement rate by impressions",
            "(likes + comments + shares) / impressions",
            "interactions reported and impressions > 0",
        ),
        MetricDefinition(
            "er_followers",
            "Engagement rate by followers",
            "(likes + comments + shares) / followers at posting time (nearest follower snapshot)",
            "interactions reported and a follower snapshot > 0",
        ),
    )
}

RATE_METRICS: tuple[str, ...] = ("er_reach", "er_impressions", "er_followers")


def definition(metric: str) -> MetricDefinition:
    """The definition of ``metric``; raw metric columns (reach, likes, …) get a plain one."""
    if metric in DEFINITIONS:
        return DEFINITIONS[metric]
    if metric in METRIC_COLUMNS:
        return MetricDefinition(metric, metric.replace("_", " ").capitalize(), f"{metric} as reported", metric)
    if metric.endswith("_z") and metric[:-2] in DEFINITIONS:
        base = DEFINITIONS[metric[:-2]]
        return MetricDefinition(
            metric,
            f"{base.label} (z-score within account)",
            f"({base.formula} − account mean) / account sd",
            base.needs,
        )
    raise AnalyticsError(
        f"unknown metric {metric!r}",
        hint=f"Use one of: {', '.join([*DEFINITIONS, *METRIC_COLUMNS])}",
    )


# ------------------------------------------------------------------------------------------------ per post


def latest_metrics(post_metrics: pl.DataFrame) -> pl.DataFrame:
    """One row per post: its most recent metrics snapshot (``observed_at`` latest)."""
    present = [c for c in METRIC_COLUMNS if c in post_metrics.columns]
    frame = post_metrics.select("platform", "post_id", "observed_at", *present)
    for c in METRIC_COLUMNS:
        if c not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Int64).alias(c))
    return (
        frame.sort("platform", "post_id", "observed_at")
        .group_by("platform", "post_id", maintain_order=True)
        .last()
        .rename({"observed_at": "metrics_observed_at"})
    )


def followers_at_post(posts: pl.DataFrame, snapshots: pl.DataFrame | None) -> pl.DataFrame:
    """``platform, post_id, followers_at_post``: the author's follower snapshot nearest to ``created_at``.

    Snapshots with no follower count are ignored; a post with no usable snapshot (or no time) gets ``None``.
    """
    keys = posts.select("platform", "post_id", "author_id", "created_at")
    empty = keys.select("platform", "post_id").with_columns(pl.lit(None, dtype=pl.Int64).alias("followers_at_post"))
    if snapshots is None or snapshots.height == 0:
        return empty
    snaps = (
        snapshots.filter(pl.col("followers").is_not_null())
        .select(
            "platform",
            pl.col("account_id").alias("author_id"),
            pl.col("observed_at").alias("_t"),
            pl.col("followers").cast(pl.Int64).alias("followers_at_post"),
        )
        .sort("_t")
    )
    timed = keys.filter(pl.col("created_at").is_not_null() & pl.col("author_id").is_not_null())
    if snaps.height == 0 or timed.height == 0:
        return empty
    timed = timed.with_columns(as_utc(pl.col("created_at"), timed.schema["created_at"]).alias("_t")).sort("_t")
    snaps = snaps.with_columns(as_utc(pl.col("_t"), snaps.schema["_t"])).sort("_t")
    joined = timed.join_asof(snaps, on="_t", by=["platform", "author_id"], strategy="nearest", check_sortedness=False)
    found = joined.select("platform", "post_id", "followers_at_post")
    return empty.drop("followers_at_post").join(found, on=["platform", "post_id"], how="left")


def as_utc(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """``expr`` as a UTC-aware datetime (naive datetimes are taken to be UTC, as the store keeps them)."""
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        return expr.dt.convert_time_zone("UTC")
    return expr.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def _rate(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den.is_not_null() & (den > 0) & num.is_not_null()).then(num / den).otherwise(None)


def post_engagement(
    posts: pl.DataFrame, post_metrics: pl.DataFrame, snapshots: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per post with its latest metrics, followers at posting time and the engagement figures.

    Columns: the post's own (``platform, post_id, author_id, created_at, format, paid, pillars, tactic, text,
    hashtags``), ``METRIC_COLUMNS``, ``metrics_observed_at``, ``followers_at_post``, ``interactions``,
    ``er_reach``, ``er_impressions``, ``er_followers``. Posts without any metrics snapshot keep ``None`` metrics.
    """
    for col in ("platform", "post_id"):
        if col not in posts.columns or col not in post_metrics.columns:
            raise AnalyticsError(f"column {col!r} is missing", where="posts/post_metrics frame")
    base_cols = ("author_id", "created_at", "format", "paid", "pillars", "tactic", "text", "hashtags")
    frame = posts
    for col in base_cols:
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None).alias(col))
    frame = frame.select("platform", "post_id", *base_cols)
    frame = frame.join(latest_metrics(post_metrics), on=["platform", "post_id"], how="left")
    frame = frame.join(followers_at_post(posts, snapshots), on=["platform", "post_id"], how="left")
    inter = (pl.col("likes") + pl.col("comments") + pl.col("shares")).cast(pl.Float64)
    frame = frame.with_columns(inter.alias("interactions"))
    return frame.with_columns(
        _rate(pl.col("interactions"), pl.col("reach").cast(pl.Float64)).alias("er_reach"),
        _rate(pl.col("interactions"), pl.col("impressions").cast(pl.Float64)).alias("er_impressions"),
        _rate(pl.col("interactions"), pl.col("followers_at_post").cast(pl.Float64)).alias("er_followers"),
    )


# --------------------------------------------------------------------------------------------- aggregates


def mean_interval(values: np.ndarray, *, confidence: float = 0.95) -> tuple[float | None, float | None, float | None]:
    """Mean and Student-t interval ``mean ± t_{n-1} · s/√n`` (``None`` bounds when n < 2)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return None, None, None
    mean = float(x.mean())
    if x.size < 2:
        return mean, None, None
    se = float(x.std(ddof=1)) / math.sqrt(x.size)
    half = float(stats.t.ppf(0.5 + confidence / 2, x.size - 1)) * se
    return mean, mean - half, mean + half


def summarize_engagement(
    frame: pl.DataFrame,
    *,
    by: tuple[str, ...] = ("platform",),
    metrics: tuple[str, ...] = ("interactions", "er_reach", "er_impressions", "er_followers"),
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Mean of each per-post metric per group, with its definition, sample size and t interval.

    Columns: ``*by, metric, label, definition, value, ci_low, ci_high, n_posts, n_used, n_excluded,
    n_missing_interactions, n_missing_denominator``. ``n_excluded`` counts posts left out because the metric (or
    its denominator) was not reported; for rates the two last columns say why (a post may lack both).
    """
    rows: list[dict[str, object]] = []
    groups = frame.group_by(list(by), maintain_order=True) if by else [((), frame)]
    for key, group in groups:
        key_t = key if isinstance(key, tuple) else (key,)
        for metric in metrics:
            d = definition(metric)
            values = group[metric].cast(pl.Float64).drop_nulls().drop_nans().to_numpy()
            mean, lo, hi = mean_interval(values, confidence=confidence)
            no_num, no_den = _missing_parts(group, metric)
            rows.append(
                {
                    **dict(zip(by, key_t, strict=True)),
                    "metric": metric,
                    "label": d.label,
                    "definition": d.formula,
                    "value": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n_posts": group.height,
                    "n_used": int(values.size),
                    "n_excluded": group.height - int(values.size),
                    "n_missing_interactions": no_num,
                    "n_missing_denominator": no_den,
                }
            )
    return pl.DataFrame(rows, infer_schema_length=None)


DENOMINATORS: dict[str, str] = {
    "er_reach": "reach",
    "er_impressions": "impressions",
    "er_followers": "followers_at_post",
}


def _missing_parts(group: pl.DataFrame, metric: str) -> tuple[int | None, int | None]:
    """Posts lacking interactions, and posts lacking the rate's denominator (missing or 0); ``None`` if n/a."""
    if metric not in DENOMINATORS or "interactions" not in group.columns:
        return None, None
    den = group[DENOMINATORS[metric]]
    return int(group["interactions"].is_null().sum()), int((den.is_null() | (den == 0)).sum())


def normalise_within_account(
    frame: pl.DataFrame, column: str, *, account: tuple[str, ...] = ("platform", "author_id"), log: bool = False
) -> pl.DataFrame:
    """Add ``<column>_z``: the value's z-score among the same account's posts, ``(x − mean) / sd``.

    So a big account's posts do not drown a small one's when networks or accounts are compared. With
    ``log=True`` the z-score is of ``log1p(x)`` (engagement is right-skewed). Missing values stay missing; an
    account with fewer than 2 values or zero spread gets ``None``.
    """
    x = pl.col(column).cast(pl.Float64)
    if log:
        x = x.log1p()
    mean = x.mean().over(list(account))
    sd = x.std(ddof=1).over(list(account))
    z = pl.when(sd.is_not_null() & (sd > 0)).then((x - mean) / sd).otherwise(None)
    return frame.with_columns(z.alias(f"{column}_z"))
