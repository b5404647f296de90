"""The starter templates: complete, valid, commented, and faithful to the method's example."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr

from signalboost.errors import StrategyError, UsageError
from signalboost.model.templates import TEMPLATES, render_template, template_text, write_template
from signalboost.model.validate import validate_text
from signalboost.model.vocab import NETWORKS

TODAY = dt.date(2026, 1, 15)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_validates_clean(name: str) -> None:
    report = validate_text(template_text(name), source=name, today=TODAY)
    assert report.problems == [], report.lines()
    assert report.strategy is not None


@pytest.mark.parametrize("name", TEMPLATES)
def test_rendered_template_is_clean_today(name: str) -> None:
    day = dt.date(2031, 7, 4)
    report = validate_text(render_template(name, today=day), today=day)
    assert report.problems == []
    assert report.strategy is not None
    assert {p.last_reviewed for p in report.strategy.audience.personas} == {day}
    assert report.strategy.schedule.last_reviewed == day


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_explains_each_section(name: str) -> None:
    text = template_text(name)
    for heading in (
        "1. AUDIENCE",
        "2. PERSONALITY",
        "3. ECOSYSTEM",
        "4. FREQUENCY & SCHEDULE",
        "5. PILLARS",
        "6. TACTICS",
        "7. EXAMPLES",
        "# KPIs",
    ):
        assert heading in text, heading


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_networks_are_known(name: str) -> None:
    strategy = validate_text(template_text(name), today=TODAY).strategy
    assert strategy is not None
    assert set(strategy.network_ids()) <= set(NETWORKS)


def test_clothing_store_follows_the_method() -> None:
    s = validate_text(template_text("clothing-store"), today=TODAY).strategy
    assert s is not None
    assert [(p.id, p.weight) for p in s.pillars] == [("brand", 40), ("fashion", 30), ("beauty", 20), ("wellness", 10)]
    giveaway = next(t for t in s.tactics if t.id == "monthly-giveaway")
    assert giveaway.rrule == "FREQ=MONTHLY;BYDAY=1FR"
    assert giveaway.goal == "engagement"
    assert giveaway.hashtag.startswith("#")
    for word in ("Comment", "share", "post", giveaway.hashtag):
        assert word in giveaway.mechanics
    # the first Fridays of 2026 from January: 2 Jan, 6 Feb, 6 Mar (Jan 1 2026 is a Thursday)
    rule = rrulestr(giveaway.rrule, dtstart=dt.datetime(2026, 1, 1))
    assert [d.date() for d in rule[:3]] == [dt.date(2026, 1, 2), dt.date(2026, 2, 6), dt.date(2026, 3, 6)]


def test_cosmetics_matches_the_demo_data() -> None:
    s = validate_text(template_text("cosmetics"), today=TODAY).strategy
    assert s is not None
    assert s.brand.timezone == "Europe/Lisbon"
    assert {"facebook", "instagram"} <= set(s.network_ids()) and len(s.network_ids()) >= 3
    assert [(p.id, p.weight) for p in s.pillars] == [
        ("product", 40),
        ("inspiration", 30),
        ("action", 20),
        ("education", 10),
    ]
    assert all(p.keywords and p.hashtags for p in s.pillars)
    fb = {k.metric for k in s.kpis if k.network == "facebook"}
    assert {"engagement_rate_reach", "reach"} <= fb
    assert s.tactics


def test_blank_is_minimal() -> None:
    s = validate_text(template_text("blank"), today=TODAY).strategy
    assert s is not None
    assert (len(s.audience.personas), len(s.ecosystem), len(s.pillars), len(s.tactics)) == (1, 1, 1, 0)
    assert s.pillars[0].weight == 100


def test_brand_name_is_replaced_keeping_comments() -> None:
    text = render_template("cafe", today=TODAY, brand_name="Café Zoë")
    assert "  name: Café Zoë\n" in text
    assert text.count("\n") == template_text("cafe").count("\n")
    report = validate_text(text, today=TODAY)
    assert report.strategy is not None and report.strategy.brand.name == "Café Zoë"


def test_unknown_template_suggests() -> None:
    with pytest.raises(UsageError) as info:
        template_text("clothing")
    assert info.value.what == "unknown template 'clothing'; did you mean 'clothing-store'?"


def test_write_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    write_template("blank", path, today=TODAY)
    path.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(StrategyError, match="already exists"):
        write_template("cafe", path)
    assert path.read_text(encoding="utf-8") == "# mine\n"
    write_template("cafe", path, force=True, today=TODAY)
    assert "Corner Roast" in path.read_text(encoding="utf-8")
