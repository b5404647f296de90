"""Mastodon account export (Settings -> Import and export -> Request your archive): the zip or its folder.

ActivityPub JSON (https://www.w3.org/TR/activitystreams-core/, Mastodon's docs "Export your data"):

- ``outbox.json`` (an OrderedCollection; Mastodon writes ``orderedItems`` twice, the first empty: both are read)
  -> ``posts``: each ``Create`` of a ``Note`` is an own post (HTML ``content`` to text, hashtags and mentions from
  ``tag``, ``inReplyTo``, format from attachments, language from ``contentMap``); each ``Announce`` is a boost
  (``repost_of`` = the boosted status). Visibility from the addressing: Public in ``to`` -> public, in ``cc`` ->
  unlisted, the followers collection -> followers, else direct. Also ``interactions``: repost, reply, mention.
- ``likes.json`` -> ``interactions`` kind like (no time in the export: ``occurred_at`` NULL).
- ``followers.json`` / ``following.json`` (Pleroma, Akkoma and Rebased backups: OrderedCollections of actor
  URIs) -> ``follows`` (complete lists: an edge gone since an earlier backup becomes inactive).
- ``actor.json`` -> ``accounts``; ``following_accounts.csv`` -> ``follows`` (a complete list).

Accounts are ``user@host`` (from ``https://host/users/user`` or ``https://host/@user``; other URIs are kept as
they are); posts are their status URIs. No engagement counts: a Mastodon export carries none. Observation time
(follows): ``--observed-at``, else the newest activity of the outbox.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from signalboost.errors import IngestError
from signalboost.i18n import L_, N_
from signalboost.ingest.archive import Archive, archive_has, is_zip, open_archive
from signalboost.ingest.base import (
    Batch,
    FollowSnapshot,
    Format,
    Item,
    ReadOptions,
    Reject,
)
from signalboost.ingest.registry import register
from signalboost.ingest.textio import decode_text, html_to_text, loads_json, parse_iso

PLATFORM = "mastodon"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_USER_URI = re.compile(r"^https?://([^/]+)/(?:users/|@)([^/?#]+)")


def sniff(head: bytes, path: Path) -> float:
    if archive_has(path, head, "outbox.json") and archive_has(path, head, "actor.json"):
        return 0.99
    if path.is_file() and path.name.endswith(".json") and b'"OrderedCollection"' in head[:8192]:
        return 0.9 if b"orderedItems" in head else 0.6
    return 0.0


def account_id(uri: str | None) -> str | None:
    """``https://host/users/name[/statuses/…]`` or ``https://host/@name`` -> ``name@host`` (else the URI)."""
    if not uri:
        return None
    m = _USER_URI.match(uri)
    return f"{m.group(2).lower()}@{m.group(1).lower()}" if m else uri


_STATUS_URI = re.compile(r"^https?://([^/]+)/(?:users/([^/?#]+)/statuses/|@([^/?#]+)/)[^/?#]+")


def _content_warning(summary: Any) -> str | None:
    """A status's content warning (``summary``: plain text, or HTML on some servers) as text; None when absent."""
    if not isinstance(summary, str):
        return None
    return (html_to_text(summary) or "").strip() or None


def status_author(uri: str | None) -> str | None:
    """The author ``name@host`` of a status URI that names it: Mastodon's (and GoToSocial's)
    ``https://host/users/name/statuses/id`` or ``https://host/@name/id``. Other servers' URIs (Pleroma and
    Akkoma ``/objects/<uuid>``, Misskey ``/notes/<id>``) do not name the author: ``None``, never the URI itself."""
    m = _STATUS_URI.match(uri or "")
    return f"{(m.group(2) or m.group(3)).lower()}@{m.group(1).lower()}" if m else None


def _addressed(activity: dict[str, Any], me: str) -> str | None:
    """The one account an activity is addressed to besides the public, the followers and the author (a boost's
    or a reply's ``cc`` names the original's author), or ``None`` when there is none or more than one."""
    actors = {
        account_id(a)
        for a in _list(activity.get("to")) + _list(activity.get("cc"))
        if a not in (PUBLIC, "as:Public", "Public") and not a.endswith(("/followers", "/following"))
    }
    actors.discard(me)
    actors.discard(None)
    return actors.pop() if len(actors) == 1 else None


def _merge_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON object hook: a repeated key holding lists (Mastodon's two ``orderedItems``) keeps both lists."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out and isinstance(out[key], list) and isinstance(value, list):
            out[key] = out[key] + value
        else:
            out[key] = value
    return out


def visibility(to: list[str], cc: list[str]) -> str:
    if PUBLIC in to or "as:Public" in to or "Public" in to:
        return "public"
    if PUBLIC in cc or "as:Public" in cc or "Public" in cc:
        return "unlisted"
    if any(a.endswith("/followers") for a in to + cc):
        return "followers"
    return "direct"


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _format(obj: dict[str, Any]) -> str:
    media = [a for a in obj.get("attachment") or [] if isinstance(a, dict)]
    types = [str(a.get("mediaType") or a.get("type") or "") for a in media]
    if any(t.startswith("video") or t == "Video" for t in types):
        return "video"
    if len(media) > 1:
        return "carousel"
    if media:
        return "photo"
    return "text"


def parse_outbox(items: list[Any], *, me: str, platform: str = PLATFORM) -> dict[str, list[Any]]:
    """Pure: outbox activities -> posts, interactions, rejects (``Reject.line`` = activity number)."""
    out: dict[str, list[Any]] = {"posts": [], "interactions": [], "rejects": []}
    for index, act in enumerate(items, start=1):
        if not isinstance(act, dict) or act.get("type") not in ("Create", "Announce"):
            continue
        try:
            published = parse_iso(str(act.get("published")))
        except ValueError:
            out["rejects"].append(Reject(index, str(act)[:500], "unreadable 'published' time", "outbox.json"))
            continue
        if act["type"] == "Announce":
            _boost(out, act, published, me, platform)
            continue
        obj = act.get("object")
        if not isinstance(obj, dict) or not obj.get("id"):
            out["rejects"].append(Reject(index, str(act)[:500], "Create without an object id", "outbox.json"))
            continue
        _note(out, obj, published, me, platform)
    return out


def _boost(
    out: dict[str, list[Any]],
    act: dict[str, Any],
    when: datetime,
    me: str,
    platform: str,
) -> None:
    target = act.get("object")
    target_id = target.get("id") if isinstance(target, dict) else target
    out["posts"].append(
        {
            "platform": platform,
            "post_id": str(act.get("id") or f"{me}#announce-{when.isoformat()}"),
            "author_id": me,
            "created_at": when,
            "format": "text",
            "repost_of": str(target_id) if target_id else "",
            "visibility": visibility(_list(act.get("to")), _list(act.get("cc"))),
        }
    )
    if target_id:
        out["interactions"].append(
            {
                "platform": platform,
                "actor_id": me,
                "kind": "repost",
                "target_post_id": str(target_id),
                "target_account_id": status_author(str(target_id)) or _addressed(act, me) or "",
                "occurred_at": when,
                "weight": 1.0,
            }
        )


def _note(
    out: dict[str, list[Any]],
    obj: dict[str, Any],
    when: datetime,
    me: str,
    platform: str,
) -> None:
    tags = [t for t in obj.get("tag") or [] if isinstance(t, dict)]
    hashtags = [str(t.get("name", "")).lstrip("#").lower() for t in tags if t.get("type") == "Hashtag"]
    mention_tags = [t for t in tags if t.get("type") == "Mention"]
    languages = list((obj.get("contentMap") or {}).keys())
    reply_to = obj.get("inReplyTo")
    post_id = str(obj["id"])
    out["posts"].append(
        {
            "platform": platform,
            "post_id": post_id,
            "author_id": me,
            "created_at": when,
            "text": html_to_text(obj.get("content")),
            "content_warning": _content_warning(obj.get("summary")),
            "format": _format(obj),
            "hashtags": [h for h in hashtags if h],
            "mentions": [str(t.get("name", "")).lstrip("@").lower() for t in mention_tags if t.get("name")],
            "reply_to": str(reply_to) if reply_to else None,
            "url": obj.get("url"),
            "visibility": visibility(_list(obj.get("to")), _list(obj.get("cc"))),
            "language": languages[0] if languages else None,
        }
    )
    base = {"platform": platform, "actor_id": me, "occurred_at": when, "weight": 1.0}
    reply_account = (status_author(str(reply_to)) or _addressed(obj, me)) if reply_to else None
    if reply_to and reply_account != me:
        out["interactions"].append(
            base
            | {
                "kind": "reply",
                "target_post_id": str(reply_to),
                "target_account_id": reply_account or "",
            }
        )
    for t in mention_tags:
        target = account_id(t.get("href")) or str(t.get("name", "")).lstrip("@").lower()
        if target and target not in (me, reply_account):
            out["interactions"].append(base | {"kind": "mention", "target_post_id": "", "target_account_id": target})


def parse_likes(uris: list[Any], *, me: str, platform: str = PLATFORM) -> list[dict[str, Any]]:
    """Pure: likes.json status URIs -> interactions of kind like (time unknown)."""
    return [
        {
            "platform": platform,
            "actor_id": me,
            "kind": "like",
            "target_post_id": str(u),
            "target_account_id": status_author(str(u)) or "",
            "occurred_at": None,
            "weight": 1.0,
        }
        for u in uris
        if isinstance(u, str) and u
    ]


#: A local nickname as Pleroma and Akkoma allow it by default (letters, digits; ``_`` as on Mastodon).
_LOCAL_NAME = re.compile(r"^[a-z0-9_]+$")


def account_address(cell: str, me: str) -> str | None:
    """An ``Account address`` cell as ``user@host``; ``None`` when it is not one. Pleroma and Akkoma write the
    accounts of their own server as a bare name (``alice``): that is ``alice@<the host of me>`` when ``me`` names
    its host. Anything else without ``@`` (``not-an-address``) is not an address."""
    address = cell.strip().lstrip("@").lower()
    if "@" in address and " " not in address:
        return address
    if _LOCAL_NAME.match(address) and "@" in me:
        return f"{address}@{me.split('@', 1)[1]}"
    return None


def parse_following_csv(text: str, *, me: str, platform: str = PLATFORM) -> tuple[list[dict[str, Any]], list[Reject]]:
    """Pure: following_accounts.csv ("Account address,Show boosts,…") -> follows rows (observed time unset)."""
    rows, rejects = [], []
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return [], []
    has_header = header and "@" not in header[0]
    records = reader if has_header else [header, *reader]
    for line, rec in enumerate(records, start=2 if has_header else 1):
        address = account_address(rec[0], me) if rec else None
        if address is None:
            rejects.append(
                Reject(
                    line,
                    ",".join(rec),
                    "expected an account address user@host",
                    "following_accounts.csv",
                )
            )
            continue
        rows.append({"platform": platform, "follower_id": me, "followee_id": address})
    return rows, rejects


def _json(archive: Archive, name: str, options: ReadOptions) -> Any:
    data = archive.read(name)
    options.advance(len(data))
    text, _ = decode_text(data, archive.where(name))
    return loads_json(text, archive.where(name), pairs_hook=_merge_pairs)


def read_mastodon(path: Path, options: ReadOptions) -> Iterator[Item]:
    platform = options.platform or PLATFORM
    options.saw_times(naive=False)  # ActivityPub times are ISO 8601 with their zone: the import's zone never applies
    if path.is_file() and not is_zip(path):
        archive = open_archive(path.parent, recursive=False)
        outbox_names = [path.name]
    else:
        archive = open_archive(path)
        outbox_names = archive.find("outbox.json")
    actor_names = archive.find("actor.json")
    if not outbox_names and not actor_names:
        raise IngestError(
            L_("this is not a Mastodon export (no outbox.json or actor.json)"),
            where=str(path),
            hint=L_("Pass the archive zip or its unpacked folder"),
        )
    actor = _json(archive, actor_names[0], options) if actor_names else {}
    outbox = _json(archive, outbox_names[0], options) if outbox_names else {}
    if not isinstance(outbox, dict) or not isinstance(outbox.get("orderedItems", []), list):
        raise IngestError(
            L_("outbox.json is not an ActivityPub OrderedCollection (no orderedItems list)"),
            where=archive.where(outbox_names[0]) if outbox_names else str(path),
            hint=L_("The file was changed or is damaged: request a new archive (Preferences › Import and export)"),
        )
    items = outbox.get("orderedItems") or []
    me = account_id(str(actor.get("id"))) if isinstance(actor, dict) and actor.get("id") else None
    if me is None:
        actors = {a.get("actor") for a in items if isinstance(a, dict)}
        me = account_id(str(next(iter(actors)))) if len(actors) == 1 else "me"
    assert me is not None
    rows = parse_outbox(items, me=me, platform=platform)
    yield from rows["rejects"]
    yield Batch("posts", rows["posts"], rows_read=len(rows["posts"]))
    yield Batch("interactions", rows["interactions"])
    observed = options.observed_at or max((p["created_at"] for p in rows["posts"]), default=None)
    for name in archive.find("likes.json"):
        likes = _json(archive, name, options)
        uris = likes.get("orderedItems") or [] if isinstance(likes, dict) else []
        yield Batch(
            "interactions",
            parse_likes(uris, me=me, platform=platform),
            rows_read=len(uris),
        )
    yield from _following(archive, options, me, platform, observed)
    yield from _follow_collections(archive, options, me, platform, observed)
    if isinstance(actor, dict) and actor.get("id"):
        yield Batch("accounts", [_actor_row(actor, me, platform, observed)])
    skipped = sorted({n.rsplit("/", 1)[-1] for n in archive.find(*NOT_LOADED)})
    if skipped:  # nothing is left out silently
        options.warn(
            L_(
                "not loaded (no canonical table holds them): {files}",
                files=", ".join(skipped),
            )
        )


#: Parts of a Mastodon export that no canonical table holds (private lists and moderation): named in a warning.
NOT_LOADED = (
    "bookmarks.json",
    "blocked_accounts.csv",
    "muted_accounts.csv",
    "blocked_domains.csv",
    "lists.csv",
)


def _following(
    archive: Archive,
    options: ReadOptions,
    me: str,
    platform: str,
    observed: datetime | None,
) -> Iterator[Item]:
    for name in archive.find("following_accounts.csv"):
        data = archive.read(name)
        options.advance(len(data))
        text, warning = decode_text(data, archive.where(name), options.encoding)
        if warning:
            options.warn(warning)
        rows, rejects = parse_following_csv(text, me=me, platform=platform)
        for r in rows:
            r["observed_at"] = observed
        yield from rejects
        yield Batch("follows", rows, rows_read=len(rows))
        if observed is not None:
            yield FollowSnapshot(platform, me, "follower", observed)


def parse_follow_collection(
    items: list[Any], side: str, *, me: str, platform: str, member: str
) -> tuple[list[dict[str, Any]], list[Reject]]:
    """Pure: the actor URIs of a Pleroma/Akkoma backup's ``followers.json`` (side ``followee``: each follows
    ``me``) or ``following.json`` (side ``follower``: ``me`` follows each) -> follows edges and rejects."""
    edges, rejects = [], []
    for index, uri in enumerate(items, start=1):
        other = account_id(uri) if isinstance(uri, str) and uri.startswith(("https://", "http://")) else None
        if not other:
            rejects.append(Reject(index, str(uri)[:500], f"item {index}: not an account URI", member))
            continue
        pair = (other, me) if side == "followee" else (me, other)
        edges.append({"platform": platform, "follower_id": pair[0], "followee_id": pair[1]})
    return edges, rejects


def _follow_collections(
    archive: Archive,
    options: ReadOptions,
    me: str,
    platform: str,
    observed: datetime | None,
) -> Iterator[Item]:
    """Pleroma, Akkoma and Rebased backups hold ``followers.json`` and ``following.json``: OrderedCollections of
    actor URIs (https://git.pleroma.social/pleroma/pleroma ``Pleroma.User.Backup``). Each is a complete list."""
    for name, side in (("followers.json", "followee"), ("following.json", "follower")):
        for member in archive.find(name):
            data = _json(archive, member, options)
            items = data.get("orderedItems") if isinstance(data, dict) else None
            if not isinstance(items, list):
                yield Reject(None, str(data)[:500], f"{name}: not an OrderedCollection (no orderedItems list)", member)
                continue
            edges, rejects = parse_follow_collection(items, side, me=me, platform=platform, member=member)
            for edge in edges:
                edge["observed_at"] = observed
            yield from rejects
            yield Batch("follows", edges, rows_read=len(edges))
            if observed is not None:
                yield FollowSnapshot(platform, me, side, observed)


def _actor_row(actor: dict[str, Any], me: str, platform: str, observed: datetime | None) -> dict[str, Any]:
    published = actor.get("published")
    return {
        "platform": platform,
        "account_id": me,
        "handle": actor.get("preferredUsername"),
        "name": actor.get("name"),
        "bio": html_to_text(actor.get("summary")),
        "created_at": parse_iso(published) if published else None,
        "is_brand": True,  # the owner of a personal export is the workspace's brand
        "observed_at": observed,
    }


FORMAT = register(
    Format(
        name="mastodon-export",
        description=N_("Mastodon account export (zip or folder): outbox.json, actor.json, likes.json, CSVs"),
        loads=N_(
            "posts (own posts and boosts, visibility), interactions (repost/reply/mention/like), follows, accounts"
        ),
        sniff=sniff,
        read=read_mastodon,
        platform="mastodon",
        extensions=(".zip", ".json"),
    )
)
