"""Influencer identification: graphs, PageRank, the 0–100 influence score, engagement, segments, profiles.

Plain-data API (frames in, frames out)::

    from signalboost.influence import InfluenceData, compute_influence
    result = compute_influence(InfluenceData.from_frames("x", interactions=frame), brand_id="123")
    result.table, result.unavailable, result.weights

On a workspace: :func:`signalboost.influence.job.run_influence`, ``stored_influencers``, ``influencer_profile``.
See docs/influence.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from signalboost.influence.data import InfluenceData
    from signalboost.influence.graph import Graph, build_graph
    from signalboost.influence.pagerank import topic_pagerank
    from signalboost.influence.score import InfluenceResult, compute_influence
    from signalboost.influence.segments import SEGMENTS

#: Where each name of the plain-data API lives. Imported on first use (PEP 562): a submodule such as
#: ``signalboost.influence.words`` (the CLI's vocabulary) then costs no scipy/polars at start-up. No name here may
#: be a submodule's name: once the submodule is imported, Python binds the module to it and ``__getattr__`` is no
#: longer asked (``signalboost.influence.pagerank`` is the module; its function is ``pagerank.pagerank``).
_LAZY = {
    "InfluenceData": "data",
    "Graph": "graph",
    "build_graph": "graph",
    "topic_pagerank": "pagerank",
    "InfluenceResult": "score",
    "compute_influence": "score",
    "SEGMENTS": "segments",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "SEGMENTS",
    "Graph",
    "InfluenceData",
    "InfluenceResult",
    "build_graph",
    "compute_influence",
    "topic_pagerank",
]
