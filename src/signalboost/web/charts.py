"""Turn page data into the SVG charts of the HTML pages (the JSON twins carry the numbers, not the drawings)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from signalboost.web.svg import SEGMENT_COLOURS, Point, heatmap, line_chart, scatter

WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def overview(data: dict[str, Any]) -> dict[str, Any]:
    return {}


def analytics(data: dict[str, Any]) -> dict[str, Any]:
    return {}


def influencers(data: dict[str, Any]) -> dict[str, Any]:
    """The influence × engagement scatter with the segment thresholds."""
    if not data.get("scored"):
        return {}
    plat = quote(str(data["platform"]), safe="")
    points = [
        Point(
            x=float(p["score"]),
            y=float(p["engagement"] or 0.0),
            label=("@" + p["handle"]) if p.get("handle") else str(p["account_id"]),
            segment=str(p["segment"]),
            href=f"/influencers/{plat}/{quote(str(p['account_id']), safe='')}",
        )
        for p in data.get("points", [])
        if p.get("score") is not None
    ]
    chart = scatter(
        points,
        title="Influence score × engagement with the brand, by segment",
        x_label="influence score (0-100)",
        y_label="engagement",
        x_threshold=data.get("influence_threshold"),
        y_threshold=data.get("engagement_threshold"),
    )
    return {"scatter": chart, "seg_colours": SEGMENT_COLOURS}


def profile(data: dict[str, Any]) -> dict[str, Any]:
    """The profile's weekday × hour heatmap, engagement-over-time line and score components."""
    prof = data.get("profile") or {}
    if not prof.get("available"):
        return {}
    out: dict[str, Any] = {}
    grid = prof.get("weekday_hour")
    if grid and any(any(row) for row in grid):
        values = [[float(v) if v else None for v in row] for row in grid]
        out["when"] = heatmap(
            WEEKDAY_LABELS,
            [f"{h:02d}" for h in range(24)],
            values,
            title=f"Posts by weekday and hour ({prof.get('timezone', 'UTC')})",
            counts=grid,
        )
    series = prof.get("engagement_over_time") or []
    if series:
        key = next((k for k in ("engagement", "interactions", "count", "n") if k in series[0]), None)
        if key is not None:
            ys = [r.get(key) for r in series]
            out["engagement"] = line_chart(
                list(range(len(ys))), ys, title="Engagement with the brand per week", x_label="week", y_label=key
            )
    score = prof.get("score") or {}
    comps = [(c, score.get(c)) for c in ("reach", "authority", "amplification", "topic", "activity")]
    if any(v is not None for _, v in comps):
        from signalboost.web.svg import Bar, bar_chart

        out["components"] = bar_chart(
            [Bar(c, v) for c, v in comps], title="Score components (percentiles)", max_value=100.0
        )
    return out


def empty() -> Markup:
    return Markup("")
