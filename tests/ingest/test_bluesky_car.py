"""Bluesky repository exports (.car): the tree walk, TIDs, re-imports and damaged files.

The corpus file (tests/data/ingest/corpus/bluesky/bluesky_repo_export.car, checked in test_corpus.py) is written by
make_car.py with a DAG-CBOR/CAR writer of its own; the files here are made with the same writer."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from signalboost.connect.bluesky import tid
from signalboost.errors import IngestError
from signalboost.ingest import import_files
from signalboost.ingest.formats.bluesky_car import tid_time, walk_tree
from signalboost.store.workspace import Workspace

MAKE_CAR = Path(__file__).resolve().parents[1] / "data" / "ingest" / "corpus" / "bluesky" / "make_car.py"


def _writer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_car", MAKE_CAR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_car"] = module
    spec.loader.exec_module(module)
    return module


W = _writer()


def _follow(did: str, day: int) -> dict[str, str]:
    return {"$type": "app.bsky.graph.follow", "subject": did, "createdAt": f"2024-05-{day:02d}T09:00:00Z"}


def test_tid_time_reads_the_microseconds_of_the_sdk_tid() -> None:
    at = datetime(2024, 5, 12, 18, 0, 1, 250000, tzinfo=UTC)
    assert tid_time(tid(at, clock_id=1023)) == at
    assert tid_time("self") is None and tid_time("3kABCDEFGHIJK") is None


def test_walk_tree_decompresses_keys_node_by_node_and_follows_subtrees() -> None:
    # root: left subtree ["a/1", "a/2"], entries "b/1" (p=0) and "b/22" (p=2: shares "b/"), right subtree of b/1
    blocks = {
        b"L": {"l": None, "e": [{"p": 0, "k": b"a/1", "v": b"r1", "t": None}, {"p": 2, "k": b"2", "v": b"r2"}]},
        b"T": {"l": None, "e": [{"p": 0, "k": b"b/15", "v": b"r4", "t": None}]},
        b"R": {
            "l": b"L",
            "e": [{"p": 0, "k": b"b/1", "v": b"r3", "t": b"T"}, {"p": 2, "k": b"22", "v": b"r5", "t": None}],
        },
    }
    assert walk_tree(blocks, b"R") == [("a/1", b"r1"), ("a/2", b"r2"), ("b/1", b"r3"), ("b/15", b"r4"), ("b/22", b"r5")]
    with pytest.raises(ValueError, match="missing"):
        walk_tree({b"R": {"l": b"gone", "e": []}}, b"R")


@pytest.mark.parametrize(
    "node",
    [
        {"l": b"R", "e": []},  # a loop (a hostile file: content addressing makes it impossible in a real one)
        {"l": None, "e": [{"p": 0, "k": b"a", "v": b"r", "t": b"R"}, {"p": 0, "k": b"b", "v": b"r", "t": b"R"}]},
        {"l": "not a CID", "e": []},
        {"l": None, "e": [{"p": 5, "k": b"a", "v": b"r"}]},  # shares 5 bytes with an empty previous key
        {"l": None, "e": [{"p": 0, "k": "text, not bytes", "v": b"r"}]},
        {"l": None, "e": [7]},
    ],
)
def test_walk_tree_refuses_damaged_trees_without_looping(node: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="damaged"):
        walk_tree({b"R": node}, b"R")


def test_a_later_export_marks_an_unfollowed_account_inactive_and_reimport_adds_nothing(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    first, second = tmp_path / "repo-may.car", tmp_path / "repo-june.car"
    a, b = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb"
    W.write_car(
        first,
        {"app.bsky.graph.follow/3kaaaaaaaaa22": _follow(a, 2), "app.bsky.graph.follow/3kbbbbbbbbb22": _follow(b, 3)},
        rev_at=datetime(2024, 5, 12, tzinfo=UTC),
    )
    W.write_car(
        second, {"app.bsky.graph.follow/3kaaaaaaaaa22": _follow(a, 2)}, rev_at=datetime(2024, 6, 12, tzinfo=UTC)
    )
    [r1] = import_files(ws, [first], progress=False)
    assert (r1.format, r1.rows_loaded, r1.rows_rejected) == ("bluesky-car", 3, 0)  # 2 follows + the account
    [again] = import_files(ws, [first], progress=False)
    assert again.rows_loaded == 0
    import_files(ws, [second], progress=False)
    active = dict(ws.query("SELECT followee_id, active FROM follows ORDER BY followee_id").rows())
    assert active == {a: True, b: False}
    assert ws.query("SELECT follower_id FROM follows").to_series().unique().to_list() == [W.ME]


def test_records_of_other_collections_are_named_not_loaded(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    car = tmp_path / "repo.car"
    records = {
        "app.bsky.graph.list/3klist0000022": {
            "$type": "app.bsky.graph.list",
            "name": "Bakers",
            "createdAt": "2024-05-01T00:00:00Z",
        },
        "app.bsky.feed.threadgate/3kgate0000022": {
            "$type": "app.bsky.feed.threadgate",
            "createdAt": "2024-05-01T00:00:00Z",
        },
        "app.bsky.feed.like/3klike0000022": {"$type": "app.bsky.feed.like", "createdAt": "2024-05-01T00:00:00Z"},
    }
    W.write_car(car, records, rev_at=datetime(2024, 5, 12, tzinfo=UTC))
    [res] = import_files(ws, [car], progress=False)
    assert any("app.bsky.feed.threadgate (1)" in w and "app.bsky.graph.list (1)" in w for w in res.warnings)
    [reject] = ws.table("rejects").to_dicts()
    assert "no subject post" in reject["reason"] and reject["file"].endswith("app.bsky.feed.like/3klike0000022")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncated", "cannot be read as a Bluesky repository"),
        ("not_a_commit", "not a repository export"),
        ("missing_node", "the repository is incomplete"),
    ],
)
def test_damaged_files_are_refused_and_nothing_is_stored(tmp_path: Path, damage: str, message: str) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    car = tmp_path / "repo.car"
    follows = {"app.bsky.graph.follow/3kaaaaaaaaa22": _follow("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", 2)}
    W.write_car(car, follows, rev_at=datetime(2024, 5, 12, tzinfo=UTC))
    data = car.read_bytes()
    if damage == "truncated":
        car.write_bytes(data[: len(data) - 40])
    elif damage == "not_a_commit":  # a CAR whose root is a record, not a commit
        block = W.cbor({"$type": "app.bsky.graph.follow", "subject": "did:plc:x"})
        link = W.cid_of(block)
        header = W.cbor({"roots": [link], "version": 1})
        car.write_bytes(W.varint(len(header)) + header + W.varint(len(link) + len(block)) + bytes(link) + block)
    else:  # the commit links to a tree node the file does not hold
        commit = W.cbor({"did": W.ME, "version": 3, "data": W.cid_of(b"elsewhere"), "rev": "3kaaaaaaaaa22", "sig": b""})
        link = W.cid_of(commit)
        header = W.cbor({"roots": [link], "version": 1})
        car.write_bytes(W.varint(len(header)) + header + W.varint(len(link) + len(commit)) + bytes(link) + commit)
    with pytest.raises(IngestError, match=message) as info:
        import_files(ws, [car], progress=False)
    assert str(car) in str(info.value.where)
    assert ws.query("SELECT count(*) FROM follows").item() == 0


def test_the_live_sync_and_the_export_read_one_post_alike() -> None:
    """The same post as the SDK's PostView (live sync) and as the repository's record (export): one reading."""
    from atproto import models as m

    from signalboost.connect.bluesky import post_rows as synced
    from signalboost.ingest.formats.bluesky_car import post_rows as exported

    quoted = "at://did:plc:other/app.bsky.feed.post/3kq"
    ref = {"uri": quoted, "cid": "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"}
    facets = [
        {
            "index": {"byteStart": 6, "byteEnd": 12},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Bread"}],
        },
        {
            "index": {"byteStart": 13, "byteEnd": 15},
            "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:x"}],
        },
    ]
    record = {
        "$type": "app.bsky.feed.post",
        "text": "Fresh #bread @x",
        "createdAt": "2024-05-08T14:30:00.000Z",
        "langs": ["en"],
        "facets": facets,
        "embed": {
            "$type": "app.bsky.embed.recordWithMedia",
            "record": {"$type": "app.bsky.embed.record", "record": ref},
            "media": {"$type": "app.bsky.embed.images", "images": []},
        },
    }
    view = m.AppBskyFeedDefs.PostView(
        uri="at://did:plc:me/app.bsky.feed.post/3kme",
        cid=ref["cid"],
        author=m.AppBskyActorDefs.ProfileViewBasic(did="did:plc:me", handle="did:plc:me"),
        record=m.AppBskyFeedPost.Record.model_validate(record),
        indexed_at="2024-05-08T14:30:01.000Z",
    )
    at = datetime(2024, 5, 8, 14, 30, tzinfo=UTC)
    [live] = synced(view, at)["posts"]
    [export] = exported("did:plc:me", "3kme", record, at)["posts"]
    expected = {
        "format": "photo",  # a quote with images is a photo post (the live sync read it as text before)
        "hashtags": ["bread"],
        "mentions": ["did:plc:x"],
        "quote_of": quoted,
        "url": "https://bsky.app/profile/did:plc:me/post/3kme",
        "post_id": "at://did:plc:me/app.bsky.feed.post/3kme",
        "language": "en",
    }
    assert {k: live[k] for k in expected} == expected
    assert {k: export[k] for k in expected} == expected
