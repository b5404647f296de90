from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from signalboost.errors import WorkspaceError, WorkspaceLockedError
from signalboost.store.lock import workspace_lock
from signalboost.store.migrate import available_migrations
from signalboost.store.workspace import Workspace


def test_migrations_create_the_canonical_tables(workspace: Workspace) -> None:
    with workspace.connect() as con:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
    assert {"accounts", "posts", "post_metrics", "follows", "interactions", "imports", "rejects"} <= names
    assert versions == [v for v, _, _ in available_migrations()]


def test_transaction_rolls_back_on_error(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError), workspace.transaction() as con:
        con.execute("INSERT INTO accounts (platform, account_id) VALUES ('x', '1')")
        raise RuntimeError("boom")
    assert workspace.accounts().height == 0
    with workspace.transaction() as con:
        con.execute("INSERT INTO accounts (platform, account_id, handle) VALUES ('x', '1', 'a')")
    frame = workspace.accounts()
    assert frame.height == 1
    assert frame["handle"].to_list() == ["a"]


def test_missing_workspace_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as info:
        Workspace.open(tmp_path / "nope")
    assert "signalboost init" in info.value.message()


def test_lock_waits_then_refuses(tmp_path: Path) -> None:
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with workspace_lock(tmp_path, purpose="import"):
            held.set()
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(5)
    start = time.monotonic()
    with pytest.raises(WorkspaceLockedError) as info, workspace_lock(tmp_path, timeout=0.3):
        pass
    assert time.monotonic() - start >= 0.3
    assert "busy" in info.value.message()
    release.set()
    t.join()
    with workspace_lock(tmp_path, timeout=1):
        pass


def test_notebook_call_returns_a_polars_frame_of_the_imported_posts(tmp_path: Path) -> None:
    """``signalboost.open_workspace(path).posts()`` from a notebook (issue 4): a Polars frame, one row per post."""
    import polars as pl

    import signalboost
    from signalboost.ingest import import_files

    data = Path(__file__).parents[1] / "data" / "ingest" / "uci_small.csv"  # 4 rows, the 'Banner' one rejected
    import_files(Workspace.open(tmp_path, create=True), [data], progress=False)
    ws = signalboost.open_workspace(str(tmp_path))
    posts = ws.posts()
    assert isinstance(posts, pl.DataFrame)
    assert posts.height == 3 and posts["post_id"].n_unique() == 3
    assert set(posts["platform"].to_list()) == {"facebook"}
    assert ws.posts(platform="x").height == 0
    assert posts.to_arrow().num_rows == 3  # Arrow-backed: no copy needed to hand it to pyarrow/duckdb
