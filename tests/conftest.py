"""Shared fixtures. Tests that read ../shared/data use ``shared_data`` and skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# $SIGNALBOOST_SHARED_DATA points the shared-data tests at the datasets from anywhere (e.g. a worktree).
SHARED_DATA = Path(os.environ.get("SIGNALBOOST_SHARED_DATA") or ROOT.parent / "shared" / "data")
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _english_after_each_test():  # type: ignore[no-untyped-def]
    """A command run in process leaves its language active, as it does for the rest of a real run (``--lang``, a
    workspace's ``brand.language``, ``init --lang nb``): every test starts the next one in English."""
    yield
    from signalboost import i18n

    i18n.set_override(None)


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` beside the project (or ``$SIGNALBOOST_SHARED_DATA``), or skip the test."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (a user's clone); this test needs the real datasets")
    return SHARED_DATA


@pytest.fixture
def test_data() -> Path:
    """Golden inputs shipped with the tests."""
    return TEST_DATA


@pytest.fixture
def workspace(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh workspace in a temporary folder: its database exists (migrated), nothing is imported.

    (A bare folder is not a workspace: the viewing commands refuse it rather than create a database there.)"""
    from signalboost.store.workspace import Workspace

    ws = Workspace.open(tmp_path / "ws", create=True)
    with ws.connect():
        pass
    return ws
