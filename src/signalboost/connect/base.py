"""The one small interface every network's live connector implements, and the rows it returns.

A connector speaks to one account on one network and returns *canonical rows* (the tables of DESIGN.md, as
dicts keyed by column), so the sync engine writes them exactly as an import would:

- ``profile(observed_at)``: the account itself (``accounts`` + a dated ``account_snapshots`` row);
- ``page(stream, cursor, limit=, observed_at=)``: one page of ``followers``, ``follows``, ``posts`` (own posts with
  their counts as a dated ``post_metrics`` snapshot) or ``notifications`` (``interactions``), newest first, with
  the cursor of the next page (``None`` at the end) and the keys of its items (an incremental pass stops at the
  newest key of the previous pass);
- ``audience(actor, cursor, ...)``: one page of another account's followers (partners, influencers);
- ``profiles(ids, observed_at)``: full profiles (counts) of accounts seen;
- ``replies(post_id, observed_at)``: the direct replies to one own post (to complete what notifications missed);
- ``publish(text, record_key, images=, reply_to=)``: send one post (with its images and alt texts, as a reply
  in a thread) under a key chosen (``new_record_key``) and recorded before sending, return its platform id
  and URL; ``published(record_key, text=, since=)`` looks that post up on the
  network (reconciliation after a crash: a post is never sent twice) — by its key where the network stores it
  (Bluesky's record key), else by its text among the account's posts since the intent (Mastodon).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

Rows = dict[str, list[dict[str, Any]]]

#: What ``signalboost sync`` pulls, in order.
STREAMS: tuple[str, ...] = ("followers", "follows", "posts", "notifications")


@dataclass
class Page:
    """One page of a stream: canonical rows by table, the items' keys (server order), the next cursor."""

    rows: Rows
    keys: list[str]
    cursor: str | None
    accounts_seen: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Published:
    """A post the network accepted."""

    post_id: str
    url: str
    created_at: dt.datetime
    cid: str | None = None  # Bluesky's content id (a reply names its root and parent by uri + cid)


@dataclass(frozen=True)
class MediaFile:
    """An image to upload with a post: the file, its alt text, its MIME type."""

    path: Path
    alt: str
    mime_type: str


@dataclass(frozen=True)
class ReplyTo:
    """Where a thread part goes: the thread's first post (root) and the part it answers (parent)."""

    root: Published
    parent: Published


@dataclass
class Stats:
    """Requests sent and time slept for rate limits (for the progress line and the measurements)."""

    requests: int = 0
    retries: int = 0
    slept_seconds: float = 0.0

    def pause(self, seconds: float, sleep: Callable[[float], None]) -> None:
        """Wait ``seconds`` (a rate-limit pause or a backoff) with ``sleep``, and count it."""
        if seconds > 0:
            self.retries += 1
            self.slept_seconds += seconds
            sleep(seconds)


class Connector(Protocol):
    """A logged-in client of one account on one network."""

    platform: str
    account_id: str
    handle: str
    stats: Stats

    def profile(self, observed_at: dt.datetime) -> Rows: ...

    def page(self, stream: str, cursor: str | None, *, limit: int, observed_at: dt.datetime) -> Page: ...

    def audience(self, actor: str, cursor: str | None, *, limit: int, observed_at: dt.datetime) -> Page: ...

    def profiles(self, ids: Sequence[str], observed_at: dt.datetime) -> Rows: ...

    def replies(self, post_id: str, observed_at: dt.datetime) -> Rows: ...

    def new_record_key(self, at: dt.datetime) -> str: ...

    def publish(
        self, text: str, record_key: str, *, images: Sequence[MediaFile] = (), reply_to: ReplyTo | None = None
    ) -> Published: ...

    def published(self, record_key: str, *, text: str = "", since: dt.datetime | None = None) -> Published | None: ...


def merge_rows(into: Rows, more: Rows) -> Rows:
    for table, rows in more.items():
        into.setdefault(table, []).extend(rows)
    return into


def snapshot_of(account: dict[str, Any], observed_at: dt.datetime) -> dict[str, Any]:
    """The dated ``account_snapshots`` row of an ``accounts`` row (followers, following, posts as seen now)."""
    return {
        "platform": account["platform"],
        "account_id": account["account_id"],
        "observed_at": observed_at,
        "followers": account.get("followers"),
        "following": account.get("following"),
        "posts_count": account.get("posts_count"),
    }


def utc_time(value: Any) -> dt.datetime | None:
    """A network's time (an ISO 8601 string, ``Z`` allowed, or a datetime as Mastodon.py gives) as aware UTC;
    ``None`` when absent or unreadable. A time without an offset is taken as UTC (the Bluesky and Mastodon APIs
    send UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)
