"""The Analytics page: best-time heatmap, posts-per-day curve, pillar mix vs target, formats, paid vs organic.

A thin call into :func:`signalboost.analytics.analysis.analyze` on the workspace's canonical frames; every table
keeps the library's sample sizes (``n_posts``, ``n_days``, ``n``) and intervals, and "not enough data" stays so.
"""

from __future__ import annotations

import logging
from typing import Any

import polars as pl

from signalboost.errors import SignalboostError
from signalboost.model.strategy import Strategy
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import failed, jsonable_dict, lib, rows, strategy_of, unavailable

log = logging.getLogger("signalboost.web")
MODULE = "signalboost.analytics.analysis"
FRAMES = "signalboost.store.analytics_sql"
SECTIONS: tuple[str, ...] = (
    "summary",
    "slots",
    "recommended_slots",
    "frequency_curve",
    "frequency",
    "formats",
    "paid",
    "pillar_mix",
    "pillar_performance",
    "kpis",
    "tactics",
)


def _strategy(ws: Workspace) -> tuple[Strategy | None, str | None]:
    if not ws.has_strategy():
        return None, None
    try:
        return strategy_of(ws), None
    except SignalboostError as exc:
        return None, exc.message()


def build(ws: Workspace) -> dict[str, Any]:
    """Every analysis of the workspace's posts (one section per chart or table, each with its sample size)."""
    analyze = lib(MODULE, "analyze")
    read = lib(FRAMES, "read_analytics_frames")
    if analyze is None or read is None:
        return unavailable("Analytics", MODULE)
    frames = read(ws)
    if frames.posts.height == 0:
        return {"available": True, "empty": True, "message": "No posts imported yet: upload an export first."}
    strategy, problem = _strategy(ws)
    try:
        result = analyze(strategy, frames.posts, frames.post_metrics, frames.account_snapshots)
    except SignalboostError as exc:
        return failed("Analytics", exc)
    except Exception as exc:  # a library bug must not take the page down: say so, log the traceback
        log.exception("analytics failed")
        return failed("Analytics", RuntimeError(f"could not be computed ({type(exc).__name__}: {exc})"))
    out: dict[str, Any] = {
        "available": True,
        "empty": False,
        "timezone": result.tz,
        "slot_metric": result.slot_metric,
        "notes": list(result.notes) + ([f"strategy.yaml not used: {problem}"] if problem else []),
        "platforms": sorted(frames.posts["platform"].unique().to_list()),
        "n_posts": frames.posts.height,
    }
    for name in SECTIONS:
        frame: pl.DataFrame = getattr(result, name)
        if name == "pillar_mix_monthly":
            continue
        out[name] = rows(frame)
    return jsonable_dict(out)


def kpis(ws: Workspace, strategy: Strategy | None, analysis: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Each KPI of the strategy against its target over its window, with trend and sample size."""
    if strategy is None or not strategy.kpis:
        return []
    found = {r["kpi"]: r for r in (analysis or {}).get("kpis", [])}
    out = []
    for k in strategy.kpis:
        r = found.get(k.id, {})
        met = r.get("met")
        status = r.get("status") or "not available yet"
        if status == "ok":
            status = "met" if met else "missed"
        out.append(
            {
                "id": k.id,
                "metric": k.metric,
                "network": k.network,
                "target": k.target,
                "direction": k.direction,
                "window_days": k.window_days,
                "value": r.get("value"),
                "status": status,
                "n": r.get("n"),
                "trend": r.get("trend"),
                "previous": r.get("previous"),
            }
        )
    return out


def drift_alerts(analysis: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Pillars off their weight by more than the margin (the analytics' ``drift`` flag), over the whole period."""
    out = []
    for r in (analysis or {}).get("pillar_mix", []):
        if r.get("drift") and r.get("month") in (None, "all"):
            out.append(
                {
                    "kind": "drift",
                    "text": f"Pillar {r['pillar']} is {r['share'] * 100:.0f} % of {r['platform']} posts, target "
                    f"{r['target'] * 100:.0f} % (n = {r['n_posts']} posts)",
                    "href": "/analytics#pillars",
                }
            )
    return out
