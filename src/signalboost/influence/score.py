"""The 0–100 influence score: the component percentiles combined by tail shares, and the whole scoring job.

For account ``a`` with component percentiles ``p_c(a)`` (reach, authority, amplification, topic, activity; mean
rank, so ``0 < p_c < 100``), its *tail share* ``t_c(a) = 1 − p_c(a)/100`` is the share of accounts ranking above
it, and with the strategy's weights ``w_c`` (``influence.weights``)::

    score(a) = 100 · (1 − exp( Σ_{c known for a} w_c · ln t_c(a)  /  Σ_{c known for a} w_c ))

— one minus the weighted geometric mean of the tail shares (rule ``tail``, the default of ``influence.combine``).
The older rule ``mean``, ``score(a) = Σ w_c · p_c(a) / Σ w_c``, is one minus their *arithmetic* mean. Both keep
the score in 0–100, increasing in every component, and equal to ``p`` when every component is at percentile
``p``. They differ at the top: percentiles compress heavy-tailed components (the top 100 of 35,593 accounts by
PageRank all lie between 99.7 and 100), so in an arithmetic mean any account with one extreme percentile elsewhere
overtakes the true hubs; on the log scale the top 0.01 % (tail share 10⁻⁴) stays a factor 100 ahead of the top
1 % (10⁻²), where the percentiles see only 99.99 against 99. This is Fisher's (1932, *Statistical Methods for
Research Workers*, §21.1) way of combining independent significance levels, ``−2 Σ ln p_i``, with weights as in
Good (1955, *On the weighted combination of significance tests*, JRSS B 17:264), the tail share playing the part
of the p-value; docs/validation.md ("Influence backtest") compares the rules on the Higgs data.

A component that cannot be computed (no follower counts, no follow graph, no posts) is reported as unavailable
and the remaining weights are renormalised — per account, too, when only that account's value is unknown. The
idea of an explainable composite of reach, amplification and network position follows the influence measures
surveyed by Cha et al. (2010), *Measuring User Influence in Twitter: The Million Follower Fallacy* (ICWSM), who
show that no single count (followers, retweets, mentions) ranks influence well alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from signalboost.errors import InfluenceError
from signalboost.i18n import L_
from signalboost.influence import components as comp
from signalboost.influence.data import InfluenceData
from signalboost.influence.engagement import engagement as engagement_frame
from signalboost.influence.engagement import engagement_vector
from signalboost.influence.segments import (
    FOLLOWS_FROM_GRAPH,
    LISTING_ORDER,
    SEGMENTS,
    follows_brand,
    segment_codes,
    segment_names,
    two_hops,
)
from signalboost.model.strategy import InfluenceSettings

Progress = Callable[[str], None]


TAIL_FLOOR = 1e-12
"""Smallest tail share used in the ``tail`` rule: a percentile of exactly 100 (never produced by the mean-rank
percentile, whose top is ``100 − 50/n``) counts as this share instead of ``ln 0``."""

COMBINE_RULES = ("tail", "mean")


def combine(percentiles: Mapping[str, np.ndarray], weights: Mapping[str, float], *, rule: str = "tail") -> np.ndarray:
    """The score per account from its known percentiles (NaN where none is known). See module docstring.

    ``rule``: ``"tail"`` (one minus the weighted geometric mean of the tail shares ``1 − p/100``) or ``"mean"``
    (the weighted arithmetic mean of the percentiles). Components of weight 0 do not count.
    """
    if not percentiles:
        raise InfluenceError(
            L_("no component of the influence score can be computed"),
            where="influence components",
            hint=L_("Import interactions, follows or accounts with follower counts for this platform"),
        )
    if rule not in COMBINE_RULES:
        raise InfluenceError(
            L_("unknown rule {rule!r} to combine the influence components", rule=rule),
            where="influence.combine",
            hint=L_("Use one of: {choices}", choices=", ".join(COMBINE_RULES)),
        )
    n = len(next(iter(percentiles.values())))
    num = np.zeros(n)
    den = np.zeros(n)
    for name, values in percentiles.items():
        w = float(weights.get(name, 0.0))
        if w < 0:
            raise InfluenceError(
                L_("weight of {name} is negative", name=name),
                where=f"influence.weights.{name}",
                hint=L_("Use a weight ≥ 0"),
            )
        pct = np.asarray(values, dtype=np.float64)
        if pct.shape != (n,):
            raise InfluenceError(
                L_("percentiles of {name} have {size} values, expected {n}", name=name, size=pct.size, n=n), where=name
            )
        if n and (np.fmin.reduce(pct) < 0 or np.fmax.reduce(pct) > 100):  # fmin/fmax skip NaN
            raise InfluenceError(L_("percentiles of {name} are outside 0–100", name=name), where=name)
        if w == 0:
            continue
        known = ~np.isnan(pct)
        if rule == "mean":
            term = pct * w
        else:  # w · ln max(1 − p/100, floor), in place on one temporary
            term = pct * -0.01
            term += 1.0
            np.maximum(term, TAIL_FLOOR, out=term)
            np.log(term, out=term)
            term *= w
        np.add(num, term, out=num, where=known)  # whole-array operations: no masked gathers and scatters
        np.add(den, w, out=den, where=known)
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = num / den
    score = avg if rule == "mean" else np.multiply(np.expm1(avg), -100.0)
    out: np.ndarray = np.where(den > 0, score, np.nan)
    return out


def effective_weights(weights: Mapping[str, float], available: Sequence[str]) -> dict[str, float]:
    """The weights of the available components, normalised to sum to 1 (the others are 0)."""
    total = sum(float(weights.get(c, 0.0)) for c in available)
    return {c: (float(weights.get(c, 0.0)) / total if c in available and total > 0 else 0.0) for c in comp.COMPONENTS}


@dataclass
class InfluenceResult:
    """The outcome of :func:`compute_influence`.

    ``table``: one row per account (columns as table ``influence_scores``, plus ``handle``); ``unavailable``:
    component -> reason; ``weights``: the effective weights; ``follows_source``: how "follows the brand" was known.
    """

    platform: str
    computed_at: dt.datetime
    brand_id: str | None
    table: pl.DataFrame
    unavailable: dict[str, str]
    weights: dict[str, float]
    follows_source: str | None
    notes: list[str] = field(default_factory=list)

    def segment(self, name: str) -> pl.DataFrame:
        """The rows of one segment, best score first."""
        return self.table.filter(pl.col("segment") == name)

    def summary(self) -> dict[str, object]:
        """Counts per segment and the components used — for reports and ``--format json``."""
        counts = dict(self.table.group_by("segment").len().sort("segment").iter_rows())
        return {
            "platform": self.platform,
            "computed_at": self.computed_at.isoformat(),
            "brand_account_id": self.brand_id,
            "accounts": self.table.height,
            "segments": counts,
            "weights": self.weights,
            "unavailable": self.unavailable,
            "follows_brand_from": self.follows_source,
            "notes": self.notes,
        }


@dataclass
class BrandSide:
    """What the segments need from the brand's side, computed beside the components (no score needed):
    engagement per account (:func:`signalboost.influence.engagement.engagement`), who follows the brand and how
    that was known (:func:`follows_brand`), and who is two hops out (:func:`two_hops`)."""

    engagement: pl.DataFrame
    follows: np.ndarray
    follows_source: str
    two_hops: np.ndarray


def compute_components(
    data: InfluenceData,
    settings: InfluenceSettings,
    *,
    topics: Mapping[str, Sequence[str]] | None = None,
    progress: Progress | None = None,
) -> dict[str, comp.Component]:
    """Every component over the accounts of ``data`` (see :mod:`signalboost.influence.components`)."""
    return _compute(data, settings, topics=topics, progress=progress)[0]


def _compute(
    data: InfluenceData,
    settings: InfluenceSettings,
    *,
    topics: Mapping[str, Sequence[str]] | None = None,
    progress: Progress | None = None,
    brand_id: str | None = None,
    as_of: dt.datetime | None = None,
) -> tuple[dict[str, comp.Component], BrandSide | None]:
    """The components and, with ``brand_id``, the :class:`BrandSide` — on two threads."""
    say = progress or (lambda _msg: None)
    weights = settings.interaction_weights.model_dump()

    def follow_rank() -> np.ndarray | None:
        """The follow graph's PageRank, the largest single piece."""
        return comp.graph_pagerank(comp.follow_transition(data))

    smaller: dict[str, Callable[[], object]] = {
        "amplification": lambda: comp.amplification(data),
        "activity": lambda: comp.activity(data),
        "reach": lambda: comp.reach(data),
    }
    if brand_id is not None:
        smaller["brand"] = lambda: _brand_side(data, settings, brand_id, as_of)
    # Two threads (numpy, scipy.sparse and Polars release the GIL in their loops): the second thread counts posts per
    # topic, computes the follow graph's PageRank and then works through the smaller parts; this thread builds the
    # interaction graph, computes topic leadership and the interaction PageRank, then takes over the smaller parts the
    # second thread has not started (a queued future can be cancelled). Each part is computed the same way whichever
    # thread runs it, so the numbers do not depend on the split. BLAS stays on one thread meanwhile: its worker threads
    # spin while waiting and would take the CPU from the other thread. No progress is reported from the second thread.
    with (
        threadpool_limits(limits=1, user_api="blas"),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="signalboost-influence") as pool,
    ):
        counting = pool.submit(comp.topic_counts, data, topics)  # meanwhile this thread builds the transition
        follows = pool.submit(follow_rank)
        queued = {name: pool.submit(part) for name, part in smaller.items()}
        say("topic leadership and authority; follow graph, amplification, activity and reach alongside")
        inter = comp.interaction_transition(data, weights)  # shared by authority and topic leadership
        counts = comp.topic_counts(data, topics) if counting.cancel() else counting.result()
        out: dict[str, Any] = {
            "topic": comp.topic_leadership(inter, counts, hashtags_seen=_hashtags_seen(data))
            if inter.n_edges or counts.height == 0  # no topics at all: topic_leadership says why
            else comp.unavailable("topic", data.n, comp.TOPIC_WITHOUT_EDGES)
        }
        inter_rank = comp.graph_pagerank(inter)
        for name in reversed(queued):  # the second thread takes them from the front
            if queued[name].cancel():
                out[name] = smaller[name]()
        out |= {name: future.result() for name, future in queued.items() if not future.cancelled()}
        say("authority (PageRank)")
        out["authority"] = comp.authority_from(data.n, [inter_rank, follows.result()])
    brand = out.get("brand")
    assert brand is None or isinstance(brand, BrandSide)
    return {c: out[c] for c in comp.COMPONENTS}, brand


def _hashtags_seen(data: InfluenceData) -> bool:
    """Whether any imported post of the platform carries a hashtag."""
    tags = data.posts["hashtags"] if "hashtags" in data.posts.columns else None
    return bool(tags is not None and tags.len() and (tags.list.len().fill_null(0) > 0).any())


def _brand_side(
    data: InfluenceData, settings: InfluenceSettings, brand_id: str, as_of: dt.datetime | None
) -> BrandSide:
    eng = engagement_frame(
        data,
        brand_id,
        weights=settings.interaction_weights.model_dump(),
        half_life_days=settings.engagement_half_life_days,
        as_of=as_of,
        window_days=settings.engagement_window_days,
    )
    follows, source = follows_brand(data, brand_id)
    return BrandSide(eng, follows, source, two_hops(data, brand_id, follows))


def compute_influence(
    data: InfluenceData,
    settings: InfluenceSettings | None = None,
    *,
    brand_id: str | None = None,
    topics: Mapping[str, Sequence[str]] | None = None,
    as_of: dt.datetime | None = None,
    computed_at: dt.datetime | None = None,
    progress: Progress | None = None,
) -> InfluenceResult:
    """Score, engagement and segment of every account in ``data``.

    ``brand_id``: the brand's account id on the platform (None: no engagement, no segments — all ``other``).
    ``topics``: topic name -> hashtags (None: the 10 most used hashtags). ``as_of``: the reference time of the
    recency weighting (default: the latest timestamp in the data). Deterministic for the same input.
    """
    settings = settings or InfluenceSettings()
    if data.n == 0:
        raise InfluenceError(
            L_("no accounts to score on platform {platform!r}", platform=data.platform),
            where=f"platform {data.platform}",
            hint=L_("Import data first (`signalboost import FILE`), or pick another --platform"),
        )
    parts, brand = _compute(data, settings, topics=topics, progress=progress, brand_id=brand_id, as_of=as_of)
    b = data.index(brand_id)
    parts = known_beyond_brand(parts, b)
    available = [c for c, part in parts.items() if part.available]
    unavailable = {c: part.reason or "" for c, part in parts.items() if not part.available}
    if not available:
        raise InfluenceError(
            L_("no component of the influence score can be computed from this data"),
            where="; ".join(f"{k}: {v}" for k, v in unavailable.items()),
            hint=L_("Import interactions, follows or accounts with follower counts"),
        )
    weights = settings.weights.model_dump()
    fell_back = False
    if sum(weights[c] for c in available) <= 0 and "weights" not in settings.model_fields_set:
        # the default weights (docs/validation.md) give 0 to every component this data can give — an account's
        # own export gives authority alone: weigh those equally and say so, rather than refuse the list
        weights, fell_back = {c: 1.0 if c in available else 0.0 for c in weights}, True
    if sum(weights[c] for c in available) <= 0:
        raise InfluenceError(
            L_("every component that can be computed has weight 0"),
            where=f"strategy.yaml influence.weights ({', '.join(available)})",
            hint=L_("Give at least one of these components a positive weight"),
        )
    score = combine({c: parts[c].pct for c in available}, weights, rule=settings.combine)
    if progress:
        progress("engagement and segments")
    engaged = None if brand is None else _engagement_columns(brand.engagement, data.n)
    follows_source = None
    codes = np.full(data.n, SEGMENTS.index("other"), dtype=np.int8)
    if brand_id is not None and brand is not None and engaged is not None:
        codes = _segment_codes(data, settings, parts, score, engaged["interactions_with_brand"], brand_id, brand)
        follows_source = brand.follows_source
    table = _table(data, parts, score, brand, engaged, codes, _listing_order(score, codes))
    stamp = computed_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    table = table.with_columns(pl.lit(data.platform).alias("platform"), pl.lit(stamp).alias("computed_at"))
    notes = [] if brand_id else ["no brand account set: engagement and segments were not computed"]
    if fell_back:
        notes.append(DEFAULTS_GIVE_NOTHING)
    if b >= 0 and data.interactions.height and bool((data.interactions["src"] == b).all()):
        notes.append(ONLY_BRAND_INTERACTS)
    if b >= 0 and not engagement_seen(data, b):
        notes.append(ENGAGEMENT_UNSEEN)  # their side of the engagement is unknown, not 0: stored and shown as such
        table = table.with_columns(
            pl.lit(None, pl.Float64).alias("engagement"), pl.lit(None, pl.Int64).alias("interactions_with_brand")
        )
    if parts["reach"].available and parts["reach"].source in (
        comp.REACH_FROM_INTERACTORS,
        comp.REACH_FROM_FOLLOWERS_POSTS,
    ):
        notes.append(f"reach from {parts['reach'].source}")
    return InfluenceResult(
        data.platform, stamp, brand_id, table, unavailable, effective_weights(weights, available), follows_source, notes
    )


BRAND_ONLY = comp.BRAND_ONLY
"""Why a component is unavailable when the brand's is its only value (stored in English; see ``words``)."""

ONLY_BRAND_INTERACTS = (
    "every interaction in the data is the brand's own (an account export holds no one else's likes, reposts or "
    "replies): the scores rank the accounts the brand engages with, not their influence"
)
"""The note of a run whose every interaction has the brand as its actor."""

DEFAULTS_GIVE_NOTHING = (
    "the default weights give 0 to every component this data can give, so those are weighed equally "
    "(set influence.weights in strategy.yaml to choose)"
)
"""The note of a run scored with equal weights because the default ones weigh nothing the data holds."""

ENGAGEMENT_UNSEEN = "no interaction of another account with the brand in the data: nobody is called untapped"
"""The note of a run where no other account's interaction with the brand (or its posts) is in the data."""


def engagement_seen(data: InfluenceData, brand: int) -> bool:
    """Whether any account other than the brand (node ``brand``) interacted with it or its posts in ``data``."""
    e = data.edges()
    return bool(((e["dst"] == brand) & (e["src"] != brand)).any())


def known_beyond_brand(parts: Mapping[str, comp.Component], brand: int) -> dict[str, comp.Component]:
    """``parts`` with every component whose only known value is the brand's (node ``brand``; -1: none) made
    unavailable (reason :data:`BRAND_ONLY`; raw values and extras kept for the table).

    The brand is never scored, so a value known only for it — an account export's one follower count, or posts
    only by the brand — says nothing about the accounts that are: counting the component would claim its weight
    in the score while every scored account lacks it.
    """
    out = dict(parts)
    if brand < 0:
        return out
    for name, part in parts.items():
        if not part.available:
            continue
        known = ~np.isnan(part.pct)
        known[brand] = False
        if not known.any():
            nan = np.full(part.pct.size, np.nan)
            out[name] = comp.Component(name, nan, part.raw, BRAND_ONLY, extra=part.extra, source=part.source)
    return out


def _engagement_columns(engagement: pl.DataFrame, n: int) -> dict[str, np.ndarray]:
    """The brand-side columns of the table as float vectors over the ``n`` nodes (0 for absent accounts)."""
    return {
        "engagement": engagement_vector(engagement, n),
        "reciprocity": engagement_vector(engagement, n, "reciprocity"),
        "interactions_with_brand": engagement_vector(engagement, n, "interactions_in_window"),
    }


def _table(
    data: InfluenceData,
    parts: Mapping[str, comp.Component],
    score: np.ndarray,
    brand: BrandSide | None,
    engaged: Mapping[str, np.ndarray] | None,
    codes: np.ndarray,
    order: np.ndarray,
) -> pl.DataFrame:
    """The result table, built straight in the listing ``order`` (each column gathered once from its vector —
    no wide frame built in node order and then reordered)."""
    reach = parts["reach"]
    act = parts["activity"].extra
    n = data.n
    handles = data.accounts.filter(pl.col("handle").is_not_null()).select("ix", "handle")

    def col(values: np.ndarray) -> pl.Series:
        return _col(values[order])

    missing = np.full(n, np.nan)
    frame = pl.DataFrame(
        {
            "ix": order,
            "account_id": data.nodes.gather(order),
            "score": col(score),
            **{c: col(parts[c].pct) for c in comp.COMPONENTS},
            "top_topics": _lists(parts["topic"].labels, n, order),
            "followers": col(reach.extra.get("followers", missing)),
            "reach_in_band": col(reach.extra.get("in_band", missing)),
            "pagerank": col(parts["authority"].raw),
            "audience": col(reach.extra.get("followers", reach.extra.get("interactors", missing))),
            "attention": col(reach.extra.get("attention", missing)),
            "amplification_raw": col(parts["amplification"].raw),
            "posts_per_day": col(act.get("frequency", missing)),
            "active_share": col(act.get("regularity", missing)),
        },
        schema_overrides={"top_topics": pl.List(pl.String)},
    ).with_columns(pl.col("followers").round(0).cast(pl.Int64))
    frame = frame.join(handles, on="ix", how="left", maintain_order="left")
    if brand is None or engaged is None:
        frame = frame.with_columns(
            pl.lit(None, pl.Float64).alias("engagement"),
            pl.lit(None, pl.Float64).alias("reciprocity"),
            pl.lit(None, pl.Int64).alias("interactions_with_brand"),
            pl.lit(None, pl.Boolean).alias("follows_brand"),
            pl.lit("other").alias("segment"),
        )
    else:
        frame = frame.with_columns(
            pl.Series("engagement", engaged["engagement"][order]),
            pl.Series("reciprocity", engaged["reciprocity"][order]),
            pl.Series("interactions_with_brand", engaged["interactions_with_brand"][order]).cast(pl.Int64),
            pl.Series("follows_brand", brand.follows[order]),
            segment_names(codes[order]),
        )
    return frame.drop("ix")


def _segment_codes(
    data: InfluenceData,
    settings: InfluenceSettings,
    parts: Mapping[str, comp.Component],
    score: np.ndarray,
    interactions: np.ndarray,
    brand_id: str,
    brand: BrandSide,
) -> np.ndarray:
    codes = segment_codes(
        score,
        interactions,
        brand.follows,
        parts["topic"].pct,
        brand.two_hops,
        influence_threshold=settings.influence_threshold,
        engagement_threshold=settings.engagement_threshold,
        untapped_tolerance=settings.untapped_tolerance,
        follows_known=brand.follows_source == FOLLOWS_FROM_GRAPH,
        engagement_known=engagement_seen(data, data.index(brand_id)),
    )
    b = data.index(brand_id)
    if b >= 0:
        codes[b] = SEGMENTS.index("other")
    return codes


def _listing_order(score: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Row order of the listing: by segment (:data:`LISTING_ORDER`; ``segments`` are :func:`segment_codes`), then
    score descending (unknown last), then node index.

    One sort of distinct integer keys ``(segment rank · (g + 1) + score group) · n + row``, the score group being
    the position of the row's score among the ``g`` distinct known scores from the highest (``g`` for unknown):
    every key is distinct, so any sort gives the same order — numpy's vectorised sort of int64, several times
    cheaper on a million rows than a stable sort by score and then by segment."""
    n = score.size
    rank = {SEGMENTS.index(s): i for i, s in enumerate(LISTING_ORDER)}
    lut = np.array([rank.get(i, len(LISTING_ORDER)) for i in range(len(SEGMENTS))], dtype=np.int64)
    known = np.flatnonzero(~np.isnan(score))
    by_score = known[np.argsort(score[known])]
    ascending = np.zeros(by_score.size, dtype=np.int64)  # index of the distinct score, lowest first
    if by_score.size:
        np.cumsum(score[by_score[1:]] != score[by_score[:-1]], out=ascending[1:])
    distinct = int(ascending[-1]) + 1 if by_score.size else 0
    group = np.full(n, distinct, dtype=np.int64)  # unknown scores after every known one
    group[by_score] = distinct - 1 - ascending
    key = lut[segments] * (distinct + 1)
    key += group
    key *= n
    key += np.arange(n, dtype=np.int64)
    key.sort()
    order: np.ndarray = key % max(n, 1)
    return order


def _lists(labels: pl.Series | None, n: int, order: np.ndarray) -> pl.Series:
    """The ``top_topics`` column in ``order`` (null everywhere when the topic component is unavailable)."""
    if labels is None:
        return pl.repeat(None, n, dtype=pl.List(pl.String), eager=True).alias("top_topics")
    return labels.gather(order).alias("top_topics")


def _col(values: np.ndarray) -> pl.Series:
    """A float column where NaN becomes null (unknown is NULL, never 0)."""
    return pl.Series(values, dtype=pl.Float64, nan_to_null=True)
