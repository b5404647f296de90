"""CLI fixtures: the demo workspace (built once per session) and workspaces in awkward states."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console


@pytest.fixture(scope="session")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace filled by ``signalboost demo`` (bundled UCI Facebook and Higgs data); read-only for tests."""
    from signalboost.demo import run_demo

    path = tmp_path_factory.mktemp("demo") / "ws"
    run_demo(path, console=Console(file=io.StringIO(), width=120))
    return path


@pytest.fixture(scope="session")
def odd_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of workspaces: ``empty`` (valid strategy, nothing imported), ``nostrat``, ``badyaml``, ``invalid``."""
    from signalboost.cli.main import main

    root = tmp_path_factory.mktemp("odd")
    assert main(["init", str(root / "empty"), "--template", "clothing-store"]) == 0
    (root / "nostrat").mkdir()
    for name, text in (("badyaml", "brand: [unclosed\n"), ("invalid", "brand:\n  name: 3\n")):
        (root / name).mkdir()
        (root / name / "strategy.yaml").write_text(text, encoding="utf-8")
    return root
