"""Influencer identification: graphs, PageRank, the 0–100 influence score, engagement, segments, profiles.

Plain-data API (frames in, frames out)::

    from signalboost.influence import InfluenceData, compute_influence
    result = compute_influence(InfluenceData.from_frames("x", interactions=frame), brand_id="123")
    result.table, result.unavailable, result.weights

On a workspace: :func:`signalboost.influence.job.run_influence`, ``stored_influencers``, ``influencer_profile``.
See docs/influence.md.
"""

from signalboost.influence.data import InfluenceData
from signalboost.influence.graph import Graph, build_graph
from signalboost.influence.pagerank import pagerank, topic_pagerank
from signalboost.influence.score import InfluenceResult, compute_influence
from signalboost.influence.segments import SEGMENTS

__all__ = [
    "SEGMENTS",
    "Graph",
    "InfluenceData",
    "InfluenceResult",
    "build_graph",
    "compute_influence",
    "pagerank",
    "topic_pagerank",
]
