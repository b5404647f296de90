"""The language setting: ``brand.language`` in strategy.yaml, ``--lang`` per command, and the analytics report
written in the chosen language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from signalboost import i18n
from signalboost.cli.main import main
from signalboost.model.validate import validate_text

BASE = (Path(__file__).resolve().parents[1] / "data" / "strategy" / "base.yaml").read_text(encoding="utf-8")
TODAY = dt.date(2026, 1, 15)


def _with_language(value: str) -> str:
    out = re.sub(r"(?m)^brand:\n", f"brand:\n  language: {value}\n", BASE, count=1)
    assert out != BASE
    return out


def test_brand_language_nb_is_valid_and_read() -> None:
    report = validate_text(_with_language("nb"), today=TODAY)
    assert report.strategy is not None and report.strategy.brand.language == "nb"


def test_brand_language_defaults_to_english() -> None:
    report = validate_text(BASE, today=TODAY)
    assert report.strategy is not None and report.strategy.brand.language == "en"


def test_an_unknown_brand_language_is_an_error_at_its_line() -> None:
    text = _with_language("nn")
    report = validate_text(text, today=TODAY)
    problems = [p for p in report.problems if p.level == "error"]
    assert len(problems) == 1
    p = problems[0]
    line = text.splitlines().index("  language: nn") + 1
    assert p.line == line
    assert "unknown language 'nn'" in p.message and "en, nb" in p.message


def test_cli_refuses_an_unknown_lang_with_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr", "schema"]) == 2
    err = capsys.readouterr().err
    assert "--lang" in err and "unknown language 'fr'" in err and "en, nb" in err


def test_cli_error_lines_are_in_norwegian_with_lang_nb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "nb", "report", "-w", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Feil:")


def test_strategy_language_is_adopted_by_commands(tmp_path: Path) -> None:
    from signalboost.cli.common import adopt_language

    path = tmp_path / "strategy.yaml"
    path.write_text(_with_language("nb"), encoding="utf-8")
    i18n.set_override(None)
    assert adopt_language(path) == "nb"
    i18n.set_override("en")  # --lang en wins over the strategy
    assert adopt_language(path) == "en"
    i18n.set_override(None)
    assert adopt_language(tmp_path / "missing.yaml") == "en"


def test_validate_speaks_the_strategy_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "strategy.yaml").write_text(_with_language("nb"), encoding="utf-8")
    code = main(["validate", "-w", str(tmp_path)])
    out = capsys.readouterr().out
    assert code in (0, 1)
    # base.yaml has warnings (examples missing) or none; either way the summary is Norwegian
    assert re.search(r"strategy\.yaml: (gyldig|\d+ feil|gyldig med \d+ advars)", out), out
    assert main(["--lang", "en", "validate", "-w", str(tmp_path)]) == code
    assert re.search(r"strategy\.yaml: (valid|\d+ errors?)", capsys.readouterr().out)


def test_the_strategy_language_is_parsed_once_per_text_and_never_stale(tmp_path: Path, monkeypatch: Any) -> None:
    """``peek_language`` keeps its answer per text of strategy.yaml (one command asks up to three times, ~0.1 CPU-s
    a parse): the same text is parsed once; an edited file (even one of the same size) is read anew."""
    from signalboost.model import io

    parses: list[str] = []
    real_yaml = io.YAML

    class CountingYAML(real_yaml):  # type: ignore[misc,valid-type]
        def load(self, stream: Any) -> Any:
            parses.append(str(stream))
            return super().load(stream)

    monkeypatch.setattr(io, "YAML", CountingYAML)
    io._language_of.cache_clear()
    path = tmp_path / "strategy.yaml"
    path.write_text("brand:\n  name: Test\n  language: nb\n", encoding="utf-8")
    assert [io.peek_language(path) for _ in range(3)] == ["nb", "nb", "nb"]
    assert len(parses) == 1
    path.write_text("brand:\n  name: Test\n  language: en\n", encoding="utf-8")  # same size, new text
    assert io.peek_language(path) == "en"
    path.write_text("brand: [unclosed\n", encoding="utf-8")
    assert io.peek_language(path) is None  # unreadable YAML: no language, as before
    assert len(parses) == 3
