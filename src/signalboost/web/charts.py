"""Turn page data into the SVG charts of the HTML pages (the JSON twins carry the numbers, not the drawings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from signalboost.i18n import N_, _, format_number, weekday_name
from signalboost.influence.words import component_words
from signalboost.report.words import metric_words, pillar_word, word
from signalboost.web.svg import SEGMENT_COLOURS, Bar, Point, bar_chart, heatmap, line_chart, percent, scatter

#: the group charts of the Analytics page: data key -> title (msgid; {metric} in words)
GROUP_TITLES = {
    "formats": N_("Mean {metric} by format (95 % interval)"),
    "paid": N_("Mean {metric}, paid vs organic (95 % interval)"),
    "pillar_performance": N_("Mean {metric} by pillar (95 % interval)"),
}


def _rate_format(metric: object) -> Callable[[float | None], str] | None:
    """:func:`~signalboost.web.svg.percent` for a rate (``er_reach``…, not its within-account z-score), as the
    page's tables write it; ``None`` (the chart's plain figures) for counts."""
    name = str(metric or "")
    return percent if name.startswith("er_") and not name.endswith("_z") else None


def overview(data: dict[str, Any]) -> dict[str, Any]:
    return {}


def analytics(data: dict[str, Any]) -> dict[str, Any]:
    """Per platform: the weekday × hour heatmap, the posts-per-day curve, pillar mix, formats, paid vs organic."""
    if not data.get("available") or data.get("empty"):
        return {}
    charts: dict[str, dict[str, Markup]] = {}
    names = data.get("pillar_names") or {}
    for plat in data.get("platforms", []):
        c: dict[str, Markup] = {}
        slots = [r for r in data.get("slots", []) if r["platform"] == plat]
        if slots:
            hours = sorted({int(r["slot_hour"]) for r in slots})
            grid: list[list[float | None]] = [[None] * len(hours) for _ in range(7)]
            counts = [[0] * len(hours) for _ in range(7)]
            for r in slots:
                i, j = int(r["weekday"]), hours.index(int(r["slot_hour"]))
                counts[i][j] = int(r["n_posts"] or 0)
                grid[i][j] = r["expected"] if r["n_posts"] else None
            c["heatmap"] = heatmap(
                [weekday_name(d, "abbreviated") for d in range(7)],  # CLDR's names in the page's language
                [f"{h:02d}" for h in hours],
                grid,
                counts=counts,
                fmt=_rate_format(slots[0].get("metric")),
                title=_("Expected {metric} by weekday and hour ({zone})").format(
                    metric=metric_words(str(data.get("slot_metric"))), zone=data.get("timezone")
                ),
            )
        curve = [r for r in data.get("frequency_curve", []) if r["platform"] == plat]
        if curve:
            c["curve"] = line_chart(
                [float(r["posts_per_day"]) for r in curve],
                [r["per_post"] for r in curve],
                lower=[r["per_post_low"] for r in curve],
                upper=[r["per_post_high"] for r in curve],
                counts=[int(r["n_days_used"]) for r in curve],
                title=_("Interactions per post by posts that day"),
                x_label=_("posts per day"),
                y_label=_("{metric} per post").format(metric=word(str(curve[0].get("metric") or "interactions"))),
            )
        mix = [r for r in data.get("pillar_mix", []) if r["platform"] == plat]
        if mix:
            c["mix"] = bar_chart(
                [
                    Bar(
                        pillar_word(r["pillar"], names),
                        r["share"] * 100 if r["share"] is not None else None,
                        r["target"] * 100 if r["target"] is not None else None,
                        n=int(r["posts"] or 0),
                    )
                    for r in mix
                ],
                title=_("Pillar mix: actual share vs target (dashed)"),
                unit=" %",
            )
        for key, title in GROUP_TITLES.items():
            groups = [r for r in data.get(key, []) if r["platform"] == plat]
            if groups:
                c[key] = bar_chart(
                    [
                        Bar(
                            pillar_word(r["group"], names),  # a pillar by its name; photo, paid… in words
                            r["mean"],
                            n=int(r["n_used"] or 0),
                            low=r["ci_low"],
                            high=r["ci_high"],
                        )
                        for r in groups
                    ],
                    title=_(title).format(metric=metric_words(str(groups[0].get("metric")))),
                    fmt=_rate_format(groups[0].get("metric")),
                )
        charts[plat] = c
    return {"charts": charts}


def influencers(data: dict[str, Any]) -> dict[str, Any]:
    """The influence × engagement scatter with the segment thresholds.

    Only accounts whose engagement with the brand is known are drawn: an unknown engagement (no brand account
    when the scores were computed, or no other account's interaction with the brand in the data) is not a zero, so
    it is left out and the page says why (``chart_note``).
    """
    if not data.get("scored"):
        return {}
    plat = quote(str(data["platform"]), safe="")
    scored = [p for p in data.get("points", []) if p.get("score") is not None]
    known = [p for p in scored if p.get("engagement") is not None]
    points = [
        Point(
            x=float(p["score"]),
            y=float(p["engagement"]),
            label=("@" + p["handle"]) if p.get("handle") else str(p["account_id"]),
            segment=str(p["segment"]),
            href=f"/influencers/{plat}/{quote(str(p['account_id']), safe='')}",
        )
        for p in known
    ]
    out: dict[str, Any] = {"seg_colours": SEGMENT_COLOURS, "chart_n": len(points), "chart_note": None}
    unknown = len(scored) - len(known)
    from signalboost.influence.score import ENGAGEMENT_UNSEEN

    if unknown and ENGAGEMENT_UNSEEN in ((data.get("run") or {}).get("notes") or []):
        out["chart_note"] = _(
            "No other account's interactions with the brand are in the data (an account export holds only the "
            "brand's own), so engagement with the brand is unknown and no account is drawn. Import data that "
            "holds them (connect and sync the account, or a platform's engagement export), then compute the "
            "scores again."
        )
    elif unknown:
        out["chart_note"] = _(
            "Engagement with the brand is unknown for {unknown} of the {sampled} sampled accounts (no brand account "
            "when the scores were computed), so they are not drawn. Set brand.handles.{platform} in strategy.yaml, "
            "or run `signalboost influencers --brand HANDLE`, then compute the scores again."
        ).format(unknown=format_number(unknown), sampled=format_number(len(scored)), platform=data["platform"])
    if points:
        out["scatter"] = scatter(
            points,
            title=_("Influence score × engagement with the brand, by segment"),
            x_label=_("influence score (0-100)"),
            y_label=_("interactions with the brand (engagement window)"),
            x_threshold=data.get("influence_threshold"),
            y_threshold=data.get("engagement_threshold"),
        )
    return out


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
            [weekday_name(d, "abbreviated") for d in range(7)],
            [f"{h:02d}" for h in range(24)],
            values,
            title=_("Posts by weekday and hour ({zone})").format(zone=prof.get("timezone", "UTC")),
            counts=grid,
        )
    series = prof.get("engagement_over_time") or []
    if series and "interactions" in series[0]:
        ys = [r.get("interactions") for r in series]
        out["engagement"] = line_chart(
            list(range(len(ys))),
            ys,
            title=_("Their interactions per week (first week = 0)"),
            x_label=_("week"),
            y_label=_("interactions"),
        )
    score = prof.get("score") or {}
    comps = [(c, score.get(c)) for c in ("reach", "authority", "amplification", "topic", "activity")]
    if any(v is not None for _, v in comps):
        out["components"] = bar_chart(
            [Bar(component_words(c), v) for c, v in comps], title=_("Score components (percentiles)"), max_value=100.0
        )
    return out


def empty() -> Markup:
    return Markup("")
