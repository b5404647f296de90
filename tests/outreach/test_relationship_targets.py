"""The strategy's relationship KPIs (metrics influencer_*) checked per influencer against their targets."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from signalboost.cli.main import main
from signalboost.outreach import kpis
from signalboost.outreach.ledger import log_touch
from signalboost.outreach.pipeline import add_influencer
from signalboost.store.workspace import Workspace

from .conftest import T0, add_posts

STRATEGY = """
version: 1
brand: {name: Threadline, handles: {x: brand}}
pillars: [{id: craft, name: Craft, weight: 100}]
kpis:
  - {id: rel-int, metric: influencer_interactions, network: x, target: 2, window_days: 10}
  - {id: rel-er, metric: influencer_engagement_rate, target: 0.5, window_days: 10}
  - {id: rel-amp-ig, metric: influencer_amplifications, network: instagram, target: 1, window_days: 10}
  - {id: reach, metric: reach, target: 1000}
"""
END = T0 + dt.timedelta(days=20)  # windows [T0, T0+10d) and [T0+10d, T0+20d)


def _d(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def _setup(ws: Workspace) -> None:
    ws.strategy_path.write_text(STRATEGY, encoding="utf-8")
    add_posts(
        ws,
        [
            {"post_id": "p0", "author_id": "b1", "created_at": _d(2)},
            {"post_id": "p1", "author_id": "b1", "created_at": _d(12)},
            {"post_id": "p2", "author_id": "b1", "created_at": _d(15)},
        ],
    )
    add_influencer(ws, "x", "u1", handle="maria", stage="warming")
    add_influencer(ws, "x", "u2", handle="li", stage="contacted")
    log_touch(ws, "x", "u1", "interaction", direction="theirs", at=_d(3))  # previous window, no post
    log_touch(ws, "x", "u1", "interaction", direction="theirs", post_id="p1", at=_d(13))
    log_touch(ws, "x", "u1", "amplification", direction="theirs", post_id="p2", at=_d(16))
    log_touch(ws, "x", "u2", "interaction", direction="theirs", post_id="p0", at=_d(4))


def test_targets_by_hand(ws: Workspace) -> None:
    _setup(ws)
    got = {(c.kpi, c.account_id): (c.value, c.previous, c.met, c.trend) for c in kpis.relationship_targets(ws, end=END)}
    assert got == {
        # maria: 2 touches in the last window (p1, p2), 1 before; li: none, 1 before. Target: at least 2.
        ("rel-int", "u1"): (2.0, 1.0, True, "up"),
        ("rel-int", "u2"): (0.0, 1.0, False, "down"),
        # our posts: p1, p2 in the last window (maria engaged both: 2/2), p0 before (li engaged it: 1/1)
        ("rel-er", "u1"): (1.0, 0.0, True, "up"),
        ("rel-er", "u2"): (0.0, 1.0, False, "down"),
        # rel-amp-ig: no pipeline account on instagram; reach: not a relationship metric
    }


def test_engagement_rate_without_our_posts_is_none_not_zero(ws: Workspace) -> None:
    _setup(ws)
    later = END + dt.timedelta(days=40)  # no post of ours in [END+30d, END+40d)
    checks = [c for c in kpis.relationship_targets(ws, end=later) if c.kpi == "rel-er"]
    assert checks and all(c.value is None and c.met is None for c in checks)
    assert all("not measurable" in c.status for c in checks)


def test_cli_targets_json_and_empty(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    _setup(ws)
    args = ["outreach", "kpis", "--targets", "--until", "2026-01-21", "-w", str(ws.root)]
    assert main([*args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert {(r["kpi"], r["account_id"], r["met"]) for r in rows} == {
        ("rel-int", "u1", True),
        ("rel-int", "u2", False),
        ("rel-er", "u1", True),
        ("rel-er", "u2", False),
    }
    ws.strategy_path.write_text(STRATEGY.split("kpis:")[0], encoding="utf-8")
    assert main(args) == 0
    assert "The strategy sets no relationship KPI" in " ".join(capsys.readouterr().out.split())
