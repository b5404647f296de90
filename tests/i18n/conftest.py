"""Fixtures of the Norwegian CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from signalboost.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A new workspace holding the cosmetics template's strategy.yaml (English: ``--lang nb`` must win)."""
    from signalboost.model.templates import write_template

    root = tmp_path / "ws"
    workspace = Workspace.open(root, create=True)
    write_template("cosmetics", workspace.strategy_path, force=True)
    return root
