"""The analytics' notes, verdicts and evidence said in words, in the active language: KPI figures and statuses,
tactic verdicts, how a best-time rule was chosen (backtests), formulas and bases, drift sentences and the stored
notes of an analysis (English data matched by pattern and said again through the catalog). Shared by the report,
the command line and the dashboard.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from signalboost.analytics.pillars import drift_words
from signalboost.analytics.timing import GRAINS, SCALES
from signalboost.i18n import N_, _, babel_locale, format_number, format_percent, ngettext
from signalboost.report.words import AGGREGATION_LABELS, PillarNames, metric_words, pillar_word, word


def _plus1(v: float) -> str:
    """A signed figure with one decimal in the active locale: ``+12.3`` (en, as ``f"{v:+.1f}"``), ``+12,3`` (nb)."""
    from babel.numbers import format_decimal

    return str(format_decimal(v, format="+#,##0.0;-#,##0.0", locale=babel_locale()))


def _cell(v: Any) -> str:
    """A value of the analytics' vocabulary in words, anything else as written."""
    return "—" if v is None else word(str(v))


def kpi_figure_label(aggregation: str | None) -> str:
    """How a KPI's figure was made, in words: ``mean per post``, ``total over the window``, …"""
    label = AGGREGATION_LABELS.get(str(aggregation), "")
    return _(label) if label else ""


#: a tactic's periods, in the plural (``weeks (by date)``)
UNITS: dict[str, str] = {"day": N_("days"), "week": N_("weeks"), "month": N_("months"), "post": N_("posts")}


def tactic_verdict(verdict: str, unit: str) -> str:
    """The analytics' verdict on a tactic (``tactic weeks did better``…) in the report's language."""
    units = _(UNITS.get(unit, unit))
    if verdict.startswith("not enough data"):
        return _("not enough data (need 2+ {units} with and without the tactic)").format(units=units)
    if verdict.endswith("did better"):
        return _("tactic {units} did better").format(units=units)
    if verdict.endswith("did worse"):
        return _("tactic {units} did worse").format(units=units)
    return _cell(verdict)


def formula_words(formula: str) -> str:
    """A metric's formula (``(likes + comments + shares) / reach``) with its words in the report's language."""
    import re

    return re.sub(r"[a-z_]+", lambda m: word(m.group(0)), str(formula))


def partial_words(note: str) -> str:
    """``replies not in the export`` (``analytics.metrics.InteractionBasis.note``) in the report's language."""
    parts = note.removesuffix(" not in the export")
    if parts == note:
        return note
    names = [p.strip() for p in parts.replace(" and ", ", ").split(",") if p.strip()]
    from signalboost.i18n import format_list

    return _("{parts} not in the export").format(parts=format_list([_(n) for n in names]))


def basis_words(basis: str) -> str:
    """``likes + comments + shares`` in the report's language (each part is a word of the catalog)."""
    return " + ".join(_(part.strip()) for part in basis.split("+"))


#: how a tactic's posts were found, in words
FOUND_BY: dict[str, str] = {"rrule": N_("by its calendar rule"), "labelled": N_("posts labelled with it")}


def found_by(how: str) -> str:
    """How a KPI or tactic window found its posts (``rrule``, ``labelled``), in words."""
    words = FOUND_BY.get(how)
    return _(words) if words else how


def backtest_words(choice: Any) -> str:
    """What the backtest that chose a network's slot model found, in the report's language
    (:class:`signalboost.analytics.slot_choice.SlotChoice`)."""
    model = _("{grain}, on {scale}").format(
        grain=_(GRAINS.get(choice.grain, choice.grain)), scale=_(SCALES.get(choice.scale, choice.scale))
    )
    if choice.gain is None:
        return _(
            "{platform}: a backtest on the account's own history found no hour that stands out ({n} posts with a "
            "time and a figure): keep the current hours."
        ).format(platform=choice.platform, n=format_number(choice.n_posts))
    figures = {
        "platform": choice.platform,
        "model": model,
        "gain": _plus1(choice.gain),
        "low": _plus1(choice.low),
        "high": _plus1(choice.high),
        "n": format_number(choice.n_match),
        "total": format_number(choice.n_test),
    }
    if choice.backed:
        return _(
            "{platform}: hours chosen by {model}, the model a backtest on the account's own history picked: posts "
            "at the advised hours ranked {gain} percentile points against the other posts [{low}, {high}] ({n} of "
            "{total} later posts)."
        ).format(**figures)
    return _(
        "{platform}: a backtest on the account's own history cannot tell whether any hour beats the current ones "
        "(best model: {model}; {gain} percentile points [{low}, {high}], {n} of {total} later posts): keep the "
        "current hours."
    ).format(**figures)


def no_chart_sentence(platform: str, metric: str) -> str:
    """Instead of an empty chart: what the network's export lacks and how to get it."""
    return _(
        "No chart for {platform}: its export reports no {metric} (no likes, comments or shares on its posts — "
        "Instagram's and Mastodon's own archives carry none). Import a post export with engagement counts for "
        "{platform} (e.g. a CSV from the network's insights through `signalboost import FILE -p {platform} --map …`) "
        "to see it."
    ).format(platform=platform, metric=metric.removesuffix("_z"))


def evidence_words(evidence: Any) -> str:
    """The frequency model's evidence (``analytics.frequency``) in the report's language.

    The model writes one of four English sentences with numbers in them; each is matched and rewritten from the
    catalog. A sentence the catalog does not know is shown as written."""
    import re

    text = "" if evidence is None else str(evidence)
    patterns = (
        (
            r"not enough data: fewer than (\d+) complete days with (\d+) post\(s\)",
            N_("not enough data: fewer than {0} complete days with {1} post(s)"),
        ),
        (
            r"no other number of posts a day did better than (\d+)/day \((\d+) days\)",
            N_("no other number of posts a day did better than {0}/day ({1} days)"),
        ),
    )
    for pattern, msgid in patterns:
        m = re.fullmatch(pattern, text)
        if m:
            return _(msgid).format(*m.groups())
    return text


PILLAR_METHODS: dict[str, str] = {
    "label": N_("labelled by a person"),
    "rule": N_("matched a keyword or hashtag"),
    "classifier": N_("recognised by the text classifier"),
    "unclassified": N_("no pillar found"),
}


_WINDOW_NOTE = (
    r"(?P<platform>[\w.-]+): the advice reads the posts of (?P<start>\d{4}-\d\d-\d\d) to (?P<end>\d{4}-\d\d-\d\d) "
    r"\((?P<reason>.+); (?P<n>\d+) posts, (?P<judged>\d+) with a figure\); (?P<left>\d+) earlier posts are left out "
    r"of the best times, posts per day and formats"
)
_WINDOW_REASONS = (
    (r"the last (?P<months>\d+) months", "months"),
    (r"the last (?P<months>\d+) months, widened to reach (?P<k>\d+) posts with a figure", "widened"),
    (r"since the date asked for", "since"),
    (r"the whole history: fewer than (?P<k>\d+) posts with a figure", "whole"),
    (r"the whole history", "all"),
)


def _window_note_words(note: str) -> str | None:
    """:meth:`HistoryWindow.note`'s English sentence in the reader's language (``None`` when it is not one)."""
    import re

    from signalboost.analytics.history import HistoryWindow, window_sentence

    m = re.fullmatch(_WINDOW_NOTE, note)
    if m is None:
        return None
    for pattern, how in _WINDOW_REASONS:
        r = re.fullmatch(pattern, m.group("reason"))
        if r is not None:
            parts = r.groupdict()
            day0, day1 = (dt.date.fromisoformat(m.group(k)) for k in ("start", "end"))
            window = HistoryWindow(
                platform=m.group("platform"),
                start=dt.datetime.combine(day0, dt.time(12), tzinfo=dt.UTC),
                end=dt.datetime.combine(day1, dt.time(12), tzinfo=dt.UTC),
                how=how,
                months=int(parts["months"]) if parts.get("months") else None,
                min_posts=int(parts["k"]) if parts.get("k") else 0,
                n_posts=int(m.group("n")),
                n_judged=int(m.group("judged")),
                n_left_out=int(m.group("left")),
            )
            return window_sentence(window)
    return None


def plain_note(note: str) -> str:
    """A note for people: ``metric auto = er_reach (…)`` becomes which rate posts are compared by."""
    window = _window_note_words(note)
    if window is not None:
        return window
    if note.startswith("metric auto = "):
        metric = note.removeprefix("metric auto = ").split(" ", 1)[0]
        return _("Posts are compared by {words} ({metric}), the figure most of the posts report.").format(
            words=metric_words(metric), metric=metric
        )
    return translated_note(note)


#: the analytics' notes (English sentences with figures, ``analytics.analysis``/``timing``) as catalog entries:
#: (pattern, message); a note matching no pattern is shown as written
NOTE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        r"(?P<platform>[\w.-]+): no hour slot is distinguishable from the network mean \(every slot's 95% interval "
        r"includes it\), so no hour is recommended — keep the current hours",
        N_(
            "{platform}: no hour slot is distinguishable from the network mean (every slot's 95% interval includes "
            "it), so no hour is recommended — keep the current hours"
        ),
    ),
    (
        r"(?P<platform>[\w.-]+): no weekday × hour slot stands out from the network mean \((?P<n>\d+) posts; "
        r"between-slot variance 0\), so no slot is recommended — keep the current hours and explore",
        N_(
            "{platform}: no weekday × hour slot stands out from the network mean ({n} posts; between-slot variance "
            "0), so no slot is recommended — keep the current hours and explore"
        ),
    ),
    (
        r"(?P<platform>[\w.-]+): the export gives dates only \(no time of day\), so there is no hour advice — "
        r"day-of-week figures only",
        N_(
            "{platform}: the export gives dates only (no time of day), so there is no hour advice — day-of-week "
            "figures only"
        ),
    ),
    (
        r"(?P<platform>[\w.-]+): (?P<u>\d+) of (?P<n>\d+) posts have a date but no time; they are left out of the "
        r"hours",
        N_("{platform}: {u} of {n} posts have a date but no time; they are left out of the hours"),
    ),
    (
        r"(?P<platform>[\w.-]+): (?P<n>\d+) posts by accounts other than the brand's were left out",
        N_("{platform}: {n} posts by accounts other than the brand's were left out"),
    ),
    (
        r"(?P<platform>[\w.-]+): (?P<n>\d+) reposts \(other accounts' posts shared\) are left out of the pillar mix",
        N_("{platform}: {n} reposts (other accounts' posts shared) are left out of the pillar mix"),
    ),
    (
        r"(?P<platform>[\w.-]+): pillar drift not judged — not enough classified posts: (?P<n>\d+) of "
        r"(?P<total>\d+) match a pillar \(add keywords, hashtags or example posts to the pillars, or label posts\)",
        N_(
            "{platform}: pillar drift not judged — not enough classified posts: {n} of {total} match a pillar (add "
            "keywords, hashtags or example posts to the pillars, or label posts)"
        ),
    ),
    (
        r"(?P<metric>\w+) is compared as a z-score within each account \(a network has several accounts\)",
        N_("{metric} is compared as a z-score within each account (a network has several accounts)"),
    ),
    (
        r"metric auto = interactions \(no network reports more\)",
        N_("Posts are compared by interactions per post: no network reports more."),
    ),
)


def under_count_words(status: str) -> str:
    """What a KPI's interactions leave out, from its status (``ok — partial: shares not in the export`` →
    ``partial: shares not in the export``, in the report's language); ``""`` for a full count."""
    for marker, words in ((" — partial: ", N_("partial: {parts}")), (" — mixed: ", N_("mixed: {parts}"))):
        if marker in status:
            return _(words).format(parts=status.split(marker, 1)[1])
    return ""


def status_words(status: str) -> str:
    """A KPI's status (``no posts on youtube in the window``…, ``analytics.kpis``) in the report's language."""
    import re

    from signalboost.analytics.kpis import NOT_AVAILABLE, RELATIONSHIP

    for marker, words in (
        (" — partial: ", N_("{status} — partial: {parts}")),
        (" — mixed: ", N_("{status} — mixed: {parts}")),
    ):
        if marker in status:
            head, parts = status.split(marker, 1)
            return _(words).format(status=status_words(head), parts=parts)
    m = re.fullmatch(r"no posts(?: on (?P<network>\S+))? in the window", status)
    if m:
        if m.group("network"):
            return _("no posts on {network} in the window").format(network=m.group("network"))
        return _("no posts in the window")
    known = {
        "not reported": N_("not reported"),
        "no follower snapshots": N_("no follower snapshots"),
        NOT_AVAILABLE: N_("not computed by the analytics (no data source yet)"),
        RELATIONSHIP: N_("a relationship KPI, per influencer: see `signalboost outreach kpis --targets`"),
    }
    return _(known[status]) if status in known else _cell(status)


def reposts_left_out_words(n: Any) -> str:
    """What a ``posts`` KPI of the brand's own posts left out (``analytics.kpis``' ``reposts_left_out``):
    ``23 reposts left out (other accounts' posts shared)``; ``""`` when none were."""
    if not n:
        return ""
    count = int(n)
    return ngettext(
        "{n} repost left out (another account's post shared)",
        "{n} reposts left out (other accounts' posts shared)",
        count,
    ).format(n=format_number(count))


def translated_note(note: str) -> str:
    """One of the analytics' notes in the report's language (:data:`NOTE_PATTERNS`; ``interactions = …`` too)."""
    import re

    if note.startswith("interactions = "):
        return _("interactions = {parts}").format(parts=formula_words(note.removeprefix("interactions = ")))
    for pattern, msgid in NOTE_PATTERNS:
        m = re.fullmatch(pattern, note)
        if m:
            return _(msgid).format(**m.groupdict())
    return note


def month_words(month: Any) -> str:
    """``2014-03`` as the month in the report's language: as it is in English, ``mars 2014`` (CLDR) otherwise."""
    from signalboost.i18n import DEFAULT, format_date, language

    if language() == DEFAULT:
        return str(month)
    try:
        day = month if isinstance(month, dt.date) else dt.date.fromisoformat(f"{str(month)[:7]}-01")
    except ValueError:
        return str(month)
    return format_date(day, "MMM y")


def drift_sentence(row: dict[str, Any], names: PillarNames | None = None) -> str:
    """A drifting pillar in the report's language (:func:`signalboost.analytics.pillars.drift_words` in English),
    named as the strategy names it (``names``).

    ``Education: 0 of 500 posts (0 %), 50 were due (10 %) — 50 posts too few``."""
    from signalboost.i18n import language

    if language() == "en":
        return drift_words({**row, "pillar": pillar_word(row["pillar"], names)})
    off = float(row["posts_off"])
    n_off = round(abs(off))
    way = (
        ngettext("{n} post too many", "{n} posts too many", n_off)
        if off > 0
        else ngettext("{n} post too few", "{n} posts too few", n_off)
    )
    return _("{pillar}: {posts} of {total} posts ({share}), {due} were due ({target}) — {way}").format(
        pillar=pillar_word(row["pillar"], names),
        posts=format_number(round(float(row["posts"]))),
        total=format_number(row["n_posts"]),
        share=format_percent(row["share"]),
        due=format_number(round(float(row["expected"]))),
        target=format_percent(row["target"]),
        way=way.format(n=format_number(n_off)),
    )
