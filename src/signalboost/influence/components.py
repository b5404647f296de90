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
from signalboost.influence.graph import Graph, clean_codes, graph_from_codes, index_in
from signalboost.influence.pagerank import (
    DEFAULT_ALPHA,
    DEFAULT_TOL,
    FLOAT32_TOL,
    Transition,
    pagerank,
    power_iteration,
    transition_from_edges,
)

COMPONENTS = ("reach", "authority", "amplification", "topic", "activity")
AMPLIFICATION_WITHOUT_REPOSTS = (
    "no account received a repost or quote (Instagram, for one, has none): amplification would be 0 for everyone"
)
"""Why amplification is unavailable when posts are known but nobody was reposted or quoted: a component equal
for every account orders nothing, yet under the ``tail`` rule it would hold its weight at the 50th percentile and
pull every score towards 50 (an account at the 70th percentile of reach would score 65, below the threshold)."""
TOPIC_NO_MATCH = (
    "no imported post carries a hashtag of the strategy's pillars (pillars[].hashtags) or a pillar label: add the "
    "hashtags the posts use to the pillars"
)
"""Why topic leadership is unavailable when posts have hashtags but none names a pillar's topic (the topics are the
strategy's pillar hashtags, :func:`signalboost.influence.job.settings_and_topics`): "no hashtags" would be untrue."""
TOPIC_WITHOUT_EDGES = (
    "no interactions between accounts: topic leadership is a PageRank on them, and without edges it would only "
    "count posts on popular hashtags"
)
"""Why topic leadership is unavailable on data without interactions between accounts (posts and follower counts
only): a PageRank on a graph without edges is its teleport, here each account's share of the posts on the top
hashtags — posting volume, not leadership (on the Instagram backtest it ranked later attention below the follower
count; docs/validation.md)."""
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
    source: str | None = None
    """Where the values came from, when the component has more than one possible source (reach)."""

    @property
    def available(self) -> bool:
        return self.reason is None


def unavailable(name: str, n: int, reason: str) -> Component:
    """A component no account has a value for."""
    nan = np.full(n, np.nan)
    return Component(name, nan, nan.copy(), reason)


def percentile_rank(values: np.ndarray) -> np.ndarray:
    """Mean-rank percentile of each value among the non-NaN values (NaN stays NaN). See the module docstring.

    From the average rank ``r`` (1-based, ties share the mean of their ranks, as Polars' ``rank("average")`` and
    scipy's ``rankdata``) among the ``n`` known values: ``#{u < v} + ½ #{u = v} = r − ½``, so
    ``pct = 50 (2r − 1) / n`` — ``2r − 1`` is an integer. The ranks come from :func:`average_rank`.
    """
    v = np.asarray(values, dtype=np.float64)
    known = ~np.isnan(v)
    n = int(np.count_nonzero(known))
    if n == v.size:
        return _from_rank(average_rank(v), n)
    out = np.full(v.shape, np.nan)
    if n:
        where = np.flatnonzero(known)  # rank only the known values (often a small part)
        out[where] = _from_rank(average_rank(v[where]), n)
    return out


def average_rank(values: np.ndarray) -> np.ndarray:
    """The 1-based average rank of each of ``values`` (float64 without NaN; ties share the mean of their ranks).

    One unstable sort (numpy's vectorised quicksort — several times faster than a stable sort or Polars'
    ``rank`` on a million floats) and one pass over the runs of equal values: the run starting at sorted position
    ``s`` with ``k`` equal values has the ranks ``s + 1 … s + k``, mean ``s + (k + 1) / 2``. The order within a
    run does not matter, so the result does not depend on the sort's stability. Half-integers are exact in
    float64, so these are the very numbers ``rank("average")`` gives.
    """
    order = np.argsort(values)
    ranked = values[order]
    edge = np.empty(ranked.size + 1, dtype=bool)  # run boundaries: first, each change, one past the last
    edge[0] = edge[-1] = True
    np.not_equal(ranked[1:], ranked[:-1], out=edge[1:-1])
    starts = np.flatnonzero(edge)
    sizes = np.diff(starts)
    out = np.empty(ranked.size)
    out[order] = np.repeat(starts[:-1] + (sizes + 1) / 2.0, sizes)
    return out


def _from_rank(rank: np.ndarray, n: int) -> np.ndarray:
    pct: np.ndarray = 50.0 * (2.0 * rank - 1.0) / n
    return pct


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


REACH_FROM_FOLLOWERS = "follower counts"
REACH_FROM_FOLLOWERS_POSTS = (
    "follower counts (F) and the attention per post by the posts' metrics (P = mean likes + comments + shares), "
    "ranked by (1 + F)(1 + P)"
)
POST_ATTENTION = ("likes", "comments", "shares")
"""Post metrics that count as attention received per post (:func:`attention_per_post`)."""
REACH_FROM_FOLLOWS = "follow graph (followers counted)"
REACH_FROM_INTERACTORS = (
    "the distinct accounts interacting (D) and the attention received (A = reposts + quotes + 2 × (replies + "
    "mentions)), ranked by (1 + D)(1 + A) (no follower counts or follow graph imported)"
)
ATTENTION_WEIGHTS: dict[str, float] = {"repost": 1.0, "quote": 1.0, "reply": 2.0, "mention": 2.0}
"""Weight per kind in the *attention received* of :func:`attention_received`: a mention or a reply — people
addressing the account by name — counts twice a repost or a quote of one of its posts (Cha et al. 2010: mentions
measure the user's "name value", retweets the value of the content). Likes are left out, as in the backtest's
target: many exports do not carry them."""


BRAND_ONLY = "known only for the brand's own account (no other account has a value)"
"""Why a component is unavailable when the brand's is its only value (stored in English; see ``words``)."""


def reach(data: InfluenceData) -> Component:
    """Reach: ``log10(1 + audience)`` as a percentile; ``extra["in_band"]``: percentile among accounts of the same
    size band (:func:`size_band`), so a 900-follower account can lead the hundreds.

    The audience is, by the first source the data has beyond the brand's own accounts (``is_brand``: an account
    export knows its own follower count, its own followers and follows, its own replies): ``accounts.followers``;
    the follow graph's in-degree. With
    neither (interaction data only), reach is what the account demonstrably reached: ``D`` = the number of
    *distinct* accounts that reposted, quoted, replied to, mentioned or liked it (self excluded;
    :func:`distinct_interactors`) and ``A`` = the attention it received (:func:`attention_received`), combined as
    the log of their geometric mean::

        reach_raw = ½ (log10(1 + D) + log10(1 + A))

    — each account's count of distinct interactors and its weighted count of interactions, the two simple
    measures of interaction influence of Cha et al. (2010, *Measuring User Influence in Twitter: The Million
    Follower Fallacy*, ICWSM); together they rank later attention better than either alone (docs/validation.md,
    "Influence backtest"). The audience (``extra["interactors"]``) is then ``D`` and ``reach_in_band`` is ``D``'s
    percentile within its size band. ``source`` says which was used; ``extra["followers"]`` is set only from the
    first two sources.
    """
    n = data.n
    brand = data.accounts.filter(pl.col("is_brand").fill_null(False))["ix"].to_numpy()
    acc = data.accounts.filter(pl.col("followers").is_not_null())
    follows = data.follows
    if acc.height and _beyond(brand, acc["ix"].to_numpy()):
        followers = _per_node(n, acc["ix"].to_numpy(), acc["followers"].cast(pl.Float64).to_numpy())
        source = REACH_FROM_FOLLOWERS
        per_post = attention_per_post(data, brand)
        if per_post is not None:
            return _reach_with_post_attention(followers, per_post)
    elif follows.height and _beyond(brand, follows["src"].to_numpy(), follows["dst"].to_numpy()):
        followers = _count(n, follows["dst"].to_numpy())
        source = REACH_FROM_FOLLOWS
    else:
        return _reach_from_interactions(data, brand)
    raw = np.log10(1.0 + followers)
    pct = percentile_rank(raw)
    extra = {"followers": followers, "in_band": in_band_percentile(followers, pct)}
    return Component("reach", pct, raw, extra=extra, source=source)


def attention_per_post(data: InfluenceData, brand: np.ndarray | None = None) -> np.ndarray | None:
    """Per account, the attention its posts received by their metrics: the mean of ``likes + comments + shares``
    (an unreported one counts 0) over its posts with at least one of them reported; 0 for an account without
    such posts. None when no post of an account other than the brand's (``brand``: node indices) has metrics."""
    posts = data.posts.filter(
        (pl.col("ix") >= 0) & pl.any_horizontal(pl.col(c).is_not_null() for c in POST_ATTENTION)
    ).select("ix", pl.sum_horizontal(pl.col(c).fill_null(0) for c in POST_ATTENTION).cast(pl.Float64).alias("a"))
    ix = posts["ix"].to_numpy()
    if ix.size == 0 or not _beyond(np.zeros(0, dtype=np.int64) if brand is None else brand, ix):
        return None
    count = _count(data.n, ix)
    total = _count(data.n, ix, posts["a"].to_numpy())
    out: np.ndarray = np.divide(total, count, out=np.zeros(data.n), where=count > 0)
    return out


def _reach_with_post_attention(followers: np.ndarray, per_post: np.ndarray) -> Component:
    """Reach from follower counts and post metrics: the percentile of ``(1 + F)(1 + P)``, ``F`` the follower
    count, ``P`` the attention per post (:func:`attention_per_post`) — the rule of interaction data with the
    follower count as the audience and the post metrics as the attention (NaN where ``F`` is unknown)."""
    product = (1.0 + followers) * (1.0 + per_post)
    extra = {
        "followers": followers,
        "attention": per_post,
        "in_band": in_band_percentile(followers, percentile_rank(np.log10(1.0 + followers))),
    }
    return Component(
        "reach", percentile_rank(product), 0.5 * np.log10(product), extra=extra, source=REACH_FROM_FOLLOWERS_POSTS
    )


def _beyond(brand: np.ndarray, *ends: np.ndarray) -> bool:
    """Whether some row of the equally long ``ends`` touches no brand account (``brand``: the brand's node
    indices) — ``not (isin(a, brand) | isin(b, brand)).all()``, without a pass over the rows when there is no
    brand account."""
    if brand.size == 0:
        return bool(ends[0].size)
    touches = np.zeros(ends[0].size, dtype=bool)
    for e in ends:
        touches |= np.isin(e, brand)
    return not touches.all()


def _reach_from_interactions(data: InfluenceData, brand: np.ndarray) -> Component:
    """:func:`reach` on interaction data only (no follower counts, no follow graph, beyond the brand's own)."""
    n = data.n
    src, dst, kind = _other_edges(data)
    if src.size == 0:
        return unavailable("reach", n, "no follower counts, no follow graph and no interactions between accounts")
    if brand.size and np.isin(src, brand).all():
        return unavailable("reach", n, BRAND_ONLY)
    audience = _distinct_in(src, dst, n)
    attention = _attention(dst, kind, n)
    product = (1.0 + audience) * (1.0 + attention)  # ranked as the exact product: ties are ties on every engine
    raw = 0.5 * np.log10(product)
    in_band = in_band_percentile(audience, percentile_rank(audience))
    extra = {"interactors": audience, "attention": attention, "in_band": in_band}
    return Component("reach", percentile_rank(product), raw, extra=extra, source=REACH_FROM_INTERACTORS)


def _other_edges(data: InfluenceData) -> tuple[np.ndarray, np.ndarray, pl.Series]:
    """``src, dst, kind`` of the interactions between two different known accounts."""
    e = data.edges().filter(pl.col("src") != pl.col("dst"))
    return e["src"].to_numpy(), e["dst"].to_numpy(), e["kind"]


def _distinct_in(src: np.ndarray, dst: np.ndarray, n: int) -> np.ndarray:
    """Per node, the number of distinct ``src`` with an edge into it (one sort of the pair keys)."""
    key, _ = _sorted_counts(dst.astype(np.int64) * max(n, 1) + src)
    return np.bincount(key // max(n, 1), minlength=n).astype(np.float64)


def _attention(dst: np.ndarray, kind: pl.Series, n: int) -> np.ndarray:
    """Per node, ``Σ ATTENTION_WEIGHTS[kind]`` over the edges into it."""
    w = kind.replace_strict(ATTENTION_WEIGHTS, default=0.0, return_dtype=pl.Float64).to_numpy()
    return np.bincount(dst, weights=w, minlength=n)


def distinct_interactors(data: InfluenceData) -> np.ndarray | None:
    """Per account, how many distinct other accounts interacted with it (any kind; None when no account did)."""
    src, dst, _ = _other_edges(data)
    return _distinct_in(src, dst, data.n) if src.size else None


def attention_received(data: InfluenceData) -> np.ndarray | None:
    """Per account, the attention it received from other accounts: ``A = reposts + quotes + 2 (replies +
    mentions)`` (:data:`ATTENTION_WEIGHTS`; None when no account received any interaction)."""
    _, dst, kind = _other_edges(data)
    return _attention(dst, kind, data.n) if dst.size else None


def in_band_percentile(followers: np.ndarray, pct: np.ndarray) -> np.ndarray:
    """The percentile among accounts of the same :func:`size_band`, from the overall percentile ``pct``.

    Bands are intervals of the follower count, so in sorted order a band is one run: with ``m`` known values,
    ``before`` of them in lower bands and ``size`` in the band, ``#below + ½ #equal = pct · m / 100`` overall and
    ``in_band = 100 · (pct · m / 100 − before) / size`` — :func:`percentile_rank` within the band, without a sort.
    """
    band = size_band(followers)
    known = ~np.isnan(band)
    out = np.full(band.shape, np.nan)
    if not known.any():
        return out
    b = band[known].astype(np.int64)
    size = np.bincount(b)
    before = np.concatenate(([0], np.cumsum(size)[:-1]))
    out[known] = 100.0 * (pct[known] * b.size / 100.0 - before[b]) / size[b]
    return out


# ----------------------------------------------------------------------------------------------- authority


def _interaction_codes(data: InfluenceData, weights: Mapping[str, float]) -> tuple[np.ndarray, ...]:
    """``(src, dst, weight)`` of the interactions between known accounts, weighted by kind (× the row's weight)."""
    e = data.edges()
    w = e.select(kind_weights(weights) * pl.col("weight").fill_null(1.0)).to_series().to_numpy()
    return e["src"].to_numpy(), e["dst"].to_numpy(), w


def interaction_graph(data: InfluenceData, weights: Mapping[str, float]) -> Graph:
    """The weighted interaction graph: an edge actor → target account weighted by kind (× the row's weight)."""
    src, dst, w = _interaction_codes(data, weights)
    return graph_from_codes(src, dst, data.nodes, w)


def interaction_transition(data: InfluenceData, weights: Mapping[str, float]) -> Transition:
    """The :class:`Transition` of :func:`interaction_graph`, built straight from the encoded edges."""
    return transition_from_edges(*clean_codes(*_interaction_codes(data, weights)), data.n)


def follow_graph(data: InfluenceData) -> Graph | None:
    """The follow graph follower → followee (None when no follows are imported)."""
    if data.follows.height == 0:
        return None
    return graph_from_codes(data.follows["src"].to_numpy(), data.follows["dst"].to_numpy(), data.nodes)


def follow_transition(data: InfluenceData) -> Transition | None:
    """The :class:`Transition` of :func:`follow_graph` (None when no follows are imported)."""
    if data.follows.height == 0:
        return None
    return transition_from_edges(*clean_codes(data.follows["src"].to_numpy(), data.follows["dst"].to_numpy()), data.n)


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
    ranks = [graph_pagerank(g, alpha=alpha, tol=tol) for g in (interactions, follows)]
    return authority_from(interactions.n, ranks)


def graph_pagerank(
    graph: Graph | Transition | None, *, alpha: float = DEFAULT_ALPHA, tol: float = DEFAULT_TOL
) -> np.ndarray | None:
    """PageRank of ``graph`` (None when there is no graph or it has no edge)."""
    if graph is None or graph.n_edges == 0:
        return None
    return pagerank(graph, alpha=alpha, tol=tol)


def authority_from(n: int, ranks: Sequence[np.ndarray | None]) -> Component:
    """:func:`authority` from the PageRank vectors already computed (None: that graph is absent or empty)."""
    known = [r for r in ranks if r is not None]
    if not known:
        return unavailable("authority", n, "no interactions between accounts and no follow graph")
    raw = np.sum(known, axis=0) / len(known)
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
    got = data.edges().select(pl.col("dst").filter(pl.col("kind").is_in(["repost", "quote"])))  # one column
    if got.height == 0:
        return unavailable("amplification", n, AMPLIFICATION_WITHOUT_REPOSTS)
    received = _count(n, got["dst"].to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(posts > 0, received / posts, np.nan)
    if np.isnan(raw).all():
        return unavailable("amplification", n, "no account has a known, non-zero number of posts")
    return Component("amplification", percentile_rank(raw), raw, extra={"received": received, "posts": posts})


# --------------------------------------------------------------------------------------------------- topic


def topic_counts(data: InfluenceData, topics: Mapping[str, Sequence[str]] | None, top_n: int = 10) -> pl.DataFrame:
    """Posts per (author, topic): ``author_id, topic, posts, ix``, ordered by author (node order) then topic.

    A topic is a name and its hashtags (lower case, without ``#``); a post also counts for a topic named in its
    ``pillars``, and counts once per topic however many of its hashtags name it. ``topics=None``: the ``top_n``
    most used hashtags (by posts; ties by name), each its own topic. Hashtags are normalised once per distinct
    spelling and the counting runs on integer codes.
    """
    schema = {"author_id": pl.String, "topic": pl.String, "posts": pl.Float64, "ix": pl.Int64}
    posts = data.posts.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), "ix", "hashtags", "pillars")
    tagged = posts.select("row", "hashtags").explode("hashtags").filter(pl.col("hashtags").str.strip_prefix("#") != "")
    spellings = tagged["hashtags"].unique()
    normal = spellings.str.strip_prefix("#").str.to_lowercase()
    tags = normal.unique().sort()
    tag_of_spelling = index_in(tags, normal)  # distinct spelling -> normalised tag code
    row = tagged["row"].to_numpy()
    tag = tag_of_spelling[index_in(spellings, tagged["hashtags"])]
    row, tag = _distinct_pairs(row, tag, tags.len())
    if topics is None:
        per_tag = np.bincount(tag, minlength=tags.len())
        best = np.lexsort((np.arange(tags.len()), -per_tag))[:top_n]  # most posts first, then by name
        topics = {f"#{tags[int(i)]}": [str(tags[int(i)])] for i in best if per_tag[i] > 0}
    names = sorted(topics)
    code = {name: j for j, name in enumerate(names)}
    pairs_row, pairs_topic = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    wanted = {h.lstrip("#").lower() for hs in topics.values() for h in hs}
    for t in wanted:
        found = tags.index_of(t)
        if found is None:
            continue
        rows_with = row[tag == found]
        for name, hs in topics.items():
            if t in {h.lstrip("#").lower() for h in hs}:
                pairs_row.append(rows_with)
                pairs_topic.append(np.full(rows_with.size, code[name], dtype=np.int64))
    pillar = posts.select("row", "pillars").explode("pillars").filter(pl.col("pillars").is_in(names))
    if pillar.height:
        pairs_row.append(pillar["row"].to_numpy())
        pairs_topic.append(pillar["pillars"].replace_strict(code, return_dtype=pl.Int64).to_numpy())
    row, topic = _distinct_pairs(np.concatenate(pairs_row), np.concatenate(pairs_topic), len(names))
    ix = posts["ix"].to_numpy()[row]
    known = ix >= 0
    key, counts = _sorted_counts(ix[known] * len(names) + topic[known])
    if key.size == 0:
        return pl.DataFrame(schema=schema)
    ix_out, topic_out = key // len(names), key % len(names)
    return pl.DataFrame(
        {
            "author_id": data.nodes.gather(ix_out),
            "topic": pl.Series(names, dtype=pl.String).gather(topic_out),
            "posts": counts.astype(np.float64),
            "ix": ix_out,
        },
        schema=schema,
    )


def _distinct_pairs(first: np.ndarray, second: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``(first, second)`` pairs (``0 ≤ second < width``), ordered by ``first`` then ``second``."""
    key, _ = _sorted_counts(first.astype(np.int64) * max(width, 1) + second)
    return key // max(width, 1), key % max(width, 1)


def _sorted_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` in ascending order and how often each occurs (``np.unique(..., return_counts=True)``
    by one sort — numpy's vectorised sort, cheaper in CPU than Polars' parallel one on millions of int64)."""
    k = np.sort(np.asarray(keys, dtype=np.int64))
    if k.size == 0:
        return k, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
    return k[starts], np.diff(np.append(starts, k.size))


def topic_leadership(
    graph: Graph | Transition,
    counts: pl.DataFrame,
    *,
    lead_pct: float = 90.0,
    max_topics: int = 3,
    alpha: float = DEFAULT_ALPHA,
    tol: float = TOPIC_TOL,
    hashtags_seen: bool = False,
) -> Component:
    """Topic leadership: topic-sensitive PageRank per topic (TwitterRank teleport: posts on the topic).

    ``hashtags_seen``: some imported post has a hashtag, so an empty ``counts`` means none names a topic (the reason
    says so, :data:`TOPIC_NO_MATCH`) rather than that the posts have no hashtags.

    ``raw`` = the mean of the topic PageRank vectors (by linearity the PageRank whose teleport is the mean of the
    topics' teleports, Haveliwala 2002); ``labels`` (:func:`leading_topics`) are the topics where the account's
    percentile (:func:`percentile_rank_positive` of the topic's PageRank, found by :func:`top_percentiles`) is at
    or above ``lead_pct``.
    """
    n = graph.n
    if counts.height == 0:
        return unavailable(
            "topic", n, TOPIC_NO_MATCH if hashtags_seen else "no hashtags or pillar labels on imported posts"
        )
    names = sorted(counts["topic"].unique().to_list())
    col = counts["topic"].replace_strict({t: j for j, t in enumerate(names)}, return_dtype=pl.Int64).to_numpy()
    ix = counts["ix"].to_numpy()
    k, ok = len(names), ix >= 0
    teleports = _teleports(ix[ok] * k + col[ok], counts["posts"].to_numpy()[ok], n, k, tol)
    scores = power_iteration(
        graph, personalization=teleports, alpha=alpha, tol=tol, overwrite_personalization=True
    ).scores  # the teleports' memory becomes the scores'
    del teleports
    by_topic = np.ascontiguousarray(scores.T)  # k × n: each topic's vector contiguous for the selections below
    del scores
    tops = [top_percentiles(by_topic[j], lead_pct) for j in range(k)]
    raw = by_topic.mean(axis=0)
    del by_topic
    leads_any = np.zeros(n, dtype=bool)
    for top, _ in tops:
        leads_any[top] = True
    rows = np.flatnonzero(leads_any)  # the accounts that lead some topic, in node order
    position = np.cumsum(leads_any) - 1
    per_topic = np.zeros((rows.size, k))
    for j, (top, pct) in enumerate(tops):
        per_topic[position[top], j] = pct
    leads = leading_topics(per_topic, names, lead_pct=lead_pct, max_topics=max_topics, rows=rows, n=n)
    return Component("topic", percentile_rank(raw), raw, labels=leads)


def _teleports(cell: np.ndarray, posts: np.ndarray, n: int, k: int, tol: float) -> np.ndarray:
    """The ``n × k`` teleport matrix with ``posts`` summed into the flat cells ``cell`` (``node · k + topic``), in
    float32 for a tolerance ``≥`` :data:`FLOAT32_TOL`. The counts of :func:`topic_counts` name each cell once, in
    ascending order: then they are written straight into a zeroed matrix of the final type (the same numbers as
    summing in float64 and converting, without an ``n · k`` float64 temporary); otherwise they are summed."""
    dtype = np.float32 if tol >= FLOAT32_TOL else np.float64
    if cell.size < 2 or bool((cell[1:] > cell[:-1]).all()):
        out = np.zeros(n * k, dtype=dtype)
        out[cell] = posts
        return out.reshape(n, k)
    return np.bincount(cell, weights=posts, minlength=n * k).reshape(n, k).astype(dtype, copy=False)


def top_percentiles(values: np.ndarray, at_least: float) -> tuple[np.ndarray, np.ndarray]:
    """The positions whose :func:`percentile_rank_positive` is ``≥ at_least``, and those percentiles, sorting
    only the top of ``values`` (non-negative, no NaN).

    With ``q = ⌊n · at_least / 100⌋`` and ``t`` the ``q``-th smallest value (0-based), every value below ``t`` has
    at most ``q`` values at or below it, so its percentile is ``< 100 q / n ≤ at_least``: only values ``≥ t``
    (and positive — zero stays 0) can qualify, and their exact percentiles need only each other and the count
    of values below ``t``.
    """
    v = np.asarray(values, dtype=np.float64)
    n = v.size
    q = min(int(np.floor(n * at_least / 100.0)), n - 1)
    if n == 0 or q < 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    positive = v[v > 0]  # zeros are the smallest values and never qualify: select among the positive ones
    rank = q - (n - positive.size)
    t = np.partition(positive, rank)[rank] if rank > 0 else 0.0
    cand = np.flatnonzero((v >= t) & (v > 0))
    below = n - cand.size  # every value outside the candidates is smaller than every candidate
    pct = (percentile_rank(v[cand]) * cand.size + 100.0 * below) / n
    keep = pct >= at_least
    return cand[keep], pct[keep]


def leading_topics(
    per_topic: np.ndarray,
    names: Sequence[str],
    *,
    lead_pct: float = 90.0,
    max_topics: int = 3,
    rows: np.ndarray | None = None,
    n: int | None = None,
) -> pl.Series:
    """Per account, up to ``max_topics`` topics it leads (percentile ≥ ``lead_pct`` in the topic), best first,
    as a ``list[str]`` column. ``per_topic`` is accounts × topics; or, with ``rows`` (sorted account indices)
    and ``n``, only those accounts' rows of it (the others lead nothing)."""
    import pyarrow as pa

    if rows is None:
        n = per_topic.shape[0]
        rows = np.flatnonzero((per_topic >= lead_pct).any(axis=1))  # only these lead anything: sort just them
        per_topic = per_topic[rows]
    assert n is not None
    k = per_topic.shape[1]
    top = min(max_topics, k)
    order = np.argsort(-per_topic, axis=1, kind="stable")[:, :top]
    best = np.take_along_axis(per_topic, order, axis=1)
    keep = best >= lead_pct
    lengths = np.zeros(n, dtype=np.int32)
    lengths[rows] = keep.sum(axis=1)
    offsets = np.zeros(n + 1, dtype=np.int32)
    offsets[1:] = np.cumsum(lengths)
    values = pl.Series(names, dtype=pl.String).gather(order[keep]).to_arrow()  # no Python string per entry
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
    ids = events["id"].to_numpy()
    period = events.select((pl.col("ts") - pl.lit(lo)).dt.total_seconds() // (86400 * unit)).to_series().to_numpy()
    posts = np.bincount(ids, minlength=n)
    active_periods, _ = _sorted_counts(ids.astype(np.int64) * periods + period)  # distinct (account, period)
    active = np.bincount(active_periods // periods, minlength=n)
    seen = posts > 0
    with np.errstate(invalid="ignore"):
        freq = np.where(seen, posts / span_days, np.nan)
        reg = np.where(seen, active / periods, np.nan)
    raw = (percentile_rank(freq) + percentile_rank(reg)) / 2.0
    return Component(
        "activity",
        percentile_rank(raw),
        raw,
        extra={"frequency": freq, "regularity": reg, "source": np.array([source], dtype=object)},
    )
