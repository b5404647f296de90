"""Curated content offered to the calendar's curated slots (issue 7: "offered to the curated slots")."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from signalboost.cli.main import main
from signalboost.outreach.curation import apply_offers, calendar_offers
from signalboost.outreach.pipeline import add_influencer
from signalboost.plan.service import load_plan, replan
from signalboost.store.workspace import Workspace

from .conftest import add_posts

STRATEGY = """
version: 1
brand: {name: Threadline, timezone: Europe/Oslo}
ecosystem:
  - {network: x, formats: [text]}
schedule:
  networks:
    x: {min_posts_per_week: 2, slots: {mon: ["09:00"], thu: ["12:00"]}}
pillars:
  - {id: craft, name: Craft, weight: 60, keywords: [knit]}
  - {id: care, name: Care, weight: 40, keywords: [wool wash]}
curation: {share: 0.5}
"""
MONDAY = dt.date(2026, 3, 2)


def _setup(ws: Workspace) -> list[str]:
    """Plan 2 weeks (4 slots; share 0.5: slots 1 and 3 are curated) and give two influencers posts."""
    ws.strategy_path.write_text(STRATEGY, encoding="utf-8")
    replan(ws, ws.strategy(), MONDAY, 2)
    add_influencer(ws, "x", "u1", handle="maria", stage="warming")
    add_influencer(ws, "x", "u2", handle="li", stage="identified")  # not yet warming: not offered
    at = dt.datetime(2026, 2, 25, tzinfo=dt.UTC)
    add_posts(
        ws,
        [
            {"post_id": "p1", "author_id": "u1", "created_at": at, "text": "my knit cardigan"},
            {"post_id": "p2", "author_id": "u1", "created_at": at, "text": "knit and wool wash tips"},  # 2 terms
            {"post_id": "p3", "author_id": "u1", "created_at": at, "text": "lunch"},  # no pillar
            {"post_id": "p4", "author_id": "u2", "created_at": at, "text": "knit"},
        ],
    )
    curated = [p for p in load_plan(ws) if p.kind == "curated"]
    return [p.id for p in curated]


def test_offers_fill_curated_slots_best_first_and_apply_writes_drafts(ws: Workspace) -> None:
    curated = _setup(ws)
    # slots in order: Mon 2 (own), Thu 5 (curated), Mon 9 (own), Thu 12 (curated)
    assert len(curated) == 2
    offers = calendar_offers(ws, start=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    assert [(o["slot_id"], o["post_id"]) for o in offers] == [(curated[0], "p2"), (curated[1], "p1")]
    assert offers[0]["local"].strftime("%a %H:%M") == "Thu 12:00"
    assert apply_offers(ws, offers) == 2
    saved = {p.id: p for p in load_plan(ws)}
    assert saved[curated[0]].status == "drafted" and "@maria" in saved[curated[0]].draft
    # drafted slots are touched: re-planning keeps them and offers nothing more
    replan(ws, ws.strategy(), MONDAY, 2)
    assert {p.id: p.draft for p in load_plan(ws)}[curated[0]] == saved[curated[0]].draft
    assert calendar_offers(ws, start=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)) == []


def test_cli_offer_json_and_bad_options(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    curated = _setup(ws)
    base = ["outreach", "curate", "-w", str(ws.root)]
    code = main([*base, "--offer", "--from", "2026-03-02", "--weeks", "1", "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    doc = json.loads(out.out)
    assert [(r["slot_id"], r["post_id"]) for r in doc["rows"]] == [(curated[0], "p2")] and doc["applied"] == 0
    assert main([*base, "--apply"]) == 2
    err = capsys.readouterr().err
    assert "--apply go with --offer" in err and "Traceback" not in err
    assert main([*base, "--offer", "--weeks", "2"]) == 2
    assert "--weeks needs --from" in capsys.readouterr().err
