"""Influence results in words, in the reader's language: segment names and definitions, why a segment is empty,
why a component is unavailable, and the notes of a stored run.

A stored run (table ``influence_runs``) keeps its reasons and notes in English, as data: the same run can be read
in any language. These functions say them in the active language at display time, so the CLI (``signalboost
influencers``), the dashboard and ``signalboost audience`` show the same sentence from one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from signalboost.i18n import N_, _, format_number, format_percent

SEGMENT_WORDS: dict[str, str] = {
    "advocate": N_("advocate"),
    "untapped": N_("untapped"),
    "fan": N_("fan"),
    "thought_leader": N_("thought_leader"),  # the id itself in English: what --segment takes
    "other": N_("other"),
}
"""Segment id (stored, JSON, ``--segment``) → its name for people."""

COMPONENT_WORDS: dict[str, str] = {
    "reach": N_("reach"),
    "authority": N_("authority"),
    "amplification": N_("amplification"),
    "topic": N_("topic"),
    "activity": N_("activity"),
}
"""Score component id → its name for people."""

#: the English texts a stored run can hold (the components' reasons, how the brand and the followers were known);
#: marked here so the catalog has them, and said with :func:`stored_words`
_STORED = (
    N_("no follower counts, no follow graph and no interactions between accounts"),
    N_("no interactions between accounts and no follow graph"),
    N_("no posts and no post counts imported (posts per account unknown)"),
    N_("no account has a known, non-zero number of posts"),
    N_("no hashtags or pillar labels on imported posts"),
    N_(
        "no imported post carries a hashtag of the strategy's pillars (pillars[].hashtags) or a pillar label: add the "
        "hashtags the posts use to the pillars"
    ),
    N_("no dated posts or interactions"),
    N_("known only for the brand's own account (no other account has a value)"),
    N_("no interaction of another account with the brand in the data: nobody is called untapped"),
    N_(
        "the default weights give 0 to every component this data can give, so those are weighed equally "
        "(set influence.weights in strategy.yaml to choose)"
    ),
    N_(
        "every interaction in the data is the brand's own (an account export holds no one else's likes, reposts or "
        "replies): the scores rank the accounts the brand engages with, not their influence"
    ),
    N_("follower counts"),
    N_("follow graph (followers counted)"),
    N_(
        "follower counts (F) and the attention per post by the posts' metrics (P = mean likes + comments + shares), "
        "ranked by (1 + F)(1 + P)"
    ),
    N_("no account received a repost or quote (Instagram, for one, has none): amplification would be 0 for everyone"),
    N_(
        "no interactions between accounts: topic leadership is a PageRank on them, and without edges it would only "
        "count posts on popular hashtags"
    ),
    N_(
        "the distinct accounts interacting (D) and the attention received (A = reposts + quotes + 2 × (replies + "
        "mentions)), ranked by (1 + D)(1 + A) (no follower counts or follow graph imported)"
    ),
    N_("follow graph"),
    N_("interacted with the brand (no follow edges to the brand imported)"),
    N_("every account of the platform (no brand account known)"),
    N_("accounts.is_brand"),
    N_("the graph has no edges"),
    N_("no resolution gives two segments of the minimum size"),
    N_("no follows, interactions or texts among the audience: nothing to segment on"),
    N_("no influence scores stored: run `signalboost influencers` for the influence-segment mix"),
    # the predictors of the calibration backtest (signalboost.influence.backtest)
    N_("influence score (default weights)"),
    N_("influence score (calibrated weights)"),
    N_("in-degree (distinct accounts interacting)"),
    N_("interactions received"),
    N_("plain PageRank"),
    N_("follower count"),
    # where a profile's posts come from (signalboost.influence.profile)
    N_("posts"),
    N_("interactions"),
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^brand account: (?P<account>.+?) \((?P<how>.+)\)$"), N_("brand account: {account} ({how})")),
    (re.compile(r"^reach from (?P<how>.+)$"), N_("reach from {how}")),
    (re.compile(r"^strategy\.yaml brand\.handles\.(?P<platform>\S+)$"), N_("strategy.yaml brand.handles.{platform}")),
    (
        re.compile(r"^brand\.handles\.(?P<platform>\S+) = (?P<handle>.+) is not in the imported data$"),
        N_("brand.handles.{platform} = {handle} is not in the imported data"),
    ),
    (
        re.compile(r"^no brand account for (?P<platform>.+) \(set brand\.handles\.\S+ in strategy\.yaml\)$"),
        N_("no brand account for {platform} (set brand.handles.{platform} in strategy.yaml)"),
    ),
)


def stored_words(text: str | None) -> str:
    """A reason or note of a stored run (English, as stored) in the active language; text it does not know (a
    person's words, a newer message) comes back as it is."""
    if not text:
        return ""
    for pattern, msgid in _PATTERNS:
        m = pattern.match(text)
        if m:
            parts = {k: stored_words(v) if k == "how" else v for k, v in m.groupdict().items()}
            if "platform" in parts:
                parts["platform"] = parts["platform"].strip("'")
            return _(msgid).format(**parts)
    return _(text)


def segment_words(segment: str | None) -> str:
    """A segment id (``thought_leader``) as its name in the active language (``meningsleder``)."""
    if segment is None:
        return "—"
    return _(SEGMENT_WORDS[segment]) if segment in SEGMENT_WORDS else segment


def component_words(component: str) -> str:
    """A score component id (``reach``) as its name in the active language."""
    return _(COMPONENT_WORDS[component]) if component in COMPONENT_WORDS else component


def weights_words(weights: Mapping[str, float]) -> str:
    """``reach 30 %, authority 20 %, …``: the non-zero weights of the score, in the active language."""
    return ", ".join(f"{component_words(c)} {format_percent(w)}" for c, w in weights.items() if w > 0)


def segment_definitions(
    settings: Mapping[str, Any], follows_from_graph: bool, *, engagement_seen: bool = True
) -> list[str]:
    """The segments in plain words, with the run's thresholds (the CLI footer and the dashboard; the same as
    docs/influence.md). Without a follow graph the thought leaders are pointed to instead of the untapped — unless
    no other account's interaction with the brand is in the data (``engagement_seen`` false): then nobody is known
    to follow the brand and there are no thought leaders beyond either."""
    it = format_number(float(settings.get("influence_threshold", 70)))
    et = format_number(float(settings.get("engagement_threshold", 1)))
    tol = format_number(int(settings.get("untapped_tolerance", 0)))
    days = format_number(settings.get("engagement_window_days", 90))
    untapped = (
        _(
            "untapped = follows you, score ≥ {it}, at most {tol} interaction(s) with you in the last {days} days "
            "— approach first"
        )
        if follows_from_graph
        else _(
            "untapped = not shown: with no follow graph, a follower who never interacted cannot be told apart "
            "from a stranger — see the thought leaders beyond instead"
        )
        if engagement_seen
        else _(
            "untapped = not shown: with no follow graph, a follower who never interacted cannot be told apart "
            "from a stranger"
        )
    ).format(it=it, tol=tol, days=days)
    return [
        _(
            "influential = score ≥ {it}; engaged = {et}+ interactions with you (or your posts) in the last {days} "
            "days, counted (the decayed engagement is shown beside)."
        ).format(it=it, et=et, days=days),
        _(
            "advocate = influential and engaged; {untapped}; fan = engaged, not influential; thought_leader = does "
            "not follow you and not engaged, score (or topic leadership) ≥ {it}, reposted/mentioned/followed by your "
            "followers."
        ).format(untapped=untapped, it=it),
    ]


def empty_segment_reasons(
    counts: Mapping[str, int],
    *,
    follows_source: str | None,
    brand: bool,
    settings: Mapping[str, object],
    engagement_seen: bool = True,
) -> dict[str, str]:
    """Why each segment with no account is empty, in plain words in the active language (the CLI footer and the
    dashboard)."""
    from signalboost.influence.segments import FOLLOWS_FROM_GRAPH, SEGMENTS

    if not brand:
        return {s: _("no brand account set: segments need one") for s in SEGMENTS if s != "other"}
    it = format_number(float(settings.get("influence_threshold", 70)))  # type: ignore[arg-type]
    et = format_number(float(settings.get("engagement_threshold", 1)))  # type: ignore[arg-type]
    from_graph = follows_source == FOLLOWS_FROM_GRAPH
    unseen = _(
        "no other account's interactions with the brand are in the data, so engagement with the brand is unknown "
        "(not 0) and nobody is counted as engaged"
    )
    reasons = {
        "advocate": unseen
        if not engagement_seen
        else _("no account with score ≥ {it} interacted with the brand {et}+ times in the window"),
        "untapped": (
            _(
                "no follow graph to the brand: a follower who never interacted cannot be told apart from a stranger "
                "(see the thought leaders beyond instead)"
            )
            if engagement_seen
            else _("no follow graph to the brand: a follower who never interacted cannot be told apart from a stranger")
        )
        if not from_graph
        else _(
            "no one's interactions with the brand are in the data (an account export holds only the brand's own): "
            "a follower who never interacted cannot be told apart from one who interacts every day"
        )
        if not engagement_seen
        else _("every follower with score ≥ {it} interacted with the brand in the window"),
        "fan": unseen
        if not engagement_seen
        else _("every account that interacted {et}+ times with the brand in the window scores ≥ {it}")
        if counts.get("advocate", 0)
        else _("no account interacted with the brand {et}+ times in the window"),
        "thought_leader": _(
            "nobody is known to follow the brand (no follow graph to it, and no other account's interactions with "
            "it in the data), so no account is two hops out"
        )
        if not from_graph and not engagement_seen
        else _(
            "no account two hops out (reached by the brand's followers) scores ≥ {it} in the brand's topics "
            "without engaging already"
        ),
    }
    return {s: why.format(it=it, et=et) for s, why in reasons.items() if counts.get(s, 0) == 0}
