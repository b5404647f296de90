"""X/Twitter archive ("Download an archive of your data"): the zip, its ``data/`` folder, or one ``.js`` part.

Every file is ``window.YTD.<type>.partN = [ … ]`` (the prefix ends at the first ``=``); numbers are strings;
dates look like ``Wed Oct 10 20:19:24 +0000 2018``. Layout per X's own ``README.txt`` in the archive. Reads:

- ``tweets.js`` / ``tweet.js`` (older archives) and their ``-partN`` files -> ``posts`` (hashtags, mentions,
  reply_to, format from the media, ``repost_of`` = '' for a retweet, whose original id the archive omits) and
  ``post_metrics`` (favorite_count -> likes, retweet_count -> shares; NULL for retweets, whose counts are the
  original's), plus ``interactions`` of the account: reply, mention, repost (of the retweeted user);
- ``like.js`` -> ``interactions`` kind like (no time in the archive: ``occurred_at`` NULL);
- ``follower.js`` / ``following.js`` -> ``follows`` (complete lists: edges gone since an earlier archive become
  inactive), ``account.js`` + ``profile.js`` -> ``accounts`` and an ``account_snapshots`` row.

Observation time: ``manifest.js`` ``archiveInfo.generationDate`` (else ``--observed-at``, else the newest tweet).
"""

from __future__ import annotations

import html
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
from signalboost.ingest.textio import load_js_json, parse_iso, parse_x_date, to_count

PLATFORM = "x"
_TWEET_FILE = re.compile(r"^tweets?(-part\d+)?\.js$")
_SINGLE = re.compile(rb"^\s*window\.YTD\.[a-z_]+\.part\d+\s*=")
#: The archive of 2012-2018 ("Grailbird"): ``data/js/tweets/2014_01.js`` (``Grailbird.data.tweets_2014_01 = [...]``)
#: and ``data/js/user_details.js``, beside a ``tweets.csv``.
_GRAILBIRD_MONTH = re.compile(r"(^|/)data/js/tweets/\d{4}_\d{2}\.js$")
#: Own posts outside tweets.js: posted in a Community (public), or shared with a Circle (a chosen audience:
#: stored with visibility ``followers``, never ``public``).
_COMMUNITY_FILE = re.compile(r"^community-tweet(-part\d+)?\.js$")
_CIRCLE_FILE = re.compile(r"^twitter-circle-tweet(-part\d+)?\.js$")


def sniff(head: bytes, path: Path) -> float:
    if path.is_file() and _SINGLE.match(head):
        return 0.95
    if archive_has(path, head, "manifest.js") and archive_has(path, head, "tweets.js", "tweet.js", "account.js"):
        return 0.99
    if archive_has(path, head, "tweets.js", "tweet.js"):
        return 0.9
    if archive_has(path, head, "user_details.js") and archive_has(path, head, "tweets.csv", "*_01.js", "*_12.js"):
        return 0.9
    if archive_has(path, head, "like.js", "follower.js", "following.js"):  # some parts of an archive only
        return 0.7
    return 0.0


class _Source:
    """An archive, or a single ``.js`` part seen as a one-member archive."""

    def __init__(self, path: Path) -> None:
        self.single = path if path.is_file() and not is_zip(path) else None
        self.archive: Archive | None = None if self.single else open_archive(path)

    def members(self, pattern: re.Pattern[str]) -> list[str]:
        if self.single is not None:
            return [self.single.name] if pattern.match(_part_name(self.single)) else []
        assert self.archive is not None
        return [n for n in self.archive.names() if pattern.match(n.rsplit("/", 1)[-1])]

    def load(self, name: str, options: ReadOptions) -> Any:
        if self.single is not None:
            data, where = self.single.read_bytes(), str(self.single)
        else:
            assert self.archive is not None
            data, where = self.archive.read(name), self.archive.where(name)
        options.advance(len(data))
        try:
            return load_js_json(data, where)
        except UnicodeDecodeError as exc:
            raise IngestError(
                L_("the file is not UTF-8 text"),
                where=where,
                hint=L_("Re-download the archive"),
            ) from exc


def _part_order(name: str) -> tuple[int, str]:
    """``like.js`` before ``like-part1.js`` before ``like-part2.js`` … ``like-part10.js``."""
    m = re.search(r"-part(\d+)\.js$", name)
    return (int(m.group(1)) if m else 0, name)


def _part_name(path: Path) -> str:
    """A lone part keeps its X name even when renamed: read ``window.YTD.<type>.partN`` from its head."""
    m = re.match(rb"^\s*window\.YTD\.([a-z_]+)\.part(\d+)", path.read_bytes()[:256])
    if not m:
        return path.name
    kind, part = m.group(1).decode(), int(m.group(2))
    return f"{kind}.js" if part == 0 else f"{kind}-part{part}.js"


def _records(data: Any, key: str, where: str) -> list[Any]:
    if not isinstance(data, list):
        raise IngestError(
            L_("expected a list of {key} records", key=key),
            where=where,
            hint=L_("Is this an X archive file?"),
        )
    return [item.get(key, item) if isinstance(item, dict) else item for item in data]


def _one(src: _Source, name: str, key: str, options: ReadOptions) -> list[Any]:
    """The records of ``name`` and of its parts (``like.js``, ``like-part1.js`` …: an archive splits any data type
    into parts past ``maxPartSizeBytes``, as its ``manifest.js`` lists them)."""
    stem = re.escape(name.removesuffix(".js"))
    found = sorted(src.members(re.compile(rf"^{stem}(-part\d+)?\.js$")), key=_part_order)
    out: list[Any] = []
    for member in found:
        out.extend(_records(src.load(member, options), key, member))
    return out


_KNOWN = re.compile(r"^(tweets?|account|follower|following|like|manifest|user_details)(-part\d+)?\.js$")
#: Parts that need the archive's owner (``account.js``) to mean anything: whose likes, whose followers.
_OWNED = re.compile(r"^(follower|following|like)(-part\d+)?\.js$")


def read_x(path: Path, options: ReadOptions) -> Iterator[Item]:
    src = _Source(path)
    if not src.members(_KNOWN) or (src.single is not None and not _SINGLE.match(path.read_bytes()[:256])):
        raise IngestError(
            L_("this is not an X archive (no window.YTD tweets.js, account.js, follower.js … found)"),
            where=str(path),
            hint=L_("Pass the archive zip, its data/ folder or one of its .js files; `signalboost formats` lists more"),
        )
    platform = options.platform or PLATFORM
    options.saw_times(naive=False)  # X writes every time with its UTC offset: the import's zone never applies
    accounts = _one(src, "account.js", "account", options)
    profiles = _one(src, "profile.js", "profile", options)
    account = accounts[0] if accounts and isinstance(accounts[0], dict) else {}
    me = str(account.get("accountId") or _manifest_user(src, options) or "")
    handle = account.get("username")
    if src.single is not None and not me and _OWNED.match(_part_name(path)):
        raise IngestError(
            L_("{file} alone does not say whose account it lists (no account.js)", file=_part_name(path)),
            where=str(path),
            hint=L_("Import the whole archive (the zip or its data/ folder): its account.js names the account"),
        )
    generated = options.observed_at or _generation_date(src, options)

    tweets: list[tuple[str, dict[str, Any]]] = []
    for member in sorted(src.members(_TWEET_FILE)) or _grailbird_months(src):
        tweets.extend((member, t) for t in _records(src.load(member, options), "tweet", member))
    circle = _add_other_posts(src, tweets, options)
    if not me and not handle:
        me, handle = _grailbird_user(src, options)
        account = {"username": handle} if handle else account
    tweets, folded = fold_edits(tweets)
    options.skip(
        N_("earlier versions of edited posts (folded into the post's first id, counts summed)"),
        folded,
    )
    notes = _one(src, "note-tweet.js", "noteTweet", options) if src.archive is not None else []
    expanded = expand_long_posts(tweets, notes)
    if expanded:
        options.note(L_("{n} long posts: full text from note-tweet.js", n=expanded))
    rows = parse_tweets(tweets, me=me, handle=handle, platform=platform)
    for post in rows["posts"]:
        if post["post_id"] in circle:
            post["visibility"] = "followers"
    observed = generated or max((p["created_at"] for p in rows["posts"]), default=None)
    for m in rows["post_metrics"]:
        m["observed_at"] = observed
    if observed is None:
        rows["post_metrics"] = []
    yield from rows["rejects"]
    yield Batch("posts", rows["posts"], rows_read=len(rows["posts"]))
    yield Batch(
        "post_metrics",
        [m for m in rows["post_metrics"] if m["observed_at"] is not None],
    )
    yield Batch("interactions", rows["interactions"])

    likes = _one(src, "like.js", "like", options)
    if not me:  # an archive without account.js or manifest.js: whose likes these are is unknown
        for i, rec in enumerate(likes, start=1):
            yield Reject(i, str(rec)[:500], "no account.js (or manifest.js) to say whose likes these are", "like.js")
        likes = []
    yield Batch(
        "interactions",
        parse_likes(likes, me=me, platform=platform),
        rows_read=len(likes),
    )
    counts: dict[str, int] = {}
    yield from _follows(src, options, me=me, platform=platform, observed=generated, counts=counts)
    if me:
        yield from _account(account, profiles, me, platform, generated, counts=counts)
    _warn_unread(src, options)


_READ = re.compile(
    r"^((tweets?|note-tweet|community-tweet|twitter-circle-tweet)(-part\d+)?|"
    r"(account|profile|follower|following|like|manifest|user_details)(-part\d+)?|\d{4}_\d{2})\.js$"
)


def _warn_unread(src: _Source, options: ReadOptions) -> None:
    """Name the archive's data files no canonical table holds (direct messages, blocks, mutes, ads …)."""
    if src.archive is None:
        return
    names = {n.rsplit("/", 1)[-1] for n in src.archive.names() if n.endswith(".js")}
    unread = sorted(n for n in names if not _READ.match(n))
    if unread:
        shown = ", ".join(unread[:6])
        if len(unread) > 6:
            options.warn(
                L_(
                    "not loaded (no canonical table holds them): {files} and {n} more",
                    files=shown,
                    n=len(unread) - 6,
                )
            )
        else:
            options.warn(L_("not loaded (no canonical table holds them): {files}", files=shown))


def _follows(
    src: _Source,
    options: ReadOptions,
    *,
    me: str,
    platform: str,
    observed: datetime | None,
    counts: dict[str, int],
) -> Iterator[Item]:
    for name, side in (("follower.js", "followee"), ("following.js", "follower")):
        records = _one(src, name, "follower" if side == "followee" else "following", options)
        edges = []
        for rec in records:
            other = str(rec.get("accountId") or "") if isinstance(rec, dict) else ""
            if not other or not me:
                yield Reject(
                    None,
                    str(rec)[:500],
                    "no accountId (or no account.js to say whose archive)",
                    name,
                )
                continue
            pair = (other, me) if side == "followee" else (me, other)
            edges.append(
                {
                    "platform": platform,
                    "follower_id": pair[0],
                    "followee_id": pair[1],
                    "observed_at": observed,
                }
            )
        yield Batch("follows", edges, rows_read=len(edges))
        if records:
            counts["followers" if side == "followee" else "following"] = len(records)
        if records and me and observed is not None:
            yield FollowSnapshot(platform, me, side, observed)


def _account(
    account: dict[str, Any],
    profiles: list[Any],
    me: str,
    platform: str,
    observed: datetime | None,
    *,
    counts: dict[str, int],
) -> Iterator[Item]:
    profile = profiles[0] if profiles and isinstance(profiles[0], dict) else {}
    desc = profile.get("description") or {}
    created = account.get("createdAt")
    row = {
        "platform": platform,
        "account_id": me,
        "handle": account.get("username"),
        "name": account.get("accountDisplayName"),
        "bio": desc.get("bio") if isinstance(desc, dict) else None,
        "created_at": parse_iso(created) if created else None,
        "is_brand": True,  # the owner of a personal export is the workspace's brand
        "observed_at": observed,
        "followers": counts.get("followers") if observed else None,
        "following": counts.get("following") if observed else None,
    }
    yield Batch("accounts", [row])
    if observed is not None and counts:
        snap = {"platform": platform, "account_id": me, "observed_at": observed}
        yield Batch(
            "account_snapshots",
            [snap | {k: counts.get(k) for k in ("followers", "following")}],
        )


def _add_other_posts(src: _Source, tweets: list[tuple[str, Any]], options: ReadOptions) -> set[str]:
    """Add the posts of ``community-tweet.js`` and ``twitter-circle-tweet.js`` not already in ``tweets.js``;
    returns the ids of the Circle posts (their visibility is not public)."""
    if src.archive is None:
        return set()
    known = {_tweet_id(t) for _, t in tweets}
    circle: set[str] = set()
    for pattern in (_COMMUNITY_FILE, _CIRCLE_FILE):
        for member in sorted(src.members(pattern)):
            for t in _records(src.load(member, options), "tweet", member):
                tid = _tweet_id(t)
                if pattern is _CIRCLE_FILE and tid:
                    circle.add(tid)
                if tid not in known or not tid:
                    tweets.append((member, t))
                    known.add(tid)
    return circle


def _tweet_id(t: Any) -> str:
    return str(t.get("id_str") or t.get("id") or "") if isinstance(t, dict) else ""


def _grailbird_months(src: _Source) -> list[str]:
    """The monthly tweet files of a 2012-2018 archive, oldest first."""
    if src.archive is None:
        return []
    return sorted(n for n in src.archive.names() if _GRAILBIRD_MONTH.search(n))


def _grailbird_user(src: _Source, options: ReadOptions) -> tuple[str, str | None]:
    """``(account id, handle)`` from a 2012-2018 archive's ``user_details.js`` (``var user_details = {...}``)."""
    if src.archive is None:
        return "", None
    for name in src.archive.find("user_details.js"):
        data = src.load(name, options)
        if isinstance(data, dict) and data.get("id"):
            return str(data["id"]), str(data["screen_name"]) if data.get("screen_name") else None
    return "", None


def _edit_chain(t: Any) -> tuple[str, list[str]] | None:
    """``(first id, ids of every version)`` of an edited post (``edit_info`` of 2022+ archives), else ``None``."""
    info = t.get("edit_info") if isinstance(t, dict) else None
    if not isinstance(info, dict):
        return None
    edit, initial = info.get("edit"), info.get("initial")
    if isinstance(edit, dict):
        ids = (edit.get("editControlInitial") or {}).get("editTweetIds") or []
        first = edit.get("initialTweetId") or (ids[0] if ids else None)
    elif isinstance(initial, dict):
        ids = initial.get("editTweetIds") or []
        first = ids[0] if ids else None
    else:
        return None
    if not first or not isinstance(ids, list) or (len(ids) < 2 and not isinstance(edit, dict)):
        return None
    return str(first), [str(i) for i in ids]


def fold_edits(tweets: list[tuple[str, Any]]) -> tuple[list[tuple[str, Any]], int]:
    """Pure: an edited post is in the archive once per version, each with its own id and its own likes and
    retweets (X keeps each interaction on the version it was given to). Fold the versions into one post: the id
    and time of the first version (the id replies and links use), the text and entities of the last one, the
    counts summed. Returns the tweets and how many versions were folded away. X's README: "up to 5 edited tweets
    with unique editTweetIds, all connected by the initialTweetID"."""
    chains: dict[str, list[dict[str, Any]]] = {}
    for _, t in tweets:
        chain = _edit_chain(t)
        if chain is not None:
            chains.setdefault(chain[0], []).append(t)
    out: list[tuple[str, Any]] = []
    folded = 0
    done: set[str] = set()
    for member, t in tweets:
        chain = _edit_chain(t)
        versions = chains.get(chain[0], []) if chain else []
        if chain is None or len(versions) < 2:
            out.append((member, t))
            continue
        if chain[0] in done:
            continue
        merged = _merge_versions(chain[0], versions)
        if merged is None:  # a version whose counts are not counts: keep them apart (each a reject or a post)
            out.extend((member, v) for v in versions)
        else:
            out.append((member, merged))
            folded += len(versions) - 1
        done.add(chain[0])
    return out, folded


def _merge_versions(first: str, versions: list[dict[str, Any]]) -> dict[str, Any] | None:
    try:
        order = sorted(versions, key=lambda v: parse_x_date(str(v.get("created_at"))))
        counts = [_counts(v) for v in versions]
    except (ValueError, TypeError):
        return None
    initial = next((v for v in versions if str(v.get("id_str") or v.get("id")) == first), order[0])
    merged = dict(order[-1])
    merged.update({"id_str": first, "id": first, "created_at": initial.get("created_at")})
    for field, metric in _COUNTS:
        values = [n for c in counts if (n := c[metric]) is not None]
        merged[field] = str(sum(values)) if values else None
    return merged


def expand_long_posts(tweets: list[tuple[str, Any]], notes: list[Any]) -> int:
    """Pure: a post longer than 280 characters is in ``tweets.js`` cut short ("…" and a link) and whole in
    ``note-tweet.js``, which does not name the tweet's id: a note is matched to the tweet posted in the same second
    whose text it begins with. Sets the tweet's ``full_text``; returns how many were expanded."""
    by_time: dict[datetime, list[str]] = {}
    for note in notes:
        core = note.get("core") if isinstance(note, dict) else None
        text = core.get("text") if isinstance(core, dict) else None
        try:
            when = parse_iso(str(note.get("createdAt")))
        except (ValueError, AttributeError):
            continue
        if isinstance(text, str) and text:
            by_time.setdefault(when.replace(microsecond=0), []).append(text)
    expanded = 0
    for _, t in tweets:
        if not by_time or not isinstance(t, dict):
            continue
        try:
            when = parse_x_date(str(t.get("created_at")))
        except ValueError:
            continue
        short = _unescape(str(t.get("full_text") or t.get("text") or ""))
        stem = re.sub(r"(…|\.\.\.)?\s*(https://t\.co/\S+)?\s*$", "", short).rstrip("…").strip()
        for text in by_time.get(when, []):
            if stem and text.startswith(stem) and len(text) > len(stem):
                t["full_text"] = html.escape(text, quote=False)  # escaped as tweets.js writes text
                expanded += 1
                break
    return expanded


def _unescape(text: str) -> str:
    """X escapes ``&``, ``<`` and ``>`` in a tweet's text (``&amp;``): the text as written."""
    return html.unescape(text) if "&" in text else text


def _manifest_user(src: _Source, options: ReadOptions) -> str | None:
    info = _manifest(src, options).get("userInfo") or {}
    return str(info.get("accountId")) if info.get("accountId") else None


def _generation_date(src: _Source, options: ReadOptions) -> datetime | None:
    info = _manifest(src, options).get("archiveInfo") or {}
    value = info.get("generationDate")
    return parse_iso(value) if value else None


def _manifest(src: _Source, options: ReadOptions) -> dict[str, Any]:
    if src.single is not None or src.archive is None:
        return {}
    names = src.archive.find("manifest.js")
    if not names:
        return {}
    data = load_js_json(src.archive.read(names[0]), src.archive.where(names[0]))
    return data if isinstance(data, dict) else {}


def _format(tweet: dict[str, Any]) -> str:
    media = (tweet.get("extended_entities") or tweet.get("entities") or {}).get("media") or []
    kinds = {m.get("type") for m in media if isinstance(m, dict)}
    if kinds & {"video", "animated_gif"}:
        return "video"
    if len(media) > 1:
        return "carousel"
    if media:
        return "photo"
    if (tweet.get("entities") or {}).get("urls"):
        return "link"
    return "text"


def parse_tweets(
    tweets: list[tuple[str, dict[str, Any]]],
    *,
    me: str,
    handle: str | None,
    platform: str = PLATFORM,
) -> dict[str, list[Any]]:
    """Pure: ``(member, tweet)`` records -> canonical rows: posts, post_metrics (no time yet), interactions,
    rejects (a tweet without ``id_str`` or with an unreadable date; ``line`` = record number in its file)."""
    out: dict[str, list[Any]] = {
        "posts": [],
        "post_metrics": [],
        "interactions": [],
        "rejects": [],
    }
    seen: dict[str, int] = {}
    for member, t in tweets:
        index = seen[member] = seen.get(member, 0) + 1  # record number within its file
        if not isinstance(t, dict):
            out["rejects"].append(Reject(index, str(t)[:500], f"record {index}: not an object", member))
            continue
        tid = t.get("id_str") or t.get("id")
        try:
            created = parse_x_date(t["created_at"])
        except (KeyError, ValueError, TypeError):
            out["rejects"].append(
                Reject(
                    index,
                    str(t)[:500],
                    f"record {index}: missing or unreadable created_at",
                    member,
                )
            )
            continue
        if not tid:
            out["rejects"].append(Reject(index, str(t)[:500], f"record {index}: no id_str", member))
            continue
        try:
            counts = _counts(t)
        except ValueError as exc:
            out["rejects"].append(Reject(index, str(t)[:500], f"record {index}: {exc}", member))
            continue
        _tweet_rows(out, t, str(tid), created, counts, me=me, handle=handle, platform=platform)
    return out


_COUNTS = (("favorite_count", "likes"), ("retweet_count", "shares"))


def _counts(t: dict[str, Any]) -> dict[str, int | None]:
    """The tweet's counts as canonical metrics; ``ValueError`` naming the field when one is not a count."""
    out: dict[str, int | None] = {}
    for field, metric in _COUNTS:
        try:
            out[metric] = to_count(t.get(field))
        except ValueError as exc:
            raise ValueError(f"{field}: {exc}") from None
    return out


def _tweet_rows(
    out: dict[str, list[Any]],
    t: dict[str, Any],
    tid: str,
    created: datetime,
    counts: dict[str, int | None],
    *,
    me: str,
    handle: str | None,
    platform: str,
) -> None:
    text = _unescape(str(t.get("full_text") or t.get("text") or ""))
    entities = t.get("entities") or {}
    mentions = [m for m in entities.get("user_mentions") or [] if isinstance(m, dict)]
    is_rt = text.startswith("RT @")
    reply_user = t.get("in_reply_to_user_id_str")
    out["posts"].append(
        {
            "platform": platform,
            "post_id": tid,
            "author_id": me or None,
            "created_at": created,
            "text": text,
            "format": _format(t),
            "hashtags": [str(h.get("text", "")).lower() for h in entities.get("hashtags") or [] if h.get("text")],
            "mentions": [str(m.get("screen_name", "")).lower() for m in mentions if m.get("screen_name")],
            "reply_to": t.get("in_reply_to_status_id_str"),
            "repost_of": "" if is_rt else None,
            "url": f"https://x.com/{handle}/status/{tid}" if handle else None,
            "visibility": "public",
            "language": t.get("lang"),
        }
    )
    metrics: dict[str, Any] = {
        "platform": platform,
        "post_id": tid,
        "observed_at": None,
    }
    if not is_rt:
        metrics |= counts
    if any(v is not None for v in counts.values()):  # an archive without counts (2012-2018) has no snapshot
        out["post_metrics"].append(metrics)
    if not me:
        return
    base = {"platform": platform, "actor_id": me, "occurred_at": created, "weight": 1.0}
    rt_user = str(mentions[0].get("id_str") or "") if is_rt and mentions else ""
    if is_rt and rt_user:
        out["interactions"].append(base | {"kind": "repost", "target_post_id": "", "target_account_id": rt_user})
    if reply_user and reply_user != me:
        out["interactions"].append(
            base
            | {
                "kind": "reply",
                "target_post_id": t.get("in_reply_to_status_id_str") or "",
                "target_account_id": reply_user,
            }
        )
    for m in mentions:
        uid = str(m.get("id_str") or "")
        if uid and uid not in (rt_user, reply_user, me, "-1"):
            out["interactions"].append(base | {"kind": "mention", "target_post_id": "", "target_account_id": uid})


def parse_likes(likes: list[Any], *, me: str, platform: str = PLATFORM) -> list[dict[str, Any]]:
    """Pure: like.js records -> interactions (kind like, target post = tweetId, time unknown)."""
    rows = []
    for rec in likes:
        if isinstance(rec, dict) and rec.get("tweetId") and me:
            rows.append(
                {
                    "platform": platform,
                    "actor_id": me,
                    "kind": "like",
                    "target_post_id": str(rec["tweetId"]),
                    "target_account_id": "",
                    "occurred_at": None,
                    "weight": 1.0,
                }
            )
    return rows


FORMAT = register(
    Format(
        name="x-archive",
        description=N_("X/Twitter archive: the zip, its data/ folder, or one window.YTD .js part (tweets, likes, …)"),
        loads=N_("posts, post_metrics, interactions (reply/mention/repost/like), follows, accounts"),
        sniff=sniff,
        read=read_x,
        platform="x",
        extensions=(".zip", ".js"),
    )
)
