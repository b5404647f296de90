"""Round trip: load, change one value, save — the diff is exactly that one line; comments, order and quotes stay."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from signalboost.errors import StrategyError
from signalboost.model.io import StrategyDocument
from signalboost.model.templates import TEMPLATES, template_text


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("name", TEMPLATES)
def test_unchanged_document_saves_identically(tmp_path: Path, name: str) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(template_text(name), encoding="utf-8")
    StrategyDocument.load(path).save()
    assert path.read_text(encoding="utf-8") == template_text(name)


def test_change_one_value_changes_one_line(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    original = template_text("clothing-store")
    path.write_text(original, encoding="utf-8")
    doc = StrategyDocument.load(path)
    assert doc.get(("schedule", "networks", "instagram", "min_posts_per_week")) == 5
    doc.set(("schedule", "networks", "instagram", "min_posts_per_week"), 6)
    doc.save()
    after = path.read_text(encoding="utf-8")
    assert changed_lines(original, after) == ["-      min_posts_per_week: 5", "+      min_posts_per_week: 6"]
    # comments, key order and quotes survive
    assert "# 4. FREQUENCY & SCHEDULE" in after
    assert '        mon: ["08:30"]' in after
    assert (
        StrategyDocument.load(path)
        .strategy(today=dt.date(2026, 1, 2))
        .schedule.networks["instagram"]
        .min_posts_per_week
        == 6
    )


def test_change_a_list_item_in_flow_style(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    original = template_text("cosmetics")
    path.write_text(original, encoding="utf-8")
    doc = StrategyDocument.load(path)
    pillars = doc.get(("pillars",))
    index = [p["id"] for p in pillars].index("action")
    doc.set(("pillars", index, "hashtags", 1), "#luminadeals")
    doc.save()
    assert changed_lines(original, path.read_text(encoding="utf-8")) == [
        '-    hashtags: ["#luminacontest", "#luminaoffer"]',
        '+    hashtags: ["#luminacontest", "#luminadeals"]',
    ]


def test_save_to_other_path_leaves_original(tmp_path: Path) -> None:
    src = tmp_path / "a.yaml"
    src.write_text(template_text("blank"), encoding="utf-8")
    doc = StrategyDocument.load(src)
    doc.set(("brand", "name"), "Zed")
    out = doc.save(tmp_path / "b.yaml")
    assert src.read_text(encoding="utf-8") == template_text("blank")
    assert changed_lines(template_text("blank"), out.read_text(encoding="utf-8")) == [
        "-  name: MY BRAND",
        "+  name: Zed",
    ]
    assert not list(tmp_path.glob(".strategy-*"))  # the temporary file was renamed away


def test_document_validate_reports_edit_problems() -> None:
    doc = StrategyDocument.loads(template_text("clothing-store"))
    pillars = doc.get(("pillars",))
    doc.set(("pillars", len(pillars) - 1, "weight"), 5)
    assert doc.strategy(today=dt.date(2026, 1, 2)).pillars[-1].weight == 5  # lenient: the model reads
    with pytest.raises(StrategyError) as info:
        doc.strategy(today=dt.date(2026, 1, 2), strict=True)
    assert info.value.what == "pillar weights sum to 95, not 100 (at pillars)"
    text = template_text("clothing-store")
    pillars_line = text.splitlines().index("pillars:") + 1
    assert info.value.where == f"strategy.yaml:{pillars_line}:1"


def test_loads_invalid_yaml_has_position() -> None:
    with pytest.raises(StrategyError) as info:
        StrategyDocument.loads("a: [1, 2\n", source="x.yaml")
    assert info.value.where == "x.yaml:2:1"
    assert info.value.what.startswith("invalid YAML: expected ',' or ']'")


def test_load_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(StrategyError, match="the file is empty"):
        StrategyDocument.load(path)
