"""Persona cards from segments, and the strategy's personas held against them.

A card describes one segment: its size and share of the audience, its share of the engagement with the brand,
its top keywords, example handles, active hours, what content it responds to, and a suggested persona name and
one-line description.

Matching (persona ↔ segment): the persona's words (name, summary, interests, online places, motivations; stop
words dropped) are compared with the segment's c-TF-IDF keywords. The score is the keyword weight covered,
``Σ w(k) [k matched] / Σ w(k)`` over the segment's keywords, where a keyword is matched by a persona word equal to
it or sharing its first :data:`STEM` letters (a crude stem: "runner"/"running"); it is 0 when the persona lists
networks and the segment's network is not among them. A score of at least :data:`MATCH_AT` is a match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from signalboost.audience.communities import OTHER
from signalboost.audience.text import content_words
from signalboost.i18n import N_, _, format_list, format_number, format_percent
from signalboost.model.strategy import Persona

STEM = 5
"""Letters two words must share at the start to match (when both are at least this long)."""
MATCH_AT = 0.15
"""Minimum score of a persona–segment match."""
PROPOSE_AT = 0.10
"""A segment holding at least this share of the audience and matched by no persona is proposed as a persona."""
UNNAMED = N_("Unnamed segment")
"""The stored name of a segment without keywords: English whatever the run's language (as the run's other stored
words), said in the reader's language by :func:`card_name`."""


@dataclass
class Card:
    """One segment as a persona card (plain data; ``asdict`` gives its JSON)."""

    segment: int
    id: str
    name: str
    description: str
    size: int
    share: float
    engagement: int | None
    engagement_share: float | None
    keywords: list[str]
    weights: list[float]
    handles: list[str]
    active_hours: list[int] | None
    formats: list[dict[str, Any]] = field(default_factory=list)
    pillars: list[dict[str, Any]] = field(default_factory=list)
    example_posts: list[dict[str, Any]] = field(default_factory=list)
    influence_mix: dict[str, float] | None = None
    networks: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The card as JSON-ready data."""
        return asdict(self)


def slug(words: Sequence[str]) -> str:
    """A persona id from words: lower-case ASCII letters, digits and dashes (``audience`` when nothing is left)."""
    import unicodedata

    text = "-".join(words).lower()
    text = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("æ", "ae")).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:48].strip("-")
    return text or "audience"


def hours_words(hours: Sequence[int] | None) -> str:
    """Active hours as ``09:00, 20:00`` (or "not enough data" in the active language)."""
    return ", ".join(f"{h:02d}:00" for h in hours) if hours else _("not enough data")


def suggest(keywords: Sequence[str], size: int, share: float, behaviour: dict[str, Any]) -> tuple[str, str]:
    """A suggested persona name (the top two keywords) and a one-line description from the card's figures."""
    top = [k for k in keywords[:2]]
    name = " & ".join(k.capitalize() for k in top) if top else UNNAMED
    card = {
        "size": size,
        "share": share,
        "keywords": list(keywords),
        "active_hours": (behaviour.get("active") or {}).get("hours"),
        "pillars": behaviour.get("pillars", []),
        "formats": behaviour.get("formats", []),
    }
    return name, describe(card)


def card_name(name: str) -> str:
    """A card's stored name as a person reads it: the keyword-less segment's name (:data:`UNNAMED`, or its
    translation, which versions before 0.x stored when the run was made in another language) in the active
    language; a name made of keywords as it is."""
    return _(UNNAMED) if name in _unnamed_names() else name


def _unnamed_names() -> frozenset[str]:
    from signalboost.i18n import languages, translations

    return frozenset({UNNAMED, *(translations(lang).gettext(UNNAMED) for lang in languages())})


def describe(card: Any) -> str:
    """A card's one-line description in the active language, from its figures (size, share, keywords, active
    hours, what it responds to): the CLI, the report and the dashboard say the same, in the reader's language,
    whatever language the run was stored in."""
    parts = [
        _("{n} accounts ({share} of the audience)").format(
            n=format_number(card["size"]), share=format_percent(card["share"])
        )
    ]
    if card.get("keywords"):
        parts.append(_("talking about {words}").format(words=format_list(list(card["keywords"][:4]))))
    hours = card.get("active_hours")
    if hours:
        parts.append(_("most active around {hours}").format(hours=hours_words(hours[:2])))
    responds = [str(p["value"]) for p in (card.get("pillars") or [])[:1]]
    responds += [_format(str(f["value"])) for f in (card.get("formats") or [])[:1]]
    if responds:
        parts.append(_("respond to {what}").format(what=" / ".join(responds)))
    return "; ".join(parts) + "."


def _format(name: str) -> str:
    from signalboost.competitors.benchmark import format_words

    return format_words(name)


def proposal_words(card: Any) -> str:
    """Why a segment is proposed as a new persona, with its description (``card``: a :class:`Card` or its dict)."""
    c = card if isinstance(card, dict) else card.to_dict()
    return _("segment of {share} of the audience with no persona: {description}").format(
        share=format_percent(c["share"]), description=describe(c)
    )


def build_cards(
    segments: pl.DataFrame,
    keywords: dict[int, list[tuple[str, float]]],
    behaviour: dict[int, dict[str, Any]],
    accounts: pl.DataFrame | None = None,
    *,
    platform: str,
    handles: int = 5,
) -> list[Card]:
    """A card per segment (not "other"), largest first. ``accounts`` (account_id, handle) names example handles:
    the members who engaged most with the brand first (from ``behaviour``), then by handle."""
    total = segments.height
    names = (
        accounts.select(pl.col("account_id").cast(pl.String), "handle")
        if accounts is not None and accounts.height
        else pl.DataFrame(schema={"account_id": pl.String, "handle": pl.String})
    )
    members = segments.with_columns(pl.col("account_id").cast(pl.String)).join(names, on="account_id", how="left")
    cards: list[Card] = []
    used: set[str] = set()
    for seg in sorted(s for s in members["segment"].unique().to_list() if s != OTHER):
        m = members.filter(pl.col("segment") == seg)
        words = [w for w, _ in keywords.get(seg, [])]
        weights = [round(float(x), 6) for _, x in keywords.get(seg, [])]
        b = behaviour.get(seg, {})
        share = m.height / total if total else 0.0
        name, desc = suggest(words, m.height, share, b)
        ident = _unique(slug(words[:2]) if words else f"segment-{seg + 1}", used)
        shown = m.with_columns(pl.coalesce(pl.col("handle").map_elements(lambda h: f"@{h}", pl.String), "account_id"))
        cards.append(
            Card(
                segment=int(seg),
                id=ident,
                name=name,
                description=desc,
                size=m.height,
                share=round(share, 4),
                engagement=b.get("engagement"),
                engagement_share=b.get("engagement_share"),
                keywords=words,
                weights=weights,
                handles=sorted(shown["handle"].to_list())[:handles],
                active_hours=(b.get("active") or {}).get("hours"),
                formats=b.get("formats", []),
                pillars=b.get("pillars", []),
                example_posts=b.get("example_posts", []),
                influence_mix=b.get("influence_mix"),
                networks=[platform],
            )
        )
    return cards


def _unique(ident: str, used: set[str]) -> str:
    out, i = ident, 2
    while out in used:
        out, i = f"{ident}-{i}", i + 1
    used.add(out)
    return out


def persona_words(p: Persona) -> set[str]:
    """The words a persona is described by (name, summary, interests, online places, motivations)."""
    texts = [p.name, p.summary, *p.interests, *p.places.online, p.motivations.like, p.motivations.share]
    return {w for t in texts for w in content_words(t)}


def _matches(word: str, terms: set[str]) -> bool:
    if word in terms:
        return True
    return len(word) >= STEM and any(len(t) >= STEM and t[:STEM] == word[:STEM] for t in terms)


def match_score(persona: Persona, card: Card, weights: Sequence[tuple[str, float]]) -> float:
    """Share of the segment's keyword weight the persona's words cover (0 when the networks disagree)."""
    if persona.networks and not set(persona.networks) & set(card.networks):
        return 0.0
    terms = persona_words(persona)
    total = sum(w for _, w in weights)
    if not total:
        return 0.0
    return sum(w for k, w in weights if _matches(k, terms)) / total


@dataclass
class Verdict:
    """A persona of strategy.yaml held against the segments."""

    persona: str
    segment: int | None
    score: float | None
    share: float | None
    verdict: str


def hold_against(
    personas: Sequence[Persona], cards: Sequence[Card], keywords: dict[int, list[tuple[str, float]]]
) -> tuple[list[Verdict], list[Card]]:
    """Each persona's best segment and verdict, and the large segments (≥ :data:`PROPOSE_AT` of the audience)
    no persona matches — the ones to propose as new personas. Without any segment there is nothing to hold a
    persona against: its verdict is "not enough data" and its score None (not 0)."""
    if not cards:
        why = _(
            "not enough data: the audience could not be split into segments (`signalboost audience segments` says why)"
        )
        return [Verdict(p.id, None, None, None, why) for p in personas], []
    verdicts: list[Verdict] = []
    matched: set[int] = set()
    for p in personas:
        scored = sorted(((match_score(p, c, keywords.get(c.segment, [])), c) for c in cards), key=lambda x: -x[0])
        if scored and scored[0][0] >= MATCH_AT:
            score, card = scored[0]
            matched.add(card.segment)
            text = _("matches a segment of {share} of the audience ({name})").format(
                share=format_percent(card.share), name=card_name(card.name)
            )
            verdicts.append(Verdict(p.id, card.segment, round(score, 3), card.share, text))
        else:
            best = round(scored[0][0], 3) if scored else 0.0
            verdicts.append(Verdict(p.id, None, best, None, _("no segment matches: review it")))
    proposed = [c for c in cards if c.segment not in matched and c.share >= PROPOSE_AT]
    return verdicts, proposed
