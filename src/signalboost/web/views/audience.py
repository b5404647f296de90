"""The Audience page: the stored segments as persona cards, a chart of each segment's share of the audience beside
its share of the engagement, the segments as a picture of communities (circles sized by members, lines by the
links between them), and the strategy's personas held against them. Computed by ``signalboost audience
segments`` (:mod:`signalboost.audience.job`); the page reads the stored run.
"""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape

from signalboost.errors import SignalboostError
from signalboost.store.workspace import Workspace
from signalboost.web.svg import colour
from signalboost.web.wiring import jsonable_dict, lib, unavailable

MODULE = "signalboost.audience.job"


def build(ws: Workspace, platform: str | None = None) -> dict[str, Any]:
    """The latest stored run (summary, cards) and the personas' verdicts; a message when nothing is stored."""
    stored_run = lib(MODULE, "stored_run")
    if stored_run is None:
        return unavailable("Audience segments", MODULE)
    from signalboost.audience.job import cards_from, hold_strategy

    try:
        run = stored_run(ws, platform)
    except SignalboostError as exc:  # no data on any platform
        return {"available": True, "cards": [], "message": exc.message()}
    if run is None:
        return {
            "available": True,
            "cards": [],
            "message": "No segments computed yet. Run: signalboost audience segments",
        }
    cards = cards_from(run)
    try:
        verdicts, proposed = hold_strategy(ws, cards)
    except SignalboostError:  # strategy.yaml does not load: the strategy page says why
        verdicts, proposed = [], []
    return jsonable_dict(
        {
            "available": True,
            "platform": run["platform"],
            "computed_at": run["computed_at"],
            "summary": run["summary"],
            "cards": run["cards"],
            "verdicts": [v.__dict__ for v in verdicts],
            "proposed": [c.id for c in proposed],
        }
    )


def decorate(data: dict[str, Any]) -> dict[str, Any]:
    """The two pictures of the page (server-side SVG, every label escaped)."""
    cards = data.get("cards") or []
    if not cards:
        return {}
    return {
        "shares_chart": shares_chart(cards),
        "communities_chart": communities_chart(cards, (data.get("summary") or {}).get("links") or []),
    }


def _pct(x: float | None) -> str:
    return "no data" if x is None else f"{100 * x:.0f} %"


def shares_chart(cards: list[dict[str, Any]]) -> Markup:
    """Per segment, two bars: its share of the audience and its share of the engagement with the brand (no bar
    when the engagement is unknown)."""
    row, left, width = 34, 150, 460
    height = 30 + row * len(cards)
    scale = width - left - 70
    top = max([0.01, *(c["share"] for c in cards), *(c["engagement_share"] or 0 for c in cards)])
    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart">'
        "<title>Segment size and share of engagement</title>"
        f"<desc>{len(cards)} segments; audience {sum(c['size'] for c in cards)} accounts</desc>",
        '<rect x="10" y="4" width="10" height="10" fill="#1f5fa8"/><text x="24" y="13" class="axis">audience</text>'
        '<rect x="100" y="4" width="10" height="10" fill="#b3541e"/>'
        '<text x="114" y="13" class="axis">engagement with the brand</text>',
    ]
    for i, c in enumerate(cards):
        y = 24 + i * row
        label = escape(f"{c['segment'] + 1}. {c['name']}"[:24])
        parts.append(f'<text x="{left - 6}" y="{y + 16}" class="axis" text-anchor="end">{label}</text>')
        for j, (value, fill, what) in enumerate(
            ((c["share"], "#1f5fa8", "audience"), (c["engagement_share"], "#b3541e", "engagement"))
        ):
            yy = y + 3 + j * 13
            if value is not None:
                w = value / top * scale
                tip = escape(f"{c['name']}: {_pct(value)} of the {what}")
                parts.append(
                    f'<rect x="{left}" y="{yy}" width="{w:.1f}" height="11" fill="{fill}"><title>{tip}</title></rect>'
                )
            parts.append(
                f'<text x="{left + (value or 0) / top * scale + 4:.1f}" y="{yy + 10}" class="axis">'
                f"{escape(_pct(value))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def communities_chart(cards: list[dict[str, Any]], links: list[list[float]]) -> Markup:
    """The segments on a circle, each a disc with area ∝ members, joined by lines whose width grows with the
    links (follows, interactions, shared follows, similar texts) between them."""
    size = 360
    mid, ring = size / 2, size / 2 - 70
    n = len(cards)
    pos = {
        c["segment"]: (
            mid + (ring * math.cos(2 * math.pi * i / n - math.pi / 2) if n > 1 else 0),
            mid + (ring * math.sin(2 * math.pi * i / n - math.pi / 2) if n > 1 else 0),
        )
        for i, c in enumerate(cards)
    }
    biggest = max(c["size"] for c in cards) or 1
    between = [(int(a), int(b), float(w)) for a, b, w in links if a != b and int(a) in pos and int(b) in pos]
    top_w = max([w for _, _, w in between] or [1.0])
    parts = [
        f'<svg role="img" viewBox="0 0 {size} {size}" width="{size}" height="{size}" class="chart">'
        "<title>The audience's communities</title>"
        f"<desc>{n} segments; lines show the links between segments</desc>"
    ]
    for a, b, w in between:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        tip = escape(f"segments {a + 1} and {b + 1}: link weight {w:.1f}")
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#888" '
            f'stroke-opacity="0.6" stroke-width="{1 + 7 * w / top_w:.1f}"><title>{tip}</title></line>'
        )
    for i, c in enumerate(cards):
        x, y = pos[c["segment"]]
        r = 8 + 36 * math.sqrt(c["size"] / biggest)
        tip = escape(f"{c['segment'] + 1}. {c['name']}: {c['size']} accounts ({_pct(c['share'])})")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour(i)}" fill-opacity="0.85">'
            f"<title>{tip}</title></circle>"
            f'<text x="{x:.1f}" y="{y + r + 12:.1f}" class="axis" text-anchor="middle">'
            f"{escape(str(c['name'])[:22])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
