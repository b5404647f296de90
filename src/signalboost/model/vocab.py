"""Controlled vocabularies shared by the strategy, the importers and the analytics.

Network ids are the ``platform`` values stored in the workspace database, so a strategy's ``instagram`` and an
imported Instagram post meet on the same key.
"""

from __future__ import annotations

from typing import Literal, get_args

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

KpiPerPostMetric = Literal[
    "reach",
    "impressions",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "views",
    "interactions",
]
"""The counts a KPI can take per post (``mean_per_post``, ``median_per_post``)."""

KpiMetric = Literal[
    "followers",
    "follower_growth",
    "posts",
    KpiPerPostMetric,
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

KpiAggregation = Literal["sum", "mean_per_post", "median_per_post", "rate", "last", "growth"]
"""How a KPI turns its window's posts (or follower snapshots) into one figure:

- ``sum``: the total over the window (a count: reach, clicks, posts);
- ``mean_per_post`` / ``median_per_post``: the per-post mean (Student-t interval) or median (order-statistic
  interval) of the metric — "people reached per post on average" is ``mean_per_post``;
- ``rate``: an engagement rate of the window's totals, Σ interactions / Σ reach (ratio estimator with its interval);
- ``last``: the last follower count in the window; ``growth``: (last − first) / first follower count.
"""

KPI_AGGREGATIONS: tuple[str, ...] = get_args(KpiAggregation)
KPI_RATE_METRICS: tuple[str, ...] = (
    "engagement_rate_reach",
    "engagement_rate_impressions",
    "engagement_rate_followers",
    "click_through_rate",
    "influencer_engagement_rate",
)
KPI_PER_POST_METRICS: tuple[str, ...] = get_args(KpiPerPostMetric)


def default_aggregation(metric: str) -> str:
    """The aggregation a KPI without one gets (what older documents meant): ``last`` for followers, ``growth`` for
    follower growth, ``mean_per_post`` for rates (the mean of per-post rates), ``sum`` for every count."""
    if metric == "followers":
        return "last"
    if metric == "follower_growth":
        return "growth"
    if metric in KPI_RATE_METRICS:
        return "mean_per_post"
    return "sum"


def allowed_aggregations(metric: str) -> tuple[str, ...]:
    """The aggregations that make sense for ``metric`` (e.g. a follower count has no per-post mean)."""
    if metric == "followers":
        return ("last",)
    if metric == "follower_growth":
        return ("growth",)
    if metric in KPI_RATE_METRICS:
        return ("rate", "mean_per_post", "median_per_post")
    if metric in KPI_PER_POST_METRICS:
        return ("sum", "mean_per_post", "median_per_post")
    return ("sum",)


INTERACTION_KINDS: tuple[str, ...] = ("like", "reply", "repost", "quote", "mention")
"""``interactions.kind`` values."""
