"""SNAP Higgs activity and edge lists: hand-counted fixtures, published totals, and networkx as a peer reader."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pytest

from signalboost.demo_data import HIGGS_ACTIVITY, demo_file
from signalboost.errors import UsageError
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

from .conftest import counts, snapshot


def test_higgs_small_with_rejects_and_duplicate(workspace: Workspace, ingest_data: Path) -> None:
    [res] = import_files(workspace, [ingest_data / "higgs_small.txt"], progress=False)
    assert res.format == "higgs-activity" and res.platform == "x"
    assert (res.rows_read, res.rows_loaded, res.rows_duplicate, res.rows_merged, res.rows_rejected) == (6, 3, 0, 1, 2)
    rows = {(r["actor_id"], r["kind"], r["target_account_id"]): r for r in workspace.interactions().to_dicts()}
    assert set(rows) == {("10", "repost", "20"), ("10", "mention", "30"), ("11", "reply", "20")}
    first = rows[("10", "repost", "20")]
    assert first["occurred_at"] == datetime(2012, 7, 1, 0, 2, 52, tzinfo=UTC)  # 1341100972
    assert first["target_post_id"] == ""
    rejects = sorted((r["line"], r["reason"]) for r in workspace.table("rejects").to_dicts())
    assert rejects[0][0] == 4 and "notatime" in rejects[0][1]
    assert rejects[1][0] == 5 and "XX" in rejects[1][1]


def test_higgs_platform_override(workspace: Workspace, ingest_data: Path) -> None:
    import_files(workspace, [ingest_data / "higgs_small.txt"], platform="twitter-archive", progress=False)
    assert set(workspace.interactions()["platform"]) == {"twitter-archive"}


@pytest.mark.slow
def test_bundled_higgs_matches_snap_totals(workspace: Workspace) -> None:
    [res] = import_files(workspace, [demo_file(*HIGGS_ACTIVITY)], progress=False)
    assert (res.rows_read, res.rows_loaded, res.rows_rejected) == (563_069, 563_069, 0)
    kinds = dict(workspace.query("SELECT kind, count(*) FROM interactions GROUP BY 1").rows())
    assert kinds == {"repost": 354_930, "mention": 171_237, "reply": 36_902}  # SNAP's published figures
    lo, hi = workspace.query("SELECT min(occurred_at), max(occurred_at) FROM interactions").row(0)
    assert (lo.timestamp(), hi.timestamp()) == (1341100972, 1341705593)
    [again] = import_files(workspace, [demo_file(*HIGGS_ACTIVITY)], progress=False)
    assert (again.rows_loaded, again.rows_duplicate) == (0, 563_069)
    assert counts(workspace)["interactions"] == 563_069


def test_edge_list_as_follows_matches_networkx(workspace: Workspace, ingest_data: Path) -> None:
    path = ingest_data / "tiny_follows.txt"
    [res] = import_files(workspace, [path], platform="facebook", progress=False)
    assert res.format == "edgelist"
    assert any("follows" in w for w in res.warnings)
    peer = nx.read_edgelist(path, create_using=nx.DiGraph, nodetype=str, comments="#")
    ours = {(r["follower_id"], r["followee_id"]) for r in workspace.follows().to_dicts()}
    assert ours == set(peer.edges())
    assert (res.rows_read, res.rows_loaded, res.rows_duplicate, res.rows_merged) == (5, 4, 0, 1)
    assert all(workspace.follows()["active"])


def test_weighted_edge_list_kind_from_name(workspace: Workspace, ingest_data: Path, tmp_path: Path) -> None:
    path = ingest_data / "tiny-retweet_network.edgelist"
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert res.rows_rejected == 1
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["line"] == 4 and "weight x" in rej["reason"]
    good = tmp_path / "good.edgelist"
    good.write_text("".join(ln + "\n" for ln in path.read_text().splitlines() if not ln.endswith("x")))
    peer = nx.read_weighted_edgelist(good, create_using=nx.DiGraph, nodetype=str)
    ours = {(r["actor_id"], r["target_account_id"]): r["weight"] for r in workspace.interactions().to_dicts()}
    assert ours == {(u, v): d["weight"] for u, v, d in peer.edges(data=True)}
    assert set(workspace.interactions()["kind"]) == {"repost"}


def test_edge_list_needs_platform_and_valid_kind(workspace: Workspace, ingest_data: Path) -> None:
    with pytest.raises(UsageError, match=r"which network|does not say"):
        import_files(workspace, [ingest_data / "tiny_follows.txt"], progress=False)
    with pytest.raises(UsageError, match="unknown kind"):
        import_files(workspace, [ingest_data / "tiny_follows.txt"], platform="x", kind="hug", progress=False)
    assert counts(workspace)["follows"] == 0


def test_gzipped_edge_list(workspace: Workspace, ingest_data: Path, tmp_path: Path) -> None:
    import gzip

    gz = tmp_path / "tiny_follows.txt.gz"
    gz.write_bytes(gzip.compress((ingest_data / "tiny_follows.txt").read_bytes()))
    [res] = import_files(workspace, [gz], platform="facebook", kind="follows", progress=False)
    assert (res.rows_loaded, res.rows_duplicate, res.rows_merged) == (4, 0, 1)


def test_same_actions_on_two_platforms_then_reimport(workspace: Workspace, ingest_data: Path) -> None:
    """The anti-join is skipped when the table holds no row of the platform; that must not lose de-duplication:
    the same 4 valid lines (one repeated, so merged) load as 3 rows per platform; re-importing changes nothing."""
    path = ingest_data / "higgs_small.txt"
    [x] = import_files(workspace, [path], platform="x", progress=False)
    [m] = import_files(workspace, [path], platform="mastodon", progress=False)
    assert (x.rows_loaded, x.rows_duplicate, x.rows_merged) == (3, 0, 1)
    assert (m.rows_loaded, m.rows_duplicate, m.rows_merged) == (3, 0, 1)  # x's rows are not mastodon's duplicates
    before = snapshot(workspace)
    [again] = import_files(workspace, [path], platform="x", progress=False)
    assert (again.rows_read, again.rows_loaded, again.rows_duplicate, again.rows_merged) == (6, 0, 3, 1)
    assert again.rows_rejected == 2
    assert snapshot(workspace) == before
    per_platform = workspace.query("SELECT platform, count(*) AS n FROM interactions GROUP BY 1 ORDER BY 1")
    assert per_platform.rows() == [("mastodon", 3), ("x", 3)]


@pytest.mark.parametrize(
    ("lines", "name", "expected"),
    [
        ([b"1 2 1082008273", b"3 4 7"], "CollegeMsg.txt", "unix"),  # one value from 10^8 on: Unix seconds
        ([b"1 2 99999999", b"3 4 5"], "x.txt", "weight"),  # below 10^8 (1973-03-03): a weight
        ([b"582 364 0", b"168 472 2797"], "email-Eu-core-temporal.txt", "relative"),
        ([b"582 364 2797", b"168 472 0"], "email-Eu-core-temporal.txt", "weight"),  # decreasing: not times
        ([b"582 364 0", b"168 472 2797"], "email.txt", "weight"),  # nothing says "temporal"
        ([b"1 2 1.5e9"], "x.txt", "weight"),  # not a whole number
        ([b"1 2"], "x.txt", "weight"),
    ],
)
def test_third_column_of_an_edge_list(lines: list[bytes], name: str, expected: str) -> None:
    from signalboost.ingest.formats.edgelist import third_column

    assert third_column(lines, name) == expected


def test_timed_edge_list_needs_a_kind_and_a_time_outside_the_window_is_a_reject(
    workspace: Workspace, tmp_path: Path
) -> None:
    timed = tmp_path / "sx-superuser.txt"
    # 2008-08-01 05:17:57, 2001-09-09 01:46:40 (before 2004: implausible), 5138-11-16 (the future)
    timed.write_text("9 8 1217567877\n1 2 1000000000\n3 4 99999999999\n", encoding="utf-8")
    with pytest.raises(UsageError, match="holds times") as info:
        import_files(workspace, [timed], platform="x", progress=False)
    assert "--kind" in str(info.value.hint)
    [res] = import_files(workspace, [timed], platform="x", kind="reply", progress=False)
    assert (res.rows_loaded, res.rows_rejected) == (1, 2)
    reasons = sorted(r["reason"] for r in workspace.table("rejects").to_dicts())
    assert "2001-09-09 is before 2004-01-01" in reasons[0] and "in the future" in reasons[1]
    [(when,)] = workspace.query("SELECT occurred_at FROM interactions").rows()
    assert when == datetime(2008, 8, 1, 5, 17, 57, tzinfo=UTC)


@pytest.mark.parametrize("name", ["0.circles", "107.feat", "348.egofeat", "414.featnames"])
def test_ego_network_side_files_are_refused_with_what_to_import(
    workspace: Workspace, tmp_path: Path, name: str
) -> None:
    side = tmp_path / name
    side.write_text("circle0\t71\t215\n" if name.endswith("circles") else "1 0 1 0\n", encoding="utf-8")
    with pytest.raises(UsageError, match="circles or profile-features") as info:
        import_files(workspace, [side], platform="facebook", progress=False)
    assert ".edges" in str(info.value.hint)
