"""Curated content for retention: influencers' recent posts that fit our communication pillars.

A post fits a pillar when its text contains one of the pillar's keywords as a whole word (case-insensitive) or
carries one of its hashtags (in the post's hashtags or its text, with or without ``#``). Posts are ranked by the
number of distinct terms matched, then by recency. The result is offered to the calendar's curated slots
(``strategy.curation.share`` of the slots, kind ``curated``): :func:`calendar_offers` gives each open slot of the
saved calendar the best remaining post of its network, and :func:`apply_offers` writes the choice as the slot's
draft (``signalboost outreach curate --offer [--apply]``).

Post text comes from social networks and is untrusted: callers must escape it in HTML and pass it through
``textsafe.csv_safe`` in CSV.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from signalboost.model.strategy import Pillar
from signalboost.store.workspace import Workspace

if TYPE_CHECKING:  # polars is imported where it is used: importing it costs every command ~25 MB
    import polars as pl


@dataclass(frozen=True)
class CuratedPost:
    """One of their posts that fits one or more of our pillars."""

    platform: str
    post_id: str
    author_id: str
    handle: str | None
    created_at: dt.datetime | None
    pillars: list[str]
    matched: list[str]
    url: str | None
    text: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _norm_tag(tag: str) -> str:
    return tag.strip().lstrip("#").lower()


def pillar_matchers(pillars: Sequence[Pillar]) -> list[tuple[str, re.Pattern[str] | None, set[str]]]:
    """Per pillar: (id, a whole-word regex of its keywords or None, its normalised hashtags)."""
    out = []
    for p in pillars:
        words = [w.strip() for w in p.keywords if w.strip()]
        regex = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I) if words else None
        out.append((p.id, regex, {_norm_tag(h) for h in p.hashtags if _norm_tag(h)}))
    return out


def match_post(
    text: str | None, hashtags: Sequence[str] | None, matchers: Sequence[tuple[str, re.Pattern[str] | None, set[str]]]
) -> tuple[list[str], list[str]]:
    """``(pillar ids, matched terms)`` of one post."""
    body = text or ""
    tags = {_norm_tag(h) for h in hashtags or []} | {m.lower() for m in re.findall(r"#(\w+)", body)}
    pillars: list[str] = []
    terms: set[str] = set()
    for pid, regex, ptags in matchers:
        found = {m.lower() for m in regex.findall(body)} if regex else set()
        found |= {f"#{t}" for t in ptags & tags}
        if found:
            pillars.append(pid)
            terms |= found
    return pillars, sorted(terms)


def curate(posts: pl.DataFrame, pillars: Sequence[Pillar], *, limit: int | None = None) -> list[CuratedPost]:
    """The posts that fit a pillar, best first.

    ``posts`` columns: platform, post_id, author_id, handle, created_at, text, hashtags, url.
    """
    matchers = pillar_matchers(pillars)
    found: list[CuratedPost] = []
    for r in posts.iter_rows(named=True):
        ids, terms = match_post(r.get("text"), r.get("hashtags"), matchers)
        if ids:
            found.append(
                CuratedPost(
                    platform=r["platform"],
                    post_id=r["post_id"],
                    author_id=r["author_id"],
                    handle=r.get("handle"),
                    created_at=r.get("created_at"),
                    pillars=ids,
                    matched=terms,
                    url=r.get("url"),
                    text=r.get("text"),
                )
            )
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    found.sort(key=lambda c: (-len(c.matched), -((c.created_at or epoch) - epoch).total_seconds(), c.post_id))
    return found[:limit] if limit is not None else found


CURATION_STAGES: tuple[str, ...] = ("warming", "contacted", "collaborating", "retained")


def curated_candidates(
    ws: Workspace,
    *,
    days: int = 14,
    since: dt.datetime | None = None,
    limit: int | None = 50,
    stages: Sequence[str] = CURATION_STAGES,
) -> list[CuratedPost]:
    """Recent original posts (not replies or reposts) of pipeline influencers that fit the strategy's pillars.

    For the planner's curated slots: ``since`` defaults to ``days`` days before the latest activity or now.
    Without a strategy (no pillars) there is nothing to match: an empty list.
    """
    from signalboost.outreach.kpis import default_end
    from signalboost.store import outreach_sql as sql

    if not ws.has_strategy():
        return []
    pillars = ws.strategy().pillars
    start = since or (default_end(ws) - dt.timedelta(days=days))
    with ws.connect(purpose="read") as con:
        posts = sql.recent_posts_of_pipeline(con, start, stages)
    return curate(posts, pillars, limit=limit)


def offer_to_slots(
    candidates: Sequence[CuratedPost],
    slots: Sequence[tuple[str, str, dt.datetime]],
    *,
    any_network: bool = False,
) -> list[dict[str, Any]]:
    """Offer curated posts to the calendar's curated slots, best candidate first, each post used once.

    ``slots``: ``(slot_id, network, starts_at)``, in calendar order. A slot takes the best remaining candidate of
    its network (any network with ``any_network=True``) published before the slot starts; slots with nothing to
    offer get ``post_id`` None ("not enough curated content"). Returns one row per slot.
    """
    remaining = list(candidates)
    out: list[dict[str, Any]] = []
    for slot_id, network, starts_at in slots:
        pick = next(
            (
                c
                for c in remaining
                if (any_network or c.platform == network) and (c.created_at is None or c.created_at < starts_at)
            ),
            None,
        )
        if pick is not None:
            remaining.remove(pick)
        out.append(
            {
                "slot_id": slot_id,
                "network": network,
                "starts_at": starts_at,
                "platform": pick.platform if pick else None,
                "post_id": pick.post_id if pick else None,
                "handle": pick.handle if pick else None,
                "pillars": pick.pillars if pick else [],
                "url": pick.url if pick else None,
            }
        )
    return out


def calendar_offers(
    ws: Workspace,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    days: int = 14,
    any_network: bool = False,
) -> list[dict[str, Any]]:
    """Offer the best curated candidates to the saved calendar's open curated slots (one row per slot).

    Open slots: posts of kind ``curated`` still untouched (status ``planned``, not moved) from ``start``
    (default: now) to ``end`` (default: open), in calendar order; candidates: :func:`curated_candidates` of the
    last ``days`` days. Each slot takes the best remaining candidate of its network (:func:`offer_to_slots`).
    """
    from signalboost.plan.service import load_plan

    slots = [p for p in load_plan(ws, start or dt.datetime.now(dt.UTC), end) if p.kind == "curated" and not p.touched]
    candidates = curated_candidates(ws, days=days, limit=None)
    rows = offer_to_slots(candidates, [(p.id, p.network, p.scheduled_at) for p in slots], any_network=any_network)
    texts = {(c.platform, c.post_id): c.text for c in candidates}
    local = {p.id: p.local for p in slots}
    for row in rows:
        row["local"] = local[row["slot_id"]]
        row["text"] = texts.get((row["platform"], row["post_id"]))
    return rows


def curated_draft(offer: Mapping[str, Any]) -> str:
    """The draft of a curated slot given one offer: whose post to share, where it is, and to credit them."""
    who = f"@{offer['handle']}" if offer.get("handle") else f"account {offer.get('platform')}"
    where = offer.get("url") or f"{offer.get('platform')} post {offer.get('post_id')}"
    return f"Share {who}'s post (credit them): {where}"


def apply_offers(ws: Workspace, offers: Sequence[Mapping[str, Any]]) -> int:
    """Write each offer with a post as the draft of its curated slot (the slot becomes ``drafted``, so re-planning
    keeps it); return how many slots were filled."""
    from signalboost.plan.service import set_draft

    filled = 0
    for offer in offers:
        if offer.get("post_id"):
            set_draft(ws, str(offer["slot_id"]), curated_draft(offer))
            filled += 1
    return filled
