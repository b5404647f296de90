"""Segments from the two axes, influence × engagement with the brand (settings in ``strategy.influence``).

*Influential*: score ≥ ``influence_threshold`` (70). *Engaged*: at least ``engagement_threshold`` (1) interactions
with the brand or its posts in the engagement window (``engagement_window_days``, 90, before the latest data) —
counted, not decayed, so one mention is one interaction and engages.

- **advocate**: influential and engaged — the meeting point;
- **untapped**: follows the brand (from the follow graph), influential, and at most ``untapped_tolerance`` (0)
  interactions with the brand in the window — approach these first. Only with a follow graph: on interactions-only
  data a follower who never interacted cannot be told apart from a stranger, so nobody is untapped;
- **fan**: engaged, not influential;
- **thought_leader** (beyond the brand's circle): not a follower, not engaged, influential in the brand's topics
  (topic leadership ≥ ``influence_threshold``, or the score when no topic data exists), and two hops out: what the
  brand's followers repost, quote, reply to, mention or follow;
- **other**: the rest.

"Follows the brand" comes from the follow graph when it holds edges to the brand; otherwise from a proxy — the
account has interacted with the brand at least once (:func:`follows_brand` says which was used).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from signalboost.influence.data import InfluenceData

SEGMENTS = ("advocate", "untapped", "fan", "thought_leader", "other")
"""Segment values stored in ``influence_scores.segment``."""
LISTING_ORDER = ("untapped", "advocate", "thought_leader", "fan", "other")
"""The order segments are listed in: untapped first (the method's first move)."""

FOLLOWS_FROM_GRAPH = "follow graph"
FOLLOWS_FROM_INTERACTIONS = "interacted with the brand (no follow edges to the brand imported)"


def follows_brand(data: InfluenceData, brand_id: str) -> tuple[np.ndarray, str]:
    """Boolean per node: follows the brand; and how that was known (:data:`FOLLOWS_FROM_GRAPH` or the proxy)."""
    b = data.index(brand_id)
    mask = np.zeros(data.n, dtype=bool)
    if b < 0:
        return mask, FOLLOWS_FROM_INTERACTIONS
    fol_src = data.follows["src"].to_numpy()[data.follows["dst"].to_numpy() == b]  # numpy: no string copies
    if fol_src.size:
        ix, source = fol_src, FOLLOWS_FROM_GRAPH
    else:
        ix = data.edges().select(pl.col("src").filter(pl.col("dst") == b))["src"].to_numpy()
        source = FOLLOWS_FROM_INTERACTIONS
    mask[ix[ix >= 0]] = True
    mask[b] = False
    return mask, source


def two_hops(data: InfluenceData, brand_id: str, followers: np.ndarray) -> np.ndarray:
    """Boolean per node: reposted, quoted, replied to, mentioned or followed by a follower of the brand, and
    neither a follower nor the brand itself."""
    n = data.n
    # one spare slot at the end: a missing account (-1) indexes it, so no row needs filtering out first
    follower = np.zeros(n + 1, dtype=bool)
    follower[:n] = followers
    reached = np.zeros(n + 1, dtype=bool)
    e = data.edges().select(pl.col("src", "dst").filter(pl.col("kind") != "like"))  # only the two columns
    reached[e["dst"].to_numpy()[follower[e["src"].to_numpy()]]] = True
    fdst = data.follows["dst"].to_numpy()
    reached[fdst[follower[data.follows["src"].to_numpy()]]] = True
    mask: np.ndarray = reached[:n] & ~followers
    b = data.index(brand_id)
    if b >= 0:
        mask[b] = False
    return mask


def segment_codes(
    score: np.ndarray,
    interactions: np.ndarray,
    follows: np.ndarray,
    topic: np.ndarray,
    two_hop: np.ndarray,
    *,
    influence_threshold: float,
    engagement_threshold: float,
    untapped_tolerance: int = 0,
    follows_known: bool = True,
    engagement_known: bool = True,
) -> np.ndarray:
    """The segment of each account (see the module docstring) as its position in :data:`SEGMENTS` (int8; no Python
    string per account — :func:`segment_names` makes the column). ``interactions``: interactions with the brand in
    the window; ``follows_known``: ``follows`` comes from a follow graph (else nobody is untapped);
    ``engagement_known``: other accounts' interactions with the brand are in the data at all (else "never
    interacted" cannot be told, and nobody is untapped). NaN scores are not influential."""
    s = np.nan_to_num(np.asarray(score, dtype=np.float64), nan=-1.0)
    count = np.nan_to_num(np.asarray(interactions, dtype=np.float64), nan=0.0)
    influential = s >= influence_threshold
    engaged = count >= engagement_threshold
    t = np.asarray(topic, dtype=np.float64)
    topical = np.where(np.isnan(t), influential, t >= influence_threshold)
    out = np.full(s.shape, SEGMENTS.index("other"), dtype=np.int8)
    out[two_hop & ~follows & topical & ~engaged] = SEGMENTS.index("thought_leader")
    out[engaged & ~influential] = SEGMENTS.index("fan")
    if follows_known and engagement_known:
        out[follows & influential & ~engaged & (count <= untapped_tolerance)] = SEGMENTS.index("untapped")
    out[influential & engaged] = SEGMENTS.index("advocate")
    return out


def empty_segment_reasons(
    counts: dict[str, int], *, follows_source: str | None, brand: bool, settings: dict[str, object]
) -> dict[str, str]:
    """Why each segment with no account is empty, in plain words in the active language
    (:func:`signalboost.influence.words.empty_segment_reasons`)."""
    from signalboost.influence.words import empty_segment_reasons as reasons

    return reasons(counts, follows_source=follows_source, brand=brand, settings=settings)


def segment_names(codes: np.ndarray) -> pl.Series:
    """The ``segment`` column from :func:`segment_codes`."""
    mapping = dict(enumerate(SEGMENTS))
    return pl.Series("segment", codes).replace_strict(mapping, return_dtype=pl.String)
