"""Writes the Bluesky repository exports of the corpus (``.car``, as ``com.atproto.sync.getRepo`` and the app's
Settings -> "Export my data" give them), with a DAG-CBOR and CAR v1 writer of its own (not the reader's library).

Layout from the public specs: CAR v1 (https://ipld.io/specs/transport/car/carv1/: a varint-prefixed DAG-CBOR
header ``{roots, version: 1}``, then varint-prefixed ``CID + block`` sections), the atproto repository
(https://atproto.com/specs/repository: a signed commit ``{did, version: 3, data, rev, prev, sig}`` whose ``data``
is the root of a Merkle Search Tree of nodes ``{l, e: [{p, k, v, t}]}``, keys ``collection/rkey`` compressed by
the prefix length ``p`` shared with the previous key of the same node) and the app.bsky lexicons (post, like,
repost, follow, profile). Run from the repository root: ``python tests/data/ingest/corpus/bluesky/make_car.py``.
"""

from __future__ import annotations

import hashlib
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ME = "did:plc:bakerybrand2024aaaaaaaa"
OTHER = "did:plc:otheraccount2024bbbbbbb"
THIRD = "did:plc:thirdaccount2024ccccccc"


class Link(bytes):
    """A CID link (DAG-CBOR tag 42)."""


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | extra]) + struct.pack(fmt, n)
    raise ValueError(n)


def cbor(v: Any) -> bytes:
    """DAG-CBOR: map keys sorted by length then bytes, links as tag 42 over ``0x00 + CID``."""
    if v is None:
        return b"\xf6"
    if isinstance(v, bool):
        return b"\xf5" if v else b"\xf4"
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, Link):
        return b"\xd8\x2a" + _head(2, len(v) + 1) + b"\x00" + bytes(v)
    if isinstance(v, bytes):
        return _head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return _head(3, len(b)) + b
    if isinstance(v, list):
        return _head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: (len(k.encode()), k.encode()))
        return _head(5, len(keys)) + b"".join(cbor(k) + cbor(v[k]) for k in keys)
    raise TypeError(type(v))


def varint(n: int) -> bytes:
    out = b""
    while True:
        byte, n = n & 0x7F, n >> 7
        out += bytes([byte | (0x80 if n else 0)])
        if not n:
            return out


def cid_of(block: bytes) -> Link:
    """CIDv1, dag-cbor (0x71), sha2-256 (0x12, 32 bytes)."""
    return Link(bytes([0x01, 0x71, 0x12, 0x20]) + hashlib.sha256(block).digest())


def tid(at: datetime, clock: int = 7) -> str:
    """atproto TID: microseconds << 10 | clock id, base32-sortable, 13 characters."""
    alphabet = "234567abcdefghijklmnopqrstuvwxyz"
    value = (int(at.timestamp()) * 1_000_000) << 10 | clock
    return "".join(alphabet[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def node(entries: list[tuple[str, Link]], left: Link | None = None) -> dict[str, Any]:
    out, prev = [], b""
    for key, value in entries:
        k = key.encode()
        p = 0
        while p < min(len(k), len(prev)) and k[p] == prev[p]:
            p += 1
        out.append({"p": p, "k": k[p:], "v": value, "t": None})
        prev = k
    return {"l": left, "e": out}


def write_car(path: Path, records: dict[str, dict[str, Any]], *, rev_at: datetime, extra: bool = True) -> None:
    blocks: list[tuple[Link, bytes]] = []

    def put(obj: dict[str, Any]) -> Link:
        data = cbor(obj)
        link = cid_of(data)
        blocks.append((link, data))
        return link

    keyed = sorted((key, put(rec)) for key, rec in records.items())
    half = len(keyed) // 2  # two MST nodes: the root and its left subtree (the reader must follow ``l``)
    left = put(node(keyed[:half]))
    root = put(node(keyed[half:], left))
    commit = put({"did": ME, "version": 3, "data": root, "rev": tid(rev_at), "prev": None, "sig": b"\x01" * 64})
    if extra:  # a block no node links to (an older record): not part of the current repository
        put({"$type": "app.bsky.feed.post", "text": "deleted long ago", "createdAt": "2024-01-01T00:00:00Z"})
    header = cbor({"roots": [commit], "version": 1})
    out = varint(len(header)) + header
    for link, data in blocks:
        out += varint(len(link) + len(data)) + bytes(link) + data
    path.write_bytes(out)


def strong_ref(did: str, rkey: str) -> dict[str, Any]:
    uri = f"at://{did}/app.bsky.feed.post/{rkey}"
    return {"uri": uri, "cid": "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"}


def main() -> None:
    t = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
    p1, p2, p3, p4 = (
        tid(t(2024, 5, 8, 14, 30)),
        tid(t(2024, 5, 9, 9, 0)),
        tid(t(2024, 5, 10, 12, 0)),
        tid(t(2024, 5, 11, 8, 0)),
    )
    records = {
        "app.bsky.actor.profile/self": {
            "$type": "app.bsky.actor.profile",
            "displayName": "Bakery Brand",
            "description": "Fresh bread, daily",
            "createdAt": "2024-05-01T10:00:00.000Z",
        },
        f"app.bsky.feed.post/{p1}": {
            "$type": "app.bsky.feed.post",
            "text": "Fresh #bread today with @other",
            "createdAt": "2024-05-08T14:30:00.000Z",
            "langs": ["en"],
            "facets": [
                {
                    "index": {"byteStart": 6, "byteEnd": 12},
                    "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Bread"}],
                },
                {
                    "index": {"byteStart": 24, "byteEnd": 30},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": OTHER}],
                },
            ],
        },
        f"app.bsky.feed.post/{p2}": {
            "$type": "app.bsky.feed.post",
            "text": "Thanks! Brød på norsk",
            "createdAt": "2024-05-09T11:00:00+02:00",
            "langs": ["nb"],
            "reply": {"root": strong_ref(OTHER, "3kotherroot22"), "parent": strong_ref(OTHER, "3kotherpost22")},
        },
        f"app.bsky.feed.post/{p3}": {
            "$type": "app.bsky.feed.post",
            "text": "Look at this loaf",
            "createdAt": "2024-05-10T12:00:00.000Z",
            "embed": {
                "$type": "app.bsky.embed.recordWithMedia",
                "record": {"$type": "app.bsky.embed.record", "record": strong_ref(THIRD, "3kthirdpost33")},
                "media": {"$type": "app.bsky.embed.images", "images": []},
            },
        },
        f"app.bsky.feed.post/{p4}": {"$type": "app.bsky.feed.post", "text": "no date here"},
        f"app.bsky.feed.like/{tid(t(2024, 5, 9, 8, 0))}": {
            "$type": "app.bsky.feed.like",
            "subject": strong_ref(OTHER, "3kotherpost22"),
            "createdAt": "2024-05-09T08:00:00.000Z",
        },
        f"app.bsky.feed.repost/{tid(t(2024, 5, 10, 13, 0))}": {
            "$type": "app.bsky.feed.repost",
            "subject": strong_ref(THIRD, "3kthirdpost33"),
            "createdAt": "2024-05-10T13:00:00.000Z",
        },
        f"app.bsky.graph.follow/{tid(t(2024, 5, 2, 9, 0))}": {
            "$type": "app.bsky.graph.follow",
            "subject": OTHER,
            "createdAt": "2024-05-02T09:00:00.000Z",
        },
        f"app.bsky.graph.follow/{tid(t(2024, 5, 3, 9, 0))}": {
            "$type": "app.bsky.graph.follow",
            "subject": THIRD,
            "createdAt": "2024-05-03T09:00:00.000Z",
        },
        f"app.bsky.graph.block/{tid(t(2024, 5, 4, 9, 0))}": {
            "$type": "app.bsky.graph.block",
            "subject": "did:plc:spammer",
            "createdAt": "2024-05-04T09:00:00.000Z",
        },
    }
    write_car(HERE / "bluesky_repo_export.car", records, rev_at=t(2024, 5, 12, 18, 0))


if __name__ == "__main__":
    main()
