"""Hand-made canonical frames for the analytics tests (columns of store/migrations/001_core.sql)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

UTC = dt.UTC


def t(day: int, hour: int = 12, month: int = 1, minute: int = 0) -> dt.datetime:
    """A UTC time in 2024."""
    return dt.datetime(2024, month, day, hour, minute, tzinfo=UTC)


POST_SCHEMA: dict[str, Any] = {
    "platform": pl.String,
    "post_id": pl.String,
    "author_id": pl.String,
    "created_at": pl.Datetime("us", "UTC"),
    "text": pl.String,
    "format": pl.String,
    "hashtags": pl.List(pl.String),
    "paid": pl.Boolean,
    "pillars": pl.List(pl.String),
    "tactic": pl.String,
}
METRIC_SCHEMA: dict[str, Any] = {
    "platform": pl.String,
    "post_id": pl.String,
    "observed_at": pl.Datetime("us", "UTC"),
    "impressions": pl.Int64,
    "reach": pl.Int64,
    "likes": pl.Int64,
    "comments": pl.Int64,
    "shares": pl.Int64,
    "saves": pl.Int64,
    "clicks": pl.Int64,
    "views": pl.Int64,
    "engaged_users": pl.Int64,
}
SNAP_SCHEMA: dict[str, Any] = {
    "platform": pl.String,
    "account_id": pl.String,
    "observed_at": pl.Datetime("us", "UTC"),
    "followers": pl.Int64,
}


def posts(rows: list[dict[str, Any]]) -> pl.DataFrame:
    full = [{k: r.get(k) for k in POST_SCHEMA} for r in rows]
    for r in full:
        r["platform"] = r["platform"] or "facebook"
        r["author_id"] = r["author_id"] or "brand"
    return pl.DataFrame(full, schema=POST_SCHEMA)


def metrics(rows: list[dict[str, Any]]) -> pl.DataFrame:
    full = [{k: r.get(k) for k in METRIC_SCHEMA} for r in rows]
    for r in full:
        r["platform"] = r["platform"] or "facebook"
        r["observed_at"] = r["observed_at"] or t(28, month=2)
    return pl.DataFrame(full, schema=METRIC_SCHEMA)


def snapshots(rows: list[dict[str, Any]]) -> pl.DataFrame:
    full = [{k: r.get(k) for k in SNAP_SCHEMA} for r in rows]
    for r in full:
        r["platform"] = r["platform"] or "facebook"
        r["account_id"] = r["account_id"] or "brand"
    return pl.DataFrame(full, schema=SNAP_SCHEMA)
