"""The components of the influence score, each a percentile 0–100 over the accounts it can be computed for.

Every component returns a :class:`Component`: ``pct`` (NaN where the account's value is unknown), the raw value
behind it, and — when no account has a value — ``reason`` saying why it is unavailable.

Percentile rank (mean rank, ties shared): ``pct(v) = 100 · (#{u < v} + ½ #{u = v}) / n`` over the ``n`` accounts
with a value — scipy's ``percentileofscore(kind="mean")``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from signalboost.influence.data import InfluenceData, kind_weights
from signalboost.influence.graph import Graph, build_graph, index_in
from signalboost.influence.pagerank import DEFAULT_ALPHA, DEFAULT_TOL, pagerank, topic_pagerank

COMPONENTS = ("reach", "authority", "amplification", "topic", "activity")


@dataclass
class Component:
    """One component over the ``n`` nodes: percentile (NaN = unknown), raw value, and why it is unavailable."""

    name: str
    pct: np.ndarray
    raw: np.ndarray
    reason: str | None = None
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    labels: list[list[str]] | None = None

    @property
    def available(self) -> bool:
        return self.reason is None


def unavailable(name: str, n: int, reason: str) -> Component:
    """A component no account has a value for."""
    nan = np.full(n, np.nan)
    return Component(name, nan, nan.copy(), reason)


def percentile_rank(values: np.ndarray) -> np.ndarray:
    """Mean-rank percentile of each value among the non-NaN values (NaN stays NaN). See the module docstring."""
    v = np.asarray(values, dtype=np.float64)
    out = np.full(v.shape, np.nan)
    ok = ~np.isnan(v)
    if not ok.any():
        return out
    s = np.sort(v[ok])
    less = np.searchsorted(s, v[ok], side="left")
    at_most = np.searchsorted(s, v[ok], side="right")
    out[ok] = 50.0 * (less + at_most) / s.size
    return out


def _per_node(nodes: pl.Series, ids: pl.Series, values: np.ndarray, fill: float = np.nan) -> np.ndarray:
    out = np.full(nodes.len(), fill)
    idx = index_in(nodes, ids)
    keep = idx >= 0
    out[idx[keep]] = values[keep]
    return out


# --------------------------------------------------------------------------------------------------- reach


def size_band(followers: np.ndarray) -> np.ndarray:
    """Order of magnitude of the follower count: 0 for 0–9, 1 for 10–99, 2 for 100–999 … (NaN unknown)."""
    f = np.asarray(followers, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isnan(f), np.nan, np.floor(np.log10(np.maximum(f, 1.0))))


def reach(data: InfluenceData, nodes: pl.Series) -> Component:
    """Reach: ``log10(1 + followers)`` as a percentile; ``extra["in_band"]``: percentile among accounts of the same
    size band (:func:`size_band`), so a 900-follower account can lead the hundreds.

    Follower counts come from ``accounts.followers``; when none is known, from the follow graph (in-degree) if any.
    """
    n = nodes.len()
    acc = data.accounts.filter(pl.col("followers").is_not_null())
    if acc.height:
        followers = _per_node(nodes, acc["account_id"], acc["followers"].cast(pl.Float64).to_numpy())
    elif data.follows.height:
        counts = data.follows.group_by("followee_id").len()
        followers = _per_node(nodes, counts["followee_id"], counts["len"].cast(pl.Float64).to_numpy(), fill=0.0)
    else:
        return unavailable("reach", n, "no follower counts and no follow graph imported")
    raw = np.log10(1.0 + followers)
    band = size_band(followers)
    in_band = np.full(n, np.nan)
    for b in np.unique(band[~np.isnan(band)]):
        sel = band == b
        in_band[sel] = percentile_rank(raw[sel])
    return Component("reach", percentile_rank(raw), raw, extra={"followers": followers, "in_band": in_band})


# ----------------------------------------------------------------------------------------------- authority


def interaction_graph(data: InfluenceData, nodes: pl.Series, weights: Mapping[str, float]) -> Graph:
    """The weighted interaction graph: an edge actor → target account weighted by kind (× the row's weight)."""
    edges = data.edges().select(
        pl.col("actor_id").alias("source"), "target", (kind_weights(weights) * pl.col("weight")).alias("weight")
    )
    return build_graph(edges, nodes=nodes)


def follow_graph(data: InfluenceData, nodes: pl.Series) -> Graph | None:
    """The follow graph follower → followee (None when no follows are imported)."""
    if data.follows.height == 0:
        return None
    edges = data.follows.select(pl.col("follower_id").alias("source"), pl.col("followee_id").alias("target"))
    return build_graph(edges, weight=None, nodes=nodes)


def authority(
    interactions: Graph, follows: Graph | None, *, alpha: float = DEFAULT_ALPHA, tol: float = DEFAULT_TOL
) -> Component:
    """Authority: PageRank on the weighted interaction graph; with a follow graph, the mean of the two PageRanks.

    ``authority = ½ PR(interactions) + ½ PR(follows)`` — a mixture of two PageRank vectors is a probability
    vector again (Page et al. 1999). Unavailable when neither graph has an edge.
    """
    n = interactions.n
    graphs = [g for g in (interactions, follows) if g is not None and g.n_edges > 0]
    if not graphs:
        return unavailable("authority", n, "no interactions between accounts and no follow graph")
    raw = np.mean([pagerank(g, alpha=alpha, tol=tol) for g in graphs], axis=0)
    return Component("authority", percentile_rank(raw), raw)


# ------------------------------------------------------------------------------------------- amplification


def amplification(data: InfluenceData, nodes: pl.Series) -> Component:
    """Amplification: ``(reposts + quotes received) / posts`` per account.

    Posts are counted in the posts table for accounts with imported posts, else taken from
    ``accounts.posts_count``; an account whose number of posts is unknown or zero has no value.
    """
    n = nodes.len()
    posts = np.full(n, np.nan)
    acc = data.accounts.filter(pl.col("posts_count").is_not_null())
    if acc.height:
        posts = _per_node(nodes, acc["account_id"], acc["posts_count"].cast(pl.Float64).to_numpy())
    if data.posts.height:
        counts = data.posts.group_by("author_id").len()
        idx = index_in(nodes, counts["author_id"])
        ok = idx >= 0
        posts[idx[ok]] = counts["len"].cast(pl.Float64).to_numpy()[ok]
    if np.isnan(posts).all():
        return unavailable("amplification", n, "no posts and no post counts imported (posts per account unknown)")
    got = data.edges().filter(pl.col("kind").is_in(["repost", "quote"])).group_by("target").len()
    received = _per_node(nodes, got["target"], got["len"].cast(pl.Float64).to_numpy(), fill=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(posts > 0, received / posts, np.nan)
    if np.isnan(raw).all():
        return unavailable("amplification", n, "no account has a known, non-zero number of posts")
    return Component("amplification", percentile_rank(raw), raw, extra={"received": received, "posts": posts})


# --------------------------------------------------------------------------------------------------- topic


def topic_counts(data: InfluenceData, topics: Mapping[str, Sequence[str]] | None, top_n: int = 10) -> pl.DataFrame:
    """Posts per (author, topic): ``author_id, topic, posts``.

    A topic is a name and its hashtags (lower case, without ``#``); a post also counts for a topic named in its
    ``pillars``. ``topics=None``: the ``top_n`` most used hashtags, each its own topic.
    """
    p = data.posts.select("post_id", "author_id", "hashtags", "pillars")
    tags = (
        p.explode("hashtags")
        .filter(pl.col("hashtags").is_not_null())
        .select("post_id", "author_id", pl.col("hashtags").str.strip_prefix("#").str.to_lowercase().alias("tag"))
        .unique()
    )
    if topics is None:
        top = tags.group_by("tag").len().sort(["len", "tag"], descending=[True, False]).head(top_n)
        topics = {f"#{t}": [t] for t in top["tag"].to_list()}
    rows = [(name, tag.lstrip("#").lower()) for name, hs in topics.items() for tag in hs]
    mapping = pl.DataFrame(rows, schema={"topic": pl.String, "tag": pl.String}, orient="row")
    by_tag = tags.join(mapping, on="tag").select("post_id", "author_id", "topic")
    by_pillar = (
        p.explode("pillars")
        .filter(pl.col("pillars").is_in(list(topics)))
        .select("post_id", "author_id", pl.col("pillars").alias("topic"))
    )
    both = pl.concat([by_tag, by_pillar]).unique()
    return both.group_by("author_id", "topic").agg(pl.len().cast(pl.Float64).alias("posts")).sort("author_id", "topic")


def topic_leadership(
    graph: Graph,
    counts: pl.DataFrame,
    *,
    lead_pct: float = 90.0,
    max_topics: int = 3,
    alpha: float = DEFAULT_ALPHA,
    tol: float = DEFAULT_TOL,
) -> Component:
    """Topic leadership: topic-sensitive PageRank per topic (TwitterRank teleport: posts on the topic).

    ``raw`` = the mean of the topic PageRank vectors (by linearity the PageRank whose teleport is the mean of the
    topics' teleports, Haveliwala 2002); ``extra["per_topic"]`` is ``n × k`` percentiles and ``leads`` (in
    :func:`leading_topics`) the topics where the account ranks at or above ``lead_pct``.
    """
    n = graph.n
    if counts.height == 0:
        return unavailable("topic", n, "no hashtags or pillar labels on imported posts")
    names = sorted(counts["topic"].unique().to_list())
    teleports: dict[str, np.ndarray] = {}
    for name in names:
        part = counts.filter(pl.col("topic") == name)
        teleports[name] = _per_node(graph.ids, part["author_id"], part["posts"].to_numpy(), fill=0.0)
    scores = topic_pagerank(graph, teleports, alpha=alpha, tol=tol)
    per_topic = np.column_stack([np.where(scores[t] > 0, percentile_rank(scores[t]), 0.0) for t in names])
    raw = np.mean([scores[t] for t in names], axis=0)
    leads = leading_topics(per_topic, names, lead_pct=lead_pct, max_topics=max_topics)
    return Component("topic", percentile_rank(raw), raw, extra={"per_topic": per_topic}, labels=leads)


def leading_topics(
    per_topic: np.ndarray, names: Sequence[str], *, lead_pct: float = 90.0, max_topics: int = 3
) -> list[list[str]]:
    """Per account, up to ``max_topics`` topics it leads (percentile ≥ ``lead_pct`` in the topic), best first."""
    out: list[list[str]] = [[] for _ in range(per_topic.shape[0])]
    rows = np.flatnonzero((per_topic >= lead_pct).any(axis=1))
    if rows.size == 0:
        return out
    sub = per_topic[rows]
    order = np.argsort(-sub, axis=1, kind="stable")[:, :max_topics]
    for r, i in enumerate(rows):
        out[i] = [names[j] for j in order[r] if sub[r, j] >= lead_pct]
    return out


# ------------------------------------------------------------------------------------------------ activity


def activity(data: InfluenceData, nodes: pl.Series) -> Component:
    """Activity: how often and how regularly an account posts.

    ``frequency = posts / max(1, days observed)``; ``regularity`` = share of the observed days (weeks when the
    window is longer than 8 weeks; ``⌊span / unit⌋ + 1`` periods from the first event) with at least one post;
    ``activity = pct((pct(frequency) + pct(regularity)) / 2)``.
    Posts are the posts table when it has rows, else the account's own reposts, quotes, replies and mentions
    (each is a post on X). Accounts never seen posting have no value (their posts were not collected).
    """
    n = nodes.len()
    if data.posts.height and data.posts["created_at"].drop_nulls().len():
        events = data.posts.select(pl.col("author_id").alias("id"), pl.col("created_at").alias("ts"))
        source = "posts"
    else:
        events = data.interactions.filter(pl.col("kind") != "like").select(
            pl.col("actor_id").alias("id"), pl.col("occurred_at").alias("ts")
        )
        source = "interactions"
    events = events.drop_nulls()
    if events.height == 0:
        return unavailable("activity", n, "no dated posts or interactions")
    lo, hi = events["ts"].min(), events["ts"].max()
    assert isinstance(lo, dt.datetime) and isinstance(hi, dt.datetime)
    exact = (hi - lo).total_seconds() / 86400.0
    span_days = max(1.0, exact)
    unit = 7 if exact > 56 else 1
    periods = math.floor(exact / unit) + 1
    per = (
        events.with_columns(((pl.col("ts") - pl.lit(lo)).dt.total_seconds() // (86400 * unit)).alias("period"))
        .group_by("id")
        .agg(pl.len().alias("posts"), pl.col("period").n_unique().alias("active"))
    )
    freq = _per_node(nodes, per["id"], per["posts"].cast(pl.Float64).to_numpy() / span_days)
    reg = _per_node(nodes, per["id"], per["active"].cast(pl.Float64).to_numpy() / periods)
    raw = (percentile_rank(freq) + percentile_rank(reg)) / 2.0
    return Component(
        "activity",
        percentile_rank(raw),
        raw,
        extra={"frequency": freq, "regularity": reg, "source": np.array([source], dtype=object)},
    )
