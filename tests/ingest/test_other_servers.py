"""Exports of other years and other servers: X archives split into parts or handed over one file at a time,
Pleroma/Akkoma backups' follow collections, Misskey/Firefish/Sharkey notes exports. Expected values by hand."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from signalboost.errors import IngestError
from signalboost.ingest import import_files
from signalboost.ingest.formats.mastodon import parse_follow_collection
from signalboost.ingest.formats.misskey_notes import parse_notes
from signalboost.ingest.formats.x_archive import _part_order
from signalboost.store.workspace import Workspace


def _ytd(kind: str, part: int, records: list[dict[str, object]]) -> str:
    return f"window.YTD.{kind}.part{part} = " + json.dumps(records)


@pytest.mark.parametrize(
    ("name", "kind", "part", "record"),
    [
        ("like.js", "like", 0, {"like": {"tweetId": "9001"}}),
        ("like-part1.js", "like", 1, {"like": {"tweetId": "9002"}}),
        ("follower.js", "follower", 0, {"follower": {"accountId": "2001"}}),
        ("following.js", "following", 0, {"following": {"accountId": "3001"}}),
    ],
)
def test_a_lone_likes_or_followers_file_is_refused_not_silently_empty(
    tmp_path: Path, name: str, kind: str, part: int, record: dict[str, object]
) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    lone = tmp_path / name
    lone.write_text(_ytd(kind, part, [record]), encoding="utf-8")
    with pytest.raises(IngestError, match="does not say whose account") as info:
        import_files(ws, [lone], progress=False)
    assert "account.js" in str(info.value.hint)
    assert ws.query("SELECT count(*) FROM interactions").item() == 0


def test_likes_of_an_archive_without_its_owner_are_rejects_with_the_reason(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    archive = tmp_path / "twitter-partial.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("data/like.js", _ytd("like", 0, [{"like": {"tweetId": "9001"}}, {"like": {"tweetId": "9003"}}]))
        z.writestr("data/like-part1.js", _ytd("like", 1, [{"like": {"tweetId": "9002"}}]))
    [res] = import_files(ws, [archive], progress=False)
    assert (res.rows_loaded, res.rows_rejected) == (0, 3)
    reasons = {r["reason"] for r in ws.table("rejects").to_dicts()}
    assert reasons == {"no account.js (or manifest.js) to say whose likes these are"}


def test_parts_are_read_in_their_order() -> None:
    names = ["like-part10.js", "like-part2.js", "like.js", "like-part1.js"]
    assert sorted(names, key=_part_order) == ["like.js", "like-part1.js", "like-part2.js", "like-part10.js"]


def _backup(path: Path, followers: list[object], published: str) -> None:
    collection = {"type": "OrderedCollection", "orderedItems": followers, "totalItems": len(followers)}
    outbox = {
        "type": "OrderedCollection",
        "orderedItems": [
            {
                "type": "Create",
                "actor": "https://pl.example/users/bakery",
                "published": published,
                "object": {"type": "Note", "id": f"https://pl.example/objects/{published}", "content": "hi"},
            }
        ],
    }
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("actor.json", json.dumps({"id": "https://pl.example/users/bakery", "type": "Person"}))
        z.writestr("outbox.json", json.dumps(outbox))
        z.writestr("followers.json", json.dumps(collection))


def test_a_later_pleroma_backup_marks_a_lost_follower_inactive(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    first, later = tmp_path / "archive-bakery-1.zip", tmp_path / "archive-bakery-2.zip"
    alice, bob = "https://m.example/users/alice", "https://m.example/@bob"
    _backup(first, [alice, bob], "2024-05-01T10:00:00Z")
    _backup(later, [alice, 42], "2024-06-01T10:00:00Z")
    import_files(ws, [first], progress=False)
    [res] = import_files(ws, [later], progress=False)
    assert res.rows_rejected == 1  # 42 is not an account URI
    rows = dict(ws.query("SELECT follower_id, active FROM follows WHERE followee_id = 'bakery@pl.example'").rows())
    assert rows == {"alice@m.example": True, "bob@m.example": False}


def test_follow_collection_sides_and_rejects() -> None:
    edges, rejects = parse_follow_collection(
        ["https://a.example/users/x", "", None, "not a uri"], "follower", me="me@h", platform="mastodon", member="f"
    )
    assert [(e["follower_id"], e["followee_id"]) for e in edges] == [("me@h", "x@a.example")]
    assert [r.line for r in rejects] == [2, 3, 4]


def test_misskey_notes_visibility_renotes_and_files() -> None:
    def note(i: int, **kw: object) -> dict[str, object]:
        return {"id": f"n{i}", "createdAt": "2024-05-08T14:30:00.000Z", "visibility": "public", **kw}

    notes = [
        note(1, visibility="home", renoteId="r1", text=None),
        note(2, visibility="followers", renoteId="r1", text="yes"),
        note(3, visibility="specified", files=[{"type": "image/png"}, {"type": "image/jpeg"}], text=""),
        note(4, files=[{"type": "video/mp4"}], cw="  "),
        note(5, visibility="unknown-kind", files=[{"type": "application/pdf"}]),
        {"id": "n6", "createdAt": "8 May"},
        "not a note",
    ]
    posts, rejects = parse_notes(notes, platform="misskey", member="notes.json")
    got = [(p["visibility"], p["repost_of"], p["quote_of"], p["format"]) for p in posts]
    assert got == [
        ("unlisted", "r1", None, "text"),
        ("followers", None, "r1", "text"),
        ("direct", None, None, "carousel"),
        ("public", None, None, "video"),
        ("public", None, None, "text"),
    ]
    assert posts[3]["content_warning"] is None  # a blank CW is no CW
    assert posts[0]["created_at"] == datetime(2024, 5, 8, 14, 30, tzinfo=UTC)
    assert [r.line for r in rejects] == [6, 7]


def test_misskey_export_that_is_not_an_array_is_refused(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    bad = tmp_path / "notes.json"
    bad.write_text('[{"renoteId": null, "visibleUserIds": [], "createdAt": "x"', encoding="utf-8")  # cut short
    with pytest.raises(IngestError):
        import_files(ws, [bad], progress=False)
    assert ws.query("SELECT count(*) FROM posts").item() == 0


@pytest.mark.parametrize(
    ("cell", "me", "expected"),
    [
        ("alice", "bakery@pl.example", "alice@pl.example"),  # Pleroma: a local account as a bare name
        ("@Bob@Remote.Example", "bakery@pl.example", "bob@remote.example"),
        ("alice", "me", None),  # the brand's host unknown: cannot complete it
        ("not an address", "bakery@pl.example", None),
        ("not-an-address", "bakery@pl.example", None),  # no server allows '-' in a local nickname by default
        ("", "bakery@pl.example", None),
    ],
)
def test_account_address_completes_local_names_with_the_brands_host(cell: str, me: str, expected: str | None) -> None:
    from signalboost.ingest.formats.mastodon import account_address

    assert account_address(cell, me) == expected


def test_uci_header_in_any_order_quoted_or_tabbed_but_never_without_a_column() -> None:
    from signalboost.ingest.formats.facebook_uci import REQUIRED, find_header

    cols = sorted(REQUIRED)
    assert find_header("\t".join(reversed(cols)) + "\n1\t2\n") == ("\t", 0)
    assert find_header('"",' + ",".join(f'"{c}"' for c in cols) + "\n") == (",", 0)
    assert find_header("Facebook posts 2014\n" + ";".join(cols) + "\n") == (";", 1)
    without_type = [c for c in cols if c != "Type"]  # a copy that dropped a column: not this layout
    assert find_header(",".join(without_type) + "\n") is None


def test_uci_header_search_survives_binary_heads() -> None:
    from signalboost.ingest.formats.facebook_uci import find_header

    assert find_header("PK\x03\x04\x14\x00;\r\x00\x08,\x00") is None  # a zip's head read as text


def test_connections_json_of_2020_as_later_records() -> None:
    from signalboost.ingest.formats.instagram import connections_records

    data = {"followers": {"ann": "2019-07-02T18:30:00+00:00", "bo": "someday"}, "following": []}
    assert connections_records(data, "followers") == [
        {"string_list_data": [{"value": "ann", "timestamp": 1562092200.0}]},  # 2019-07-02 18:30 UTC by hand
        {"string_list_data": [{"value": "bo", "timestamp": None}]},
    ]
    assert connections_records(data, "following") == [] and connections_records(None, "followers") == []


def test_instagram_html_export_is_refused_with_the_advice_to_request_json(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    html = tmp_path / "instagram-bakery-2024-05-12-AbCd.zip"
    with zipfile.ZipFile(html, "w") as z:  # the layout public unfollower tools read from the HTML export
        z.writestr(
            "connections/followers_and_following/followers_1.html", '<a href="https://www.instagram.com/ann">ann</a>'
        )
        z.writestr("connections/followers_and_following/following.html", "<html></html>")
    with pytest.raises(IngestError, match="HTML version of Instagram") as info:
        import_files(ws, [html], progress=False)
    assert "JSON" in str(info.value.hint)
    assert ws.query("SELECT count(*) FROM follows").item() == 0
