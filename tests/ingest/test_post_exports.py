"""Meta Business Suite post CSV and YouTube Studio Content export: fixtures with hand-derived expectations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from signalboost.ingest import import_files
from signalboost.ingest.formats.youtube import parse_date, parse_number
from signalboost.store.workspace import Workspace

from .conftest import snapshot

YT_FOLDER = "Content 2024-01-01_2024-03-31 Brand Co"


def test_meta_business_suite_posts(workspace: Workspace, ingest_data: Path) -> None:
    [res] = import_files(workspace, [ingest_data / "meta_business_suite_posts.csv"], progress=False)
    assert (res.format, res.platform, res.rows_read, res.rows_rejected) == ("meta-posts", "facebook", 3, 0)
    posts = {p["post_id"]: p for p in workspace.posts().to_dicts()}
    assert [posts[i]["format"] for i in ("123_456", "123_457", "123_458")] == ["photo", "video", "reel"]
    assert posts["123_456"]["created_at"] == datetime(2024, 3, 29, 9, tzinfo=UTC)  # US month-first
    assert posts["123_456"]["text"] == "Spring sale, 20% off"
    assert posts["123_456"]["url"] == "https://www.facebook.com/123/posts/456"
    assert posts["123_458"]["text"] == '=HYPERLINK("http://evil")'  # stored as text; escaped on output
    m = {r["post_id"]: r for r in workspace.post_metrics().to_dicts()}
    assert (m["123_456"]["impressions"], m["123_456"]["reach"], m["123_456"]["likes"]) == (1500, 1200, 40)
    assert (m["123_456"]["comments"], m["123_456"]["shares"], m["123_456"]["clicks"]) == (12, 8, 30)
    assert m["123_457"]["comments"] is None and m["123_457"]["views"] == 350
    assert m["123_458"]["impressions"] is None  # "n/a": not reported
    assert {r["observed_at"] for r in m.values()} == {datetime(2024, 4, 15, 12, tzinfo=UTC)}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234", 1234),
        ("1.234", 1234),
        ("1 234", 1234),
        ("1\u202f234", 1234),
        ("12,5", 12.5),
        ("800.5", 800.5),
        ("1,234,567", 1234567),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("", None),
        ("–", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_parse_date() -> None:
    assert parse_date("Mar 5, 2024") == (date(2024, 3, 5), False)
    assert parse_date("5 mars 2024") == (date(2024, 3, 5), False)
    assert parse_date("05.03.2024") == (date(2024, 3, 5), False)
    assert parse_date("5 de mar. de 2024") == (date(2024, 3, 5), False)
    assert parse_date("13/03/2024") == (date(2024, 3, 13), False)
    assert parse_date("03/05/2024") == (date(2024, 3, 5), True)
    with pytest.raises(ValueError):
        parse_date("someday")


def test_youtube_content_folder(workspace: Workspace, ingest_data: Path) -> None:
    folder = ingest_data / YT_FOLDER
    [res] = import_files(workspace, [folder], progress=False)
    assert (res.format, res.rows_read, res.rows_rejected) == ("youtube-content", 4, 1)
    assert res.skipped == {"summary rows (Total, Average, …)": 1}  # the Total row: read, skipped, counted
    posts = {p["post_id"]: p for p in workspace.posts().to_dicts()}
    assert set(posts) == {"dQw4w9WgXcQ", "abcDEF12345"}  # the Total row is not a video
    assert posts["dQw4w9WgXcQ"]["created_at"] == datetime(2024, 3, 5, tzinfo=UTC)
    assert posts["dQw4w9WgXcQ"]["text"] == "How we make shoes, part 1"
    m = {r["post_id"]: r for r in workspace.post_metrics().to_dicts()}
    assert (m["dQw4w9WgXcQ"]["views"], m["dQw4w9WgXcQ"]["impressions"], m["dQw4w9WgXcQ"]["likes"]) == (
        10234,
        80000,
        450,
    )
    assert m["dQw4w9WgXcQ"]["shares"] is None and m["abcDEF12345"]["likes"] is None
    # Observed the day after the period in the folder name ends.
    assert {r["observed_at"] for r in m.values()} == {datetime(2024, 4, 1, tzinfo=UTC)}
    [rej] = workspace.table("rejects").to_dicts()
    assert rej["file"] == f"{folder}/Table data.csv" and rej["line"] == 5 and "someday" in rej["reason"]
    before = snapshot(workspace)
    import_files(workspace, [folder], progress=False)
    assert snapshot(workspace) == before


def test_youtube_french_export(workspace: Workspace, ingest_data: Path) -> None:
    [res] = import_files(workspace, [ingest_data / "youtube_fr.csv"], progress=False)
    assert res.format == "youtube-content"
    assert workspace.posts()["created_at"][0] == datetime(2024, 3, 5, tzinfo=UTC)
    assert workspace.post_metrics()["views"][0] == 1234
    assert any("--observed-at" in w for w in res.warnings)
