"""Write persona drafts into strategy.yaml (round-trip: comments, order and the user's text are kept).

- a large segment no persona matches becomes a new persona with ``draft: true``;
- a persona with ``draft: true`` (written here before) is refreshed from its segment: summary, interests,
  networks, ``last_reviewed``;
- a persona a person wrote (``draft`` absent or false) is never changed, unless ``force``.

``last_reviewed`` is the day the persona was held against the data; with ``review_every_days`` it gives the
review date ``signalboost validate`` warns about once it has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from signalboost.audience.personas import Card, Verdict
from signalboost.i18n import N_, _, format_date, format_number
from signalboost.model.io import StrategyDocument

INTERESTS = 8
"""How many top keywords become a draft's interests."""


@dataclass
class Action:
    """What ``--apply`` did to one persona."""

    persona: str
    action: str  # added / refreshed / kept
    detail: str


def _personas(doc: StrategyDocument) -> CommentedSeq:
    data = doc.data
    if data.get("audience") is None:
        data["audience"] = CommentedMap()
    audience = data["audience"]
    if audience.get("personas") is None:
        audience["personas"] = CommentedSeq()
    seq: CommentedSeq = audience["personas"]
    return seq


def _refresh(node: CommentedMap, card: Card, today: dt.date) -> None:
    from signalboost.audience.personas import describe

    node["summary"] = describe(card.to_dict())  # in the workspace's language
    node["interests"] = CommentedSeq(card.keywords[:INTERESTS])
    node["networks"] = CommentedSeq(card.networks)
    node["last_reviewed"] = today


def _draft(card: Card, today: dt.date, review_every_days: int) -> CommentedMap:
    from signalboost.audience.personas import card_name

    node = CommentedMap()
    node["id"] = card.id
    node["name"] = card_name(card.name)  # in the workspace's language, as the summary
    _refresh(node, card, today)
    node["review_every_days"] = review_every_days
    node["draft"] = True
    return node


def apply_personas(
    doc: StrategyDocument,
    *,
    cards: Sequence[Card],
    verdicts: Sequence[Verdict],
    proposed: Sequence[Card],
    today: dt.date,
    force: bool = False,
    review_every_days: int = 90,
) -> list[Action]:
    """Add drafts for ``proposed`` segments and refresh matched drafts (and, with ``force``, matched personas a
    person wrote) in ``doc``; return what was done. The caller saves the document."""
    seq = _personas(doc)
    by_id: dict[str, Any] = {str(p.get("id")): p for p in seq if isinstance(p, dict)}
    by_segment = {c.segment: c for c in cards}
    actions: list[Action] = []
    for v in verdicts:
        node, card = by_id.get(v.persona), by_segment.get(v.segment) if v.segment is not None else None
        if node is None or card is None:
            continue
        actions.append(_update(node, card, today, force, v.persona))
    for card in proposed:
        node = by_id.get(card.id)
        if node is not None:
            actions.append(_update(node, card, today, force, card.id))
            continue
        seq.append(_draft(card, today, review_every_days))
        by_id[card.id] = seq[-1]
        due = today + dt.timedelta(days=review_every_days)
        detail = _("draft from {n} accounts; review by {date}").format(
            n=format_number(card.size), date=format_date(due)
        )
        actions.append(Action(card.id, "added", detail))
    return actions


def _update(node: Any, card: Card, today: dt.date, force: bool, ident: str) -> Action:
    if node.get("draft") is True or force:
        _refresh(node, card, today)
        detail = _("from segment {segment} ({n} accounts)").format(segment=card.segment + 1, n=format_number(card.size))
        return Action(ident, "refreshed", detail)
    return Action(ident, "kept", _("written by a person: pass --force to refresh it from the data"))


ACTION_WORDS = {"added": N_("added"), "refreshed": N_("refreshed"), "kept": N_("kept")}
"""Action id (JSON) → its word for people."""
