"""Bluesky repository export: the ``.car`` file of ``com.atproto.sync.getRepo`` (the app's Settings → Account →
"Export my data" downloads the same file).

The file is a CAR v1 (https://ipld.io/specs/transport/car/carv1/): a DAG-CBOR header naming the root, then blocks
addressed by their CID. The root is the repository's signed commit ``{did, version, data, rev, prev, sig}``;
``data`` is the root of a Merkle Search Tree (https://atproto.com/specs/repository) whose nodes ``{l, e: [{p, k,
v, t}]}`` map keys ``collection/rkey`` to records (``p`` = length of the prefix shared with the previous key of the
same node). The tree is walked from the commit, so blocks no node reaches (older records) are not read. Blocks are
decoded by ``libipld`` (a dependency of the ``atproto`` SDK).

The repository holds what its owner wrote, never what others did to it, and no counts:

- ``app.bsky.feed.post`` → ``posts`` (id ``at://<did>/app.bsky.feed.post/<rkey>``, as the live sync stores it;
  hashtags and mentions from the facets, format from the embed, reply and quote targets) and, for a reply, a quote
  or a mention of another account, an ``interactions`` row of the owner (as an X archive's own replies);
- ``app.bsky.feed.like`` / ``app.bsky.feed.repost`` → ``interactions`` (like / repost) of the owner on the post in
  ``subject`` (its author = the DID in the post's URI), at ``createdAt``;
- ``app.bsky.graph.follow`` → ``follows`` (owner → ``subject``): the complete list of the owner's follows, observed
  at the commit's ``rev`` time (a TID), so follows missing from a later export become inactive;
- ``app.bsky.actor.profile/self`` → ``accounts`` (display name, description; no handle: the repository names the
  DID only).

Other collections (blocks, lists, feed generators, threadgates, …) are counted and named, not loaded. There are
no followers, no likes received and no metrics in a repository: the live sync (`signalboost sync`) reads those.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from signalboost.connect.bluesky_records import embed_format, facet_features, post_url, quoted_uri
from signalboost.errors import IngestError
from signalboost.i18n import L_, N_
from signalboost.ingest.base import Batch, FollowSnapshot, Format, Item, ReadOptions, Reject
from signalboost.ingest.registry import register
from signalboost.ingest.textio import parse_iso

PLATFORM = "bluesky"
POST = "app.bsky.feed.post"
#: Walking a tree deeper than this is a damaged (or hostile) file, not a repository.
_MAX_DEPTH = 128
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def _varint(data: bytes, at: int = 0) -> tuple[int, int]:
    """An unsigned LEB128 varint at ``at``: ``(value, offset after it)``; ``ValueError`` when cut short."""
    value = shift = 0
    for i in range(at, min(len(data), at + 10)):
        value |= (data[i] & 0x7F) << shift
        if not data[i] & 0x80:
            return value, i + 1
        shift += 7
    raise ValueError("truncated varint")


def sniff(head: bytes, path: Path) -> float:
    """A CAR v1 header: a varint length, then a DAG-CBOR map with ``roots`` and ``version``."""
    if path.is_dir() or not head:
        return 0.0
    try:
        size, start = _varint(head)
    except ValueError:
        return 0.0
    header = head[start : start + size]
    if 0 < size < 4096 and header[:1] in (b"\xa2", b"\xa3") and b"eroots" in header and b"gversion" in header:
        return 0.95
    return 0.0


def tid_time(value: str) -> datetime | None:
    """The time of an atproto TID (13 base32-sortable characters: 53 bits of microseconds since 1970, then a 10-bit
    clock id; https://atproto.com/specs/tid), else ``None``."""
    if len(value) != 13 or any(c not in _TID_ALPHABET for c in value):
        return None
    number = 0
    for c in value:
        number = number * 32 + _TID_ALPHABET.index(c)
    try:
        return datetime.fromtimestamp((number >> 10) / 1_000_000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def walk_tree(blocks: dict[bytes, Any], root: bytes) -> list[tuple[str, bytes]]:
    """Pure: the ``(key, record CID)`` pairs of a Merkle Search Tree, in key order. ``ValueError`` when a node the
    tree links to is missing or is not a node."""
    out: list[tuple[str, bytes]] = []
    seen: set[bytes] = set()

    def visit(cid: Any, depth: int) -> None:
        if cid is None:
            return
        if not isinstance(cid, bytes) or depth > _MAX_DEPTH or cid in seen:
            raise ValueError("the repository's tree is damaged (a link that is not a CID, a loop, or too deep)")
        seen.add(cid)
        node = blocks.get(cid)
        if not isinstance(node, dict) or not isinstance(node.get("e"), list):
            raise ValueError("a node of the repository's tree is missing")
        visit(node.get("l"), depth + 1)
        prev = b""
        for entry in node["e"]:
            shared = entry.get("p", 0) if isinstance(entry, dict) else None
            suffix = entry.get("k") if isinstance(entry, dict) else None
            if not isinstance(shared, int) or not isinstance(suffix, bytes) or not 0 <= shared <= len(prev):
                raise ValueError("an entry of the repository's tree is damaged")
            key = prev[:shared] + suffix
            prev = key
            out.append((key.decode("utf-8", "replace"), entry.get("v")))
            visit(entry.get("t"), depth + 1)

    visit(root, 0)
    return out


def _when(record: dict[str, Any]) -> datetime | None:
    try:
        return parse_iso(str(record["createdAt"]))
    except (KeyError, ValueError, TypeError):
        return None


def _author(uri: Any) -> str:
    """The DID of an ``at://did/collection/rkey`` URI ('' when it names none)."""
    text = str(uri or "")
    return text.removeprefix("at://").split("/", 1)[0] if text.startswith("at://did:") else ""


def _subject_uri(record: dict[str, Any]) -> str:
    subject = record.get("subject")
    return str(subject.get("uri") or "") if isinstance(subject, dict) else ""


def post_rows(me: str, rkey: str, record: dict[str, Any], when: datetime) -> dict[str, list[dict[str, Any]]]:
    """Pure: one ``app.bsky.feed.post`` record of ``me`` -> its ``posts`` row and the owner's interactions."""
    uri = f"at://{me}/{POST}/{rkey}"
    tags, mentions = facet_features(record)
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    reply_to = str(parent.get("uri")) if isinstance(parent, dict) and parent.get("uri") else None
    quote_of = quoted_uri(record.get("embed"))
    langs = record.get("langs") or []
    post = {
        "platform": PLATFORM,
        "post_id": uri,
        "author_id": me,
        "created_at": when,
        "text": str(record.get("text") or ""),
        "format": embed_format(record.get("embed")),
        "hashtags": tags or None,
        "mentions": mentions or None,
        "reply_to": reply_to,
        "quote_of": quote_of,
        "url": post_url(uri, None),
        "visibility": "public",
        "language": str(langs[0]) if isinstance(langs, list) and langs else None,
    }
    base = {"platform": PLATFORM, "actor_id": me, "occurred_at": when, "weight": 1.0}
    acts = []
    for kind, target in (("reply", reply_to), ("quote", quote_of)):
        if target and _author(target) not in ("", me):
            acts.append(base | {"kind": kind, "target_post_id": target, "target_account_id": _author(target)})
    for did in dict.fromkeys(mentions):
        if did != me:
            acts.append(base | {"kind": "mention", "target_post_id": "", "target_account_id": did})
    return {"posts": [post], "interactions": acts}


def _decode(path: Path, options: ReadOptions) -> tuple[bytes, dict[bytes, Any]]:
    import libipld

    data = path.read_bytes()
    options.advance(len(data))
    try:
        header, blocks = libipld.decode_car(data)
        roots = header.get("roots") if isinstance(header, dict) else None
        if not isinstance(roots, list) or not roots:
            raise ValueError("no root")
    except (ValueError, TypeError, KeyError) as exc:
        raise IngestError(
            L_("this CAR file cannot be read as a Bluesky repository ({error})", error=str(exc)[:200]),
            where=str(path),
            hint=L_("Download the repository again (Settings → Account → Export my data) and import the .car file"),
        ) from exc
    return bytes(roots[0]), blocks


def read_car(path: Path, options: ReadOptions) -> Iterator[Item]:
    options.saw_times(naive=False)  # AT Protocol datetimes carry their zone: the import's zone never applies
    root, blocks = _decode(path, options)
    commit = blocks.get(root)
    if not isinstance(commit, dict) or not str(commit.get("did") or "").startswith("did:") or "data" not in commit:
        raise IngestError(
            L_("this CAR file is not a repository export (its root is not a repository commit with a DID)"),
            where=str(path),
            hint=L_("Import the .car of Settings → Account → Export my data (com.atproto.sync.getRepo)"),
        )
    me = str(commit["did"])
    try:
        entries = walk_tree(blocks, commit["data"])
    except ValueError as exc:
        raise IngestError(
            L_("the repository is incomplete: {error}", error=str(exc)),
            where=str(path),
            hint=L_("Download the whole repository again (a partial or interrupted download cannot be read)"),
        ) from exc
    observed = tid_time(str(commit.get("rev") or ""))
    rows: dict[str, list[dict[str, Any]]] = {"posts": [], "interactions": [], "acts": [], "follows": [], "accounts": []}
    other: Counter[str] = Counter()
    for line, (key, cid) in enumerate(entries, start=1):
        collection, _, rkey = key.partition("/")
        record = blocks.get(cid) if isinstance(cid, bytes) else None
        if not isinstance(record, dict):
            yield Reject(line, key, "the record's block is missing from the file", key)
            continue
        yield from _record(rows, other, me, collection, rkey, record, line, key)
    if observed is None:
        observed = max((r["created_at"] for r in rows["posts"]), default=None)
    for edge in rows["follows"]:
        edge["observed_at"] = observed
    for account in rows["accounts"]:
        account["observed_at"] = observed
    yield Batch("posts", rows["posts"], rows_read=len(rows["posts"]))
    yield Batch("interactions", rows["interactions"])  # of the posts: read with them
    yield Batch("interactions", rows["acts"], rows_read=len(rows["acts"]))  # likes and reposts
    yield Batch("follows", rows["follows"], rows_read=len(rows["follows"]))
    if observed is not None:
        yield FollowSnapshot(PLATFORM, me, "follower", observed)
    profile = len(rows["accounts"])
    yield Batch("accounts", rows["accounts"] or [{"platform": PLATFORM, "account_id": me, "is_brand": True}], profile)
    if other:
        shown = ", ".join(f"{name} ({n})" for name, n in sorted(other.items()))
        options.warn(L_("not loaded (no canonical table holds them): {files}", files=shown))


def _record(
    rows: dict[str, list[dict[str, Any]]],
    other: Counter[str],
    me: str,
    collection: str,
    rkey: str,
    record: dict[str, Any],
    line: int,
    key: str,
) -> Iterator[Reject]:
    """Add one record's rows; yield a reject for a record of a loaded collection that cannot be read."""
    if collection == "app.bsky.actor.profile":
        rows["accounts"].append(
            {
                "platform": PLATFORM,
                "account_id": me,
                "name": record.get("displayName"),
                "bio": record.get("description"),
                "created_at": _when(record),
                "is_brand": True,  # the owner of a personal export is the workspace's brand
            }
        )
        return
    if collection not in (POST, "app.bsky.feed.like", "app.bsky.feed.repost", "app.bsky.graph.follow"):
        other[collection] += 1
        return
    when = _when(record)
    if when is None:
        yield Reject(line, str(record)[:500], f"{key}: missing or unreadable createdAt", key)
        return
    if collection == POST:
        for table, new in post_rows(me, rkey, record, when).items():
            rows[table].extend(new)
    elif collection == "app.bsky.graph.follow":
        if not str(record.get("subject") or "").startswith("did:"):
            yield Reject(line, str(record)[:500], f"{key}: the followed account (subject) is not a DID", key)
            return
        rows["follows"].append({"platform": PLATFORM, "follower_id": me, "followee_id": str(record["subject"])})
    else:
        uri = _subject_uri(record)
        if not uri:
            yield Reject(line, str(record)[:500], f"{key}: no subject post", key)
            return
        kind = "like" if collection == "app.bsky.feed.like" else "repost"
        rows["acts"].append(
            {
                "platform": PLATFORM,
                "actor_id": me,
                "kind": kind,
                "target_post_id": uri,
                "target_account_id": _author(uri),
                "occurred_at": when,
                "weight": 1.0,
            }
        )


FORMAT = register(
    Format(
        name="bluesky-car",
        description=N_(
            "Bluesky repository export (.car of Settings → Export my data / com.atproto.sync.getRepo): "
            "the owner's posts, likes, reposts, follows and profile"
        ),
        loads=N_(
            "posts (own posts, replies, quotes), interactions (like/repost/reply/quote/mention), follows, accounts"
        ),
        sniff=sniff,
        read=read_car,
        platform=PLATFORM,
        extensions=(".car",),
    )
)
