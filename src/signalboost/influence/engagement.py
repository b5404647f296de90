"""Engagement with the brand: recency-weighted interactions by kind, and reciprocity.

For an account ``a``, brand ``b``, kind weights ``w_k`` (strategy ``influence.interaction_weights``), half-life
``h`` days (``influence.engagement_half_life_days``) and reference time ``T`` (the latest timestamp in the data,
so a result never depends on the day it is computed)::

    engagement(a)  = Σ_{a's interactions i with b or b's posts}  w_{kind(i)} · 2^(−(T − t_i) / h)
    reciprocity(a) = Σ_{b's interactions i with a or a's posts}  w_{kind(i)} · 2^(−(T − t_i) / h)

Exponential forgetting with a half-life is the usual recency weighting of engagement (e.g. Ding & Li 2005,
*Time weight collaborative filtering*, CIKM). Undated interactions are counted but carry no weight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl

from signalboost.influence.data import InfluenceData, kind_weights

COUNT_COLUMNS = {"repost": "reposts", "quote": "quotes", "reply": "replies", "mention": "mentions", "like": "likes"}


def decay(occurred_at: pl.Expr, as_of: dt.datetime, half_life_days: float) -> pl.Expr:
    """``2^(−age / half_life)`` with age in days (future timestamps count as now; null stays null)."""
    age_days = (pl.lit(as_of) - occurred_at).dt.total_seconds().cast(pl.Float64) / 86400.0
    return pl.lit(2.0).pow(-(age_days.clip(lower_bound=0.0)) / half_life_days)


def _weighted(edges: pl.DataFrame, key: str, weights: Mapping[str, float], as_of: dt.datetime, h: float) -> Any:
    w = kind_weights(weights) * pl.col("weight").fill_null(1.0) * decay(pl.col("occurred_at"), as_of, h)
    return edges.with_columns(w.fill_null(0.0).alias("w")).group_by(key)


def engagement(
    data: InfluenceData,
    brand_id: str,
    *,
    weights: Mapping[str, float],
    half_life_days: float = 30.0,
    as_of: dt.datetime | None = None,
    window_days: float | None = None,
) -> pl.DataFrame:
    """Per account that interacted with the brand or was interacted with by it: ``ix, account_id, engagement,
    reciprocity, interactions_with_brand, interactions_in_window, brand_interactions, last_interaction`` and counts
    per kind. ``interactions_in_window``: the account's interactions with the brand in the ``window_days`` before
    ``as_of`` (undated ones count: they cannot be placed outside it; ``None``: every interaction)."""
    if as_of is None:
        span = data.time_range()
        as_of = span[1] if span else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    b = data.index(brand_id)
    other = pl.col("src") != pl.col("dst")  # each side filtered at once: no copy of every other account's edges
    inbound = data.edges().filter((pl.col("dst") == b) & other)
    outbound = data.edges().filter((pl.col("src") == b) & other)
    counts = [pl.col("kind").eq(k).sum().alias(c) for k, c in COUNT_COLUMNS.items()]
    in_window = pl.lit(True)
    if window_days is not None:
        start = as_of - dt.timedelta(days=window_days)
        in_window = pl.col("occurred_at").is_null() | (pl.col("occurred_at") >= start)
    ins = (
        _weighted(inbound, "src", weights, as_of, half_life_days)
        .agg(
            pl.col("w").sum().alias("engagement"),
            pl.len().alias("interactions_with_brand"),
            in_window.sum().cast(pl.Int64).alias("interactions_in_window"),
            pl.col("occurred_at").max().alias("last_interaction"),
            *counts,
        )
        .rename({"src": "ix"})
    )
    outs = (
        _weighted(outbound, "dst", weights, as_of, half_life_days)
        .agg(pl.col("w").sum().alias("reciprocity"), pl.len().alias("brand_interactions"))
        .rename({"dst": "ix"})
    )
    both: pl.DataFrame = ins.join(outs, on="ix", how="full", coalesce=True)
    both = both.with_columns(
        pl.col("engagement").fill_null(0.0),
        pl.col("reciprocity").fill_null(0.0),
        pl.col("interactions_with_brand").fill_null(0).cast(pl.Int64),
        pl.col("interactions_in_window").fill_null(0).cast(pl.Int64),
        pl.col("brand_interactions").fill_null(0).cast(pl.Int64),
        *[pl.col(c).fill_null(0).cast(pl.Int64) for c in COUNT_COLUMNS.values()],
    ).sort("ix")
    return both.with_columns(pl.Series("account_id", data.nodes.gather(both["ix"].to_numpy())))


def engagement_over_time(data: InfluenceData, account_id: str, brand_id: str, *, every: str = "1w") -> pl.DataFrame:
    """The account's interactions with the brand per period (``every``: a Polars duration, e.g. ``1d``, ``1w``):
    ``period, interactions, reposts, quotes, replies, mentions, likes, brand_interactions``."""
    a, b = data.index(account_id), data.index(brand_id)
    edges = data.edges().filter(pl.col("occurred_at").is_not_null())
    ins = edges.filter((pl.col("src") == a) & (pl.col("dst") == b)).with_columns(pl.lit(1).alias("inbound"))
    outs = edges.filter((pl.col("src") == b) & (pl.col("dst") == a)).with_columns(pl.lit(0).alias("inbound"))
    both = pl.concat([ins, outs]).sort("occurred_at")
    if both.height == 0 or a < 0 or b < 0 or a == b:
        return pl.DataFrame(schema={"period": pl.Datetime("us", "UTC"), "interactions": pl.Int64})
    counts = [(pl.col("kind").eq(k) & pl.col("inbound").eq(1)).sum().alias(c) for k, c in COUNT_COLUMNS.items()]
    out: pl.DataFrame = both.group_by_dynamic("occurred_at", every=every).agg(
        pl.col("inbound").sum().cast(pl.Int64).alias("interactions"),
        *counts,
        (1 - pl.col("inbound")).sum().cast(pl.Int64).alias("brand_interactions"),
    )
    return out.rename({"occurred_at": "period"})


def engagement_vector(frame: pl.DataFrame, n: int, column: str = "engagement") -> np.ndarray:
    """``column`` of :func:`engagement` as a vector over the ``n`` node indices (0 for absent accounts)."""
    out = np.zeros(n)
    out[frame["ix"].to_numpy()] = frame[column].cast(pl.Float64).to_numpy()
    return out
