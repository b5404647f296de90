"""Organic vs paid: engagement and reach obtained per unit of cost, per influencer and in total.

Per relationship (over the touches given, usually the whole ledger):

    engagement        = their touches (interactions + amplifications)
    reach             = Σ over their amplifications of their follower count — the *potential* reach of what they
                        re-shared (None when their follower count is unknown: not 0)
    engagement/cost   = engagement / cost,   reach/cost = reach / cost
                        (None when the cost is not recorded or is 0: an organic relationship without a recorded
                        cost has no finite ratio — the method's point that organic influencers are worth more)

Totals per mode (organic, paid) add engagement, reach and cost over the relationships of that mode; the ratios
use only the relationships that have a recorded cost > 0, and say how many those were (``n_costed``); reach/cost
also leaves out those whose reach is unknown (their cost bought reach we cannot count).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from signalboost.i18n import _
from signalboost.outreach.ledger import Balance
from signalboost.outreach.pipeline import MODES, OutreachRecord
from signalboost.store.workspace import Workspace


@dataclass(frozen=True)
class Value:
    """Engagement and reach obtained, and per unit of cost, for one relationship or one mode in total."""

    label: str  # handle / account id, or "total organic" / "total paid"
    mode: str
    n: int
    n_costed: int
    engagement: int
    amplifications: int
    reach: float | None
    cost: float | None
    engagement_per_cost: float | None
    reach_per_cost: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ratio(x: float | None, cost: float | None) -> float | None:
    return x / cost if x is not None and cost else None


def relationship_value(
    records: Sequence[OutreachRecord],
    balances: Mapping[tuple[str, str], Balance],
    followers: Mapping[tuple[str, str], int | None],
) -> tuple[list[Value], list[Value]]:
    """``(per relationship, totals per mode)``; see the module docstring for the formulas."""
    rows: list[Value] = []
    for r in records:
        b = balances.get((r.platform, r.account_id))
        inter = b.their_interactions if b else 0
        amp = b.their_amplifications if b else 0
        f = followers.get((r.platform, r.account_id))
        reach = float(amp * f) if f is not None else (0.0 if amp == 0 else None)
        costed = r.cost is not None and r.cost > 0
        rows.append(
            Value(
                label=r.label,
                mode=r.mode,
                n=1,
                n_costed=int(costed),
                engagement=inter + amp,
                amplifications=amp,
                reach=reach,
                cost=r.cost,
                engagement_per_cost=_ratio(inter + amp, r.cost),
                reach_per_cost=_ratio(reach, r.cost),
            )
        )
    return rows, [_total(mode, [v for v in rows if v.mode == mode]) for mode in MODES]


def _total(mode: str, rows: Sequence[Value]) -> Value:
    costed = [v for v in rows if v.n_costed]
    cost = sum(v.cost or 0.0 for v in costed)
    known_reach = [v.reach for v in rows if v.reach is not None]
    reach_costed = [v for v in costed if v.reach is not None]  # reach/cost only where both are known
    return Value(
        label=_("total organic") if mode == "organic" else _("total paid") if mode == "paid" else f"total {mode}",
        mode=mode,
        n=len(rows),
        n_costed=len(costed),
        engagement=sum(v.engagement for v in rows),
        amplifications=sum(v.amplifications for v in rows),
        reach=sum(known_reach) if known_reach else None,
        cost=cost if costed else None,
        engagement_per_cost=_ratio(float(sum(v.engagement for v in costed)), cost) if costed else None,
        reach_per_cost=(
            _ratio(sum(v.reach or 0.0 for v in reach_costed), sum(v.cost or 0.0 for v in reach_costed))
            if reach_costed
            else None
        ),
    )


def value_report(ws: Workspace) -> tuple[list[Value], list[Value]]:
    """Organic vs paid value over the whole ledger: ``(per relationship, totals per mode)``."""
    from signalboost.outreach.ledger import ledger_balances
    from signalboost.outreach.pipeline import list_records
    from signalboost.store import outreach_sql as sql

    records = list_records(ws)
    balances = {(b.platform, b.account_id): b for b in ledger_balances(ws)}
    with ws.connect(purpose="read") as con:
        followers = sql.follower_counts(con)
    return relationship_value(records, balances, followers)
