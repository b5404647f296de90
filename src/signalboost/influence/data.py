"""The plain data the influence algorithms take: canonical frames of one platform, checked and normalised.

Columns are those of ``store/migrations/001_core.sql``; only the ones used here are required, and a missing
table is an empty frame. Nothing here touches the database (see :mod:`signalboost.store.influence_sql`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from signalboost.errors import InfluenceError
from signalboost.influence.graph import node_ids

SCHEMAS: dict[str, dict[str, pl.DataType | type[pl.DataType]]] = {
    "accounts": {
        "account_id": pl.String,
        "handle": pl.String,
        "followers": pl.Int64,
        "posts_count": pl.Int64,
        "is_brand": pl.Boolean,
    },
    "follows": {"follower_id": pl.String, "followee_id": pl.String, "active": pl.Boolean},
    "interactions": {
        "actor_id": pl.String,
        "kind": pl.String,
        "target_post_id": pl.String,
        "target_account_id": pl.String,
        "occurred_at": pl.Datetime("us", "UTC"),
        "weight": pl.Float64,
    },
    "posts": {
        "post_id": pl.String,
        "author_id": pl.String,
        "created_at": pl.Datetime("us", "UTC"),
        "format": pl.String,
        "hashtags": pl.List(pl.String),
        "pillars": pl.List(pl.String),
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "accounts": ("account_id",),
    "follows": ("follower_id", "followee_id"),
    "interactions": ("actor_id", "kind"),
    "posts": ("post_id", "author_id"),
}
KINDS = ("repost", "quote", "reply", "mention", "like")


def empty(table: str) -> pl.DataFrame:
    """An empty frame with the columns of ``table``."""
    return pl.DataFrame(schema=SCHEMAS[table])


def conform(table: str, frame: pl.DataFrame | None) -> pl.DataFrame:
    """``frame`` with exactly the columns of ``table`` (optional ones added as nulls), cast to their types."""
    if frame is None:
        return empty(table)
    missing = [c for c in REQUIRED[table] if c not in frame.columns]
    if missing:
        raise InfluenceError(
            f"the {table} frame lacks column(s) {', '.join(missing)}",
            where=f"{table}: columns {', '.join(frame.columns) or '(none)'}",
            hint="Pass frames with the canonical columns of store/migrations/001_core.sql",
        )
    cols: list[pl.Series] = []
    for name, dtype in SCHEMAS[table].items():
        if name in frame.columns:
            src = frame[name]
            if isinstance(dtype, pl.Datetime) and isinstance(src.dtype, pl.Datetime) and src.dtype.time_zone is None:
                src = src.dt.replace_time_zone("UTC")
            cols.append(src.cast(dtype).alias(name))
        else:
            default: Any = {"weight": 1.0, "active": True, "is_brand": False}.get(name)
            cols.append(pl.Series(name, [default] * frame.height, dtype=dtype))
    return pl.DataFrame(cols)


@dataclass(frozen=True)
class InfluenceData:
    """The canonical frames of one platform (build with :meth:`from_frames`)."""

    platform: str
    accounts: pl.DataFrame
    follows: pl.DataFrame
    interactions: pl.DataFrame
    posts: pl.DataFrame
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_frames(
        cls,
        platform: str = "x",
        *,
        accounts: pl.DataFrame | None = None,
        follows: pl.DataFrame | None = None,
        interactions: pl.DataFrame | None = None,
        posts: pl.DataFrame | None = None,
    ) -> InfluenceData:
        """Check and normalise the frames (missing tables are empty; inactive follows are dropped)."""
        fol = conform("follows", follows)
        fol = fol.filter(pl.col("active").fill_null(True))
        inter = conform("interactions", interactions)
        bad = sorted(set(inter["kind"].unique().drop_nulls().to_list()) - set(KINDS))
        if bad:
            raise InfluenceError(
                f"unknown interaction kind(s) {', '.join(map(repr, bad))}",
                where="interactions.kind",
                hint=f"Use one of: {', '.join(KINDS)}",
            )
        return cls(
            platform=platform,
            accounts=conform("accounts", accounts),
            follows=fol,
            interactions=inter.with_columns(
                pl.col("target_account_id").fill_null(""), pl.col("target_post_id").fill_null("")
            ),
            posts=conform("posts", posts),
        )

    def nodes(self) -> pl.Series:
        """Every account id seen anywhere in the data, sorted."""
        i = self.interactions
        return node_ids(
            self.accounts["account_id"],
            self.follows["follower_id"],
            self.follows["followee_id"],
            i["actor_id"],
            i["target_account_id"],
            self.posts["author_id"],
        )

    def edges(self) -> pl.DataFrame:
        """Interactions as ``actor_id → target (account)``: a post target is resolved to its author."""
        i = self.interactions
        if self.posts.height:
            authors = self.posts.select(pl.col("post_id").alias("target_post_id"), pl.col("author_id"))
            i = i.join(authors, on="target_post_id", how="left")
            i = i.with_columns(
                pl.when(pl.col("target_account_id") == "")
                .then(pl.col("author_id").fill_null(""))
                .otherwise(pl.col("target_account_id"))
                .alias("target_account_id")
            ).drop("author_id")
        return i.filter(pl.col("target_account_id") != "").rename({"target_account_id": "target"})

    def time_range(self) -> tuple[dt.datetime, dt.datetime] | None:
        """First and last timestamp of interactions and posts (None when there are none)."""
        stamps = pl.concat([self.interactions["occurred_at"].drop_nulls(), self.posts["created_at"].drop_nulls()])
        if stamps.len() == 0:
            return None
        lo, hi = stamps.min(), stamps.max()
        assert isinstance(lo, dt.datetime) and isinstance(hi, dt.datetime)
        return lo, hi


def kind_weights(weights: Mapping[str, float]) -> pl.Expr:
    """An expression mapping ``kind`` to its weight (unknown kinds: 0)."""
    return pl.col("kind").replace_strict(dict(weights), default=0.0, return_dtype=pl.Float64)
