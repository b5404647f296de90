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
from signalboost.influence.graph import Graph, graph_from_codes
from signalboost.influence.pagerank import DEFAULT_ALPHA, DEFAULT_TOL, Transition, pagerank, power_iteration

COMPONENTS = ("reach", "authority", "amplification", "topic", "activity")
TOPIC_TOL = 1e-4
"""L1 tolerance of the topic PageRanks: only their percentiles are used, and k topics cost k PageRanks."""


@dataclass
class Component:
    """One component over the ``n`` nodes: percentile (NaN = unknown), raw value, and why it is unavailable."""

    name: str
    pct: np.ndarray
    raw: np.ndarray
    reason: str | None = None
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    labels: pl.Series | None = None

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
    ok = np.flatnonzero(~np.isnan(v))
    if ok.size == 0:
        return out
    order = ok[np.argsort(v[ok], kind="stable")]
    s = v[order]
    # runs of equal values: [start, end) in sorted order; less = start, at_most = end
    change = np.flatnonzero(np.diff(s)) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [s.size]))
    run = np.repeat(np.arange(starts.size), ends - starts)
    out[order] = 50.0 * (starts[run] + ends[run]) / s.size
    return out


def percentile_rank_positive(values: np.ndarray) -> np.ndarray:
    """:func:`percentile_rank` of non-negative ``values`` without NaN, sorting only the positive ones; 0 stays 0.

    A positive ``v`` has the ``z`` zeros below it, so ``pct(v) = 100 · (z + #{0 < u < v} + ½ #{u = v}) / n``.
    """
    v = np.asarray(values, dtype=np.float64)
    out = np.zeros(v.shape)
    pos = np.flatnonzero(v > 0)
    if pos.size:
        out[pos] = (percentile_rank(v[pos]) * pos.size + 100.0 * (v.size - pos.size)) / v.size
    return out


def _per_node(n: int, ix: np.ndarray, values: np.ndarray, fill: float = np.nan) -> np.ndarray:
    """Scatter ``values`` to their node indices ``ix`` (rows with ``ix < 0`` are skipped)."""
    out = np.full(n, fill)
    keep = ix >= 0
    out[ix[keep]] = values[keep]
    return out


def _count(n: int, ix: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """How many rows (or how much weight) per node index."""
    keep = ix >= 0
    return np.bincount(ix[keep], weights=None if weights is None else weights[keep], minlength=n).astype(np.float64)


# --------------------------------------------------------------------------------------------------- reach


def size_band(followers: np.ndarray) -> np.ndarray:
    """Order of magnitude of the follower count: 0 for 0–9, 1 for 10–99, 2 for 100–999 … (NaN unknown)."""
    f = np.asarray(followers, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isnan(f), np.nan, np.floor(np.log10(np.maximum(f, 1.0))))


def reach(data: InfluenceData) -> Component:
    """Reach: ``log10(1 + followers)`` as a percentile; ``extra["in_band"]``: percentile among accounts of the same
    size band (:func:`size_band`), so a 900-follower account can lead the hundreds.

    Follower counts come from ``accounts.followers``; when none is known, from the follow graph (in-degree) if any.
    """
    n = data.n
    acc = data.accounts.filter(pl.col("followers").is_not_null())
    if acc.height:
        followers = _per_node(n, acc["ix"].to_numpy(), acc["followers"].cast(pl.Float64).to_numpy())
    elif data.follows.height:
        followers = _count(n, data.follows["dst"].to_numpy())
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


def interaction_graph(data: InfluenceData, weights: Mapping[str, float]) -> Graph:
    """The weighted interaction graph: an edge actor → target account weighted by kind (× the row's weight)."""
    e = data.edges()
    w = e.select(kind_weights(weights) * pl.col("weight").fill_null(1.0))
    return graph_from_codes(e["src"].to_numpy(), e["dst"].to_numpy(), data.nodes, w.to_series().to_numpy())


def follow_graph(data: InfluenceData) -> Graph | None:
    """The follow graph follower → followee (None when no follows are imported)."""
    if data.follows.height == 0:
        return None
    return graph_from_codes(data.follows["src"].to_numpy(), data.follows["dst"].to_numpy(), data.nodes)


def authority(
    interactions: Graph | Transition,
    follows: Graph | Transition | None,
    *,
    alpha: float = DEFAULT_ALPHA,
    tol: float = DEFAULT_TOL,
) -> Component:
    """Authority: PageRank on the weighted interaction graph; with a follow graph, the mean of the two PageRanks.

    ``authority = ½ PR(interactions) + ½ PR(follows)`` — a mixture of two PageRank vectors is a probability
    vector again (Page et al. 1999). Unavailable when neither graph has an edge.
    """
    n = interactions.n
    graphs = [g for g in (interactions, follows) if g is not None and g.n_edges > 0]
    if not graphs:
        return unavailable("authority", n, "no interactions between accounts and no follow graph")
    raw = pagerank(graphs[0], alpha=alpha, tol=tol)
    for g in graphs[1:]:
        raw += pagerank(g, alpha=alpha, tol=tol)
    raw /= len(graphs)
    return Component("authority", percentile_rank(raw), raw)


# ------------------------------------------------------------------------------------------- amplification


def amplification(data: InfluenceData) -> Component:
    """Amplification: ``(reposts + quotes received) / posts`` per account.

    Posts are counted in the posts table for accounts with imported posts, else taken from
    ``accounts.posts_count``; an account whose number of posts is unknown or zero has no value.
    """
    n = data.n
    posts = np.full(n, np.nan)
    acc = data.accounts.filter(pl.col("posts_count").is_not_null())
    if acc.height:
        posts = _per_node(n, acc["ix"].to_numpy(), acc["posts_count"].cast(pl.Float64).to_numpy())
    if data.posts.height:
        counts = _count(n, data.posts["ix"].to_numpy())
        posts = np.where(counts > 0, counts, posts)
    if np.isnan(posts).all():
        return unavailable("amplification", n, "no posts and no post counts imported (posts per account unknown)")
    got = data.edges().filter(pl.col("kind").is_in(["repost", "quote"]))
    received = _count(n, got["dst"].to_numpy())
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
    p = data.posts.select("post_id", "author_id", "ix", "hashtags", "pillars")
    tags = (
        p.explode("hashtags")
        .filter(pl.col("hashtags").is_not_null())
        .select("post_id", "author_id", "ix", pl.col("hashtags").str.strip_prefix("#").str.to_lowercase().alias("tag"))
        .unique()
    )
    if topics is None:
        top = tags.group_by("tag").len().sort(["len", "tag"], descending=[True, False]).head(top_n)
        topics = {f"#{t}": [t] for t in top["tag"].to_list()}
    rows = [(name, tag.lstrip("#").lower()) for name, hs in topics.items() for tag in hs]
    mapping = pl.DataFrame(rows, schema={"topic": pl.String, "tag": pl.String}, orient="row").unique()
    by_tag = tags.join(mapping, on="tag").select("post_id", "author_id", "ix", "topic")
    by_pillar = (
        p.explode("pillars")
        .filter(pl.col("pillars").is_in(list(topics)))
        .select("post_id", "author_id", "ix", pl.col("pillars").alias("topic"))
    )
    both = pl.concat([by_tag, by_pillar]).unique() if by_pillar.height else by_tag  # by_tag: distinct rows
    out = both.group_by("author_id", "topic").agg(pl.len().cast(pl.Float64).alias("posts"), pl.col("ix").first())
    return out.sort("author_id", "topic")


def topic_leadership(
    graph: Graph | Transition,
    counts: pl.DataFrame,
    *,
    lead_pct: float = 90.0,
    max_topics: int = 3,
    alpha: float = DEFAULT_ALPHA,
    tol: float = TOPIC_TOL,
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
    col = counts["topic"].replace_strict({t: j for j, t in enumerate(names)}, return_dtype=pl.Int64).to_numpy()
    ix = counts["ix"].to_numpy()
    k, ok = len(names), ix >= 0
    flat = np.bincount(ix[ok] * k + col[ok], weights=counts["posts"].to_numpy()[ok], minlength=n * k)
    scores = power_iteration(graph, personalization=flat.reshape(n, k), alpha=alpha, tol=tol).scores
    del flat
    per_topic = np.empty_like(scores)
    for j in range(k):
        per_topic[:, j] = percentile_rank_positive(scores[:, j])
    raw = scores.mean(axis=1)
    del scores
    leads = leading_topics(per_topic, names, lead_pct=lead_pct, max_topics=max_topics)
    return Component("topic", percentile_rank(raw), raw, extra={"per_topic": per_topic}, labels=leads)


def leading_topics(
    per_topic: np.ndarray, names: Sequence[str], *, lead_pct: float = 90.0, max_topics: int = 3
) -> pl.Series:
    """Per account, up to ``max_topics`` topics it leads (percentile ≥ ``lead_pct`` in the topic), best first,
    as a ``list[str]`` column."""
    import pyarrow as pa

    n, k = per_topic.shape
    top = min(max_topics, k)
    rows = np.flatnonzero((per_topic >= lead_pct).any(axis=1))  # only these lead anything: sort just them
    order = np.argsort(-per_topic[rows], axis=1, kind="stable")[:, :top]
    best = np.take_along_axis(per_topic[rows], order, axis=1)
    keep = best >= lead_pct
    lengths = np.zeros(n, dtype=np.int32)
    lengths[rows] = keep.sum(axis=1)
    offsets = np.zeros(n + 1, dtype=np.int32)
    offsets[1:] = np.cumsum(lengths)
    values = pa.array(np.asarray(names, dtype=object)[order[keep]].tolist(), type=pa.string())
    out = pl.from_arrow(pa.ListArray.from_arrays(pa.array(offsets), values))
    assert isinstance(out, pl.Series)
    return out.alias("top_topics")


# ------------------------------------------------------------------------------------------------ activity


def activity(data: InfluenceData) -> Component:
    """Activity: how often and how regularly an account posts.

    ``frequency = posts / max(1, days observed)``; ``regularity`` = share of the observed days (weeks when the
    window is longer than 8 weeks; ``⌊span / unit⌋ + 1`` periods from the first event) with at least one post;
    ``activity = pct((pct(frequency) + pct(regularity)) / 2)``.
    Posts are the posts table when it has rows, else the account's own reposts, quotes, replies and mentions
    (each is a post on X). Accounts never seen posting have no value (their posts were not collected).
    """
    n = data.n
    if data.posts.height and data.posts["created_at"].drop_nulls().len():
        events = data.posts.select(pl.col("ix").alias("id"), pl.col("created_at").alias("ts"))
        source = "posts"
    else:
        events = data.interactions.filter(pl.col("kind") != "like").select(
            pl.col("src").alias("id"), pl.col("occurred_at").alias("ts")
        )
        source = "interactions"
    events = events.drop_nulls().filter(pl.col("id") >= 0)
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
    ix = per["id"].to_numpy()
    freq = _per_node(n, ix, per["posts"].cast(pl.Float64).to_numpy() / span_days)
    reg = _per_node(n, ix, per["active"].cast(pl.Float64).to_numpy() / periods)
    raw = (percentile_rank(freq) + percentile_rank(reg)) / 2.0
    return Component(
        "activity",
        percentile_rank(raw),
        raw,
        extra={"frequency": freq, "regularity": reg, "source": np.array([source], dtype=object)},
    )
