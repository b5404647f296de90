"""The Partners page: candidate partners ranked by audience overlap and new reach, and bridge influencers."""

from __future__ import annotations

from typing import Any

from signalboost.store.workspace import Workspace
from signalboost.web.wiring import failed, jsonable, lib, unavailable

MODULE = "signalboost.outreach.partners"


def build(ws: Workspace) -> dict[str, Any]:
    """Overlap figures per candidate partner and the bridge influencers in their audiences."""
    rank = lib(MODULE, "rank_partners")
    if rank is None:
        return unavailable("Partner analysis", MODULE)
    try:
        ranking = rank(ws)
    except Exception as exc:
        return failed("Partner analysis", exc)
    out: dict[str, Any] = {"available": True, "partners": jsonable(ranking)}
    bridges = lib(MODULE, "bridge_influencers")
    out["bridges"] = jsonable(bridges(ws)) if bridges else unavailable("Bridge influencers", MODULE)
    return out
