"""Fixtures of the analytics tests: the bundled UCI data loaded by the real importer, and a filled workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from signalboost.demo_data import UCI_FACEBOOK, demo_file
from signalboost.store.workspace import Workspace

TEST_STRATEGY = Path(__file__).resolve().parents[1] / "data" / "analytics" / "strategy.yaml"


def import_uci(ws: Workspace) -> None:
    """Import the bundled UCI Facebook metrics file with the product's importer."""
    from signalboost.ingest.pipeline import import_files

    import_files(ws, [demo_file(*UCI_FACEBOOK)], progress=False)


@pytest.fixture(scope="session")
def uci_frames(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(posts, post_metrics, account_snapshots) of the bundled UCI file, as the importer stores them."""
    ws = Workspace.open(tmp_path_factory.mktemp("uci") / "ws", create=True)
    import_uci(ws)
    return ws.posts(), ws.post_metrics(), ws.table("account_snapshots")


@pytest.fixture
def uci_workspace(workspace: Workspace) -> Workspace:
    """A workspace holding the imported UCI posts and the test strategy (Europe/Lisbon, four pillars, KPIs)."""
    import_uci(workspace)
    shutil.copy(TEST_STRATEGY, workspace.strategy_path)
    return workspace
