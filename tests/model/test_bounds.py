"""Issue 18 (items 10 and 13): hostile numbers, dates and nesting in strategy.yaml are located errors, never a
traceback; a document nested 10,000 deep (flow) or 2,000 deep (block) is refused within a second."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from signalboost.errors import StrategyError
from signalboost.model.io import MAX_DEPTH, StrategyDocument, load_strategy
from signalboost.model.validate import validate_text
from tests.model.test_validate import TODAY, doc

# base.yaml line 10 is "      last_reviewed: 2026-01-01", 11 "      review_every_days: 90", 26 "    weight: 60"
HOSTILE = [
    (26, "    weight: 1e309", "pillars[0].weight should be a finite number", 26, 13),
    (26, "    weight: .inf", "pillars[0].weight should be a finite number", 26, 13),
    (26, "    weight: -.inf", "pillars[0].weight should be a finite number", 26, 13),
    (26, "    weight: .nan", "pillars[0].weight should be a finite number", 26, 13),
    (10, "      last_reviewed: 9999-12-31", "the date 9999-12-31 is out of range", 10, 22),
    (10, "      last_reviewed: 0001-01-01", "the date 0001-01-01 is out of range", 10, 22),
    (11, "      review_every_days: 99999999999", "should be less than or equal to 3660", 11, 26),
]


@pytest.mark.parametrize(("line", "text", "message", "at_line", "at_col"), HOSTILE)
def test_out_of_range_values_are_located_errors(line: int, text: str, message: str, at_line: int, at_col: int) -> None:
    report = validate_text(doc(replace={line: text}), today=TODAY)
    hits = [p for p in report.errors if message in p.message]
    assert hits, report.lines()
    assert (hits[0].line, hits[0].column) == (at_line, at_col)


def test_a_huge_integer_weight_is_an_error_not_a_traceback() -> None:
    report = validate_text(doc(replace={26: "    weight: " + "9" * 400}), today=TODAY)
    assert any(p.line == 26 and p.path == ("pillars", 0, "weight") for p in report.errors), report.lines()


DEEP = {
    "flow list 10,000": "brand: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "flow map 10,000": "brand: " + "{a: " * 10_000 + "}" * 10_000 + "\n",
    "flow 100,000": "brand: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "block map 2,000": "".join(" " * i + "a:\n" for i in range(2_000)),
    "block list 2,000": "".join("  " * i + "-\n" for i in range(2_000)),
    "compact list 3,000": "brand:\n" + "- " * 3_000 + "x\n",
}


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_nesting_is_refused_quickly(name: str) -> None:
    report = validate_text(DEEP[name])  # the time (< 1 s asked; 4-20 ms measured) is in benchmarks/bench_validate
    assert [p.code for p in report.errors] == ["too-deep"]
    assert f"more than {MAX_DEPTH} levels deep" in report.errors[0].message
    assert report.errors[0].line is not None


def test_nesting_at_the_limit_is_read() -> None:
    text = "brand:\n  name: B\n  handles: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n"
    assert all(p.code != "too-deep" for p in validate_text(text).problems)


def test_deep_file_is_a_strategy_error(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(DEEP["block map 2,000"], encoding="utf-8")
    with pytest.raises(StrategyError, match="nested more than"):
        load_strategy(path)
    with pytest.raises(StrategyError, match="nested more than"):
        StrategyDocument.loads(DEEP["flow list 10,000"])


@pytest.mark.parametrize(
    ("line", "text"), [(26, "    weight: 1e309"), (10, "      last_reviewed: 9999-12-31"), (0, "")]
)
def test_validate_cli_reports_without_traceback(tmp_path: Path, line: int, text: str) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(doc(replace={line: text}) if line else DEEP["flow list 10,000"], encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert f"{path}:{line or 1}:" in proc.stdout + proc.stderr
