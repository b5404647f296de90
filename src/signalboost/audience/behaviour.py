"""How each segment behaves, from plain frames: its share of the engagement with the brand, the hours it is
active, the pillars and formats of the brand's posts it engages with (and the posts themselves), and its mix of
influence segments. Every figure carries its sample size; a figure without data is ``None``, never 0.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

MIN_EVENTS = 5
"""Fewer timestamped events than this: "not enough data" for a segment's active hours."""


def _members(segments: pl.DataFrame) -> pl.DataFrame:
    return segments.select(pl.col("account_id").cast(pl.String), pl.col("segment").cast(pl.Int64))


def engagement_with_brand(
    segments: pl.DataFrame, interactions: pl.DataFrame, posts: pl.DataFrame, brand_id: str | None
) -> pl.DataFrame:
    """Interactions of audience members with the brand (its account or its posts), with the member's segment and
    the target post's ``format``/``pillars`` where known (``brand_id=None``: every interaction)."""
    inter = interactions.with_columns(pl.col("actor_id").cast(pl.String)).join(
        _members(segments), left_on="actor_id", right_on="account_id"
    )
    own = posts.filter(pl.col("author_id") == brand_id) if brand_id else posts
    if brand_id:
        own_ids = own["post_id"].to_list()
        inter = inter.filter((pl.col("target_account_id") == brand_id) | pl.col("target_post_id").is_in(own_ids))
    return inter.join(
        own.select("post_id", "format", "pillars", "text"), left_on="target_post_id", right_on="post_id", how="left"
    )


def _shares(frame: pl.DataFrame, column: str, *, top: int = 3, explode: bool = False) -> list[dict[str, Any]]:
    f = frame.select(column).drop_nulls()
    if explode:
        f = f.explode(column).drop_nulls()
    total = f.height
    if total == 0:
        return []
    counts = f.group_by(column).len().sort(["len", column], descending=[True, False]).head(top)
    return [
        {"value": r[column], "n": r["len"], "share": round(r["len"] / total, 3)} for r in counts.iter_rows(named=True)
    ]


def active_hours(stamps: pl.Series, timezone: str = "UTC", *, top: int = 3) -> dict[str, Any]:
    """The ``top`` hours of the day (local to ``timezone``) with most events, and the number of events; hours are
    ``None`` with fewer than :data:`MIN_EVENTS` events."""
    s = stamps.drop_nulls()
    if s.len() < MIN_EVENTS:
        return {"hours": None, "events": s.len()}
    ZoneInfo(timezone)  # raises on an unknown zone before polars does
    hours = s.dt.convert_time_zone(timezone).dt.hour().value_counts(sort=True, name="n")
    hours = hours.sort(["n", s.name], descending=[True, False]).head(top)
    return {"hours": [int(h) for h in hours[s.name].to_list()], "events": s.len()}


def describe(
    segments: pl.DataFrame,
    *,
    interactions: pl.DataFrame,
    posts: pl.DataFrame,
    brand_id: str | None,
    influence: pl.DataFrame | None = None,
    timezone: str = "UTC",
    example_posts: int = 3,
) -> dict[int, dict[str, Any]]:
    """Per segment (``-1`` = other): engagement count (``None`` when the data holds no interaction at all: unknown,
    not 0) and share of all the audience's engagement with the brand,
    active hours (interactions and own posts), top formats and pillars engaged with, example posts (most engaged)
    and the influence-segment mix (from ``influence``: account_id, segment)."""
    members = _members(segments)
    eng = engagement_with_brand(members, interactions, posts, brand_id)
    total = eng.height
    own_posts = posts.with_columns(pl.col("author_id").cast(pl.String)).join(
        members, left_on="author_id", right_on="account_id"
    )
    seen = interactions.height > 0  # no interaction imported at all: engagement is unknown, not 0
    out: dict[int, dict[str, Any]] = {}
    for seg in sorted(members["segment"].unique().to_list()):
        e = eng.filter(pl.col("segment") == seg)
        stamps = pl.concat(
            [
                interactions.join(members.filter(pl.col("segment") == seg), left_on="actor_id", right_on="account_id")[
                    "occurred_at"
                ].alias("t"),
                own_posts.filter(pl.col("segment") == seg)["created_at"].alias("t"),
            ]
        )
        out[int(seg)] = {
            "engagement": e.height if seen else None,
            "engagement_share": round(e.height / total, 4) if total else None,
            "active": active_hours(stamps, timezone),
            "formats": _shares(e, "format"),
            "pillars": _shares(e, "pillars", explode=True),
            "example_posts": _examples(e, example_posts),
            "influence_mix": _influence_mix(members.filter(pl.col("segment") == seg), influence),
        }
    return out


def _examples(e: pl.DataFrame, k: int) -> list[dict[str, Any]]:
    known = e.filter(pl.col("target_post_id").fill_null("") != "")
    if known.height == 0:
        return []
    top = (
        known.group_by("target_post_id")
        .agg(pl.len().alias("n"), pl.col("text").first())
        .sort(["n", "target_post_id"], descending=[True, False])
        .head(k)
    )
    return [
        {"post_id": r["target_post_id"], "interactions": r["n"], "text": (r["text"] or "")[:140]}
        for r in top.iter_rows(named=True)
    ]


def _influence_mix(members: pl.DataFrame, influence: pl.DataFrame | None) -> dict[str, float] | None:
    if influence is None or influence.height == 0:
        return None
    joined = members.join(influence.select("account_id", pl.col("segment").alias("inf")), on="account_id")
    if joined.height == 0:
        return None
    counts = joined.group_by("inf").len().sort("inf")
    return {r["inf"]: round(r["len"] / members.height, 3) for r in counts.iter_rows(named=True)}
