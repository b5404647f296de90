"""The report's Audience section, from a stored audience run (``signalboost audience segments``): how the segments
were found and how stable they are, a chart of each segment's share of the audience beside its share of the
engagement, the persona cards as a table, and the strategy's personas held against them.

The same data is the JSON of ``signalboost audience segments --stored --format json`` (the section's twin).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from signalboost.audience.personas import Verdict, card_name, describe, hours_words
from signalboost.i18n import _, format_number, format_percent, format_when, ngettext
from signalboost.influence.words import stored_words
from signalboost.report.analytics_report import Section, Table


def _pct(v: float | None) -> str:
    return "—" if v is None else format_percent(v)


def shares_png(cards: Sequence[dict[str, Any]]) -> bytes:
    """Grouped horizontal bars: share of the audience and share of the engagement per segment (PNG)."""
    import matplotlib.pyplot as plt
    import numpy as np

    from signalboost.report.analytics_charts import BLUE, ORANGE, figure_png

    names = [f"{c['segment'] + 1}. {card_name(c['name'])}"[:28] for c in cards]
    y = np.arange(len(cards))
    fig, ax = plt.subplots(figsize=(6.2, 0.5 + 0.45 * len(cards)))
    aud = [100 * c["share"] for c in cards]
    eng = [100 * (c["engagement_share"] or 0) for c in cards]
    ax.barh(y - 0.2, aud, 0.4, color=BLUE, label=_("share of the audience"))
    ax.barh(y + 0.2, eng, 0.4, color=ORANGE, label=_("share of the engagement with the brand"))
    for i, c in enumerate(cards):
        ax.text(aud[i] + 0.5, i - 0.2, _pct(c["share"]), va="center", fontsize=7)
        ax.text(eng[i] + 0.5, i + 0.2, _pct(c["engagement_share"]), va="center", fontsize=7)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel("%")
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    return figure_png(fig)


def summary_words(summary: dict[str, Any], platform: str) -> str:
    """How the segments were found, in the active language (the report's and the CLI's first sentence)."""
    stab = summary.get("stability") or {}

    def ari(key: str) -> str:
        value = stab.get(key)
        return "—" if value is None else format_number(value)

    words = _(
        "{accounts} accounts in the audience ({source}) on {platform}, split into {segments} segments "
        "(communities of follows, interactions, shared follows and similar bios/posts; resolution {resolution} "
        "chosen for stability: ARI between seeds {seeds}, between two disjoint halves {halves})."
    ).format(
        accounts=format_number(summary["accounts"]),
        source=stored_words(summary["audience_from"]),
        platform=platform,
        segments=format_number(summary["segments"]),
        resolution=format_number(summary["resolution"]),
        seeds=ari("seed_ari"),
        halves=ari("split_ari"),
    )
    if caution := tentative_words(summary):
        words += " " + caution
    other, accounts = summary.get("other") or 0, summary.get("accounts") or 0
    if other and accounts:  # "other" has no card: say where the rest of the audience is
        words += " " + ngettext(
            "{n} account ({share}) is in no segment (other: a community below the minimum size, or no link).",
            "{n} accounts ({share}) are in no segment (other: communities below the minimum size, or no link).",
            other,
        ).format(n=format_number(other), share=format_percent(other / accounts))
    return words


def tentative_words(summary: dict[str, Any]) -> str:
    """A caution when the segments do not replicate: their split-half ARI (two disjoint halves of the audience) is
    below :data:`signalboost.audience.communities.STABLE_SPLIT_ARI`; ``""`` otherwise (or when it was not scored)."""
    from signalboost.audience.communities import STABLE_SPLIT_ARI

    halves = (summary.get("stability") or {}).get("split_ari")
    if halves is None or halves >= STABLE_SPLIT_ARI:
        return ""
    return _(
        "Tentative: the segments of two disjoint halves of the audience barely agree (ARI {halves}, below {floor}), "
        "so another sample of the same audience could split differently; more links among the audience (follows, "
        "interactions) would make them firmer."
    ).format(halves=format_number(halves), floor=format_number(STABLE_SPLIT_ARI))


def notes_words(summary: dict[str, Any]) -> list[str]:
    """The run's notes in the active language."""
    return [stored_words(n) for n in [*summary.get("notes", []), *summary.get("notes_run", [])]]


def _computed(value: Any) -> str:
    """When the run was computed (stored in UTC), in the locale's short form (:func:`signalboost.i18n.format_when`)."""
    return format_when(value, empty="")


def audience_section(run: dict[str, Any], verdicts: Sequence[Verdict] = ()) -> Section:
    """The section for ``run`` (as stored: ``summary`` and ``cards``) and the personas' ``verdicts``, in the active
    language."""
    s, cards = run["summary"], run["cards"]
    sec = Section(_("Audience segments"))
    sec.text.append(
        summary_words(s, run["platform"]) + " " + _("Computed {when}.").format(when=_computed(run["computed_at"]))
    )
    sec.text.extend(_("Note: {note}").format(note=n) for n in notes_words(s))
    if not cards:
        sec.text.append(_("No segments: the audience has too few connections or texts to split."))
        return sec
    sec.charts.append((_("Share of the audience and of the engagement per segment"), shares_png(cards)))
    rows = [
        [
            str(c["segment"] + 1),
            card_name(c["name"]),
            format_number(c["size"]),
            _pct(c["share"]),
            _pct(c["engagement_share"]),
            ", ".join(c["keywords"][:6]),
            hours_words(c["active_hours"]),
            ", ".join(str(p["value"]) for p in c["pillars"][:2]) or "—",
        ]
        for c in cards
    ]
    headers = [
        "#",
        _("suggested name"),
        _("accounts"),
        _("audience"),
        _("engagement"),
        _("keywords"),
        _("active"),
        _("pillars"),
    ]
    sec.tables.append(
        Table(headers, rows, _("Engagement = share of the audience's interactions with the brand (— when unknown)."))
    )
    sec.tables.append(
        Table(
            ["#", _("who they are")],
            [[str(c["segment"] + 1), describe(c)] for c in cards],
            _("Each segment in one line, from its figures."),
        )
    )
    if verdicts:
        sec.tables.append(
            Table(
                [_("persona"), _("verdict")],
                [[v.persona, v.verdict] for v in verdicts],
                _("The personas of strategy.yaml held against the segments (by keywords and networks)."),
            )
        )
    return sec
