"""The Partners page: candidate partners ranked by the new reach they add, their audience overlap with ours,
and the bridge influencers in their audiences (influential accounts outside our network).

The overlap is computed by ``signalboost partners rank`` (:mod:`signalboost.outreach.overlap`), which stores it in
table ``partner_overlap``; the page reads that table, and the bridges of the chosen candidate with
:func:`signalboost.store.outreach_sql.bridge_rows` (the library's ``bridges_of``, on the edges around that candidate).
"""

from __future__ import annotations

from typing import Any

from signalboost.errors import SignalboostError
from signalboost.i18n import _
from signalboost.store import outreach_sql
from signalboost.store.workspace import Workspace
from signalboost.web.context import READ_TIMEOUT
from signalboost.web.wiring import jsonable_dict, lib, unavailable

MODULE = "signalboost.outreach.overlap"


def build(ws: Workspace, candidate: str | None = None) -> dict[str, Any]:
    """Ranked candidates with overlap figures, and the bridge influencers of one (``candidate``, else the best)."""
    if lib(MODULE, "audience_overlap") is None:
        return unavailable("Partner analysis", MODULE)
    with ws.connect(purpose="read partners", timeout=READ_TIMEOUT) as con:
        rows = outreach_sql.partner_overlap_rows(con)
    out: dict[str, Any] = {"available": True, "partners": rows, "bridges": []}
    if not rows:
        out["message"] = _("No partner overlap computed yet. Run: signalboost partners rank --top 20 --save")
        return jsonable_dict(out)
    chosen = [r for r in rows if r["account_id"] == candidate] or rows[:1]
    out["candidate"] = chosen[0]["account_id"]
    out["bridges"] = _bridges(ws, chosen)
    return jsonable_dict(out)


def _bridges(ws: Workspace, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    bridges_of = lib(MODULE, "bridges_of")
    resolve = lib(MODULE, "resolve_brand")
    threshold = lib(MODULE, "influence_threshold")
    if bridges_of is None or resolve is None or threshold is None:
        return []
    platform = rows[0]["platform"]
    try:
        _, brand = resolve(ws, platform)
        limit = threshold(ws)
    except SignalboostError:  # no brand account set: the bridges cannot be told apart from our network
        return []
    if limit is None:
        return []
    out = []
    with ws.connect(purpose="read partners", timeout=READ_TIMEOUT) as con:
        for r in rows:  # bridges_of's figures from the audience edges around the candidate only (tested equal)
            found = outreach_sql.bridge_rows(
                con, platform, list(brand), r["account_id"], source=r["audience_source"], threshold=limit, limit=10
            )
            out.append({"partner": r["account_id"], "handle": r["handle"], "platform": platform, "bridges": found})
    return out
