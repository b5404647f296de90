"""A KPI on a count of interactions that leaves parts out (an X archive has no replies; a UCI-shaped table without
shares) is a lower bound of the full count: "met" for an at_least target still holds, "missed" cannot be told —
the s9 walk's Facebook table without shares said fb-engagement "missed" (1.62 % [1.05 %, 2.19 %] vs ≥ 5 %) while the
figure left every share out, and nothing beside the verdict said it was partial."""

from __future__ import annotations

import pytest

from signalboost.analytics.kpis import CANNOT_TELL, kpi_status, under_count_verdict
from signalboost.analytics.metrics import post_engagement
from signalboost.model.strategy import Kpi

from .test_interaction_basis import PARTIAL, _mixed


@pytest.mark.parametrize(
    ("verdict", "status", "direction", "said"),
    [
        ("missed", f"ok — partial: {PARTIAL}", "at_least", CANNOT_TELL),  # the full count could reach the target
        ("met", f"ok — partial: {PARTIAL}", "at_least", "met"),  # the full count is at least as high
        ("met", f"ok — partial: {PARTIAL}", "at_most", CANNOT_TELL),  # the full count could pass the ceiling
        ("missed", f"ok — partial: {PARTIAL}", "at_most", "missed"),  # already over it
        ("missed", "ok — mixed: facebook …; x …", "at_least", CANNOT_TELL),  # a sum with a partial network in it
        ("too early to tell", f"ok — partial: {PARTIAL}", "at_least", "too early to tell"),
        ("missed", "ok", "at_least", "missed"),  # a full count: as it is
        ("met", "ok", "at_most", "met"),
    ],
)
def test_a_partial_count_cannot_tell_what_it_under_counts(verdict: str, status: str, direction: str, said: str) -> None:
    assert under_count_verdict(verdict, status, direction) == said


def test_kpi_status_on_x_likes_and_reposts_without_replies() -> None:
    p, m = _mixed()
    eng = post_engagement(p, m)
    kpis = [  # x: x1 3 + 1, x2 5 + 0 → 9 interactions (likes + reposts; replies unknown); facebook 20 + 6 = 26 (full)
        Kpi(id="x10", metric="interactions", network="x", target=10, window_days=30),
        Kpi(id="x5", metric="interactions", network="x", target=5, window_days=30),
        Kpi(id="x-max8", metric="interactions", network="x", target=8, direction="at_most", window_days=30),
        Kpi(id="x-max10", metric="interactions", network="x", target=10, direction="at_most", window_days=30),
        Kpi(id="fb30", metric="interactions", network="facebook", target=30, window_days=30),
    ]
    out = {r["kpi"]: r for r in kpi_status(kpis, eng).iter_rows(named=True)}
    assert {k: (r["value"], r["verdict"], r["met"]) for k, r in out.items()} == {
        "x10": (9.0, "cannot tell", None),  # 9 < 10, but replies could add the missing 1
        "x5": (9.0, "met", True),  # 9 ≥ 5 whatever the replies
        "x-max8": (9.0, "missed", False),  # already 9 > 8
        "x-max10": (9.0, "cannot tell", None),  # 9 ≤ 10 so far
        "fb30": (26.0, "missed", False),  # a full count: 26 < 30 is missed
    }


def test_the_cli_row_and_the_overview_say_the_count_is_partial() -> None:
    from signalboost.cli.analytics_tables import kpi_rows
    from signalboost.web.views.analytics import kpis as overview_kpis
    from tests.plan.helpers import strategy

    p, m = _mixed()
    frame = kpi_status(
        [Kpi(id="x10", metric="interactions", network="x", target=10, window_days=30)], post_engagement(p, m)
    )
    [row] = kpi_rows(frame)
    assert row["verdict"] == f"cannot tell (partial: {PARTIAL})", row
    s = strategy(kpis=[{"id": "x10", "metric": "interactions", "network": "x", "target": 10, "window_days": 30}])
    [k] = overview_kpis(None, s, {"kpis": frame.to_dicts()})  # type: ignore[arg-type]
    assert (k["status"], k["basis"]) == ("cannot tell", f"partial: {PARTIAL}"), k
