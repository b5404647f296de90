"""The publishing calendar planned from the strategy: slots, tactics, curated content, pillars, drafts.

Steps (each documented in its module): weekly slots in the brand's zone (:mod:`.slots`); tactic occurrences
from their RRULE (:mod:`.recurrence`) placed on the nearest free slot or on an added one; a share of the
remaining slots reserved for curated influencer content, spread evenly (Bresenham: slot ``k`` of a network is
curated when ``floor((k+1)·s) > floor(k·s)``); pillars apportioned over own and tactic posts (:mod:`.apportion`);
format, KPIs and draft from the matching example post.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from signalboost.errors import PlanError
from signalboost.i18n import L_, Ln_
from signalboost.model.strategy import Example, Strategy, Tactic
from signalboost.plan.apportion import Item, apportion, check_weights, discrepancy, forcing_sources
from signalboost.plan.formats import closest_format
from signalboost.plan.posts import Kind, PlannedPost, plan_id, slot_key
from signalboost.plan.recurrence import next_occurrence, occurrence_dates
from signalboost.plan.slots import Slot, SlotNote, resolve_local, weekly_slots

MAX_WEEKS = 260
NEAR = dt.timedelta(days=3, hours=12)
"""A ``nearest-slot`` tactic takes a free slot at most half a week from its occurrence; else a slot is added."""


@dataclass
class PlanResult:
    """The planned posts (time order) and what a person should know about them."""

    posts: list[PlannedPost]
    start: dt.date
    end: dt.date
    notes: list[str] = field(default_factory=list)
    dst: list[SlotNote] = field(default_factory=list)
    discrepancy: tuple[float, float] = (0.0, 0.0)
    """Largest |count − weight·posts| over all prefixes: (plan-wide, worst network)."""
    forced_mix: dict[str, tuple[float, list[str]]] = field(default_factory=dict)
    """Networks whose fixed posts make ±1 impossible: (lowest achievable discrepancy, what fixes them)."""


def period(start: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """``(start, end)`` of ``weeks`` weeks from ``start``; ``end`` excluded."""
    if weeks < 1 or weeks > MAX_WEEKS:
        raise PlanError(
            L_("cannot plan {weeks} weeks", weeks=weeks),
            where="--weeks",
            hint=L_("Plan between 1 and {max_weeks} weeks", max_weeks=MAX_WEEKS),
        )
    return start, start + dt.timedelta(weeks=weeks)


def plan_calendar(
    strategy: Strategy,
    start: dt.date,
    weeks: int,
    *,
    keep: Iterable[PlannedPost] = (),
    skip_empty_tactics: bool = False,
) -> list[PlannedPost]:
    """The planned posts of ``weeks`` weeks from ``start`` (see :func:`make_plan`)."""
    return make_plan(strategy, start, weeks, keep=keep, skip_empty_tactics=skip_empty_tactics).posts


def make_plan(
    strategy: Strategy,
    start: dt.date,
    weeks: int,
    *,
    keep: Iterable[PlannedPost] = (),
    skip_empty_tactics: bool = False,
) -> PlanResult:
    """Plan ``weeks`` weeks from ``start`` (local dates in the brand's zone).

    ``keep``: posts a person touched; they stay as they are, their slots are not planned again, and their
    pillars count in the mix. A tactic whose RRULE has no occurrence in the period is a :class:`PlanError`
    unless ``skip_empty_tactics`` (then it is noted).
    """
    begin, end = period(start, weeks)
    weights = strategy.pillar_weights()
    check_weights(weights)
    tz = strategy.tz()
    kept = {p.id: p for p in keep}
    kept_slots = {(p.network, p.slot) for p in kept.values()}
    result = PlanResult(posts=[], start=begin, end=end)
    slots = _network_slots(strategy, tz, begin, end, result)
    free = {
        net: [s for s in ss if not kept_slots or (net, slot_key(s.day, s.time)) not in kept_slots]
        for net, ss in slots.items()
    }
    drafts: list[_Draft] = []
    for tactic_index, tactic in enumerate(strategy.tactics):
        drafts += _place_tactic(strategy, tactic, tactic_index, tz, begin, end, free, skip_empty_tactics, result)
    drafts += _own_and_curated(strategy, slots, free)
    drafts = [d for d in drafts if d.id not in kept]
    _assign_pillars(drafts, list(kept.values()), weights, result)
    posts = [_finish(strategy, d, result) for d in drafts] + [p for p in kept.values() if begin <= p.local.date() < end]
    order = {n: i for i, n in enumerate(slots)}
    posts.sort(key=lambda p: (p.scheduled_at, order.get(p.network, len(order)), p.id))
    result.posts = posts
    return result


@dataclass
class _Draft:
    """A post being planned (mutable until finished)."""

    id: str
    network: str
    kind: Kind
    at: dt.datetime
    slot: str
    tactic: Tactic | None = None
    pillars: tuple[str, ...] = ()
    note: str | None = None


def _network_slots(
    strategy: Strategy, tz: ZoneInfo, start: dt.date, end: dt.date, result: PlanResult
) -> dict[str, list[Slot]]:
    """Slots of every scheduled network; a network without slots is an error."""
    found: dict[str, list[Slot]] = {}
    for net, sched in strategy.schedule.networks.items():
        if sched.slots_per_week() == 0:
            if sched.min_posts_per_week == 0:
                result.notes.append(L_("{net}: no slots and a minimum of 0 posts a week; not planned", net=net))
                continue
            raise PlanError(
                L_("network {net!r} has no slots in its weekly schedule", net=net),
                where=f"strategy.yaml (schedule.networks.{net}.slots)",
                hint=L_('Add slots, e.g. slots: {{mon: ["09:00"]}}, or set min_posts_per_week: 0'),
            )
        if sched.slots_per_week() < sched.min_posts_per_week:
            result.notes.append(
                L_(
                    "{net}: {slots} slots a week, below the minimum of {minimum}",
                    net=net,
                    slots=sched.slots_per_week(),
                    minimum=sched.min_posts_per_week,
                )
            )
        slots, notes = weekly_slots(net, sched.slot_times(), tz, start, end)
        found[net] = slots
        result.dst += notes
        result.notes += [n.message() for n in notes]
    for net in strategy.network_ids():
        if net not in found and net not in strategy.schedule.networks:
            result.notes.append(L_("{net}: in the ecosystem but has no schedule; not planned", net=net))
    if not found:
        raise PlanError(
            L_("the strategy schedules no network"),
            where="strategy.yaml (schedule.networks)",
            hint=L_("Add a network with its weekly slots under schedule.networks"),
        )
    return found


def _place_tactic(
    strategy: Strategy,
    tactic: Tactic,
    index: int,
    tz: ZoneInfo,
    start: dt.date,
    end: dt.date,
    free: dict[str, list[Slot]],
    skip_empty: bool,
    result: PlanResult,
) -> list[_Draft]:
    """Tactic posts for every occurrence of ``tactic`` in the period (taking or adding slots)."""
    days = occurrence_dates(tactic.rrule, start, end)
    if not days:
        after = next_occurrence(tactic.rrule, end)
        fields = {"tactic": tactic.id, "rule": tactic.rrule, "first": start, "last": end - dt.timedelta(days=1)}
        what = (
            L_(
                "tactic {tactic!r} ({rule}) has no occurrence from {first:day} to {last:day}; its next occurrence is "
                "{next:day}",
                next=after,
                **fields,
            )
            if after
            else L_(
                "tactic {tactic!r} ({rule}) has no occurrence from {first:day} to {last:day}; the rule has ended",
                **fields,
            )
        )
        if skip_empty:
            result.notes.append(what)
            return []
        raise PlanError(
            what,
            where=f"strategy.yaml (tactics.{index}.rrule)",
            hint=L_("Plan a longer period (--weeks), fix the RRULE, or pass --skip-empty-tactics"),
        )
    networks = tactic.networks or list(free)
    at_time = dt.time.fromisoformat(tactic.time)
    out: list[_Draft] = []
    for day in days:
        target, case = resolve_local(day, at_time, tz)
        for net in networks:
            slots = free.get(net, [])
            taken = _nearest(slots, target) if tactic.placement == "nearest-slot" else _exact(slots, target)
            if taken is not None and abs(taken.at - target) > NEAR:
                result.notes.append(
                    L_(
                        "{net}: no free slot within 3½ days of tactic {tactic} on {day}; a slot was added at {time}",
                        net=net,
                        tactic=tactic.id,
                        day=day,
                        time=tactic.time,
                    )
                )
                taken = None
            if taken is not None:
                slots.remove(taken)
                key = slot_key(taken.day, taken.time)
                out.append(_Draft(plan_id(net, key, "tactic", tactic.id), net, "tactic", taken.at, key, tactic))
                continue
            if net not in free:
                note = L_(
                    "{net}: tactic {tactic} runs there but the network has no schedule; its posts are added",
                    net=net,
                    tactic=tactic.id,
                )
                if note not in result.notes:
                    result.notes.append(note)
            key = slot_key(day, at_time)
            draft = _Draft(plan_id(net, key, "tactic", tactic.id), net, "tactic", target, key, tactic)
            if case is not None:
                dst = SlotNote(net, dt.datetime.combine(day, at_time), target, case)
                result.dst.append(dst)
                result.notes.append(dst.message())
                draft.note = f"daylight saving: {case} local time"
            out.append(draft)
    return out


def _nearest(slots: Sequence[Slot], target: dt.datetime) -> Slot | None:
    """The slot nearest ``target`` in time (the earlier one on a tie)."""
    if not slots:
        return None
    return min(slots, key=lambda s: (abs((s.at - target).total_seconds()), s.at))


def _exact(slots: Sequence[Slot], target: dt.datetime) -> Slot | None:
    return next((s for s in slots if s.at == target), None)


def _own_and_curated(strategy: Strategy, all_slots: dict[str, list[Slot]], free: dict[str, list[Slot]]) -> list[_Draft]:
    """The free slots: a share curated (spread evenly over the network's slots), the rest own posts.

    The spreading counts every slot of the network (taken or not), so touching or moving one post does not
    shift which other slots are curated.
    """
    share = strategy.curation.share
    curated_nets = set(strategy.curation.networks or free)
    out: list[_Draft] = []
    for net, slots in all_slots.items():
        open_slots = set(map(id, free[net]))
        for k, slot in enumerate(slots):
            if id(slot) not in open_slots:
                continue
            curated = net in curated_nets and math.floor((k + 1) * share + 1e-9) > math.floor(k * share + 1e-9)
            kind: Kind = "curated" if curated else "own"
            key = slot_key(slot.day, slot.time)
            note = f"daylight saving: {slot.dst} local time" if slot.dst else None
            out.append(_Draft(plan_id(net, key, kind), net, kind, slot.at, key, note=note))
    return out


def _assign_pillars(
    drafts: list[_Draft], kept: list[PlannedPost], weights: dict[str, float], result: PlanResult
) -> None:
    """Apportion pillars over own and tactic posts in calendar order (kept posts count as fixed)."""
    entries: list[tuple[dt.datetime, str, _Draft | None, tuple[str, ...] | None, str | None]] = []
    for d in drafts:
        if d.kind == "curated":
            continue
        fixed = tuple(d.tactic.pillars) if d.tactic is not None and d.tactic.pillars else None
        entries.append((d.at, d.network, d, fixed, f"tactic {d.tactic.id}" if fixed and d.tactic else None))
    for p in kept:
        if p.pillars:
            entries.append((p.scheduled_at, p.network, None, p.pillars, "posts edited by hand"))
    entries.sort(key=lambda e: (e[0], e[1]))
    items = [Item(net, fixed, source) for _, net, _, fixed, source in entries]
    pillars = apportion(items, weights)
    for (_, _, draft, _, _), ps in zip(entries, pillars, strict=True):
        if draft is not None:
            draft.pillars = ps
    result.discrepancy = discrepancy(items, pillars, weights)
    forced = forcing_sources(items, weights) if result.discrepancy[1] > 1 + 1e-6 else {}
    result.forced_mix = forced
    for net, (lowest, sources) in forced.items():
        result.notes.append(forced_note(net, lowest, sources))
    if result.discrepancy[0] > 1 + 1e-6 or (result.discrepancy[1] > 1 + 1e-6 and not forced):
        per_net = {}
        for net in dict.fromkeys(item.group for item in items):
            pairs = [(i, p) for i, p in zip(items, pillars, strict=True) if i.group == net]
            per_net[net] = discrepancy([i for i, _ in pairs], [p for _, p in pairs], weights)[1]
        worst = max(per_net, key=lambda n: per_net[n])
        if not forced and per_net[worst] <= 1 + 1e-6:
            result.notes.append(
                L_(
                    "the whole plan's pillar mix strays up to {plan:.2f} posts from the weights (within the limit "
                    "of 2) so that each network keeps its own mix as close as its posts allow (furthest: {worst} "
                    "{network:.2f})",
                    plan=result.discrepancy[0],
                    worst=worst,
                    network=per_net[worst],
                )
            )
            return
        fields = {"plan": result.discrepancy[0], "worst": worst, "network": per_net[worst]}
        result.notes.append(
            L_(
                "the pillar mix strays more than one post from the weights (plan-wide {plan:.2f}, {worst} "
                "{network:.2f}); the networks' fixed posts above force it",
                **fields,
            )
            if forced
            else L_(
                "the pillar mix strays more than one post from the weights (plan-wide {plan:.2f}, {worst} "
                "{network:.2f})",
                **fields,
            )
        )


def forced_mix(strategy: Strategy, start: dt.date, weeks: int = 12) -> dict[str, tuple[float, list[str]]]:
    """Networks where fixed tactic pillars make the ±1 pillar bound impossible over ``weeks`` weeks from
    ``start``: ``{network: (lowest achievable discrepancy, ["tactic <id>", …])}`` (used by ``validate``)."""
    try:
        return make_plan(strategy, start, weeks, skip_empty_tactics=True).forced_mix
    except PlanError:
        return {}


def forced_note(network: str, lowest: float, sources: Sequence[str]) -> str:
    """Why a network's mix cannot stay within one post of the weights, and what to change."""
    return Ln_(
        "{network}: {sources} fixes pillars on so many posts that the mix cannot stay within 1 post of the weights "
        "(lowest possible {lowest:.1f} posts, planned at that); give the tactic more pillars or fewer dates, raise "
        "those pillars' weights, or post more on {network}",
        "{network}: {sources} fix pillars on so many posts that the mix cannot stay within 1 post of the weights "
        "(lowest possible {lowest:.1f} posts, planned at that); give the tactics more pillars or fewer dates, "
        "raise those pillars' weights, or post more on {network}",
        len(sources),
        network=network,
        sources=", ".join(sources),
        lowest=lowest,
    )


def _finish(strategy: Strategy, d: _Draft, result: PlanResult) -> PlannedPost:
    """The planned post with its format, KPIs and draft from the matching example.

    The format is one the network's ecosystem entry lists (:func:`.formats.closest_format`); a substitution is
    noted once per network, source and format.
    """
    example = _example(strategy, d)
    tactic = d.tactic
    fmt = example.format if example else _default_format(strategy, d.network)
    if example is not None:
        fmt, why = closest_format(example.format, _listed_formats(strategy, d.network))
        if why is not None:
            what = tactic.id if tactic is not None else example.pillar
            fields = {"net": d.network, "format": example.format, "planned": fmt, "why": why, "what": what}
            written = example.network != d.network
            note = (
                L_("{net}: the tactic {what} example is a {format}; planned as {planned}, {why}", **fields)
                if tactic is not None and not written
                else L_("{net}: the pillar {what} example is a {format}; planned as {planned}, {why}", **fields)
                if not written
                else L_(
                    "{net}: the tactic {what} example is a {format} (written for {other}); planned as {planned}, {why}",
                    other=example.network,
                    **fields,
                )
                if tactic is not None
                else L_(
                    "{net}: the pillar {what} example is a {format} (written for {other}); planned as {planned}, {why}",
                    other=example.network,
                    **fields,
                )
            )
            if note not in result.notes:
                result.notes.append(note)
    return PlannedPost(
        id=d.id,
        network=d.network,
        kind=d.kind,
        scheduled_at=d.at.astimezone(dt.UTC),
        timezone=strategy.brand.timezone,
        slot=d.slot,
        format=fmt,
        pillars=d.pillars,
        tactic=tactic.id if tactic else None,
        kpis=_kpis(strategy, example, d),
        draft=_draft_text(example, d),
        note=d.note,
    )


def _kpis(strategy: Strategy, example: Example | None, d: _Draft) -> tuple[str, ...]:
    """The KPIs a post serves, only those measured on its network (or on all networks): its example's, else
    its tactic's, else the first KPI of its network, else the first KPI for all networks.

    A tactic example written for Instagram lists Instagram KPIs; the tactic's TikTok post does not serve them.
    KPI ids the strategy does not define are kept (``signalboost validate`` reports them).
    """
    scope = {k.id: k.network for k in strategy.kpis}

    def here(ids: Sequence[str]) -> tuple[str, ...]:
        return tuple(i for i in ids if scope.get(i) in (None, d.network))

    for ids in (example.kpis if example is not None else [], d.tactic.kpis if d.tactic is not None else []):
        found = here(ids)
        if found:
            return found
    for network in (d.network, None):
        first = next((k.id for k in strategy.kpis if k.network == network), None)
        if first is not None:
            return (first,)
    return ()


def _example(strategy: Strategy, d: _Draft) -> Example | None:
    if d.tactic is not None:
        tid = d.tactic.id
        return next((e for e in strategy.examples if e.tactic == tid and e.network == d.network), None) or next(
            (e for e in strategy.examples if e.tactic == tid), None
        )
    if d.kind == "curated":
        return None
    for pillar in d.pillars:
        found = next((e for e in strategy.examples if e.pillar == pillar and e.network == d.network), None)
        if found is not None:
            return found
    return None


def _listed_formats(strategy: Strategy, network: str) -> list[str]:
    """The formats the network's ecosystem entry lists (empty: no entry, or no formats given)."""
    return next((list(r.formats) for r in strategy.ecosystem if r.network == network and r.formats), [])


def _default_format(strategy: Strategy, network: str) -> str:
    """The network's first listed format, else ``text``."""
    listed = _listed_formats(strategy, network)
    return listed[0] if listed else "text"


def _draft_text(example: Example | None, d: _Draft) -> str:
    if example is not None:
        return example.text
    if d.kind == "curated":
        return "Share content curated from an influencer you follow (credit them)."
    if d.tactic is not None:
        parts = [d.tactic.name, d.tactic.mechanics, d.tactic.hashtag]
        return " — ".join(p for p in parts if p)
    return ""
