"""Group comparisons with intervals: formats (photo, video, link, …), paid vs organic, pillars.

Each group's mean gets a Student-t interval ``ȳ ± t_{n−1} s/√n``; its difference from the rest of the posts gets a
Welch interval ``(ȳ₁ − ȳ₂) ± t_ν √(s₁²/n₁ + s₂²/n₂)`` with the Welch–Satterthwaite ν (Welch 1947, Biometrika
34:28). ``method="bootstrap"`` uses percentile bootstrap intervals instead (Efron & Tibshirani 1993, ch. 13),
better for skewed engagement with small groups; ``seed`` makes it repeatable.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from scipy import stats

from signalboost.analytics.metrics import (
    definition,
    floor_at_zero,
    group_bases,
    mean_interval,
    network_definition,
    partial_note,
)
from signalboost.errors import AnalyticsError
from signalboost.i18n import L_


def welch_interval(a: np.ndarray, b: np.ndarray, *, confidence: float = 0.95) -> tuple[float, float, float] | None:
    """Difference of means ``mean(a) − mean(b)`` with its Welch t interval; ``None`` if a group has < 2 values."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.size < 2 or b.size < 2:
        return None
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    diff = float(a.mean() - b.mean())
    se = math.sqrt(va + vb)
    if se == 0:
        return diff, diff, diff
    nu = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = float(stats.t.ppf(0.5 + confidence / 2, nu)) * se
    return diff, diff - half, diff + half


def bootstrap_diff(
    a: np.ndarray, b: np.ndarray, *, confidence: float = 0.95, n_boot: int = 2000, seed: int = 0
) -> tuple[float, float, float] | None:
    """Difference of means with a percentile bootstrap interval (resampling each group independently)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.size < 2 or b.size < 2:
        return None
    rng = np.random.default_rng(seed)
    ma = a[rng.integers(0, a.size, size=(n_boot, a.size))].mean(axis=1)
    mb = b[rng.integers(0, b.size, size=(n_boot, b.size))].mean(axis=1)
    lo, hi = np.quantile(ma - mb, [0.5 - confidence / 2, 0.5 + confidence / 2])
    return float(a.mean() - b.mean()), float(lo), float(hi)


def bootstrap_mean(
    a: np.ndarray, *, confidence: float = 0.95, n_boot: int = 2000, seed: int = 0
) -> tuple[float | None, float | None, float | None]:
    """Mean with a percentile bootstrap interval (``None`` bounds when fewer than 2 values)."""
    a = np.asarray(a, dtype=float)
    if a.size == 0:
        return None, None, None
    if a.size < 2:
        return float(a.mean()), None, None
    rng = np.random.default_rng(seed)
    means = a[rng.integers(0, a.size, size=(n_boot, a.size))].mean(axis=1)
    lo, hi = np.quantile(means, [0.5 - confidence / 2, 0.5 + confidence / 2])
    return float(a.mean()), float(lo), float(hi)


def compare_groups(
    frame: pl.DataFrame,
    by: str,
    *,
    metric: str = "er_reach",
    confidence: float = 0.95,
    method: str = "t",
    n_boot: int = 2000,
    seed: int = 0,
    within: tuple[str, ...] = ("platform",),
) -> pl.DataFrame:
    """Mean ``metric`` per value of ``by`` (within each ``within`` group) and its difference from the rest.

    Columns: ``*within, group, n_posts, n_used, n_excluded, mean, ci_low, ci_high, median, diff_vs_rest,
    diff_ci_low, diff_ci_high, metric, definition, partial, method``; ``definition`` is the ``within`` group's own
    (on X: ``likes + reposts``) and ``partial`` says what its interactions leave out (see
    :func:`signalboost.analytics.metrics.network_definition`). A post whose ``by`` is missing is grouped as
    ``unknown``; a post without the metric is counted in ``n_excluded``.
    """
    if method not in ("t", "bootstrap"):
        raise AnalyticsError(
            L_("unknown interval method {method!r}", method=method), where="method", hint=L_("Use 't' or 'bootstrap'")
        )
    for col in (by, metric, *within):
        if col not in frame.columns:
            raise AnalyticsError(L_("column {col!r} is missing", col=col), where="compare_groups")
    definition(metric)  # unknown metric: a clear error
    data = frame.with_columns(
        pl.col(by).cast(pl.String).fill_null("unknown").alias("_group"),
        pl.col(metric).cast(pl.Float64).fill_nan(None).alias("_y"),
    )
    rows: list[dict[str, object]] = []
    outer = data.group_by(list(within), maintain_order=True) if within else [((), data)]
    for key, part in outer:
        key_t = key if isinstance(key, tuple) else (key,)
        bases = group_bases(part)
        d = network_definition(metric, bases)
        for (group,), g in part.group_by(["_group"], maintain_order=True):
            y = g["_y"].drop_nulls().to_numpy()
            rest = part.filter(pl.col("_group") != group)["_y"].drop_nulls().to_numpy()
            if method == "t":
                mean, lo, hi = mean_interval(y, confidence=confidence)
                diff = welch_interval(y, rest, confidence=confidence)
            else:
                mean, lo, hi = bootstrap_mean(y, confidence=confidence, n_boot=n_boot, seed=seed)
                diff = bootstrap_diff(y, rest, confidence=confidence, n_boot=n_boot, seed=seed)
            lo = floor_at_zero(metric, lo)  # a group mean's bound; differences may be negative
            rows.append(
                {
                    **dict(zip(within, key_t, strict=True)),
                    "group": str(group),
                    "n_posts": g.height,
                    "n_used": int(y.size),
                    "n_excluded": g.height - int(y.size),
                    "mean": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                    "median": float(np.median(y)) if y.size else None,
                    "diff_vs_rest": diff[0] if diff else None,
                    "diff_ci_low": diff[1] if diff else None,
                    "diff_ci_high": diff[2] if diff else None,
                    "metric": metric,
                    "definition": d.formula,
                    "partial": partial_note(metric, bases),
                    "method": method,
                }
            )
    if not rows:
        return pl.DataFrame()
    return pl.DataFrame(rows, infer_schema_length=None).sort(
        [*within, "n_posts"], descending=[False] * len(within) + [True]
    )


def paid_label(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``paid_status``: ``paid``, ``organic`` or ``unknown`` (``posts.paid`` is NULL when not known)."""
    return frame.with_columns(
        pl.when(pl.col("paid").is_null())
        .then(pl.lit("unknown"))
        .when(pl.col("paid"))
        .then(pl.lit("paid"))
        .otherwise(pl.lit("organic"))
        .alias("paid_status")
    )


def compare_formats(
    frame: pl.DataFrame, *, metric: str = "er_reach", method: str = "t", confidence: float = 0.95, seed: int = 0
) -> pl.DataFrame:
    """:func:`compare_groups` by ``format``, with the effect size and ranked by it (not by post count).

    ``effect`` = ``diff_vs_rest / s`` with ``s`` the standard deviation of ``metric`` over the network's posts
    (a standardised mean difference, Cohen's d with the overall SD); ``effect_low``/``effect_high`` scale the
    difference's interval the same way. ``advice``: ``more of it`` when the interval lies above 0, ``less of it``
    below 0, ``not distinguishable`` when it includes 0, and ``not enough data`` when there is no interval (under 2
    posts with the metric in the format or in the rest: nothing was compared).
    """
    table = compare_groups(frame, "format", metric=metric, method=method, confidence=confidence, seed=seed)
    if table.height == 0:
        return table
    sd = frame.group_by("platform").agg(pl.col(metric).cast(pl.Float64).fill_nan(None).drop_nulls().std().alias("_sd"))
    table = table.join(sd, on="platform", how="left")
    scale = pl.when(pl.col("_sd") > 0).then(pl.col("_sd")).otherwise(None)
    table = table.with_columns(
        (pl.col("diff_vs_rest") / scale).alias("effect"),
        (pl.col("diff_ci_low") / scale).alias("effect_low"),
        (pl.col("diff_ci_high") / scale).alias("effect_high"),
    ).drop("_sd")
    advice = (
        pl.when(pl.col("diff_ci_low").is_null() | pl.col("diff_ci_high").is_null())
        .then(pl.lit("not enough data"))
        .when(pl.col("diff_ci_low") > 0)
        .then(pl.lit("more of it"))
        .when(pl.col("diff_ci_high") < 0)
        .then(pl.lit("less of it"))
        .otherwise(pl.lit("not distinguishable"))
    )
    return table.with_columns(advice.alias("advice")).sort(
        ["platform", "effect"], descending=[False, True], nulls_last=True
    )


def compare_paid(
    frame: pl.DataFrame, *, metric: str = "er_reach", method: str = "t", confidence: float = 0.95, seed: int = 0
) -> pl.DataFrame:
    """:func:`compare_groups` of paid vs organic (vs unknown) posts."""
    return compare_groups(
        paid_label(frame), "paid_status", metric=metric, method=method, confidence=confidence, seed=seed
    )
