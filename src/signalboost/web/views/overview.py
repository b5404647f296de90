"""The Overview page: what the workspace holds, KPIs against targets, alerts, and what to do this week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from signalboost.errors import SignalboostError
from signalboost.store import web_sql
from signalboost.store.workspace import Workspace
from signalboost.web.views import analytics, calendar, influencers, outreach
from signalboost.web.wiring import jsonable_dict

MAX_ALERTS = 12


def build(
    ws: Workspace,
    *,
    today: dt.date | None = None,
    analysis: dict[str, Any] | None = None,
    alerts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Counts per table and platform, the KPIs, the alerts and this week's to-do list."""
    today = today or dt.datetime.now(dt.UTC).date()
    with ws.connect(purpose="read the overview") as con:
        counts = web_sql.table_counts(con)
        platforms = web_sql.platform_summary(con)
    out: dict[str, Any] = {"counts": counts, "platforms": platforms, "today": today}
    strategy = None
    try:
        strategy = ws.strategy() if ws.has_strategy() else None
    except SignalboostError as exc:
        out["strategy_error"] = exc.message()
    out["brand"] = strategy.brand.name if strategy else None
    out["kpis"] = analytics.kpis(ws, strategy, analysis)
    relationship_alerts = alerts if alerts is not None else outreach.alerts(ws, today)
    found: list[dict[str, Any]] = []
    todo: list[dict[str, Any]] = []
    if strategy is not None:
        for p in strategy.audience.personas:
            due = p.review_due(today)
            if due is not None and due <= today:
                found.append(
                    {
                        "kind": "persona",
                        "text": f"Persona {p.name} is due for review (since {due})",
                        "href": "/strategy",
                    }
                )
    found += analytics.drift_alerts(analysis)
    found += relationship_alerts
    todo += calendar.this_week(ws, today)
    todo += influencers.untapped_todo(ws)
    out["alerts"] = found[:MAX_ALERTS]
    out["alerts_more"] = max(0, len(found) - MAX_ALERTS)
    out["todo"] = todo
    out["empty"] = counts.get("posts", 0) == 0 and counts.get("interactions", 0) == 0
    return jsonable_dict(out)
