"""Words the reports, the command line and the dashboard share, in the active language: the analytics' vocabulary
(``met``, ``photo``), pillars by the strategy's names (``product`` → ``Produkt``), the engagement metrics, and KPIs
(their metric in words, how the window becomes one figure, a rate's target as a percentage).

A light module (no charts, no polars) so the planner's, the strategy document's and the demo's text can say them as
the report does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from signalboost.i18n import N_, _

if TYPE_CHECKING:
    from signalboost.model.strategy import Kpi, Strategy

#: values the analytics write into their tables (identifiers in JSON) that the report shows as words
VOCABULARY: tuple[str, ...] = (
    N_("met"),
    N_("missed"),
    N_("too early to tell"),
    N_("cannot tell"),
    N_("not measurable yet"),
    N_("up"),
    N_("down"),
    N_("flat"),
    N_("no clear change"),
    N_("n/a"),
    N_("no posts"),
    N_("recommended"),
    N_("exploration"),
    N_("not enough data"),
    N_("no clear difference"),
    N_("unclassified"),
    N_("paid"),
    N_("organic"),
    N_("unknown"),
    N_("photo"),
    N_("video"),
    N_("link"),
    N_("text"),
    N_("status"),
    N_("carousel"),
    N_("story"),
    N_("reel"),
    N_("ok"),
    N_("explore"),
    N_("kept"),
    N_("reach"),
    N_("impressions"),
    N_("followers"),
    N_("likes"),
    N_("comments"),
    N_("shares"),
    N_("reposts"),
    N_("replies"),
    N_("none reported"),
    N_("periods"),
    N_("interactions"),
    N_("more of it"),
    N_("less of it"),
    N_("not distinguishable"),
)


def word(value: str) -> str:
    """A value of the analytics' vocabulary (``met``, ``photo``, ``Monday``…) in the report's language; any other
    text (a pillar id, a network, a person's words) as it is."""
    from signalboost.i18n import DEFAULT, language, weekday_index, weekday_name

    if language() != DEFAULT and (day := weekday_index(value)) is not None:  # names from CLDR, not the catalog
        return weekday_name(day, "abbreviated" if len(value) <= 3 else "wide")
    return _(value) if value in _VOCABULARY_SET else value


_VOCABULARY_SET = frozenset(VOCABULARY)

#: pillar id → the name the strategy gives it (``{}`` without a strategy)
PillarNames = Mapping[str, str]


def pillar_names(strategy: Strategy | None) -> dict[str, str]:
    """The strategy's pillar names by id, built once per report and passed to the sections that show pillars."""
    return {p.id: p.name for p in strategy.pillars} if strategy else {}


def tactic_names(strategy: Strategy | None) -> dict[str, str]:
    """The strategy's tactic names by id (``glodkonkurranse`` → ``Månedens glødkonkurranse``), for the tables and
    pages that show a planned post's tactic (the id stays in JSON and CSV)."""
    return {t.id: t.name for t in strategy.tactics} if strategy else {}


def pillar_word(value: Any, names: PillarNames | None) -> str:
    """A pillar as a reader knows it: the strategy's name for its id (``product`` → ``Produkt``); an id the strategy
    does not name (``unclassified``, a removed pillar) as :func:`word` says it."""
    return "—" if value is None else (names or {}).get(str(value)) or word(str(value))


#: the analytics' engagement metrics in words (``er_reach`` in tables and JSON)
METRIC_WORDS: dict[str, str] = {
    "er_reach": N_("engagement rate by reach"),
    "er_impressions": N_("engagement rate by impressions"),
    "er_followers": N_("engagement rate by followers"),
    "interactions": N_("interactions per post"),
}


def metric_words(metric: str) -> str:
    """``er_reach`` → ``engagement rate by reach`` (in the report's language); other names as they are."""
    words = METRIC_WORDS.get(metric)
    return _(words) if words else metric


#: a KPI's metric (``strategy.yaml`` ``kpis[].metric``, an identifier) in words; the engagement rates say what the
#: analytics' ``er_*`` say
KPI_METRIC_WORDS: dict[str, str] = {
    "followers": N_("followers"),
    "follower_growth": N_("follower growth"),
    "posts": N_("posts"),
    "reach": N_("reach"),
    "impressions": N_("impressions"),
    "likes": N_("likes"),
    "comments": N_("comments"),
    "shares": N_("shares"),
    "saves": N_("saves"),
    "clicks": N_("clicks"),
    "views": N_("views"),
    "interactions": N_("interactions"),
    "engagement_rate_reach": METRIC_WORDS["er_reach"],
    "engagement_rate_impressions": METRIC_WORDS["er_impressions"],
    "engagement_rate_followers": METRIC_WORDS["er_followers"],
    "click_through_rate": N_("click-through rate"),
    "mentions": N_("mentions"),
    "hashtag_uses": N_("uses of the hashtag"),
    "influencer_interactions": N_("influencers' interactions with us"),
    "influencer_amplifications": N_("influencers' reposts and quotes of us"),
    "influencer_engagement_rate": N_("influencers' engagement rate"),
}


#: how a KPI turns its window into one figure (``kpis[].aggregation``), in words
AGGREGATION_LABELS: dict[str, str] = {
    "sum": N_("total over the window"),
    "mean_per_post": N_("mean per post"),
    "median_per_post": N_("median per post"),
    "rate": N_("rate of the window's totals"),
    "last": N_("latest count"),
    "growth": N_("growth over the window"),
}


def kpi_metric_words(metric: str) -> str:
    """A KPI's metric as people say it (``engagement_rate_reach`` → ``engagement rate by reach`` /
    ``engasjementsrate etter rekkevidde``); a metric without a word as it is."""
    words = KPI_METRIC_WORDS.get(str(metric))
    return _(words) if words else str(metric)


def kpi_is_percent(metric: str) -> bool:
    """Whether a KPI's figures and target are fractions shown as percentages: the rates
    (:data:`signalboost.model.vocab.KPI_RATE_METRICS`) and follower growth (``0.05`` is 5 %)."""
    from signalboost.model.vocab import KPI_RATE_METRICS

    return str(metric) in KPI_RATE_METRICS or metric == "follower_growth"


def kpi_target_words(kpi: Kpi) -> str:
    """A KPI's target with its direction as the report writes it: ``≥ 5.00%`` / ``≥ 5,00 %`` for a rate (the
    document's ``0.05``), ``≥ 15,000`` / ``≥ 15 000`` for a count."""
    return kpi_target_text(kpi.metric, kpi.target, kpi.direction)


def kpi_target_text(metric: str, target: float, direction: str) -> str:
    """:func:`kpi_target_words` from a KPI's fields (the dashboard's rows are plain data)."""
    from signalboost.i18n import format_number, format_percent

    sign = "≥" if direction == "at_least" else "≤"
    figure = format_percent(target, digits=2) if kpi_is_percent(metric) else format_number(target)
    return f"{sign} {figure}"


def kpi_measure_words(kpi: Kpi) -> str:
    """What a KPI measures and how, for the strategy document: ``engagement rate by reach (rate of the window's
    totals)``, ``reach (mean per post)`` in the document's language."""
    how = AGGREGATION_LABELS.get(kpi.how)
    metric = kpi_metric_words(kpi.metric)
    return _("{metric} ({how})").format(metric=metric, how=_(how)) if how else metric
