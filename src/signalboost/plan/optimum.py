"""The lowest achievable pillar discrepancy of one network, given its fixed (tactic, hand-made) posts.

For one network's posts in calendar order, some fixed to pillars, the free posts each take one pillar. With
``fx_i(n)`` the fixed share of pillar ``i`` among the first ``n`` posts and ``x_i`` the free posts given to it so
far, a bound ``B`` holds at every prefix iff

    ⌈w_i·n − B − fx_i(n)⌉ ≤ x_i(f(n)) ≤ ⌊w_i·n + B − fx_i(n)⌋          (f(n) = free posts among the first n).

Since ``x_i`` never decreases, the lower bounds are carried forward (running maximum) and the upper bounds
backward (running minimum from the end). The free posts of pillar ``i`` are then unit jobs: its ``j``-th free
post is *released* at the first free slot whose upper bound reaches ``j`` and *due* at the first free slot whose
lower bound reaches ``j``; jobs past the final lower bound are optional fillers. Feasibility of unit jobs with
release times and deadlines on one machine is decided by earliest-deadline-first (Jackson 1955; Horn,
"Some simple scheduling algorithms", Naval Res. Logist. Q. 21, 1974): at each free slot take a released pillar
whose next post is due first. A slot always has a released pillar when any does (the counts always sum to the
slots filled), so the choice of filler does not matter.

The lowest ``B`` is found by bisection on that test (60 halvings from the number of posts), and the schedule
EDF builds at it is returned with its exact discrepancy — the optimum, tested against exhaustive search.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence

EPS = 1e-9


def bounds(
    fixed: Sequence[Mapping[int, float] | None], w: Sequence[float], bound: float
) -> tuple[list[list[int]], list[list[int]]] | None:
    """Per free-slot count ``f`` (0..F): monotone lower and upper bounds of each pillar's free count."""
    m = len(w)
    n_free = sum(1 for f in fixed if f is None)
    low = [[-(10**9)] * (n_free + 1) for _ in range(m)]
    high = [[10**9] * (n_free + 1) for _ in range(m)]
    fx = [0.0] * m
    f = 0
    n = 0
    for shares in fixed:
        if shares is None:
            f += 1
        elif not shares:
            continue  # a post fixed to pillars outside the weights does not count (as in ``discrepancy``)
        else:
            for k, s in shares.items():
                fx[k] += s
        n += 1
        for k in range(m):
            lo = math.ceil(w[k] * n - bound - fx[k] - EPS)
            hi = math.floor(w[k] * n + bound - fx[k] + EPS)
            low[k][f] = max(low[k][f], lo)
            high[k][f] = min(high[k][f], hi)
    for k in range(m):
        for i in range(1, n_free + 1):
            low[k][i] = max(low[k][i], low[k][i - 1])
        for i in range(n_free - 1, -1, -1):
            high[k][i] = min(high[k][i], high[k][i + 1])
        if low[k][0] > 0 or high[k][0] < 0:
            return None
    return low, high


def edf_schedule(fixed: Sequence[Mapping[int, float] | None], w: Sequence[float], bound: float) -> list[int] | None:
    """The pillar index of each free post keeping ``bound`` at every prefix, or ``None`` when none can."""
    limits = bounds(fixed, w, bound)
    if limits is None:
        return None
    return edf_from(limits, w, [0] * len(w), 1)


def edf_from(
    limits: tuple[list[list[int]], list[list[int]]], w: Sequence[float], counts: Sequence[int], start: int
) -> list[int] | None:
    """EDF over the free slots ``start``..F from the free ``counts`` so far (``None`` when it gets stuck)."""
    low, high = limits
    m = len(w)
    n_free = len(low[0]) - 1
    x = list(counts)
    due = [bisect.bisect_left(low[k], x[k] + 1, lo=start) for k in range(m)]  # low[k] never decreases
    out: list[int] = []
    for s in range(start, n_free + 1):
        best: tuple[int, float, int] | None = None
        for k in range(m):
            if x[k] + 1 > high[k][s]:
                continue
            key = (due[k], -w[k], k)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        k = best[2]
        x[k] += 1
        due[k] = bisect.bisect_left(low[k], x[k] + 1, lo=s)
        out.append(k)
        if any(x[i] < low[i][s] for i in range(m)):
            return None
    return out


def network_discrepancy(fixed: Sequence[Mapping[int, float] | None], w: Sequence[float], free: Sequence[int]) -> float:
    """The largest ``|count − w·n|`` over the prefixes of one network (fixed shares, free picks in order)."""
    count = [0.0] * len(w)
    worst = 0.0
    n = 0
    picks = iter(free)
    for shares in fixed:
        if shares is None:
            count[next(picks)] += 1.0
        elif not shares:
            continue
        else:
            for k, s in shares.items():
                count[k] += s
        n += 1
        worst = max(worst, *(abs(c - wk * n) for c, wk in zip(count, w, strict=True)))
    return worst


def lowest_discrepancy(fixed: Sequence[Mapping[int, float] | None], w: Sequence[float]) -> tuple[float, list[int]]:
    """The lowest achievable largest discrepancy of one network, and a schedule of its free posts reaching it."""
    if not fixed:
        return 0.0, []
    lo, hi = 0.0, float(len(fixed) + 1)
    best = edf_schedule(fixed, w, hi)
    assert best is not None
    for _ in range(60):
        mid = (lo + hi) / 2
        got = edf_schedule(fixed, w, mid)
        if got is None:
            lo = mid
        else:
            hi, best = mid, got
        if hi - lo < 1e-7:
            break
    return network_discrepancy(fixed, w, best), best
