"""Instagram's media.json (data download of 2018-2020): posts with their times, carousels, what is not a post."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from signalboost.errors import IngestError
from signalboost.ingest import import_files
from signalboost.ingest.formats.instagram_media_json import parse_media_json, taken_at
from signalboost.store.workspace import Workspace


def test_taken_at_without_an_offset_is_a_wall_time_of_the_zone() -> None:
    # 1 July 2019 10:00 in Oslo is summer time (UTC+2): 08:00 UTC; in January (UTC+1): 09:00 UTC.
    assert taken_at("2019-07-01T10:00:00", "Europe/Oslo") == (datetime(2019, 7, 1, 8, tzinfo=UTC), True)
    assert taken_at("2019-01-15T10:00:00", "Europe/Oslo") == (datetime(2019, 1, 15, 9, tzinfo=UTC), True)
    # An offset is kept whatever the zone.
    assert taken_at("2020-03-10T08:00:00+00:00", "Europe/Oslo") == (datetime(2020, 3, 10, 8, tzinfo=UTC), False)
    for bad in ("", None, 1546300800, "31/12/2018"):
        with pytest.raises(ValueError, match="taken_at"):
            taken_at(bad, "UTC")


def test_records_become_posts_carousels_join_and_other_lists_are_counted() -> None:
    data = {
        "photos": [
            {"path": "photos/201901/p1.jpg", "caption": "two views", "taken_at": "2019-01-05T12:00:00"},
            {"path": "photos/201901/p2.jpg", "caption": "two views", "taken_at": "2019-01-05T12:00:00"},
            {"path": "photos/201901/p3.jpg", "caption": "other caption", "taken_at": "2019-01-05T12:00:00"},
            {"caption": "no path", "taken_at": "2019-01-06T12:00:00"},
        ],
        "videos": [{"path": "videos/201901/v1.mp4", "caption": "two views", "taken_at": "2019-01-05T12:00:00"}],
        "stories": [{"path": "stories/201901/s1.jpg", "caption": "two views", "taken_at": "2019-01-05T12:00:00"}],
        "direct": [{"path": "direct/201901/d1.jpg", "taken_at": "2019-01-07T12:00:00"}] * 3,
        "profile": [{"path": "profile/201401/pp.jpg", "taken_at": "2014-01-01T00:00:00"}],
    }
    rows, rejects, counts = parse_media_json(data, me="shop", zone="UTC", member="media.json")
    by_id = {r["post_id"]: r["format"] for r in rows}
    # p1+p2+v1 share time and caption: one carousel (its id the first media's); p3 has another caption; a story
    # with the same time and caption is a story of its own.
    assert by_id == {"ig:p1": "carousel", "ig:p3": "photo", "ig:s1": "story"}
    assert counts == {"naive": 5, "joined": 2, "direct": 3, "profile": 1}
    [rej] = rejects
    assert rej.line == 4 and "no path" in rej.reason
    assert all(r["author_id"] == "shop" and r["created_at"] == datetime(2019, 1, 5, 12, tzinfo=UTC) for r in rows)


def _export(tmp_path: Path, media: object) -> Path:
    z = tmp_path / "shop_20190301.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("shop_20190301/profile.json", json.dumps({"username": "Shop", "name": "Shop"}))
        zf.writestr("shop_20190301/media.json", json.dumps(media))
    return z


def test_naive_times_take_the_import_zone_and_the_summary_says_so(workspace: Workspace, tmp_path: Path) -> None:
    media = {"photos": [{"path": "photos/201907/a.jpg", "caption": "hi", "taken_at": "2019-07-01T10:00:00"}]}
    [res] = import_files(workspace, [_export(tmp_path, media)], progress=False, timezone="Europe/Oslo")
    assert res.format == "instagram-export"
    assert any("times without a zone read as Europe/Oslo" in n for n in res.notes)
    [post] = workspace.posts().to_dicts()
    assert post["created_at"] == datetime(2019, 7, 1, 8, tzinfo=UTC) and post["author_id"] == "shop"
    [again] = import_files(workspace, [_export(tmp_path, media)], progress=False, timezone="Europe/Oslo")
    assert again.rows_loaded == 0  # idempotent


def test_a_media_json_that_is_not_an_object_of_lists_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="expected an object of media lists"):
        import_files(workspace, [_export(tmp_path, [1, 2])], progress=False)
    assert workspace.posts().height == 0


def test_an_export_of_unix_times_has_no_zone_line(workspace: Workspace) -> None:
    corpus = Path(__file__).resolve().parents[1] / "data/ingest/corpus/real"
    [res] = import_files(
        workspace, [corpus / "instagram_2021_followers_json.zip"], progress=False, timezone="Europe/Oslo"
    )
    assert res.rows_loaded > 0
    assert not any("times without a zone read as" in n for n in res.notes)  # nothing was read as Oslo time
