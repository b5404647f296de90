"""The Competitors page: the brand against the pages it competes with (``signalboost benchmark``), per network —
findings in plain words, the figures side by side with their intervals and n, engagement per post by page over
time, the format mix, when each page posts, the hashtags each owns, best days and hours, and top posts.

The page's JSON twin is the same document as ``signalboost benchmark --format json``.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from signalboost.competitors.benchmark import format_words
from signalboost.errors import SignalboostError
from signalboost.i18n import _, format_number
from signalboost.store.workspace import Workspace
from signalboost.web.svg import Bar, Series, bar_chart, heatmap, lines_chart, stacked_bars
from signalboost.web.wiring import jsonable_dict

MAX_LINES = 8
"""Pages drawn on the engagement-over-time chart (the brand and the pages with most posts); the table has all."""


def build(ws: Workspace, platform: str | None = None, *, min_posts: int = 10) -> dict[str, Any]:
    """The benchmark of the workspace (every table of :class:`~signalboost.competitors.benchmark.Benchmark`,
    its findings and notes), or what to do first when no competitor or no competitor post is there."""
    from signalboost.competitors.job import run_benchmark

    try:
        run = run_benchmark(ws, platform=platform, min_posts=min_posts)
    except SignalboostError as exc:
        return {"available": True, "empty": True, "message": exc.message()}
    doc = run.result.to_dict()
    platforms = sorted({str(r["platform"]) for r in doc["accounts"]})
    return jsonable_dict({"available": True, "empty": False, "platforms": platforms, "notes": run.notes, **doc})


def decorate(data: dict[str, Any]) -> dict[str, Any]:
    """Per network: engagement per post (intervals), engagement over time, format mix, posting-hours heatmap."""
    if not data.get("available") or data.get("empty"):
        return {}
    charts: dict[str, dict[str, Markup]] = {}
    for plat in data.get("platforms", []):
        accounts = [r for r in data["accounts"] if r["platform"] == plat]
        brand = {r["account"] for r in accounts if r["role"] == "brand"}
        c: dict[str, Markup] = {}
        ranked = sorted(accounts, key=lambda r: -(r["engagement_per_post"] or 0))
        c["engagement"] = bar_chart(
            [
                Bar(
                    str(r["account"]), r["engagement_per_post"], n=r["n_engagement"], low=r["ep_low"], high=r["ep_high"]
                )
                for r in ranked
            ],
            title=_("Engagement per post by page (mean, 95 % interval)"),
        )
        c["timeline"] = _timeline(plat, data["timeline"], accounts, brand)
        mix: dict[str, list[tuple[str, float]]] = {}
        for r in data["formats"]:
            if r["platform"] == plat:
                mix.setdefault(str(r["account"]), []).append((format_words(str(r["format"])), float(r["share"])))
        c["formats"] = stacked_bars(sorted(mix.items()), title=_("Format mix: share of each page's posts"))
        c["hours"] = _hours(plat, data["hours"], accounts)
        charts[plat] = c
    return {"charts": charts}


def _timeline(plat: str, timeline: list[dict[str, Any]], accounts: list[dict[str, Any]], brand: set[str]) -> Markup:
    rows = [r for r in timeline if r["platform"] == plat]
    months = sorted({str(r["month"])[:7] for r in rows})
    busiest = sorted(accounts, key=lambda r: (r["account"] not in brand, -r["n_posts"], r["account"]))
    shown = [str(r["account"]) for r in busiest[:MAX_LINES]]
    series = []
    for name in shown:
        pts = [
            (months.index(str(r["month"])[:7]), float(r["engagement_per_post"]), int(r["n_posts"]))
            for r in rows
            if r["account"] == name
        ]
        series.append(Series(name, pts, bold=name in brand))
    title = (
        _("Engagement per post by month ({shown} of {total} pages)").format(
            shown=format_number(len(shown)), total=format_number(len(accounts))
        )
        if len(accounts) > len(shown)
        else _("Engagement per post by month")
    )
    return lines_chart(series, months, title=title, y_label=_("interactions per post"))


def _hours(plat: str, hours: list[dict[str, Any]], accounts: list[dict[str, Any]]) -> Markup:
    names = [str(r["account"]) for r in sorted(accounts, key=lambda r: r["account"])]
    counts = [[0] * 24 for _ in names]
    for r in hours:
        if r["platform"] == plat and r["account"] in names:
            counts[names.index(r["account"])][int(r["hour"])] += int(r["n_posts"])
    shares: list[list[float | None]] = [
        [(n / sum(row) if n else None) if sum(row) else None for n in row] for row in counts
    ]
    return heatmap(
        [n[:22] for n in names],
        [f"{h:02d}" for h in range(24)],
        shares,
        counts=counts,
        left=150,
        title=_("When each page posts: share of its posts by hour"),
    )
