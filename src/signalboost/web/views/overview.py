"""The Overview page: what the workspace holds, KPIs against targets, alerts, and what to do this week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from signalboost.errors import SignalboostError
from signalboost.i18n import _, format_date
from signalboost.report.words import pillar_names
from signalboost.store import queries
from signalboost.store.workspace import Workspace
from signalboost.web.context import READ_TIMEOUT
from signalboost.web.views import analytics, calendar, influencers, outreach
from signalboost.web.wiring import jsonable_dict, strategy_of

MAX_ALERTS = 12


def counts(ws: Workspace) -> dict[str, Any]:
    """What the workspace holds, per table and per platform (always read live: one short query)."""
    with ws.connect(purpose="read the overview", timeout=READ_TIMEOUT) as con:
        found = queries.table_counts(con)
        platforms = queries.platform_summary(con)
    empty = found.get("posts", 0) == 0 and found.get("interactions", 0) == 0
    return jsonable_dict({"counts": found, "platforms": platforms, "empty": empty})


def build(
    ws: Workspace,
    *,
    today: dt.date | None = None,
    analysis: dict[str, Any] | None = None,
    alerts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The KPIs against their targets, the alerts and this week's to-do list (``counts`` gives the rest)."""
    today = today or dt.datetime.now(dt.UTC).date()
    out: dict[str, Any] = {"today": today}
    strategy = None
    try:
        strategy = strategy_of(ws) if ws.has_strategy() else None
    except SignalboostError as exc:
        out["strategy_error"] = exc.message()
    out["brand"] = strategy.brand.name if strategy else None
    out["kpis"] = analytics.kpis(ws, strategy, analysis)
    relationship_alerts = alerts if alerts is not None else outreach.alerts(ws, today)
    found: list[dict[str, Any]] = []
    if strategy is not None:
        for p in strategy.audience.personas:
            due = p.review_due(today)
            if due is not None and due <= today:
                text = _("Persona {name} is due for review (since {date})").format(name=p.name, date=format_date(due))
                found.append({"kind": "persona", "text": text, "href": "/strategy"})
    found += analytics.drift_alerts(analysis, pillar_names(strategy))
    found += relationship_alerts
    out["alerts"] = found[:MAX_ALERTS]
    out["alerts_more"] = max(0, len(found) - MAX_ALERTS)
    out["todo"] = calendar.this_week(ws, today) + influencers.untapped_todo(ws)
    return jsonable_dict(out)
