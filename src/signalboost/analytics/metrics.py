"""Engagement metrics, defined once for the whole of Signalboost.

Every figure the analytics print names its definition (``DEFINITIONS``) and its sample size. A metric a network
did not report stays missing (``None``), never 0; a post without reach is left out of reach-based rates and
counted as excluded.

Definitions (per post):

- ``interactions = likes + comments + shares`` over the parts the **network's export reports**
  (:func:`interaction_basis`): Facebook pages and YouTube report all three (the UCI "Total Interactions" is exactly
  this sum); an X archive reports favorites and retweets but no reply count, so on X interactions are
  ``likes + reposts`` and are labelled *partial* ("replies not in the export"); Instagram exports report likes and
  comments. A part no post of the network reports is left out of the sum and named; a part the network reports
  but one post lacks makes that post's interactions missing. Never is an unreported part counted as 0, and each
  figure carries its network's definition (``interactions_basis``, ``interactions_partial``), so a partial sum is
  never silently set beside a full one.
- ``er_reach = interactions / reach`` — engagement rate by reach (people who saw the post).
- ``er_impressions = interactions / impressions`` — engagement rate by impressions (times it was shown).
- ``er_followers = interactions / followers_at_post`` — engagement rate by followers at posting time, the
  follower count of the author's snapshot nearest in time to ``created_at`` and at most ``max_gap_days`` (90)
  away; an archive's single follower count from 2022 does not say how many followers a 2010 post had.

A rate whose denominator is missing or 0 is missing. Aggregates are the mean of per-post values, so every post
weighs the same (Sprout Social and Hootsuite both define "average engagement rate per post" this way; the
pooled ratio Σinteractions/Σreach would let one viral post dominate).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

from signalboost.errors import AnalyticsError
from signalboost.i18n import L_, N_

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
            N_("Interactions per post"),
            N_("likes + comments + shares"),
            N_("likes, comments and shares all reported"),
        ),
        MetricDefinition(
            "er_reach",
            N_("Engagement rate by reach"),
            N_("(likes + comments + shares) / reach"),
            N_("interactions reported and reach > 0"),
        ),
        MetricDefinition(
            "er_impressions",
            N_("Engagement rate by impressions"),
            N_("(likes + comments + shares) / impressions"),
            N_("interactions reported and impressions > 0"),
        ),
        MetricDefinition(
            "er_followers",
            N_("Engagement rate by followers"),
            N_("(likes + comments + shares) / followers at posting time (nearest follower snapshot, ≤ 90 days away)"),
            N_("interactions reported and a follower snapshot > 0 within 90 days of the post"),
        ),
    )
}

RATE_METRICS: tuple[str, ...] = ("er_reach", "er_impressions", "er_followers")
INTERACTION_METRICS: tuple[str, ...] = ("interactions", *RATE_METRICS)
INTERACTION_PARTS: tuple[str, ...] = ("likes", "comments", "shares")
FULL_FORMULA = "likes + comments + shares"
#: Days a follower snapshot may lie from a post and still count as "followers at posting time".
MAX_FOLLOWER_GAP_DAYS = 90.0

#: What the networks call the three parts (an X "share" is a repost, a Mastodon "like" a favourite).
PART_NAMES: dict[str, dict[str, str]] = {
    "x": {"likes": "likes", "comments": "replies", "shares": "reposts"},
    "twitter": {"likes": "likes", "comments": "replies", "shares": "reposts"},
    "bluesky": {"likes": "likes", "comments": "replies", "shares": "reposts"},
    "threads": {"likes": "likes", "comments": "replies", "shares": "reposts"},
    "mastodon": {"likes": "favourites", "comments": "replies", "shares": "boosts"},
}


@dataclass(frozen=True)
class InteractionBasis:
    """What ``interactions`` sums on one network: the reported parts and the parts its export lacks."""

    platform: str
    parts: tuple[str, ...]
    missing: tuple[str, ...]

    def _name(self, part: str) -> str:
        return PART_NAMES.get(self.platform, {}).get(part, part)

    @property
    def partial(self) -> bool:
        """True when the sum leaves out a part the network's export does not report."""
        return bool(self.missing)

    @property
    def formula(self) -> str:
        """``likes + reposts`` — in the network's own words; ``none reported`` when no part is."""
        return " + ".join(self._name(p) for p in self.parts) if self.parts else "none reported"

    @property
    def note(self) -> str | None:
        """``replies not in the export`` for a partial sum, else ``None``."""
        if not self.missing:
            return None
        names = [self._name(p) for p in self.missing]
        joined = " and ".join(names) if len(names) < 3 else ", ".join(names)
        return f"{joined} not in the export"

    @property
    def label(self) -> str:
        """The formula with its note: ``likes + reposts (partial: replies not in the export)``."""
        if not self.parts:
            return "not reported by this network's export (no likes, comments or shares)"
        return f"{self.formula} (partial: {self.note})" if self.partial else self.formula


def interaction_basis(metrics: pl.DataFrame) -> dict[str, InteractionBasis]:
    """Per network, the parts of ``likes + comments + shares`` that at least one of its posts reports.

    ``metrics`` has ``platform`` and (some of) ``likes, comments, shares``: e.g. :func:`latest_metrics` output.
    A network none of whose posts reports ``comments`` (an X archive: no reply counts) gets a partial basis.
    """
    if metrics.height == 0:
        return {}
    cols = [p for p in INTERACTION_PARTS if p in metrics.columns]
    seen = metrics.group_by("platform").agg([pl.col(p).is_not_null().any().alias(p) for p in cols])
    out: dict[str, InteractionBasis] = {}
    for row in seen.iter_rows(named=True):
        parts = tuple(p for p in INTERACTION_PARTS if row.get(p))
        missing = tuple(p for p in INTERACTION_PARTS if p not in parts) if parts else ()
        out[str(row["platform"])] = InteractionBasis(str(row["platform"]), parts, missing)
    return out


def network_definition(metric: str, bases: Iterable[tuple[str, str | None, str | None]]) -> MetricDefinition:
    """``metric``'s definition with ``likes + comments + shares`` replaced by the networks' own sums.

    ``bases`` are ``(platform, interactions_basis, interactions_partial)`` of the posts a figure covers. One basis
    gives e.g. ``(likes + reposts) / reach — partial: replies not in the export``; two or more give a
    ``mixed: facebook likes + comments + shares; x likes + reposts (partial: …)`` formula, so a partial sum never
    passes for a full one.
    """
    d = definition(metric)
    base_metric = metric.removesuffix("_z")
    found = sorted({(str(p), b, n) for p, b, n in bases if b is not None}, key=lambda x: (x[0], x[1] or ""))
    if base_metric not in INTERACTION_METRICS or not found:
        return d
    sums = {(b, n) for _, b, n in found}
    if len(sums) == 1:
        basis, note = next(iter(sums))
        if basis is None:
            return d
        words = basis if base_metric == "interactions" or "+" not in basis else f"({basis})"
        formula = d.formula.replace(f"({FULL_FORMULA})", words).replace(FULL_FORMULA, basis)
        needs = d.needs.replace("likes, comments and shares all reported", f"{basis} reported")
        needs = needs.replace("interactions reported", f"{basis} reported")
        if note:
            return MetricDefinition(d.name, f"{d.label} (partial: {note})", f"{formula} — partial: {note}", needs)
        return MetricDefinition(d.name, d.label, formula, needs)
    if not any(n for _, n in sums):  # complete sums, named in each network's words: the one full definition
        return d
    mixed = "; ".join(f"{p} {b}" + (f" (partial: {n})" if n else "") for p, b, n in found)
    return MetricDefinition(d.name, f"{d.label} (mixed definitions)", f"{d.formula} — mixed: {mixed}", d.needs)


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
        L_("unknown metric {metric!r}", metric=metric),
        where="--metric",
        hint=L_("Use auto (the default) or one of: {choices}", choices=", ".join([*DEFINITIONS, *METRIC_COLUMNS])),
    )


# ------------------------------------------------------------------------------------------------ per post


def latest_metrics(post_metrics: pl.DataFrame) -> pl.DataFrame:
    """One row per post: its most recent metrics snapshot (``observed_at`` latest; of two snapshots at the same
    instant, the later row). Rows come in no particular order: join on ``platform, post_id``.

    One stable sort on the timestamp and one hash pass over the keys (``unique(keep="last")``): sorting on the
    string keys first cost ~3× as much on a million posts (benchmarks/bench_competitors.py).
    """
    present = [c for c in METRIC_COLUMNS if c in post_metrics.columns]
    frame = post_metrics.select("platform", "post_id", "observed_at", *present)
    missing = [pl.lit(None, dtype=pl.Int64).alias(c) for c in METRIC_COLUMNS if c not in frame.columns]
    if missing:
        frame = frame.with_columns(missing)
    return (
        frame.sort("observed_at", nulls_last=False, maintain_order=True)
        .unique(subset=["platform", "post_id"], keep="last", maintain_order=False)
        .select("platform", "post_id", "observed_at", *METRIC_COLUMNS)
        .rename({"observed_at": "metrics_observed_at"})
    )


def followers_at_post(
    posts: pl.DataFrame, snapshots: pl.DataFrame | None, *, max_gap_days: float | None = MAX_FOLLOWER_GAP_DAYS
) -> pl.DataFrame:
    """``platform, post_id, followers_at_post``: the author's follower snapshot nearest to ``created_at``.

    Snapshots with no follower count are ignored; a post with no usable snapshot (or no time), or whose nearest
    snapshot is more than ``max_gap_days`` away (``None``: any distance), gets ``None``.
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
    tolerance = None if max_gap_days is None else dt.timedelta(days=max_gap_days)
    joined = timed.join_asof(
        snaps, on="_t", by=["platform", "author_id"], strategy="nearest", tolerance=tolerance, check_sortedness=False
    )
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
    posts: pl.DataFrame,
    post_metrics: pl.DataFrame,
    snapshots: pl.DataFrame | None = None,
    *,
    max_gap_days: float | None = MAX_FOLLOWER_GAP_DAYS,
) -> pl.DataFrame:
    """One row per post with its latest metrics, followers at posting time and the engagement figures.

    Columns: the post's own (``platform, post_id, author_id, created_at, format, paid, pillars, tactic, text,
    hashtags, repost_of``), ``METRIC_COLUMNS``, ``metrics_observed_at``, ``followers_at_post``, ``interactions``,
    ``interactions_basis`` (the network's sum, e.g. ``likes + reposts``), ``interactions_partial`` (what that sum
    leaves out, e.g. ``replies not in the export``; ``None`` when complete), ``er_reach``, ``er_impressions``,
    ``er_followers``. Posts without any metrics snapshot keep ``None`` metrics.
    """
    for col in ("platform", "post_id"):
        if col not in posts.columns or col not in post_metrics.columns:
            raise AnalyticsError(L_("column {col!r} is missing", col=col), where="posts/post_metrics frame")
    base_cols = ("author_id", "created_at", "format", "paid", "pillars", "tactic", "text", "hashtags", "repost_of")
    frame = posts
    for col in base_cols:
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None).alias(col))
    frame = frame.select("platform", "post_id", *base_cols)
    latest = latest_metrics(post_metrics)
    frame = frame.join(latest, on=["platform", "post_id"], how="left")
    if snapshots is None or snapshots.height == 0:  # no follower counts: skip a join over every post
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int64).alias("followers_at_post"))
    else:
        frame = frame.join(
            followers_at_post(posts, snapshots, max_gap_days=max_gap_days), on=["platform", "post_id"], how="left"
        )
    # the networks' bases from the metrics of these posts (the left join above: a post without metrics adds nulls)
    frame = _with_interactions(frame, interaction_basis(frame))
    return frame.with_columns(
        _rate(pl.col("interactions"), pl.col("reach").cast(pl.Float64)).alias("er_reach"),
        _rate(pl.col("interactions"), pl.col("impressions").cast(pl.Float64)).alias("er_impressions"),
        _rate(pl.col("interactions"), pl.col("followers_at_post").cast(pl.Float64)).alias("er_followers"),
    )


def _with_interactions(frame: pl.DataFrame, bases: dict[str, InteractionBasis]) -> pl.DataFrame:
    """Add ``interactions`` (the sum of the network's reported parts) and its ``interactions_basis/partial``."""
    table = pl.DataFrame(
        {
            "platform": list(bases),
            "interactions_basis": [b.formula if b.parts else None for b in bases.values()],
            "interactions_partial": [b.note for b in bases.values()],
            **{f"_use_{p}": [p in b.parts for b in bases.values()] for p in INTERACTION_PARTS},
        },
        schema={
            "platform": pl.String,
            "interactions_basis": pl.String,
            "interactions_partial": pl.String,
            **{f"_use_{p}": pl.Boolean for p in INTERACTION_PARTS},
        },
    )
    frame = frame.join(table, on="platform", how="left")
    total: pl.Expr = pl.lit(0.0)
    for p in INTERACTION_PARTS:
        total = total + pl.when(pl.col(f"_use_{p}")).then(pl.col(p).cast(pl.Float64)).otherwise(pl.lit(0.0))
    inter = pl.when(pl.col("interactions_basis").is_not_null()).then(total).otherwise(None)
    return frame.with_columns(inter.alias("interactions")).drop([f"_use_{p}" for p in INTERACTION_PARTS])


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


def floor_at_zero(metric: str, low: float | None) -> float | None:
    """A mean's lower bound, raised to 0 for a metric that cannot be negative (counts and rates, not z-scores).

    The t interval of a skewed non-negative metric with few posts can reach below 0 (three X posts: −1.07 %);
    no post can have a negative engagement rate, so the bound is truncated there.
    """
    if low is None or metric.endswith("_z") or low >= 0:
        return low
    return 0.0


def summarize_engagement(
    frame: pl.DataFrame,
    *,
    by: tuple[str, ...] = ("platform",),
    metrics: tuple[str, ...] = ("interactions", "er_reach", "er_impressions", "er_followers"),
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Mean of each per-post metric per group, with its definition, sample size and t interval (floored at 0).

    Columns: ``*by, metric, label, definition, partial, value, ci_low, ci_high, n_posts, n_used, n_excluded,
    n_missing_interactions, n_missing_denominator``. ``label`` and ``definition`` are the group's own
    (:func:`network_definition`: ``likes + reposts … partial: replies not in the export`` on X); ``partial`` names
    what a partial sum leaves out (``None`` when complete or not an interactions metric). ``n_excluded`` counts
    posts left out because the metric (or its denominator) was not reported; for rates the two last columns say
    why (a post may lack both).
    """
    rows: list[dict[str, object]] = []
    groups = frame.group_by(list(by), maintain_order=True) if by else [((), frame)]
    for key, group in groups:
        key_t = key if isinstance(key, tuple) else (key,)
        bases = group_bases(group)
        for metric in metrics:
            d = network_definition(metric, bases)
            values = group[metric].cast(pl.Float64).drop_nulls().drop_nans().to_numpy()
            mean, lo, hi = mean_interval(values, confidence=confidence)
            lo = floor_at_zero(metric, lo)
            no_num, no_den = _missing_parts(group, metric)
            rows.append(
                {
                    **dict(zip(by, key_t, strict=True)),
                    "metric": metric,
                    "label": d.label,
                    "definition": d.formula,
                    "partial": partial_note(metric, bases),
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


def group_bases(frame: pl.DataFrame) -> list[tuple[str, str | None, str | None]]:
    """The distinct ``(platform, interactions_basis, interactions_partial)`` of ``frame``'s posts (``[]`` if none)."""
    cols = ("platform", "interactions_basis", "interactions_partial")
    if any(c not in frame.columns for c in cols) or frame.height == 0:
        return []
    return [(str(p), b, n) for p, b, n in frame.select(cols).unique().iter_rows()]


def partial_note(metric: str, bases: Iterable[tuple[str, str | None, str | None]]) -> str | None:
    """What the interactions behind ``metric`` leave out (``x: replies not in the export``), else ``None``."""
    if metric.removesuffix("_z") not in INTERACTION_METRICS:
        return None
    bases = list(bases)
    notes = sorted({(p, n) for p, b, n in bases if b is not None and n})
    if not notes:
        return None
    if len({p for p, _, _ in bases}) == 1:
        return notes[0][1]
    return "; ".join(f"{p}: {n}" for p, n in notes)


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
