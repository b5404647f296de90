"""Turn page data into the SVG charts of the HTML pages (the JSON twins carry the numbers, not the drawings)."""

from __future__ import annotations

from typing import Any


def overview(data: dict[str, Any]) -> dict[str, Any]:
    return {}


def analytics(data: dict[str, Any]) -> dict[str, Any]:
    return {}


def influencers(data: dict[str, Any]) -> dict[str, Any]:
    return {}


def profile(data: dict[str, Any]) -> dict[str, Any]:
    return {}
