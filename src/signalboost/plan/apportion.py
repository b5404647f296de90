"""Pillar apportionment: which pillar each post of the calendar serves.

The target is the pillars' weights (fractions summing to 1). Posts come in calendar order, each on a network.
For a pillar ``i`` of weight ``w_i``, let ``C_i(N)`` be its count among the first ``N`` posts of the whole plan
and ``c_ij(n)`` its count among the first ``n`` posts of network ``j`` (a post serving ``k`` pillars counts
``1/k`` to each). The deviation of a network is ``max |c_ij(n) − w_i·n|`` over its prefixes and pillars, the
plan-wide deviation ``max |C_i(N) − w_i·N|``.

The rule, lexicographic (issue #14): **every network at its optimum** ``B*_j`` — the lowest deviation any
allocation of its free posts reaches given its fixed posts, computed exactly (:mod:`signalboost.plan.optimum`;
below 1 without fixed posts, Tijdeman, "The chairman assignment problem", Discrete Math. 32, 1980) — and,
among those allocations, the **lowest plan-wide deviation the search finds** on the ladder 1, 1.2, …, 2.
When no allocation at every network's optimum stays within 2 plan-wide (many networks with a handful of posts
each, whose optima all want the same pillar), the quota rule of sequential apportionment holds instead
(Balinski & Young, "The Quota Method of Apportionment", Amer. Math. Monthly 82, 1975): each network within
``max(1, B*_j)``, plan-wide within 1, else 1.5, else 2. Measured on the 5 templates × 4/12/26 weeks: every
network (36 of 36) at its optimum, plan-wide at most 1.6 (the quota rule before reached 5 of 36, plan-wide 1.0).
On random plans the price is a plan-wide deviation above 1 in most 3-network cases (max 2.0, 300 seeded cases).

Method (deterministic, no random draws): posts are decided in calendar order by a depth-first search. At
each post, with ``N`` and ``n`` counting the post itself, the deficits are ``d_i = w_i·N − C_i`` (plan) and
``e_i = w_i·n − c_ij`` (network). Pillars are tried in the order of the potential they leave,
``Φ = Σ_i cosh(λ·(d_i + w_i/2)) + Σ_i cosh(λ·(e_i + w_i/2))`` — the multiplicative-weights potential of
discrepancy theory (Spencer, "Six standard deviations suffice", 1985), which grows fast as any pillar nears a
bound on either level; the ``w_i/2`` centres each deficit in the band it moves through before the next post.
A choice is kept only if every pillar stays within its bounds on both levels and, at the optimum, the network
can still end at ``B*_j`` (:class:`_Oracle`: the network's monotone count bounds, then earliest-deadline-first
on its remaining posts); when no pillar fits, the search goes back to the latest choice with an alternative.
Each attempt is bounded (3 steps a post); the first rung is restarted with a deterministic jitter on the
order (up to 13 attempts, λ = 2). The planner reports the plan-wide deviation whenever it exceeds 1.

To avoid the same pillar twice in a row on a network, the previous pillar yields to the next candidate when
it can wait one more post and the network can still reach its optimum (at ``B*`` some repeats can be forced:
50/30/20 over 10 posts needs one; the tests check the planner makes no more than the fewest possible).

Posts whose pillars are fixed (tactic posts naming pillars, posts a person already touched) count as they
are; the other posts compensate around them, and make room ahead of them (fixed shares due within the next
``⌈1/w_i⌉`` posts are counted in the deficits that order the choices). If the fixed posts themselves overfill
a pillar (a weekly giveaway for a 5 % pillar on a network with 3 posts a week) no sequence can keep the
bound: that network's ``B*`` is above 1 and planned exactly (if both searches fail, a guided pass,
:func:`_guided`, reaches every network's bound for sure while keeping the plan-wide mix as balanced as the
fixed posts let it); :func:`forcing_sources` names the fixed posts (``Item.source``, e.g. ``tactic giveaway``)
that force the excess.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from signalboost.errors import PlanError
from signalboost.i18n import L_
from signalboost.plan.optimum import bounds, edf_from, lowest_discrepancy

EPS = 1e-9
INF = float("inf")
CENTRE = 0.5
LOOKAHEAD = 0
LAMBDA = 2.0
"""λ of the potential."""
RESTARTS = 13
"""Searches with both bounds before relaxing: the first in potential order, the others with a deterministic
jitter of ±JITTER/2 on the potential changes (restarts cut the heavy tail of backtracking searches; Gomes,
Selman & Kautz, "Boosting combinatorial search through randomization", AAAI 1998)."""
JITTER = 2.0
BUDGET = 3
"""Search steps per post allowed to each attempt."""
AT_OPTIMUM: tuple[tuple[float, float | None, int], ...] = (
    (1.0, LAMBDA, RESTARTS),
    (1.2, LAMBDA, 1),
    (1.4, LAMBDA, 1),
    (1.6, LAMBDA, 1),
    (1.8, LAMBDA, 1),
    (2.0, LAMBDA, 1),
)
"""(plan-wide bound, λ, attempts) tried in turn with every network held at its optimum B*."""
QUOTA: tuple[tuple[float, float | None, int], ...] = (
    (1.0, LAMBDA, RESTARTS),
    (1.0, None, 1),
    (1.5, LAMBDA, 1),
    (2.0, LAMBDA, 1),
)
"""The same with each network held within ``max(1, B*)`` instead, when no allocation at B* was found within 2
plan-wide (λ None: earliest-deadline order)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One post to apportion: its network (``group``), if fixed its pillars, and what fixed them (``source``,
    e.g. ``tactic giveaway``), named when it forces the mix off its weights."""

    group: str
    forced: tuple[str, ...] | None = None
    source: str | None = None


def check_weights(weights: Mapping[str, float]) -> None:
    """Raise :class:`PlanError` unless the weights are non-negative fractions summing to 1."""
    if not weights:
        raise PlanError(
            L_("the strategy has no pillars"), where="strategy.yaml (pillars)", hint=L_("Add pillars with weights")
        )
    total = sum(weights.values())
    if any(w < 0 for w in weights.values()) or abs(total - 1.0) > 1e-4:
        raise PlanError(
            L_("pillar weights sum to {total}, not 100", total=round(total * 100, 6)),
            where="strategy.yaml (pillars.*.weight)",
            hint=L_("Change the weights so they sum to 100 (e.g. 40/30/20/10)"),
        )


class _State:
    """Running counts of the apportionment (plan-wide and per network), with undo for the search."""

    def __init__(self, pillars: list[str], groups: dict[str, int]) -> None:
        self.index = {p: k for k, p in enumerate(pillars)}
        self.total = 0
        self.count = [0.0] * len(pillars)
        self.n: dict[str, int] = dict.fromkeys(groups, 0)
        self.c: dict[str, list[float]] = {g: [0.0] * len(pillars) for g in groups}

    def push(self, group: str, shares: Mapping[int, float]) -> None:
        self.total += 1
        self.n[group] += 1
        for k, share in shares.items():
            self.count[k] += share
            self.c[group][k] += share

    def pop(self, group: str, shares: Mapping[int, float]) -> None:
        self.total -= 1
        self.n[group] -= 1
        for k, share in shares.items():
            self.count[k] -= share
            self.c[group][k] -= share

    def within(self, group: str, w: list[float], plan_bound: float, net_bounds: Mapping[str, float] | float) -> bool:
        """True if every pillar is within the bounds of its quota, plan-wide and on ``group``."""
        net_bound = net_bounds if isinstance(net_bounds, float | int) else net_bounds[group]
        n, c = self.n[group], self.c[group]
        for k, wk in enumerate(w):
            if abs(wk * self.total - self.count[k]) > plan_bound + EPS or abs(wk * n - c[k]) > net_bound + EPS:
                return False
        if net_bound < INF and LOOKAHEAD and not _schedulable([wk * n - c[k] for k, wk in enumerate(w)], w, net_bound):
            return False
        if plan_bound < INF and LOOKAHEAD:
            return _schedulable([wk * self.total - self.count[k] for k, wk in enumerate(w)], w, plan_bound)
        return True


def _schedulable(deficits: list[float], w: list[float], bound: float) -> bool:
    """Hall's condition for the future of one chain: within any ``t`` next posts, the pillars that must be
    chosen to stay within ``bound`` (``⌈e_i + w_i·t − bound⌉`` each) fit in the ``t`` posts."""
    horizon = LOOKAHEAD
    for t in range(1, horizon + 1):
        need = 0
        for e, wk in zip(deficits, w, strict=True):
            x = e + wk * t - bound
            if x > EPS:
                need += math.ceil(x - EPS)
        if need > t:
            return False
    return True


def apportion(
    items: Sequence[Item],
    weights: Mapping[str, float],
    *,
    avoid_repeats: bool = True,
    budget: int | None = None,
) -> list[tuple[str, ...]]:
    """The pillars of each item, in order (see the module docstring for the rule and its bound).

    ``weights`` maps pillar id to a fraction (they sum to 1). Fixed pillars unknown to ``weights`` are kept on
    the post but do not count. The search keeps both bounds, restarting up to ``RESTARTS`` times when
    ``budget`` steps (default ``BUDGET`` per post) do not suffice; then it keeps the per-network bound and
    relaxes the plan-wide one step by step (measure the result with :func:`discrepancy`).
    """
    check_weights(weights)
    pillars = list(weights)
    w = [float(weights[p]) for p in pillars]
    forced = [_forced_shares(item, pillars) for item in items]
    limit = budget if budget is not None else BUDGET * max(1, len(items))
    where = _positions(items)
    best = {g: lowest_discrepancy([forced[p] for p in ps], w)[0] for g, ps in where.items()}
    # every network exactly at its optimum B*, the plan-wide bound as low as the search reaches (≤ 2)
    oracle = _Oracle(forced, w, where, best)
    found = _ladder(items, forced, w, avoid_repeats, limit, best, AT_OPTIMUM, oracle)
    # no such allocation found within 2 plan-wide: the quota rule, ±1 per network where B* allows it
    target = {g: max(1.0, b) for g, b in best.items()}
    if found is None:
        found = _ladder(items, forced, w, avoid_repeats, limit, target, QUOTA, None)
    if found is None:
        found = _guided(items, forced, w, target)
    return [tuple(item.forced) if item.forced else (pillars[k],) for item, k in zip(items, found, strict=True)]


def _ladder(
    items: Sequence[Item],
    forced: list[dict[int, float] | None],
    w: list[float],
    avoid_repeats: bool,
    limit: int,
    net_bound: Mapping[str, float],
    rungs: Sequence[tuple[float, float | None, int]],
    oracle: _Oracle | None,
) -> list[int] | None:
    """The first search that succeeds over ``rungs`` of (plan-wide bound, λ or None for EDF order, attempts)."""
    for plan_bound, sharpness, attempts in rungs:
        for seed in range(attempts):
            found = _search(
                items,
                forced,
                w,
                avoid_repeats,
                limit,
                plan_bound=plan_bound,
                net_bound=net_bound,
                sharpness=sharpness,
                seed=seed,
                oracle=oracle,
            )
            if found is not None:
                return found
    return None


def _positions(items: Sequence[Item]) -> dict[str, list[int]]:
    where: dict[str, list[int]] = {}
    for p, item in enumerate(items):
        where.setdefault(item.group, []).append(p)
    return where


def _guided(
    items: Sequence[Item], forced: list[dict[int, float] | None], w: list[float], target: Mapping[str, float]
) -> list[int]:
    """Every network at its bound for sure: in calendar order, each free post takes the pillar furthest below
    its plan-wide quota among those after which the network can still keep its bound (checked by EDF on the
    rest of the network, :func:`signalboost.plan.optimum.edf_from`); else the pillar EDF picks."""
    where = _positions(items)
    limits = {}
    for g, positions in where.items():
        lim = bounds([forced[p] for p in positions], w, target[g] + EPS)
        assert lim is not None  # target ≥ the network's optimum
        limits[g] = lim
    free_count = {g: [0] * len(w) for g in where}
    slot = dict.fromkeys(where, 1)
    count = [0.0] * len(w)
    total = 0
    chosen: list[int] = []
    for pos, item in enumerate(items):
        shares = forced[pos]
        total += 1 if shares != {} else 0
        if shares is not None:
            for k, share in shares.items():
                count[k] += share
            chosen.append(-1)
            continue
        g = item.group
        x, s = free_count[g], slot[g]
        order = sorted((k for k in range(len(w)) if w[k] > 0), key=lambda k: (count[k] - w[k] * total, -w[k], k))
        pick = None
        for k in order:
            x[k] += 1
            ok = x[k] <= limits[g][1][k][s] and edf_from(limits[g], w, x, s + 1) is not None
            ok = ok and all(x[i] >= limits[g][0][i][s] for i in range(len(w)))
            x[k] -= 1
            if ok:
                pick = k
                break
        if pick is None:
            rest = edf_from(limits[g], w, x, s)
            assert rest is not None
            pick = rest[0]
        x[pick] += 1
        slot[g] = s + 1
        count[pick] += 1.0
        chosen.append(pick)
    return chosen


def forcing_sources(items: Sequence[Item], weights: Mapping[str, float]) -> dict[str, tuple[float, list[str]]]:
    """Networks whose fixed posts make the ±1 bound impossible: ``{network: (lowest achievable, sources)}``.

    The sources are the fixed posts' ``source`` labels (e.g. ``tactic giveaway``) whose posts, freed, bring the
    network's optimum down the most (to within 1 when that alone suffices).
    """
    check_weights(weights)
    pillars = list(weights)
    w = [float(weights[p]) for p in pillars]
    forced = [_forced_shares(item, pillars) for item in items]
    out: dict[str, tuple[float, list[str]]] = {}
    for g, where in _positions(items).items():
        best = lowest_discrepancy([forced[p] for p in where], w)[0]
        if best <= 1 + 1e-6:
            continue
        labels = list(dict.fromkeys(items[p].source or "posts edited by hand" for p in where if forced[p] is not None))
        freed = {
            label: lowest_discrepancy(
                [
                    None
                    if forced[p] is not None and (items[p].source or "posts edited by hand") == label
                    else forced[p]
                    for p in where
                ],
                w,
            )[0]
            for label in labels
        }
        low = min(freed.values(), default=best)
        out[g] = (best, [label for label, b in freed.items() if b <= low + 1e-6])
    return out


class _Oracle:
    """Whether a network can still end at its optimum after a choice: the free counts stay within the
    network's monotone bounds and earliest-deadline-first completes the rest (:mod:`.optimum`), cached."""

    def __init__(
        self,
        forced: list[dict[int, float] | None],
        w: list[float],
        where: Mapping[str, list[int]],
        target: Mapping[str, float],
    ) -> None:
        self.w = w
        self.limits = {}
        for g, positions in where.items():
            lim = bounds([forced[p] for p in positions], w, target[g])
            assert lim is not None  # the target is an achieved optimum
            self.limits[g] = lim
        self.cache: dict[tuple[str, int, tuple[int, ...]], bool] = {}

    def allows(self, group: str, counts: list[int], slot: int) -> bool:
        """True if ``counts`` (free posts per pillar after free slot ``slot``) can be completed at the bound."""
        key = (group, slot, tuple(counts))
        ok = self.cache.get(key)
        if ok is None:
            low, high = self.limits[group]
            ok = all(low[k][slot] <= x <= high[k][slot] for k, x in enumerate(counts))
            ok = ok and edf_from(self.limits[group], self.w, counts, slot + 1) is not None
            self.cache[key] = ok
        return ok


def _forced_shares(item: Item, pillars: list[str]) -> dict[int, float] | None:
    if not item.forced:
        return None
    known = [pillars.index(p) for p in item.forced if p in pillars]
    return {k: 1.0 / len(known) for k in known}


def _search(
    items: Sequence[Item],
    forced: list[dict[int, float] | None],
    w: list[float],
    avoid_repeats: bool,
    limit: int,
    *,
    plan_bound: float,
    net_bound: Mapping[str, float] | float,
    sharpness: float | None = None,
    seed: int = 0,
    oracle: _Oracle | None = None,
) -> list[int] | None:
    """Depth-first search of the choices (-1 for fixed posts); ``None`` when ``limit`` steps did not suffice.

    With an ``oracle``, a free choice is kept only if its network can still end at its bound."""
    totals: dict[str, int] = {}
    for item in items:
        totals[item.group] = totals.get(item.group, 0) + 1
    state = _State([str(k) for k in range(len(w))], totals)
    where: dict[str, list[int]] = {g: [] for g in totals}
    for p, item in enumerate(items):
        where[item.group].append(p)
    prev: dict[str, list[int]] = {g: [] for g in totals}
    free: dict[str, list[int]] = {g: [0] * len(w) for g in totals}
    ahead = _Ahead(items, forced, w, where) if any(f is not None for f in forced) else None
    stack: list[list[int]] = []  # remaining alternatives per position
    chosen: list[int] = []
    steps = 0
    pos = 0
    while pos < len(items):
        steps += 1
        if steps > limit:
            return None
        item = items[pos]
        if len(stack) == pos:
            fixed = forced[pos]
            if fixed is not None:
                stack.append([-1])
            else:
                last = prev[item.group][-1] if prev[item.group] else None
                last = last if avoid_repeats else None
                if sharpness is not None:
                    adjust = ahead.at(pos, state.n[item.group]) if ahead is not None else None
                    stack.append(_by_potential(state, item.group, w, last, sharpness, adjust, seed))
                else:
                    stack.append(_ranked(state, item.group, w, where[item.group], last, plan_bound < INF))
        options = stack[pos]
        placed = False
        while options:
            k = options.pop(0)
            shares = forced[pos] if k < 0 else {k: 1.0}
            assert shares is not None
            if k >= 0 and oracle is not None:
                counts = free[item.group]
                counts[k] += 1
                ok = oracle.allows(item.group, counts, sum(counts))
                counts[k] -= 1
                if not ok:
                    continue
            state.push(item.group, shares)
            if state.within(item.group, w, plan_bound, net_bound):
                if k >= 0:
                    free[item.group][k] += 1
                chosen.append(k)
                prev[item.group].append(k)
                placed = True
                break
            state.pop(item.group, shares)
        if placed:
            pos += 1
            continue
        stack.pop()
        if pos == 0:
            return None
        pos -= 1
        back = chosen.pop()
        back_item = items[pos]
        if back >= 0:
            free[back_item.group][back] -= 1
        prev[back_item.group].pop()
        state.pop(back_item.group, forced[pos] if back < 0 else {back: 1.0})  # type: ignore[arg-type]
    return chosen


class _Ahead:
    """Fixed shares coming soon: for each pillar, the fixed posts' shares within the next ``⌈1/w⌉`` posts of
    the plan and of the network, so the search makes room for them before they arrive."""

    def __init__(
        self, items: Sequence[Item], forced: list[dict[int, float] | None], w: list[float], where: dict[str, list[int]]
    ) -> None:
        m = len(w)
        self.w = w
        self.items = items
        self.where = where
        self.horizon = [math.ceil(1 / wk) if wk > 0 else 0 for wk in w]
        self.plan = [[0.0] * (len(items) + 1) for _ in range(m)]
        for p, shares in enumerate(forced):
            for k in range(m):
                self.plan[k][p + 1] = self.plan[k][p] + (shares or {}).get(k, 0.0)
        self.net: dict[str, list[list[float]]] = {}
        for g, positions in where.items():
            sums = [[0.0] * (len(positions) + 1) for _ in range(m)]
            for r, p in enumerate(positions):
                for k in range(m):
                    sums[k][r + 1] = sums[k][r] + (forced[p] or {}).get(k, 0.0)
            self.net[g] = sums

    def at(self, pos: int, rank: int) -> tuple[list[float], list[float]]:
        """Shares of fixed posts after ``pos`` (plan) and after rank ``rank`` (network), per pillar."""
        group = self.items[pos].group
        n_plan = len(self.items)
        n_net = len(self.where[group])
        plan = [self.plan[k][min(n_plan, pos + 1 + h)] - self.plan[k][pos + 1] for k, h in enumerate(self.horizon)]
        sums = self.net[group]
        net = [sums[k][min(n_net, rank + 1 + h)] - sums[k][rank + 1] for k, h in enumerate(self.horizon)]
        return plan, net


def _by_potential(
    state: _State,
    group: str,
    w: list[float],
    last: int | None,
    lam: float,
    adjust: tuple[list[float], list[float]] | None = None,
    seed: int = 0,
) -> list[int]:
    """Pillar indices for the next post of ``group``, by the potential each choice leaves.

    ``Φ = Σ_i cosh(λ·d_i) + Σ_i cosh(λ·e_i)`` over the plan deficits ``d`` and the network's deficits ``e``
    after the choice (the multiplicative-weights potential of discrepancy theory, cf. Spencer 1985): it
    grows fast as any pillar nears either bound on either level, so the choice that keeps both levels
    central wins. The previous pillar of the network gets a small penalty (no repeats when weights allow).
    """
    n = state.n[group] + 1
    total = state.total + 1
    c = state.c[group]
    scored: list[tuple[float, int]] = []
    for k, wk in enumerate(w):
        if wk <= 0:
            continue
        d = wk * total - state.count[k]
        e = wk * n - c[k]
        if adjust is not None:
            d -= adjust[0][k]
            e -= adjust[1][k]
        h = CENTRE * wk
        change = (
            math.cosh(lam * (d - 1 + h))
            - math.cosh(lam * (d + h))
            + math.cosh(lam * (e - 1 + h))
            - math.cosh(lam * (e + h))
        )
        if seed:
            change += JITTER * (((total * 2654435761 + k * 40503 + seed * 97) % 1009) / 1009 - 0.5)
        scored.append((change, k))
    scored.sort()
    order = [k for _, k in scored]
    if last is not None and len(order) > 1 and order[0] == last:
        wk = w[last]
        if wk * total - state.count[last] + wk <= 1 + EPS and wk * n - c[last] + wk <= 1 + EPS:
            order[0], order[1] = order[1], order[0]
    return order


def _ranked(
    state: _State, group: str, w: list[float], where: list[int], last: int | None, plan_level: bool = True
) -> list[int]:
    """Pillar indices for the next post of ``group``, earliest deadline first.

    A pillar's deadline is the plan position of the first post at which, never chosen, it would fall more
    than 1 below quota: plan-wide after ``(1 − d)/w`` more posts, on the network at its post of rank
    ``n + (1 − e)/w`` (looked up in ``where``, the plan positions of the network's posts).
    """
    n = state.n[group] + 1
    total = state.total + 1
    c = state.c[group]
    ranked: list[tuple[float, float, float, int]] = []
    for k, wk in enumerate(w):
        if wk <= 0:
            continue
        d = wk * total - state.count[k]
        e = wk * n - c[k]
        plan_deadline = total + (1 - d) / wk
        rank = n + int((1 - e) / wk + EPS)
        net_deadline = where[rank] if rank < len(where) else float("inf")
        first = min(plan_deadline, net_deadline) if plan_level else net_deadline
        ranked.append((first, plan_deadline, -wk, k))
    ranked.sort()
    order = [k for *_, k in ranked]
    if last is not None and len(order) > 1 and order[0] == last:
        wk = w[last]
        d = wk * total - state.count[last]
        e = wk * n - c[last]
        if (d + wk <= 1 + EPS or not plan_level) and e + wk <= 1 + EPS:
            order[0], order[1] = order[1], order[0]
    return order


def discrepancy(
    items: Sequence[Item], pillars: Sequence[tuple[str, ...]], weights: Mapping[str, float]
) -> tuple[float, float]:
    """The largest ``|count − weight·posts|`` over all prefixes: (plan-wide, worst network).

    Items with no pillar are left out of the posts counted. Used by the tests and the terminal report.
    """
    worst_plan = worst_net = 0.0
    count = dict.fromkeys(weights, 0.0)
    per: dict[str, dict[str, float]] = {}
    n_per: dict[str, int] = {}
    total = 0
    for item, ps in zip(items, pillars, strict=True):
        known = [p for p in ps if p in weights]
        if not known:
            continue
        total += 1
        g = item.group
        n_per[g] = n_per.get(g, 0) + 1
        net = per.setdefault(g, dict.fromkeys(weights, 0.0))
        for p in known:
            count[p] += 1.0 / len(known)
            net[p] += 1.0 / len(known)
        for p, wp in weights.items():
            worst_plan = max(worst_plan, abs(count[p] - wp * total))
            worst_net = max(worst_net, abs(net[p] - wp * n_per[g]))
    return worst_plan, worst_net
