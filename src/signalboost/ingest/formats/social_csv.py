"""Two CSVs people bring that name their columns their own way, read through the generic importer with a preset.

- **Tweet CSVs** (third-party exporters, datasets, spreadsheets, the ``tweets.csv`` of a 2012-2018 archive:
  ``tweet_id,in_reply_to_status_id,…,timestamp,source,text,retweeted_status_id,…``):
  ``created_at,text,retweets,favorites,replies``
  and its variants (``id``/``tweet_id``/``id_str``, ``date``, ``retweet_count``, ``favorite_count``/``likes``,
  ``reply_count``, ``screen_name``/``username``). Platform ``x``. A row whose text starts with ``RT @`` is a
  repost by the account, not its own post: ``repost_of = ''`` (the original's id is unknown, as in an X archive)
  and its counts — which are the original's — are NULL. Without an id column the post id is ``csv:`` + the MD5 of
  ``created_at|text`` (content-derived, so re-imports agree).
- **YouTube comments CSVs**: Google Takeout's ``comments.csv`` (``Comment ID, Channel ID, Comment Create
  Timestamp, Price, Parent Comment ID, Video ID, Comment Text``) and API dumps (``author``/``authorDisplayName``,
  ``published_at``/``publishedAt``, ``video_id``/``videoId``, ``text``): each row is a **reply** interaction of
  its author on the video (``target_post_id``), at the comment's time; the later layouts are read too (2024: the
  columns reordered, ``Channel ID`` first; 2025: ``Comment create timestamp``, ``Post ID``, ``Top-level comment
  ID``), and a comment on a community post (``Video ID`` empty) targets its ``Post ID``. Platform ``youtube``.

``--map`` overrides any preset field.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from signalboost.i18n import L_, N_
from signalboost.ingest.base import Format, Item, ReadOptions
from signalboost.ingest.formats import generic
from signalboost.ingest.registry import register
from signalboost.store.ingest_sql import ident

TWEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "post_id": ("id", "tweet_id", "id_str", "tweet id", "status_id"),
    "created_at": (
        "created_at",
        "date",
        "time",
        "timestamp",
        "created at",
        "tweet date",
    ),
    "text": ("text", "full_text", "tweet", "content", "tweet text"),
    "shares": ("retweets", "retweet_count", "retweet count", "rts"),
    "likes": (
        "favorites",
        "favorite_count",
        "favourites",
        "likes",
        "like_count",
        "favorite count",
    ),
    "comments": ("replies", "reply_count", "reply count"),
    "author_id": ("screen_name", "username", "user", "user_screen_name", "author"),
    "reply_to": ("in_reply_to_status_id", "in_reply_to_status_id_str", "in_reply_to_tweet_id"),
}
COMMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "actor_id": (
        "channel id",
        "author channel id",
        "authorchannelid",
        "author",
        "authordisplayname",
        "username",
    ),
    "target_post_id": ("video id", "videoid", "video_id"),
    "occurred_at": (
        "comment create timestamp",
        "published_at",
        "publishedat",
        "published at",
        "time",
        "date",
    ),
}
_COMMENT_TEXT = ("comment text", "comment", "text", "textdisplay", "textoriginal")


def _header(head: bytes) -> list[str]:
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    sep = max((",", ";", "\t"), key=first.count)
    return [generic.clean_header(c).lower() for c in first.split(sep)]


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    by_norm = {generic.clean_header(c).lower(): c for c in columns}
    return next((by_norm[n] for n in names if n in by_norm), None)


def sniff_tweets(head: bytes, path: Path) -> float:
    if path.is_dir() or head.startswith(b"PK\x03\x04"):
        return 0.0
    cols = set(_header(head))
    has = {f: bool(cols & set(names)) for f, names in TWEET_COLUMNS.items()}
    if has["created_at"] and has["text"] and has["shares"] and has["likes"]:
        return 0.85
    if has["post_id"] and has["created_at"] and has["text"] and "retweeted_status_id" in cols:
        return 0.85  # the tweets.csv of a 2012-2018 archive: no counts
    return 0.0


def sniff_comments(head: bytes, path: Path) -> float:
    if path.is_dir() or head.startswith(b"PK\x03\x04"):
        return 0.0
    cols = set(_header(head))
    has = {f: bool(cols & set(names)) for f, names in COMMENT_COLUMNS.items()}
    if has["target_post_id"] and has["actor_id"] and has["occurred_at"] and cols & set(_COMMENT_TEXT):
        return 0.85
    return 0.0


def read_tweets(path: Path, options: ReadOptions) -> Iterator[Item]:
    options.preset = lambda columns: _tweet_preset(columns, options)
    options.platform = options.platform or "x"
    options.note(L_("tweet CSV: rows starting with 'RT @' are reposts (repost_of '', their counts NULL)"))
    yield from generic.read_generic(path, options)


def _tweet_preset(columns: list[str], options: ReadOptions) -> None:
    preset = {f: c for f, names in TWEET_COLUMNS.items() if (c := _find(columns, names))}
    text = preset.get("text")
    if text is not None:
        rt = f"starts_with(ltrim(CAST({ident(text)} AS VARCHAR)), 'RT @')"
        options.sql_constants["repost_of"] = f"CASE WHEN {rt} THEN '' END"
        for metric in ("shares", "likes", "comments"):
            if metric in preset:  # an RT row's counts are the original's: not the account's, so NULL
                name = f"{preset[metric]} (NULL for RT @ rows)"
                options.virtual[name] = f"CASE WHEN {rt} THEN NULL ELSE CAST({ident(preset[metric])} AS VARCHAR) END"
                preset[metric] = name
    if "post_id" not in preset and text is not None and "created_at" in preset:
        name = "(csv: + MD5 of created_at|text)"
        options.virtual[name] = (
            f"'csv:' || md5(coalesce(CAST({ident(preset['created_at'])} AS VARCHAR), '') || '|' || "
            f"coalesce(CAST({ident(text)} AS VARCHAR), ''))"
        )
        preset["post_id"] = name
    options.mapping = preset | (options.mapping or {})


def read_comments(path: Path, options: ReadOptions) -> Iterator[Item]:
    options.preset = lambda columns: _comment_preset(columns, options)
    options.platform = options.platform or "youtube"
    options.note(L_("YouTube comments: each comment is a reply interaction of its author on the video"))
    yield from generic.read_generic(path, options)


#: Takeout's comments.csv of 2025 names the community post a comment is on in ``Post ID`` (``Video ID`` empty).
_COMMUNITY_POST = ("post id",)


def _comment_preset(columns: list[str], options: ReadOptions) -> None:
    preset = {f: c for f, names in COMMENT_COLUMNS.items() if (c := _find(columns, names))}
    post = _find(columns, _COMMUNITY_POST)
    if post is not None and "target_post_id" in preset:  # a comment on a community post: its post is the target
        video = preset["target_post_id"]
        name = f"{video} (else {post})"
        options.virtual[name] = (
            f"coalesce(nullif(trim(CAST({ident(video)} AS VARCHAR)), ''), "
            f"nullif(trim(CAST({ident(post)} AS VARCHAR)), ''))"
        )
        preset["target_post_id"] = name
    options.mapping = preset | (options.mapping or {})
    if "kind" not in options.mapping and options.kind is None:
        options.mapping["kind"] = "=reply"


TWEETS = register(
    Format(
        name="tweet-csv",
        description=N_("A CSV of tweets (created_at, text, retweets, favorites, replies …); RT @ rows are reposts"),
        loads=N_("posts (own tweets; RT @ rows as reposts) and post_metrics (retweets, favorites, replies)"),
        sniff=sniff_tweets,
        read=read_tweets,
        platform="x",
        extensions=(".csv",),
    )
)
COMMENTS = register(
    Format(
        name="youtube-comments",
        description=N_("A CSV of YouTube comments (Google Takeout comments.csv or an API dump)"),
        loads=N_("interactions (reply: the comment's author on the video, at its time)"),
        sniff=sniff_comments,
        read=read_comments,
        platform="youtube",
        extensions=(".csv",),
    )
)
