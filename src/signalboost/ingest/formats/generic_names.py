"""Column names of other tools that the generic importer maps without ``--map``, and account lists.

**API names** (the field names of the networks' own APIs, as scrapers, notebooks and data sets flatten them into
CSV columns): the Instagram Graph API media fields (``like_count``, ``comments_count``, ``media_type``,
``timestamp``, ``permalink``, ``caption``), the X API v2 ``public_metrics`` (``like_count``, ``reply_count``,
``retweet_count``, ``quote_count``, ``impression_count``) and v1.1 (``favorite_count``, ``screen_name``), the
Mastodon API Status entity (``favourites_count``, ``reblogs_count``, ``replies_count``, ``in_reply_to_id``), and the
Instagram web ``shortcode_media`` names of scraped data sets (``taken_at_timestamp``, ``owner_username``,
``video_view_count``). Only names whose meaning is unambiguous are mapped.

**Account lists** (an influencer list with follower counts: Kim et al.'s ``influencers.txt``, an influencer tool's
export, an agency's own spreadsheet) load into ``accounts``: the names of the Instagram Graph API IG User
(``username``, ``name``, ``biography``, ``followers_count``, ``follows_count``, ``media_count``), the X API user
object (``screen_name``, ``description``, ``followers_count``, ``friends_count``, ``statuses_count``; v2
``tweet_count``), the Mastodon Account entity (``display_name``, ``note`` is not mapped, ``statuses_count``) and
generic words (``Handle``, ``Followers``, ``Following``, ``Posts``, ``#Followers``, ``Category``), and influencer
tools' names: HypeAuditor's (``followings_count``; ``total_followers``/``total_following``/``total_posts`` in
Daasity's documented copy of its report), camelCase exports (``followerCount``, ``mediaCount``) and their
``scrapedAt`` (the time the counts were read: the snapshot's time).
A file is an account list when it maps an account's id or handle and at least one of its counts (followers,
following, posts), and nothing a post, a follow or an interaction has (see :func:`account_list`).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from signalboost.i18n import L_
from signalboost.ingest.base import METRIC_FIELDS, ReadOptions, SqlStage
from signalboost.ingest.dates import latest
from signalboost.store.ingest_sources_sql import generic_select, snapshots_from_stage
from signalboost.store.ingest_sql import lit

#: The counts an account list gives, and the fields of an ``accounts`` row a file may map.
ACCOUNT_COUNTS = ("followers", "following", "posts_count")
ACCOUNT_FIELDS = ("account_id", "handle", "name", "bio", "category", *ACCOUNT_COUNTS)

#: normalised column name -> field (see ``generic.normalise``: lower case, punctuation runs as ``_``).
API_SYNONYMS: dict[str, str] = {
    # who wrote the post (in an account list these name the account: see account_list)
    "username": "author_id",
    "user_name": "author_id",
    "owner_username": "author_id",
    "screen_name": "author_id",
    "user_screen_name": "author_id",
    "author": "author_id",
    "author_username": "author_id",
    # when
    "taken_at_timestamp": "created_at",
    "taken_at_utc": "created_at",
    "taken_at": "created_at",
    "created_time": "created_at",
    # what
    "media_type": "format",
    "is_paid_partnership": "paid",
    "in_reply_to_id": "reply_to",
    "in_reply_to_status_id": "reply_to",
    "lang": "language",
    # counts (Graph API, X API v1.1/v2 public_metrics, Mastodon Status)
    "like_count": "likes",
    "likes_count": "likes",
    "favorite_count": "likes",
    "favourites_count": "likes",
    "favorites": "likes",
    "comment_count": "comments",
    "comments_count": "comments",
    "reply_count": "comments",
    "replies_count": "comments",
    "retweet_count": "shares",
    "reblogs_count": "shares",
    "share_count": "shares",
    "shares_count": "shares",
    "quote_count": "quotes",
    "impression_count": "impressions",
    "video_view_count": "views",
    "view_count": "views",
    "views_count": "views",
    "play_count": "views",
    "saved": "saves",
    "save_count": "saves",
}

ACCOUNT_SYNONYMS: dict[str, str] = {
    "user_id": "account_id",
    "userid": "account_id",
    "profile_id": "account_id",
    "full_name": "name",
    "fullname": "name",
    "display_name": "name",
    "displayname": "name",
    "biography": "bio",
    "description": "bio",
    "about": "bio",
    "niche": "category",
    "followers_count": "followers",
    "follower_count": "followers",
    "followercount": "followers",
    "followerscount": "followers",
    "followed_by": "followers",
    "subscribers": "followers",
    "subscriber_count": "followers",
    "following_count": "following",
    "followingcount": "following",
    "followees": "following",
    "followee_count": "following",
    "follows_count": "following",
    "friends_count": "following",
    "posts": "posts_count",
    "post_count": "posts_count",
    "postcount": "posts_count",
    "media_count": "posts_count",
    "statuses_count": "posts_count",
    "tweets": "posts_count",
    "tweet_count": "posts_count",
    # influencer tools: HypeAuditor's report as its API names it (followings_count) and as Daasity's documented
    # copy of it names the columns (total_followers, total_following, total_posts); camelCase exports of
    # discovery tools (followerCount, mediaCount, postsCount)
    "followings_count": "following",
    "followings": "following",
    "followingscount": "following",
    "total_followers": "followers",
    "total_following": "following",
    "total_posts": "posts_count",
    "mediacount": "posts_count",
    "postscount": "posts_count",
    "tweetscount": "posts_count",
    # when a tool read the counts (Apify datasets' scrapedAt): the list's own time, so its snapshot is dated by it
    "scraped_at": "observed_at",
    "scrapedat": "observed_at",
    "scraped_timestamp": "observed_at",
}

#: Prefixes of API names flattened from nested objects (pandas' ``json_normalize``: ``public_metrics.like_count``).
_API_PREFIXES = ("public_metrics_",)


def unprefixed(norm: str) -> str:
    """A normalised column name without the nested-object prefix of X API v2 (``public_metrics_like_count`` ->
    ``like_count``), else as it is."""
    return next((norm.removeprefix(p) for p in _API_PREFIXES if norm.startswith(p)), norm)


#: Fields that only a post (or its metrics) has: a file mapping one of them is not an account list.
_POST_EVIDENCE = frozenset(
    {
        "text",
        "format",
        "hashtags",
        "mentions",
        "reply_to",
        "repost_of",
        "quote_of",
        "content_warning",
        "paid",
        "pillars",
        "tactic",
        *METRIC_FIELDS,
    }
)
_OTHER_TABLES = frozenset({"actor_id", "follower_id", "followee_id"})
#: What an account list may also map besides :data:`ACCOUNT_FIELDS`.
_ACCOUNT_EXTRA = ("platform", "observed_at", "created_at")


def account_list(fields: dict[str, str], explicit: set[str], *, plain_id: bool = False) -> dict[str, str] | None:
    """The fields of an ``accounts`` row when ``fields`` (field -> column, as resolved) are an account list, else
    None.

    An account list maps an id or a handle and at least one count (or ``--map account_id=…`` says so), and no
    field of a post's content or metrics, a follow or an interaction. Then: an ``id`` column (read as ``post_id``
    elsewhere) or a ``user_id`` is the account's id; a ``username`` / ``screen_name`` / ``Handle`` column is its
    handle, and also its id when there is no id column (on Instagram and Mastodon the handle *is* the account's
    id; map ``account_id=COLUMN`` for a numeric id); ``created_at`` is when the account was created.
    ``plain_id``: the column taken for ``post_id`` is named just ``id`` (a ``Post ID`` column makes a posts file)."""
    names = set(fields)
    if names & _OTHER_TABLES or ("post_id" in fields and ("post_id" in explicit or not plain_id)):
        return None
    said = "account_id" in explicit or bool(explicit & set(ACCOUNT_FIELDS) - {"name", "bio"})
    if not said and (names & _POST_EVIDENCE or not names & set(ACCOUNT_COUNTS)):
        return None
    out = {f: c for f, c in fields.items() if f in ACCOUNT_FIELDS or f in _ACCOUNT_EXTRA}
    if "account_id" not in out and "post_id" in fields:
        out["account_id"] = fields["post_id"]
    handle = out.get("handle") or fields.get("author_id")
    if handle is not None:
        out.setdefault("handle", handle)
        out.setdefault("account_id", handle)
    return out if "account_id" in out else None


def not_account_fields(fields: dict[str, str], explicit: set[str]) -> dict[str, str]:
    """``fields`` of a file that is not an account list: columns named like an account's fields (a posts file's
    ``followers_count``, ``Name``) are not used, and a ``Handle`` column names the post's author."""
    out = {f: c for f, c in fields.items() if f not in ACCOUNT_FIELDS or f in explicit}
    if "handle" in fields and "handle" not in explicit and "author_id" not in out:
        out["author_id"] = fields["handle"]
    return out


def account_note(fields: dict[str, str], columns: list[str]) -> str:
    """What an account list's import says about its columns: the ones used and the ones not loaded."""
    used = set(fields.values())
    unused = [c for c in columns if c not in used]
    shown = ", ".join(unused[:12]) + (", …" if len(unused) > 12 else "")
    return L_(
        "an account list: one accounts row per line (and a follower-count snapshot); columns not loaded: {columns}",
        columns=shown or "—",
    )


def say_alternatives(columns: list[str], fields: dict[str, str], explicit: set[str], options: ReadOptions) -> None:
    """When several columns are named like one field (Kim et al.'s ``taken_at_timestamp`` and ``taken_at_utc``,
    ``username`` and ``owner_username``), the first of them in the file is used: said, with the others."""
    from signalboost.ingest.formats.generic import field_of

    for field, chosen in fields.items():
        if field in explicit:
            continue
        others = [c for c in columns if c != chosen and field_of(c) == field and c not in fields.values()]
        if others:
            options.note(
                L_(
                    "{field}: column {chosen} used (the first in the file of the columns named like it); not used: "
                    "{others} (map --map {field}=COLUMN to choose another)",
                    field=field,
                    chosen=chosen,
                    others=", ".join(others),
                )
            )


#: A line under a header that only draws a rule (``=====``, ``-----``, ``+---+``): Kim et al.'s influencer list.
_RULE = re.compile(r"^[\s=\-_+|~*]*[=\-_~]{3,}[\s=\-_+|~*]*$")


def rule_under_header(plain: Path, delimiter: str, skip: int) -> list[str] | None:
    """The header's column names when the line right under it is a rule (``=====``), else None: the file is then
    read from the line after the rule with those names (the rule is skipped and counted, never a row)."""
    with plain.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        lines = [fh.readline(65536) for _ in range(skip + 2)]
    header, rule = lines[skip].rstrip("\r\n"), lines[skip + 1].rstrip("\r\n")
    if not _RULE.match(rule):
        return None
    from signalboost.ingest.formats.generic import clean_header

    return [clean_header(c) for c in next(csv.reader([header], delimiter=delimiter), [])]


#: A count as influencer tools print it, rounded: ``1.2K``, ``3.4M``, ``12K`` (see ``ingest_sources_sql.abbreviated``).
_ROUNDED = re.compile(r"^\+?\d+([.,]\d{1,6})?\s?[KkMmBb]$")


def say_rounded(column: str, sample: list[str], options: ReadOptions) -> None:
    """A count column holding values like ``1.2K`` (as tools print follower counts; ``sample``: its first values):
    read as printed (1,200), which is the tool's rounding, not the exact count — said, with an example."""
    example = next((v.strip() for v in sample if _ROUNDED.match(v.strip())), None)
    if example is not None:
        options.note(
            L_(
                "{column}: counts written like {example} are read as printed (1.2K = 1,200; 3.4M = 3,400,000): the "
                "tool that wrote them rounded them, so they are exact only to the digits shown",
                column=column,
                example=example,
            )
        )


def account_stage(
    relation: str, typed: dict[str, tuple[str, str]], constants: dict[str, str], options: ReadOptions, line_offset: int
) -> SqlStage:
    """The stage of an account list: one ``accounts`` row per line, observed at the file's ``observed_at`` column,
    ``--observed-at``, else the time of the import (a list of follower counts says when it was made only in its
    name, if at all); and a dated ``account_snapshots`` row of its counts, unless they equal the account's latest
    snapshot (so a re-import adds nothing, a later list with new counts adds a snapshot)."""
    clock = "observed_at" not in typed and "observed_at" not in constants
    if clock:
        constants["observed_at"] = f"{lit(options.now.isoformat())}::TIMESTAMPTZ"
        options.note(
            L_(
                "accounts: the counts are observed at the time of this import ({now}), as the file gives no time "
                "(pass --observed-at to say when the list was made)",
                now=f"{options.now:%Y-%m-%d %H:%M} UTC",
            )
        )
    constants.setdefault("is_brand", "FALSE")
    sql, line_sql, fixed = generic_select(
        relation,
        "accounts",
        options.platform,
        typed,
        {"account_id"},
        constants,
        latest=latest(options.now),
        line_offset=line_offset,
    )
    also = (("account_snapshots", snapshots_from_stage()),)
    return SqlStage("accounts", sql, line_sql, fixed=fixed, also=also, clock_observed=clock, line_offset=line_offset)
