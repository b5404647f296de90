"""TikTok "Download your data" export, JSON format: ``user_data.json`` / ``user_data_tiktok.json``, or its zip.

One JSON document; its sections moved between versions, so each part is looked up at every path TikTok has used:

- own videos: ``Video › Videos › VideoList`` (2021-2023) or ``Post › Posts › VideoList`` (2024+):
  ``{"Date": "2023-05-01 12:00:00", "Link": "https://www.tiktokv.com/share/video/<id>/", "Likes": "12", …}``
  -> ``posts`` (format video, id = the number in the link, text from ``Title`` / ``Description`` when present)
  and ``post_metrics`` (likes); a photo post ("slideshow") has its images' links in ``Link``, one per line, and no
  id: it is ``slideshow:<its time>`` (format photo, or carousel for several images; the image links are signed
  and expire, so they are not its id or url);
- ``Follower List › FansList`` / ``Following List › Following`` (under ``Activity``; ``Follower`` / ``Following``
  under ``Your Activity`` in 2024+): ``{"Date", "UserName"}`` -> ``follows`` (the follow time as ``observed_at``);
- ``Like List › ItemFavoriteList``: ``{"Date", "Link"}`` -> ``interactions`` of kind like, at their time;
- ``Profile › Profile Information › ProfileMap`` (``Profile Info`` in 2024+) (``userName``, ``bioDescription``)
  -> ``accounts``.

The watch history (``Video Browsing History › VideoList``) and favourites are not the account's posts and are not
read. Times are UTC (TikTok writes them so, without a zone). Platform ``tiktok``; accounts are user names.
Metrics are observed at ``--observed-at``, else the newest time in the export (content-derived: re-imports agree).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from signalboost.errors import IngestError
from signalboost.i18n import L_, N_
from signalboost.ingest.archive import archive_has, is_zip, open_archive
from signalboost.ingest.base import Batch, Format, Item, ReadOptions, Reject
from signalboost.ingest.registry import register
from signalboost.ingest.textio import decode_text, fix_mojibake, hashtags_in, loads_json, mentions_in, to_count

PLATFORM = "tiktok"
_NAMES = ("user_data.json", "user_data_tiktok.json")
_VIDEO_ID = re.compile(r"/(?:video|v|photo)/(\d{6,25})")
PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "videos": (
        ("Video", "Videos", "VideoList"),
        ("Post", "Posts", "VideoList"),
        ("Your Activity", "Videos", "VideoList"),
    ),
    "followers": (
        ("Activity", "Follower List", "FansList"),
        ("Your Activity", "Follower", "FansList"),
        ("Activity", "Follower", "FansList"),
    ),
    "following": (
        ("Activity", "Following List", "Following"),
        ("Your Activity", "Following", "Following"),
        ("Activity", "Following", "Following"),
    ),
    "likes": (("Activity", "Like List", "ItemFavoriteList"), ("Your Activity", "Like List", "ItemFavoriteList")),
    "profile": (
        ("Profile", "Profile Information", "ProfileMap"),
        ("Profile", "Profile Info", "ProfileMap"),
        ("Profile And Settings", "Profile Info", "ProfileMap"),
        ("Profile And Settings", "Profile Information", "ProfileMap"),
    ),
}


def sniff(head: bytes, path: Path) -> float:
    if path.is_file() and path.name.lower() in _NAMES:
        return 0.95
    if path.is_file() and head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{"):
        window = head[:65536]
        if b'"ProfileMap"' in window or (b'"Activity"' in window and b'"Follower List"' in window):
            return 0.9
        return 0.0
    if archive_has(path, head, *_NAMES):
        return 0.95
    return 0.0


def _dig(data: Any, what: str) -> tuple[Any, str | None]:
    """The part ``what`` of the export at the first of its known paths, with the path found (``None``: absent)."""
    for path in PATHS[what]:
        node = data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None:
            return node, " › ".join(path)
    return None, None


def video_id(link: Any) -> str | None:
    """The numeric id in a TikTok video link (``https://www.tiktokv.com/share/video/7123…/``)."""
    m = _VIDEO_ID.search(str(link or ""))
    return m.group(1) if m else None


def parse_time(value: Any) -> datetime:
    """TikTok's ``2023-05-01 12:00:00`` (UTC, no zone written)."""
    return datetime.strptime(str(value).strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def parse_videos(records: Any, *, me: str | None, where: str) -> tuple[list[Any], list[Any], list[Reject]]:
    """Pure: own video records -> posts, post_metrics (observed time unset), rejects (``line`` = record number)."""
    posts, metrics, rejects = [], [], []
    for index, rec in enumerate(records if isinstance(records, list) else [], start=1):
        vid = video_id(rec.get("Link")) if isinstance(rec, dict) else None
        images = slideshow_images(rec.get("Link")) if isinstance(rec, dict) and vid is None else []
        try:
            if vid is None and not images:
                raise ValueError("no video id in 'Link'")
            created = parse_time(rec.get("Date"))
            likes = _count(rec.get("Likes"))
        except ValueError as exc:
            rejects.append(Reject(index, str(rec)[:500], f"record {index}: {exc}", where))
            continue
        if vid is None:  # a photo post: the export names no id, its time (to the second) stands for it
            vid = f"slideshow:{created:%Y-%m-%dT%H:%M:%S}"
        text = fix_mojibake(str(rec.get("Title") or rec.get("Description") or "")) or None
        posts.append(
            {
                "platform": PLATFORM,
                "post_id": vid,
                "author_id": me,
                "created_at": created,
                "text": text,
                "format": ("carousel" if len(images) > 1 else "photo") if images else "video",
                "hashtags": hashtags_in(text),
                "mentions": mentions_in(text),
                "url": None if images else str(rec.get("Link")),
            }
        )
        if likes is not None:
            metrics.append({"platform": PLATFORM, "post_id": vid, "likes": likes})
    return posts, metrics, rejects


_IMAGE_LINK = re.compile(r"^https?://\S+?\.(?:jpe?g|png|webp|heic)(?:[?#~]\S*)?$", re.IGNORECASE)


def slideshow_images(link: Any) -> list[str]:
    """The image links of a photo post (a "slideshow"), which the export writes in ``Link`` one per line instead of
    a video link; ``[]`` when ``link`` is not a list of links to image files (a profile link is no photo post)."""
    lines = [line.strip() for line in str(link or "").splitlines() if line.strip()]
    return lines if lines and all(_IMAGE_LINK.match(line) for line in lines) else []


_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+$")


def _count(value: Any) -> int | None:
    """A count as TikTok writes it (``"87"``, ``"1,204"``): thousands commas only where they group by three."""
    text = str(value).strip() if isinstance(value, str) else value
    if isinstance(text, str) and _GROUPED.match(text):
        text = text.replace(",", "")
    return to_count(text)


def parse_people(records: Any, *, me: str, side: str, where: str) -> tuple[list[Any], list[Reject]]:
    """Pure: follower / following records -> follows rows (the follow time as ``observed_at``)."""
    rows, rejects = [], []
    for index, rec in enumerate(records if isinstance(records, list) else [], start=1):
        user = (rec.get("UserName") or rec.get("Username") or rec.get("userName")) if isinstance(rec, dict) else None
        try:
            if not user:
                raise ValueError("no UserName")
            when = parse_time(rec.get("Date")) if rec.get("Date") else None
        except ValueError as exc:
            rejects.append(Reject(index, str(rec)[:500], f"record {index}: {exc}", where))
            continue
        pair = (str(user).lower(), me) if side == "followers" else (me, str(user).lower())
        rows.append({"platform": PLATFORM, "follower_id": pair[0], "followee_id": pair[1], "observed_at": when})
    return rows, rejects


def parse_likes(records: Any, *, me: str, where: str) -> tuple[list[Any], list[Reject]]:
    """Pure: liked video records -> interactions of kind like, at their time."""
    rows, rejects = [], []
    for index, rec in enumerate(records if isinstance(records, list) else [], start=1):
        vid = video_id(rec.get("Link") or rec.get("link")) if isinstance(rec, dict) else None
        try:
            if vid is None:
                raise ValueError("no video id in 'Link'")
            when = parse_time(rec.get("Date") or rec.get("date"))
        except ValueError as exc:
            rejects.append(Reject(index, str(rec)[:500], f"record {index}: {exc}", where))
            continue
        rows.append(
            {
                "platform": PLATFORM,
                "actor_id": me,
                "kind": "like",
                "target_post_id": vid,
                "target_account_id": "",
                "occurred_at": when,
                "weight": 1.0,
            }
        )
    return rows, rejects


def _load(path: Path, options: ReadOptions) -> tuple[Any, str]:
    if path.is_file() and not is_zip(path):
        data, where = path.read_bytes(), str(path)
    else:
        archive = open_archive(path)
        names = archive.find(*_NAMES)
        if not names:
            raise IngestError(
                L_("this is not a TikTok export (no user_data.json)"),
                where=str(path),
                hint=L_("Request your data in JSON format (TikTok › Settings › Download your data)"),
            )
        data, where = archive.read(names[0]), archive.where(names[0])
    options.advance(len(data))
    text, _ = decode_text(data, where)
    return loads_json(text, where), where


def read_tiktok(path: Path, options: ReadOptions) -> Iterator[Item]:
    data, where = _load(path, options)
    if not isinstance(data, dict):
        raise IngestError(
            L_("expected a JSON object (TikTok's user_data.json), found {kind}", kind=type(data).__name__),
            where=where,
            hint=L_("Request your data again in JSON format"),
        )
    platform = options.platform or PLATFORM
    # TikTok writes its times in UTC without saying so: the import's zone does not apply, and the summary says so
    options.saw_times(naive=False)
    options.note(L_("TikTok's times are read as UTC (the export writes them in UTC without a zone)"))
    profile, _ = _dig(data, "profile")
    username = str(profile.get("userName") or "") if isinstance(profile, dict) else ""
    me = username.lower() or "me"
    if not username:
        options.warn(L_("{file}: no user name in the profile, so 'me' stands for you", file=Path(where).name))
    videos, found = _dig(data, "videos")
    posts, metrics, rejects = parse_videos(videos, me=me, where=f"{where}: {found}")
    likes, likes_at = _dig(data, "likes")
    liked, like_rejects = parse_likes(likes, me=me, where=f"{where}: {likes_at}")
    follows: list[dict[str, Any]] = []
    for side in ("followers", "following"):
        records, at = _dig(data, side)
        rows, bad = parse_people(records, me=me, side=side, where=f"{where}: {at}")
        follows += rows
        rejects += bad
    if not any((videos, likes, follows)) and not username:
        raise IngestError(
            L_("no videos, likes, followers or profile found: not a TikTok export this version can read"),
            where=where,
            hint=L_("Request your data in JSON format; `signalboost formats` lists what can be imported"),
        )
    times = [p["created_at"] for p in posts] + [i["occurred_at"] for i in liked]
    observed = options.observed_at or max(times + [f["observed_at"] for f in follows if f["observed_at"]], default=None)
    for row in (*posts, *metrics, *liked, *follows):
        row["platform"] = platform
    yield from rejects
    yield from like_rejects
    yield Batch("posts", posts, rows_read=len(posts))
    if observed is not None:
        yield Batch("post_metrics", [m | {"observed_at": observed} for m in metrics])
    yield Batch("interactions", liked, rows_read=len(liked))
    yield Batch("follows", follows, rows_read=len(follows))
    if username:
        bio = profile.get("bioDescription") if isinstance(profile, dict) else None
        row = {"platform": platform, "account_id": me, "handle": username, "bio": bio or None, "is_brand": True}
        yield Batch("accounts", [row])


FORMAT = register(
    Format(
        name="tiktok-export",
        description=N_("TikTok 'Download your data' JSON export (user_data.json or its zip)"),
        loads=N_("posts (your videos) and post_metrics (likes), interactions (your likes), follows, accounts"),
        sniff=sniff,
        read=read_tiktok,
        platform="tiktok",
        extensions=(".json", ".zip"),
    )
)
