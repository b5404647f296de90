"""The Analytics page: best-time heatmap, posts-per-day curve, pillar mix vs target, formats, paid vs organic.

Every figure carries its sample size; cells with too little data say so.
"""

from __future__ import annotations

from typing import Any

from signalboost.model.strategy import Strategy
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import failed, jsonable, lib, unavailable

MODULE = "signalboost.analytics"


def build(ws: Workspace) -> dict[str, Any]:
    """The analytics of the workspace's posts, computed by :mod:`signalboost.analytics`."""
    analyze = lib(f"{MODULE}.dashboard", "analyze") or lib(MODULE, "analyze")
    if analyze is None:
        return unavailable("Analytics", MODULE)
    try:
        return {"available": True, **jsonable(analyze(ws))}
    except Exception as exc:
        return failed("Analytics", exc)


def kpis(ws: Workspace, strategy: Strategy | None) -> list[dict[str, Any]]:
    """Each KPI of the strategy with its target, and its value when the analytics can compute it."""
    if strategy is None:
        return []
    rows = [
        {
            "id": k.id,
            "metric": k.metric,
            "network": k.network,
            "target": k.target,
            "direction": k.direction,
            "window_days": k.window_days,
            "value": None,
            "status": "not available yet",
            "n": None,
        }
        for k in strategy.kpis
    ]
    return rows


def drift_alerts(ws: Workspace, strategy: Strategy | None) -> list[dict[str, Any]]:
    """Pillar drift alerts (empty until the analytics land)."""
    return []
