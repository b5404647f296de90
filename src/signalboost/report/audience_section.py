"""The report's Audience section, from a stored audience run (``signalboost audience segments``): how the segments
were found and how stable they are, a chart of each segment's share of the audience beside its share of the
engagement, the persona cards as a table, and the strategy's personas held against them.

The same data is the JSON of ``signalboost audience segments --stored --format json`` (the section's twin).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from signalboost.audience.personas import Verdict
from signalboost.report.analytics_report import Section, Table


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.0f}%"


def shares_png(cards: Sequence[dict[str, Any]]) -> bytes:
    """Grouped horizontal bars: share of the audience and share of the engagement per segment (PNG)."""
    import matplotlib.pyplot as plt
    import numpy as np

    from signalboost.report.analytics_charts import BLUE, ORANGE, _png

    names = [f"{c['segment'] + 1}. {c['name']}"[:28] for c in cards]
    y = np.arange(len(cards))
    fig, ax = plt.subplots(figsize=(6.2, 0.5 + 0.45 * len(cards)))
    aud = [100 * c["share"] for c in cards]
    eng = [100 * (c["engagement_share"] or 0) for c in cards]
    ax.barh(y - 0.2, aud, 0.4, color=BLUE, label="share of the audience")
    ax.barh(y + 0.2, eng, 0.4, color=ORANGE, label="share of the engagement with the brand")
    for i, c in enumerate(cards):
        ax.text(aud[i] + 0.5, i - 0.2, _pct(c["share"]), va="center", fontsize=7)
        ax.text(eng[i] + 0.5, i + 0.2, _pct(c["engagement_share"]), va="center", fontsize=7)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel("%")
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    return _png(fig)


def audience_section(run: dict[str, Any], verdicts: Sequence[Verdict] = ()) -> Section:
    """The section for ``run`` (as stored: ``summary`` and ``cards``) and the personas' ``verdicts``."""
    s, cards = run["summary"], run["cards"]
    sec = Section("Audience segments")
    stab = s.get("stability") or {}
    sec.text.append(
        f"{s['accounts']} accounts in the audience ({s['audience_from']}) on {run['platform']}, split into "
        f"{s['segments']} segments (communities of follows, interactions, shared follows and similar bios/posts; "
        f"resolution {s['resolution']} chosen for stability: ARI between seeds {stab.get('seed_ari', '—')}, "
        f"between two disjoint halves {stab.get('split_ari', '—')}). Computed {str(run['computed_at'])[:16]}."
    )
    sec.text.extend(f"Note: {n}" for n in [*s.get("notes", []), *s.get("notes_run", [])])
    if not cards:
        sec.text.append("No segments: the audience has too few connections or texts to split.")
        return sec
    sec.charts.append(("Share of the audience and of the engagement per segment", shares_png(cards)))
    rows = [
        [
            str(c["segment"] + 1),
            c["name"],
            str(c["size"]),
            _pct(c["share"]),
            _pct(c["engagement_share"]),
            ", ".join(c["keywords"][:6]),
            ", ".join(f"{h:02d}h" for h in c["active_hours"]) if c["active_hours"] else "not enough data",
            ", ".join(str(p["value"]) for p in c["pillars"][:2]) or "—",
        ]
        for c in cards
    ]
    headers = ["#", "suggested name", "accounts", "audience", "engagement", "keywords", "active", "pillars"]
    sec.tables.append(
        Table(headers, rows, "Engagement = share of the audience's interactions with the brand (— when unknown).")
    )
    if verdicts:
        sec.tables.append(
            Table(
                ["persona", "verdict"],
                [[v.persona, v.verdict] for v in verdicts],
                "The personas of strategy.yaml held against the segments (by keywords and networks).",
            )
        )
    return sec
