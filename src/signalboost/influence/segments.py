"""Segments from the two axes, influence × engagement with the brand (thresholds in ``strategy.influence``).

- **advocate**: influential (score ≥ ``influence_threshold``) and engaged (engagement ≥ ``engagement_threshold``)
  — the meeting point;
- **untapped**: follows the brand, influential, little or no interaction — approach these first;
- **fan**: engaged, not influential;
- **thought_leader**: does not follow the brand, influential in the brand's topics (topic leadership ≥ threshold,
  or the score when no topic data exists), and two hops out: what the brand's followers repost, quote, reply to,
  mention or follow;
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
        ix = data.edges().filter(pl.col("dst") == b)["src"].to_numpy()
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
    e = data.edges().filter(pl.col("kind") != "like")
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
    engagement: np.ndarray,
    follows: np.ndarray,
    topic: np.ndarray,
    two_hop: np.ndarray,
    *,
    influence_threshold: float,
    engagement_threshold: float,
) -> np.ndarray:
    """The segment of each account (see the module docstring) as its position in :data:`SEGMENTS` (int8; no Python
    string per account — :func:`segment_names` makes the column); NaN scores are not influential."""
    s = np.nan_to_num(np.asarray(score, dtype=np.float64), nan=-1.0)
    influential = s >= influence_threshold
    engaged = np.asarray(engagement, dtype=np.float64) >= engagement_threshold
    t = np.asarray(topic, dtype=np.float64)
    topical = np.where(np.isnan(t), influential, t >= influence_threshold)
    out = np.full(s.shape, SEGMENTS.index("other"), dtype=np.int8)
    out[two_hop & ~follows & topical & ~engaged] = SEGMENTS.index("thought_leader")
    out[engaged & ~influential] = SEGMENTS.index("fan")
    out[follows & influential & ~engaged] = SEGMENTS.index("untapped")
    out[influential & engaged] = SEGMENTS.index("advocate")
    return out


def segment_names(codes: np.ndarray) -> pl.Series:
    """The ``segment`` column from :func:`segment_codes`."""
    mapping = dict(enumerate(SEGMENTS))
    return pl.Series("segment", codes).replace_strict(mapping, return_dtype=pl.String)
