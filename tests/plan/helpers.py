"""Strategies built in Python for the plan tests."""

from __future__ import annotations

from typing import Any

from signalboost.model.strategy import Strategy


def strategy(**over: Any) -> Strategy:
    """A small valid strategy; keyword arguments replace top-level sections."""
    doc: dict[str, Any] = {
        "brand": {"name": "Test", "timezone": "Europe/Oslo"},
        "ecosystem": [{"network": "instagram", "formats": ["reel", "photo"]}, {"network": "x"}],
        "schedule": {
            "networks": {
                "instagram": {"min_posts_per_week": 3, "slots": {"mon": ["09:00"], "wed": ["18:00"], "sat": ["11:00"]}},
                "x": {"min_posts_per_week": 5, "slots": {d: ["12:00"] for d in ("mon", "tue", "wed", "thu", "fri")}},
            }
        },
        "pillars": [
            {"id": "edu", "name": "Education", "weight": 40},
            {"id": "fun", "name": "Fun", "weight": 30},
            {"id": "prod", "name": "Product", "weight": 20},
            {"id": "team", "name": "Team", "weight": 10},
        ],
        "tactics": [],
        "examples": [
            {"network": "instagram", "pillar": "edu", "format": "carousel", "text": "Three ways to fold a shirt"},
        ],
        "kpis": [{"id": "ig-er", "metric": "engagement_rate_reach", "network": "instagram", "target": 0.05}],
    }
    doc.update(over)
    return Strategy.model_validate(doc)
