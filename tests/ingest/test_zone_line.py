"""The summary's "times without a zone read as …" line is shown only where a time without a zone was read:
never for Unix times (the Higgs activity file, an edge list, a generic CSV's epoch column), where no zone
question arises (issue #12)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from signalboost.ingest import import_files
from signalboost.ingest.base import ReadOptions
from signalboost.store.workspace import Workspace

ZONE_LINE = "times without a zone read as"


def _zone_lines(notes: list[str]) -> list[str]:
    return [n for n in notes if ZONE_LINE in n]


def test_higgs_activity_says_unix_times_not_a_zone(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "activity.txt"
    path.write_text("223789 213163 1341100972 MT\n223789 213163 1341100972 RE\n")
    [res] = import_files(workspace, [path], timezone="Europe/Oslo", progress=False)
    assert res.format == "higgs-activity"
    assert _zone_lines(res.notes) == []
    assert "times: Unix times (UTC)" in res.notes
    # 1341100972 = 15522 days (2012-07-01) + 172 s: 00:02:52 UTC, whatever --timezone says
    times = set(workspace.interactions()["occurred_at"])
    assert times == {datetime(2012, 7, 1, 0, 2, 52, tzinfo=UTC)}


def test_edge_list_has_no_zone_line(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "friends.edges"
    path.write_text("1 2\n2 3\n")
    [res] = import_files(workspace, [path], kind="follows", platform="facebook", progress=False)
    assert _zone_lines(res.notes) == []


def test_generic_epoch_column_has_no_zone_line(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,created_at\n1,hello,1341100972\n2,world,1341187372\n")
    [res] = import_files(workspace, [path], platform="x", timezone="Europe/Oslo", progress=False)
    assert _zone_lines(res.notes) == []
    assert "created_at: Unix seconds (2)" in res.notes


def test_generic_naive_times_keep_the_zone_line(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,created_at\n1,hello,2012-07-01 10:00\n")
    [res] = import_files(workspace, [path], platform="x", timezone="Europe/Oslo", progress=False)
    assert _zone_lines(res.notes) == ["times without a zone read as Europe/Oslo (--timezone)"]
    # 10:00 in Oslo (CEST, UTC+2, on 1 July) is 08:00 UTC
    assert set(workspace.posts()["created_at"]) == {datetime(2012, 7, 1, 8, 0, tzinfo=UTC)}


def test_one_naive_reading_keeps_the_zone_line() -> None:
    """A file with Unix times and naive times (two date columns) keeps the line, in either order."""
    for order in ((False, True), (True, False)):
        options = ReadOptions(zone_note="Z", notes=["Z", "other"])
        for naive in order:
            options.saw_times(naive=naive)
        assert options.shown_notes() == ["Z", "other"]
    options = ReadOptions(zone_note="Z", notes=["Z", "other"])
    options.saw_times(naive=False)
    options.saw_times(naive=False)
    assert options.shown_notes() == ["other"]
    assert ReadOptions(zone_note="Z", notes=["Z"]).shown_notes() == ["Z"]  # a reader that says nothing: shown
