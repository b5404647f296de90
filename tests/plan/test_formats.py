"""A planned post's format is one its network's ecosystem entry lists (docs/calendar.md, "Formats")."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from signalboost.model.strategy import Strategy
from signalboost.model.templates import TEMPLATES, template_text
from signalboost.model.vocab import FORMATS
from signalboost.plan.calendar import make_plan
from signalboost.plan.formats import NEIGHBOURS, closest_format

from .helpers import strategy

MONDAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("wanted", "listed", "expected", "changed"),
    [
        ("reel", ["short", "live"], "short", True),  # vertical video -> vertical video
        ("photo", ["text", "carousel"], "carousel", True),  # still image -> still image, not the first listed
        ("link", ["photo", "text"], "text", True),
        ("live", ["photo", "video"], "video", True),
        ("photo", ["short", "live"], "short", True),  # nothing close: the network's first format
        ("text", ["live", "short"], "live", True),
        ("reel", ["photo", "reel"], "reel", False),  # listed: kept
        ("poll", [], "poll", False),  # the network lists no formats: nothing to check against
    ],
)
def test_closest_format(wanted: str, listed: list[str], expected: str, changed: bool) -> None:
    fmt, why = closest_format(wanted, listed)
    assert fmt == expected
    assert (why is not None) is changed


def test_every_vocabulary_format_has_neighbours_from_the_vocabulary() -> None:
    assert set(NEIGHBOURS) == set(FORMATS)
    for fmt, near in NEIGHBOURS.items():
        assert fmt not in near and set(near) <= set(FORMATS)


def _tiktok_strategy():  # type: ignore[no-untyped-def]
    return strategy(
        ecosystem=[
            {"network": "instagram", "formats": ["photo", "reel"]},
            {"network": "tiktok", "formats": ["short", "live"]},
        ],
        schedule={
            "networks": {
                "instagram": {"min_posts_per_week": 2, "slots": {"tue": ["19:30"], "fri": ["12:30"]}},
                "tiktok": {"min_posts_per_week": 2, "slots": {"tue": ["20:00"], "thu": ["20:00"]}},
            }
        },
        tactics=[
            {
                "id": "give",
                "name": "Giveaway",
                "goal": "engagement",
                "rrule": "FREQ=MONTHLY;BYDAY=1FR",
                "networks": ["instagram", "tiktok"],
                "pillars": ["fun"],
                "kpis": ["ig-er", "tt-views"],
            },
            {
                "id": "tip",
                "name": "Tip Tuesday",
                "goal": "reach",
                "rrule": "FREQ=WEEKLY;BYDAY=TU",
                "time": "19:30",
                "networks": ["instagram", "tiktok"],
                "pillars": ["edu"],
            },
        ],
        examples=[
            {"network": "instagram", "tactic": "give", "format": "photo", "text": "Win!", "kpis": ["ig-er"]},
            {"network": "instagram", "tactic": "tip", "format": "reel", "text": "Tip of the week"},
        ],
        kpis=[
            {"id": "ig-er", "metric": "engagement_rate_reach", "network": "instagram", "target": 0.05},
            {"id": "tt-views", "metric": "views", "network": "tiktok", "target": 1000},
        ],
    )


def test_tiktok_tactic_posts_take_a_tiktok_format_and_tiktok_kpis() -> None:
    result = make_plan(_tiktok_strategy(), MONDAY, 2)
    tactic = {(p.network, p.tactic, p.local.date()): p for p in result.posts if p.kind == "tactic"}
    # first Friday 2026-03-06; Tuesdays 03-03 and 03-10
    give_ig = tactic[("instagram", "give", dt.date(2026, 3, 6))]
    give_tt = tactic[("tiktok", "give", dt.date(2026, 3, 5))]  # nearest TikTok slot: Thu 20:00 (16 h before)
    tip_tt = tactic[("tiktok", "tip", dt.date(2026, 3, 3))]
    assert (give_ig.format, give_ig.kpis) == ("photo", ("ig-er",))
    assert give_tt.format == "short"  # photo has no close TikTok format: TikTok's first listed format
    assert give_tt.kpis == ("tt-views",)  # the example's ig-er is an Instagram KPI; the tactic's TikTok one
    assert give_tt.draft == "Win!"  # the example's text, to adapt
    assert tip_tt.format == "short" and tip_tt.kpis == ("tt-views",)  # reel -> short; no KPI: TikTok's first
    assert {(p.network, p.format) for p in result.posts if p.network == "tiktok"} <= {("tiktok", "short")}
    tt_notes = [n for n in result.notes if n.startswith("tiktok: the tactic")]
    assert len(tt_notes) == 2  # one note per network, tactic and format, not one per post
    assert any("tip example is a reel (written for instagram); planned as short, the closest" in n for n in tt_notes)
    assert any(
        "give example is a photo (written for instagram); planned as short, its first format" in n for n in tt_notes
    )
    assert not [n for n in result.notes if n.startswith("instagram: the")]


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_plans_only_listed_formats(name: str) -> None:
    s = Strategy.model_validate(yaml.safe_load(template_text(name)))
    listed = {r.network: set(r.formats) for r in s.ecosystem if r.formats}
    result = make_plan(s, MONDAY, 6, skip_empty_tactics=True)
    assert result.posts
    for p in result.posts:
        if p.network in listed:
            assert p.format in listed[p.network], (p.network, p.tactic, p.format)
        scopes = {k.id: k.network for k in s.kpis}
        assert all(scopes.get(k) in (None, p.network) for k in p.kpis), (p.network, p.kpis)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    wanted=st.sampled_from(FORMATS),
    listed=st.lists(st.sampled_from(FORMATS), min_size=1, max_size=4, unique=True),
)
def test_closest_format_is_always_listed_and_prefers_neighbours(wanted: str, listed: list[str]) -> None:
    fmt, why = closest_format(wanted, listed)
    assert fmt in listed
    assert (why is None) == (wanted in listed)
    near = [f for f in NEIGHBOURS[wanted] if f in listed]
    if wanted not in listed:
        assert fmt == (near[0] if near else listed[0])
