"""Choosing k partners that maximise new reach: greedy maximum coverage.

Problem: given our audience ``B`` and candidate audiences ``A_1 … A_n``, choose ``S`` with ``|S| = k`` maximising
``f(S) = |⋃_{i∈S} A_i \\ B|`` — the people the partners add. ``f`` is monotone and submodular, so the greedy
algorithm (repeatedly take the candidate with the largest marginal gain) achieves

    f(S_greedy) ≥ (1 − 1/e) · f(S_opt) ≈ 0.632 · f(S_opt)

(Nemhauser, Wolsey & Fisher 1978, *An analysis of approximations for maximizing submodular set functions*,
Math. Programming 14: 265–294); no polynomial algorithm does better unless P = NP (Feige 1998).

Each result also carries a data-dependent upper bound on the optimum: for every greedy step i,
``f(S_opt) ≤ f(S_i) + Σ (k largest marginal gains w.r.t. S_i)`` (submodularity; Leskovec et al. 2007, CELF),
and we report the smallest such bound — usually far tighter than ``f(S_greedy) / (1 − 1/e)``.
Ties are broken by account id, so results are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence, Set
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from signalboost.errors import OutreachError
from signalboost.i18n import L_, N_
from signalboost.store import outreach_sql as sql
from signalboost.store.workspace import Workspace

if TYPE_CHECKING:  # datasketch is imported where it is used: it pulls in scipy at CLI start
    from datasketch import MinHash

GUARANTEE = N_(
    "greedy maximum coverage: new reach ≥ (1 − 1/e) ≈ 63.2% of the best possible k partners "
    "(Nemhauser, Wolsey & Fisher 1978)"
)
RATIO = 1.0 - 1.0 / math.e


@dataclass(frozen=True)
class CoverageResult:
    """The chosen partners in the order greedy took them, each with its marginal new reach."""

    chosen: list[str]
    gains: list[float]
    new_reach: float
    upper_bound: float
    method: str
    guarantee: str = GUARANTEE

    @property
    def ratio_lower_bound(self) -> float | None:
        """``new_reach / upper_bound``: a certified lower bound on how close to optimal this choice is."""
        return self.new_reach / self.upper_bound if self.upper_bound > 0 else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio_lower_bound": self.ratio_lower_bound}

    def rows(self) -> list[dict[str, Any]]:
        """One row per chosen partner: rank, account_id, gain, cumulative new reach."""
        total = 0.0
        out = []
        for i, (c, g) in enumerate(zip(self.chosen, self.gains, strict=True), start=1):
            total += g
            out.append({"rank": i, "account_id": c, "new_reach_added": g, "cumulative_new_reach": total})
        return out


def check_k(k: int, n: int) -> None:
    if k < 1:
        raise OutreachError(
            L_("k must be at least 1, got {k}", k=k), where="--k", hint=L_("Choose how many partners, e.g. --k 3")
        )
    if n == 0:
        raise OutreachError(
            L_("no candidate partners"),
            where="CANDIDATES",
            hint=L_("Pass candidate handles or ids, or leave them out to use --top N"),
        )


def _step(gains: Mapping[str, float], k: int) -> tuple[str, float, float]:
    """(best candidate, its gain, sum of the k largest gains) — ties broken by id."""
    best = min(gains, key=lambda c: (-gains[c], c))
    top = sorted(gains.values(), reverse=True)[:k]
    return best, gains[best], float(sum(top))


def _greedy(gain_fn: Any, add_fn: Any, candidates: Sequence[str], k: int, method: str) -> CoverageResult:
    check_k(k, len(candidates))
    remaining = sorted(set(candidates))
    chosen: list[str] = []
    gains: list[float] = []
    value = 0.0
    bound = math.inf
    for _ in range(min(k, len(remaining))):
        current = gain_fn(remaining)
        best, gain, top_sum = _step(current, k)
        bound = min(bound, value + top_sum)
        if gain <= 0:
            break
        chosen.append(best)
        gains.append(gain)
        value += gain
        add_fn(best)
        remaining.remove(best)
    if remaining and len(chosen) == k:
        bound = min(bound, value + _step(gain_fn(remaining), k)[2])
    elif len(chosen) < k or not remaining:
        bound = min(bound, value)  # nothing left to add: greedy is optimal
    return CoverageResult(chosen, gains, value, bound, method)


def greedy_max_coverage(
    sets: Mapping[str, Set[Hashable]], k: int, *, covered: Set[Hashable] = frozenset()
) -> CoverageResult:
    """Greedy maximum coverage on in-memory sets; ``covered`` (our audience) counts as already reached."""
    reached: set[Hashable] = set(covered)

    def gains(cands: Sequence[str]) -> dict[str, float]:
        return {c: float(len(sets[c] - reached)) for c in cands}

    def add(c: str) -> None:
        reached.update(sets[c])

    return _greedy(gains, add, list(sets), k, "exact")


def greedy_coverage_sketches(
    sketches: Mapping[str, MinHash], k: int, *, covered: MinHash | None = None
) -> CoverageResult:
    """Greedy maximum coverage on MinHash signatures: marginal gain = est|covered ∪ A| − est|covered|.

    Cardinalities are estimated with ``MinHash.count`` (relative error ≈ 1/sqrt(num_perm)); the (1 − 1/e)
    guarantee then holds up to that estimation error.
    """
    state: dict[str, MinHash | None] = {"u": covered}

    def size(m: MinHash | None) -> float:
        return 0.0 if m is None else float(m.count())

    def union(a: MinHash | None, b: MinHash) -> MinHash:
        from datasketch import MinHash  # lazy: datasketch pulls in scipy (~0.4 s at CLI start)

        return b if a is None else MinHash.union(a, b)

    def gains(cands: Sequence[str]) -> dict[str, float]:
        now = size(state["u"])
        return {c: max(size(union(state["u"], sketches[c])) - now, 0.0) for c in cands}

    def add(c: str) -> None:
        state["u"] = union(state["u"], sketches[c])

    return _greedy(gains, add, list(sketches), k, "minhash")


def choose_partners(
    ws: Workspace,
    candidates: Sequence[str],
    k: int,
    *,
    platform: str,
    brand: Sequence[str],
    source: str = "follows",
    method: str = "auto",
    num_perm: int = 256,
    seed: int = 1,
    exact_limit: int = 50_000_000,
) -> CoverageResult:
    """Choose ``k`` partners maximising new reach: exact greedy in DuckDB, or on MinHash sketches past ``exact_limit``.

    Exact: k rounds of an anti-join of each candidate's audience against the people already reached (the brand,
    its audience and the partners chosen so far).
    """
    from signalboost.outreach import overlap

    overlap.check_method(method, source)
    check_k(k, len(candidates))
    if method == "auto":
        with ws.connect(purpose="read") as con:
            method = "exact" if sql.edge_count(con, platform, source) <= exact_limit else "minhash"
    if method == "minhash":
        with ws.connect(purpose="read") as con:
            sk, _ = overlap.audience_sketches(
                con, platform, [*brand, *candidates], source=source, exclude=brand, num_perm=num_perm, seed=seed
            )
        import numpy as np

        empty = overlap.sketch(np.zeros(0, dtype=np.uint32), num_perm=num_perm, seed=seed)
        cands = {c: sk.get(c) or empty for c in candidates}
        return greedy_coverage_sketches(cands, k, covered=overlap._union_sketch([sk[b] for b in brand if b in sk]))
    with ws.connect(purpose="read") as con:
        sql.init_covered(con, platform, brand, source=source)

        def gains(cands: Sequence[str]) -> dict[str, float]:
            found = dict(sql.greedy_coverage_step_gains(con, platform, cands, source=source))
            return {c: float(found.get(c, 0)) for c in cands}

        def add(c: str) -> None:
            sql.add_covered(con, platform, [c], source=source)

        return _greedy(gains, add, list(candidates), k, "exact")


def as_rows(result: CoverageResult) -> list[dict[str, Any]]:
    return result.rows()


# ------------------------------------------------------------------------------------- partnership records
PARTNER_STATUSES: tuple[str, ...] = ("candidate", "chosen", "active", "ended")


def save_partners(
    ws: Workspace,
    platform: str,
    partners: Sequence[tuple[str, str | None]],
    *,
    status: str = "chosen",
    notes: str | None = None,
) -> None:
    """Record ``(account_id, handle)`` partners with ``status``; they also enter the pipeline (for the ledger/KPIs)."""
    from signalboost.outreach.pipeline import add_many

    if status not in PARTNER_STATUSES:
        raise OutreachError(
            L_("unknown partner status {status!r}", status=status),
            where="status",
            hint=L_("Use one of: {choices}", choices=", ".join(PARTNER_STATUSES)),
        )
    with ws.transaction() as con:
        for account_id, handle in partners:
            sql.upsert_partner(con, platform, account_id, handle, status, notes)
    add_many(ws, [(platform, a, h) for a, h in partners], source="partners", note="chosen as partner")


def set_partner_status(ws: Workspace, platform: str, account_id: str, status: str) -> None:
    """Change a recorded partnership's status (candidate, chosen, active, ended)."""
    if status not in PARTNER_STATUSES:
        raise OutreachError(
            L_("unknown partner status {status!r}", status=status),
            where="STATUS",
            hint=L_("Use one of: {choices}", choices=", ".join(PARTNER_STATUSES)),
        )
    with ws.transaction() as con:
        if not any(p["account_id"] == account_id for p in sql.list_partners(con, platform=platform)):
            raise OutreachError(
                L_("{platform}:{account_id} is not a recorded partner", platform=platform, account_id=account_id),
                where="table partners",
                hint=L_("Record it first with `signalboost partners choose … --save`"),
            )
        sql.upsert_partner(con, platform, account_id, None, status, None)


def list_partners(ws: Workspace, *, platform: str | None = None) -> list[dict[str, Any]]:
    """Rows of table ``partners``."""
    with ws.connect(purpose="read") as con:
        return sql.list_partners(con, platform=platform)


def monitor_partners(
    ws: Workspace, *, window_days: int = 30, count: int = 4, end: Any = None
) -> tuple[list[Any], list[Any]]:
    """Each partnership's KPIs over time (chosen and active partners), as for influencers: (windows, trends)."""
    from signalboost.outreach.kpis import relationship_kpis

    rows = [p for p in list_partners(ws) if p["status"] in ("chosen", "active")]
    if not rows:
        raise OutreachError(
            L_("no partners chosen yet"),
            where="table partners",
            hint=L_("Choose some with `signalboost partners choose --save`"),
        )
    return relationship_kpis(
        ws, [(p["platform"], p["account_id"]) for p in rows], end=end, window_days=window_days, count=count
    )
