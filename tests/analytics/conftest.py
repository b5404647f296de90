"""Fixtures of the analytics tests: the bundled UCI data as canonical frames, and a filled workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from signalboost.demo_data import UCI_FACEBOOK, demo_file
from signalboost.store.analytics_sql import insert_frame
from signalboost.store.workspace import Workspace

from .uci import load_uci

TEST_STRATEGY = Path(__file__).resolve().parents[1] / "data" / "analytics" / "strategy.yaml"


@pytest.fixture(scope="session")
def uci_frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(posts, post_metrics, account_snapshots) of the bundled UCI Facebook metrics file."""
    return load_uci(demo_file(*UCI_FACEBOOK))


@pytest.fixture
def uci_workspace(workspace: Workspace, uci_frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]) -> Workspace:
    """A workspace holding the UCI posts and the test strategy (Europe/Lisbon, four pillars, KPIs)."""
    posts, metrics, snaps = uci_frames
    insert_frame(workspace, "posts", posts)
    insert_frame(workspace, "post_metrics", metrics)
    insert_frame(workspace, "account_snapshots", snaps)
    shutil.copy(TEST_STRATEGY, workspace.strategy_path)
    return workspace
