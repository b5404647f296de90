"""Controlled vocabularies shared by the strategy, the importers and the analytics.

Network ids are the ``platform`` values stored in the workspace database, so a strategy's ``instagram`` and an
imported Instagram post meet on the same key.
"""

from __future__ import annotations

from typing import Literal

NETWORKS: tuple[str, ...] = (
    "instagram",
    "facebook",
    "x",
    "mastodon",
    "tiktok",
    "youtube",
    "linkedin",
    "pinterest",
    "threads",
    "bluesky",
    "snapchat",
    "blog",
    "newsletter",
)
"""Networks Signalboost knows; ``x`` is X/Twitter."""

FORMATS: tuple[str, ...] = (
    "text",
    "photo",
    "video",
    "link",
    "carousel",
    "story",
    "reel",
    "short",
    "live",
    "poll",
    "article",
    "infographic",
)
"""Post formats (``posts.format`` in the database)."""

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Goal = Literal["awareness", "reach", "engagement", "traffic", "conversions", "community", "loyalty", "leads"]

KpiMetric = Literal[
    "followers",
    "follower_growth",
    "posts",
    "reach",
    "impressions",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "views",
    "interactions",
    "engagement_rate_reach",
    "engagement_rate_impressions",
    "engagement_rate_followers",
    "click_through_rate",
    "mentions",
    "hashtag_uses",
    "influencer_interactions",
    "influencer_amplifications",
    "influencer_engagement_rate",
]
"""Metrics a KPI can monitor; the analytics define each once (see ``signalboost.analytics.metrics``)."""

INTERACTION_KINDS: tuple[str, ...] = ("like", "reply", "repost", "quote", "mention")
"""``interactions.kind`` values."""
