"""Completeness checklist and examples matrix, on hand-built strategies."""

from __future__ import annotations

import datetime as dt

from signalboost.model.completeness import checklist, examples_matrix
from signalboost.model.strategy import Strategy
from signalboost.model.templates import template_text
from signalboost.model.validate import validate_text

TODAY = dt.date(2026, 1, 15)


def small() -> Strategy:
    return Strategy.model_validate(
        {
            "brand": {"name": "Acme"},
            "audience": {"personas": [{"id": "ana", "name": "Ana", "interests": ["x"]}]},
            "ecosystem": [
                {"network": "instagram", "role": "shop window", "personas": ["ana"], "formats": ["photo"]},
                {"network": "facebook"},
            ],
            "schedule": {"networks": {"instagram": {"min_posts_per_week": 3, "slots": {"mon": ["09:00"]}}}},
            "pillars": [
                {"id": "brand", "name": "Brand", "weight": 70, "keywords": ["acme"]},
                {"id": "tips", "name": "Tips", "weight": 20, "description": "how-tos"},
            ],
            "tactics": [{"id": "g", "name": "G", "goal": "engagement", "rrule": "FREQ=WEEKLY", "mechanics": "comment"}],
            "examples": [
                {"network": "instagram", "pillar": "brand", "text": "a"},
                {"network": "instagram", "pillar": "brand", "text": "b"},
                {"network": "facebook", "pillar": "tips", "text": "c"},
            ],
        }
    )


def test_examples_matrix_gaps() -> None:
    m = examples_matrix(small())
    assert m.networks == ["instagram", "facebook"]
    assert len(m.cell("brand", "instagram")) == 2
    assert m.gaps == [("brand", "facebook"), ("tips", "instagram")]
    assert m.tactic_gaps == ["g"]
    assert (m.filled, m.total) == (2, 5)  # 2 pillars x 2 networks + 1 tactic; 2 cells filled


def test_checklist_items() -> None:
    by_key = {f.key: f for f in checklist(small(), today=TODAY)}
    assert list(by_key) == [
        "audience",
        "personality",
        "ecosystem",
        "schedule",
        "pillars",
        "tactics",
        "examples",
        "kpis",
    ]
    audience = {c.label: c for c in by_key["audience"].checks}
    assert audience["At least one persona"].done
    assert audience["Interests for every persona"].done
    assert not audience["Demographics for every persona"].done
    assert audience["Demographics for every persona"].detail == "missing: ana"
    assert audience["Reviewed within its interval"].detail == "missing: ana"
    eco = {c.label: c for c in by_key["ecosystem"].checks}
    assert eco["A role for every network"].detail == "missing: facebook"
    sched = {c.label: c for c in by_key["schedule"].checks}
    assert sched["A schedule for every network"].detail == "missing: facebook"
    assert sched["Slots cover the minimum frequency"].detail == "missing: instagram"
    pillars = {c.label: c for c in by_key["pillars"].checks}
    assert pillars["Weights sum to 100"].detail == "sum is 90"
    assert pillars["A description for every pillar"].detail == "missing: brand"
    assert pillars["Keywords or hashtags for every pillar"].detail == "missing: tips"
    examples = by_key["examples"].checks
    assert examples[0].label == "An example for every pillar on every network (2/4)"
    assert examples[0].detail == "missing: brand on facebook, tips on instagram"
    assert examples[1].detail == "missing: g"
    assert by_key["personality"].done == 0 and by_key["personality"].total == 7
    assert not by_key["kpis"].checks[0].done


def test_full_template_is_complete() -> None:
    s = validate_text(template_text("clothing-store"), today=TODAY).strategy
    assert s is not None
    lists = checklist(s, today=TODAY)
    assert all(f.complete for f in lists), [(f.key, c.label) for f in lists for c in f.checks if not c.done]
    assert sum(f.total for f in lists) == 36
    m = examples_matrix(s)
    assert (m.filled, m.total) == (14, 14)  # 4 pillars x 3 networks + 2 tactics


def test_overdue_persona_is_flagged() -> None:
    s = validate_text(template_text("clothing-store"), today=TODAY).strategy
    assert s is not None
    audience = checklist(s, today=dt.date(2026, 3, 15))[0]  # young-trendsetter: 2026-01-01 + 60 days = 2026-03-02
    review = next(c for c in audience.checks if c.label == "Reviewed within its interval")
    assert review.detail == "missing: young-trendsetter"
