"""``--kind friendships``: an undirected edge list (SNAP ego-Facebook) loads a follow each way (issue #12).
Expected sets by hand, and networkx's ``Graph.to_directed`` as a peer."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from signalboost.errors import UsageError
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

# 1-2 written both ways (adds nothing more), 1-3 and 3-4 once, 4-4 a self-loop (its own reverse)
LINES = "# ego\n1 2\n2 1\n1 3\n3 4\n4 4\n"


def _follows(ws: Workspace) -> set[tuple[str, str]]:
    return {(r["follower_id"], r["followee_id"]) for r in ws.follows().to_dicts()}


def test_each_line_is_a_follow_each_way(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "0.edges"
    path.write_text(LINES)
    [res] = import_files(workspace, [path], kind="friendships", platform="facebook", progress=False)
    expected = {("1", "2"), ("2", "1"), ("1", "3"), ("3", "1"), ("3", "4"), ("4", "3"), ("4", "4")}
    assert _follows(workspace) == expected
    peer = nx.Graph([(a, b) for a, b in (ln.split() for ln in LINES.splitlines()[1:])])
    assert set(peer.to_directed().edges()) == expected
    assert (res.rows_read, res.rows_loaded, res.rows_duplicate, res.rows_rejected) == (5, 7, 0, 0)
    assert any("--kind friendships" in n for n in res.notes)
    # the same file again: nothing new, nothing doubled
    [again] = import_files(workspace, [path], kind="friendships", platform="facebook", progress=False)
    assert (again.rows_read, again.rows_loaded, again.rows_duplicate) == (5, 0, 7)
    assert len(workspace.follows()) == 7


def test_follows_stay_one_way(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "0.edges"
    path.write_text(LINES)
    [res] = import_files(workspace, [path], kind="follows", platform="facebook", progress=False)
    assert _follows(workspace) == {("1", "2"), ("2", "1"), ("1", "3"), ("3", "4"), ("4", "4")}
    assert res.rows_loaded == 5


def test_a_rejected_line_gives_no_reverse(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "0.edges"
    path.write_text("1 2\n5\n2 3\n")  # line 2 has one node id: a reject, and no follow either way
    [res] = import_files(workspace, [path], kind="friendships", platform="facebook", progress=False)
    assert _follows(workspace) == {("1", "2"), ("2", "1"), ("2", "3"), ("3", "2")}
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (3, 4, 1)
    assert [r["line"] for r in workspace.table("rejects").to_dicts()] == [2]


def test_friendships_refused_for_a_file_whose_rows_say_what_they_are(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "activity.txt"
    path.write_text("223789 213163 1341100972 MT\n")
    with pytest.raises(UsageError):
        import_files(workspace, [path], kind="friendships", progress=False)
    assert len(workspace.interactions()) == 0
