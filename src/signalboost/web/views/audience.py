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
from signalboost.i18n import _, format_number, format_percent, format_when
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
    from signalboost.audience.personas import card_name

    try:
        run = stored_run(ws, platform)
    except SignalboostError as exc:  # no data on any platform
        return {"available": True, "cards": [], "message": exc.message()}
    if run is None:
        return {
            "available": True,
            "cards": [],
            "message": _("No segments computed yet. Run: signalboost audience segments"),
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
            "computed_words": _computed_words(run["computed_at"]),
            "summary": _summary_words(run["summary"]),
            "cards": [{**c, "name": card_name(c["name"]), "description": describe(c)} for c in run["cards"]],
            "verdicts": [v.__dict__ for v in verdicts],
            "proposed": [c.id for c in proposed],
        }
    )


def _summary_words(summary: dict[str, Any]) -> dict[str, Any]:
    """The stored run's prose (how the audience was found, the notes) in the page's language; figures as stored."""
    from signalboost.influence.words import stored_words
    from signalboost.report.audience_section import tentative_words

    return {
        **summary,
        "tentative": tentative_words(summary),
        "audience_from": stored_words(summary.get("audience_from")),
        "notes": [stored_words(n) for n in summary.get("notes", [])],
        "notes_run": [stored_words(n) for n in summary.get("notes_run", [])],
    }


def _computed_words(value: Any) -> str:
    """When the run was computed, in the page's locale (``05.12.2026, 09:35 UTC``)."""
    return format_when(value, empty="")


def describe(card: dict[str, Any]) -> str:
    """A card's one-line description in the page's language (the CLI and the report say the same)."""
    from signalboost.audience.personas import describe as words

    return words(card)


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
    return _("no data") if x is None else format_percent(x)


def shares_chart(cards: list[dict[str, Any]]) -> Markup:
    """Per segment, two bars: its share of the audience and its share of the engagement with the brand (no bar
    when the engagement is unknown)."""
    row, left, width = 34, 150, 460
    height = 30 + row * len(cards)
    scale = width - left - 70
    top = max([0.01, *(c["share"] for c in cards), *(c["engagement_share"] or 0 for c in cards)])
    size = format_number(sum(c["size"] for c in cards))
    desc = _("{n} segments; audience {size} accounts").format(n=len(cards), size=size)
    of_audience, of_engagement = _("{name}: {share} of the audience"), _("{name}: {share} of the engagement")
    heading, audience = _("Segment size and share of engagement"), _("audience")
    engagement = _("engagement with the brand")
    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart">'
        f"<title>{escape(heading)}</title>"
        f"<desc>{escape(desc)}</desc>",
        '<rect x="10" y="4" width="10" height="10" fill="#1f5fa8"/>'
        f'<text x="24" y="13" class="axis">{escape(audience)}</text>'
        '<rect x="100" y="4" width="10" height="10" fill="#b3541e"/>'
        f'<text x="114" y="13" class="axis">{escape(engagement)}</text>',
    ]
    for i, c in enumerate(cards):
        y = 24 + i * row
        label = escape(f"{c['segment'] + 1}. {c['name']}"[:24])
        parts.append(f'<text x="{left - 6}" y="{y + 16}" class="axis" text-anchor="end">{label}</text>')
        for j, (value, fill, what) in enumerate(
            ((c["share"], "#1f5fa8", of_audience), (c["engagement_share"], "#b3541e", of_engagement))
        ):
            yy = y + 3 + j * 13
            if value is not None:
                w = value / top * scale
                tip = escape(what.format(name=c["name"], share=_pct(value)))
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
    title = _("The audience's communities")
    link_words = _("{n} segments; lines show the links between segments").format(n=n)
    between = [(int(a), int(b), float(w)) for a, b, w in links if a != b and int(a) in pos and int(b) in pos]
    top_w = max([w for _, _, w in between] or [1.0])
    parts = [
        f'<svg role="img" viewBox="0 0 {size} {size}" width="{size}" height="{size}" class="chart">'
        f"<title>{escape(title)}</title>"
        f"<desc>{escape(link_words)}</desc>"
    ]
    for a, b, w in between:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        tip = escape(_("segments {a} and {b}: link weight {w}").format(a=a + 1, b=b + 1, w=format_number(w, digits=1)))
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#888" '
            f'stroke-opacity="0.6" stroke-width="{1 + 7 * w / top_w:.1f}"><title>{tip}</title></line>'
        )
    for i, c in enumerate(cards):
        x, y = pos[c["segment"]]
        r = 8 + 36 * math.sqrt(c["size"] / biggest)
        tip = escape(
            _("{n}. {name}: {size} accounts ({share})").format(
                n=c["segment"] + 1, name=c["name"], size=format_number(c["size"]), share=_pct(c["share"])
            )
        )
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour(i)}" fill-opacity="0.85">'
            f"<title>{tip}</title></circle>"
            f'<text x="{x:.1f}" y="{y + r + 12:.1f}" class="axis" text-anchor="middle">'
            f"{escape(str(c['name'])[:22])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
