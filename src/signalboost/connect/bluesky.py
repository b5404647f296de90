"""Bluesky through the ``atproto`` SDK: log in with an app password, page the account's graph, posts and
notifications into canonical rows, publish posts.

Ids: an account is its DID, a post its ``at://`` URI (stable across handle changes); URLs are the public
``https://bsky.app/profile/<handle>/post/<rkey>`` form. Metrics: likes → ``likes``, replies → ``comments``,
reposts → ``shares``, quotes → ``quotes`` (Bluesky reports no impressions: they stay NULL).
Every request goes through :class:`_RateLimitedClient`, which honours the servers' rate-limit headers
(:mod:`signalboost.connect.ratelimit`) and retries 429s and transient network errors with backoff.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from typing import Any

from atproto import Client
from atproto_client import exceptions as atx

from signalboost.connect import ratelimit
from signalboost.connect.base import MediaFile, Page, Published, ReplyTo, Rows, Stats, snapshot_of, utc_time
from signalboost.connect.bluesky_records import embed_format, facet_features, get_field, post_url, quoted_uri
from signalboost.errors import ConnectError
from signalboost.i18n import L_

PLATFORM = "bluesky"
DEFAULT_SERVICE = "https://bsky.social"
MAX_ATTEMPTS = 6


class _RateLimitedClient(Client):  # type: ignore[misc]
    """The SDK's client with rate-limit pauses, retries and a request count."""

    def __init__(self, base_url: str, stats: Stats, sleep: Callable[[float], None]) -> None:
        super().__init__(base_url=base_url)
        self._stats = stats
        self._sleep = sleep

    def _invoke(self, invoke_type: Any, **kwargs: Any) -> Any:
        def once() -> Any:
            self._stats.requests += 1
            return super(_RateLimitedClient, self)._invoke(invoke_type, **dict(kwargs))

        return ratelimit.retrying(
            once,
            attempts=MAX_ATTEMPTS,
            refusal=atx.RateLimitExceededError,
            transient=(atx.NetworkError,),
            refusal_headers=lambda exc: dict(getattr(getattr(exc, "response", None), "headers", None) or {}),
            success_headers=lambda response: dict(response.headers or {}),
            pause=self._pause,
            refused=lambda: ConnectError(
                L_("Bluesky kept refusing requests (rate limit) after {attempts} attempts", attempts=MAX_ATTEMPTS),
                where=self._base_url,
                hint=L_("Wait a few minutes and run the command again: it resumes where it stopped"),
            ),
        )

    def _pause(self, seconds: float) -> None:
        self._stats.pause(seconds, self._sleep)


_get = get_field


def account_row(profile: Any, observed_at: dt.datetime, *, is_brand: bool = False) -> dict[str, Any]:
    """A ``accounts`` row from any profile view (counts only where the view has them: else NULL)."""
    return {
        "platform": PLATFORM,
        "account_id": _get(profile, "did"),
        "handle": _get(profile, "handle"),
        "name": _get(profile, "display_name"),
        "bio": _get(profile, "description"),
        "followers": _get(profile, "followers_count"),
        "following": _get(profile, "follows_count"),
        "posts_count": _get(profile, "posts_count"),
        "created_at": utc_time(_get(profile, "created_at")),
        "is_brand": is_brand,
        "observed_at": observed_at,
    }


def post_rows(view: Any, observed_at: dt.datetime) -> Rows:
    """``posts`` + a dated ``post_metrics`` snapshot from one ``PostView``."""
    record = _get(view, "record")
    author = _get(view, "author")
    uri = str(_get(view, "uri"))
    tags, mentions = facet_features(record)
    reply = _get(record, "reply")
    embed = _get(record, "embed")
    langs = _get(record, "langs") or []
    post = {
        "platform": PLATFORM,
        "post_id": uri,
        "author_id": _get(author, "did"),
        "created_at": utc_time(_get(record, "created_at")) or utc_time(_get(view, "indexed_at")),
        "text": _get(record, "text"),
        "format": embed_format(embed),
        "hashtags": tags or None,
        "mentions": mentions or None,
        "reply_to": _get(_get(reply, "parent"), "uri"),
        "quote_of": quoted_uri(embed),
        "url": post_url(uri, _get(author, "handle")),
        "visibility": "public",
        "language": langs[0] if langs else None,
    }
    metrics = {
        "platform": PLATFORM,
        "post_id": uri,
        "observed_at": observed_at,
        "likes": _get(view, "like_count"),
        "comments": _get(view, "reply_count"),
        "shares": _get(view, "repost_count"),
        "quotes": _get(view, "quote_count"),
    }
    return {"posts": [post], "post_metrics": [metrics]}


_NOTIFICATION_KINDS = {"like": "like", "repost": "repost", "reply": "reply", "quote": "quote", "mention": "mention"}


def notification_rows(note: Any, me: str, observed_at: dt.datetime) -> Rows:
    """An ``interactions`` row (likes, reposts, replies, quotes, mentions) or a ``follows`` edge (follows)."""
    author = _get(note, "author")
    actor = str(_get(author, "did"))
    reason = str(_get(note, "reason"))
    record = _get(note, "record")
    at = utc_time(_get(record, "created_at")) or utc_time(_get(note, "indexed_at"))
    rows: Rows = {"accounts": [account_row(author, observed_at)]}
    if reason == "follow":
        rows["follows"] = [{"platform": PLATFORM, "follower_id": actor, "followee_id": me, "observed_at": observed_at}]
        return rows
    kind = _NOTIFICATION_KINDS.get(reason)
    if kind is None:  # starterpack joins, verifications, …: not an interaction with the brand's content
        return rows
    # likes/reposts name the post in reasonSubject; replies/quotes/mentions ARE a post (its uri), whose target
    # is the brand's post replied to / quoted, or the brand itself for a mention
    target_post = _get(note, "reason_subject")
    if kind == "reply":
        target_post = _get(_get(_get(record, "reply"), "parent"), "uri")
    elif kind == "quote":
        embed = _get(record, "embed")
        quoted = _get(embed, "record")
        target_post = _get(_get(quoted, "record") or quoted, "uri")
    elif kind == "mention":
        target_post = None
    rows["interactions"] = [
        {
            "platform": PLATFORM,
            "actor_id": actor,
            "kind": kind,
            "target_post_id": target_post or "",
            "target_account_id": me,
            "occurred_at": at,
            "weight": 1.0,
        }
    ]
    return rows


class BlueskyConnector:
    """A logged-in Bluesky account (see :class:`signalboost.connect.base.Connector`)."""

    platform = PLATFORM

    def __init__(
        self,
        handle: str,
        app_password: str,
        *,
        service: str = DEFAULT_SERVICE,
        session: str | None = None,
        on_session: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.stats = Stats()
        self.service = service.rstrip("/")
        self.client = _RateLimitedClient(self.service, self.stats, sleep)
        profile = self._login(handle, app_password, session)
        self.account_id: str = str(profile.did)
        self.handle: str = str(profile.handle)
        if on_session is not None:
            on_session(self.client.export_session_string())
            self.client.on_session_change(lambda _event, _session: on_session(self.client.export_session_string()))

    def _login(self, handle: str, app_password: str, session: str | None) -> Any:
        where = f"{self.service} ({handle})"
        if session:
            try:
                return self.client.login(session_string=session)
            except (atx.AtProtocolError, ValueError):
                pass  # an expired or foreign session: log in with the password below
        try:
            return self.client.login(handle, app_password)
        except atx.UnauthorizedError:
            raise ConnectError(
                L_("Bluesky refused the handle or app password"),
                where=where,
                hint=L_(
                    "Create an app password under Settings → Privacy and security → App passwords and connect again"
                ),
            ) from None
        except (atx.NetworkError, atx.InvokeTimeoutError):
            raise ConnectError(
                L_("cannot reach the Bluesky server"),
                where=where,
                hint=L_("Check the address (--service) and the network"),
            ) from None
        except atx.AtProtocolError as exc:
            raise ConnectError(L_("Bluesky login failed ({kind})", kind=type(exc).__name__), where=where) from None

    # ------------------------------------------------------------------------------------------- reading
    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except atx.AtProtocolError as exc:
            detail = _get(_get(exc, "response"), "status_code")
            raise ConnectError(
                L_("Bluesky request {what} failed (HTTP {status!s})", what=what, status=detail)
                if detail
                else L_("Bluesky request {what} failed ({kind})", what=what, kind=type(exc).__name__),
                where=self.service,
                hint=L_("Run the command again: a sync resumes where it stopped"),
            ) from None

    def profile(self, observed_at: dt.datetime) -> Rows:
        view = self._call("getProfile", lambda: self.client.app.bsky.actor.get_profile({"actor": self.account_id}))
        account = account_row(view, observed_at, is_brand=True)
        return {"accounts": [account], "account_snapshots": [snapshot_of(account, observed_at)]}

    def page(self, stream: str, cursor: str | None, *, limit: int, observed_at: dt.datetime) -> Page:
        if stream == "followers":
            return self._graph_page("getFollowers", self.account_id, cursor, limit, observed_at, inbound=True)
        if stream == "follows":
            return self._graph_page("getFollows", self.account_id, cursor, limit, observed_at, inbound=False)
        if stream == "posts":
            return self._posts_page(cursor, limit, observed_at)
        if stream == "notifications":
            return self._notifications_page(cursor, limit, observed_at)
        raise ConnectError(
            L_("unknown stream {stream!r}", stream=stream), hint=L_("Streams: followers, follows, posts, notifications")
        )

    def audience(self, actor: str, cursor: str | None, *, limit: int, observed_at: dt.datetime) -> Page:
        return self._graph_page("getFollowers", actor, cursor, limit, observed_at, inbound=True)

    def _graph_page(
        self, method: str, actor: str, cursor: str | None, limit: int, observed_at: dt.datetime, *, inbound: bool
    ) -> Page:
        params: dict[str, Any] = {"actor": actor, "limit": min(limit, 100)}
        if cursor:
            params["cursor"] = cursor
        graph = self.client.app.bsky.graph
        fn = graph.get_followers if inbound else graph.get_follows
        res = self._call(method, lambda: fn(params))
        subject = res.subject
        people = res.followers if inbound else res.follows
        accounts = [account_row(p, observed_at) for p in people]
        subject_id = str(subject.did)
        edges = [
            {
                "platform": PLATFORM,
                "follower_id": str(p.did) if inbound else subject_id,
                "followee_id": subject_id if inbound else str(p.did),
                "observed_at": observed_at,
            }
            for p in people
        ]
        keys = [str(p.did) for p in people]
        return Page({"accounts": accounts, "follows": edges}, keys, res.cursor or None, set(keys))

    def _posts_page(self, cursor: str | None, limit: int, observed_at: dt.datetime) -> Page:
        return self.author_posts(self.account_id, cursor, limit=limit, observed_at=observed_at)

    def author_posts(self, actor: str, cursor: str | None, *, limit: int, observed_at: dt.datetime) -> Page:
        """One page of ``actor``'s own posts and replies (newest first) with their counts as a dated
        ``post_metrics`` snapshot (``getAuthorFeed``; reposts of others' posts are skipped)."""
        params: dict[str, Any] = {"actor": actor, "limit": min(limit, 100), "filter": "posts_with_replies"}
        if cursor:
            params["cursor"] = cursor
        res = self._call("getAuthorFeed", lambda: self.client.app.bsky.feed.get_author_feed(params))
        rows: Rows = {"posts": [], "post_metrics": []}
        keys: list[str] = []
        for item in res.feed:
            view = item.post
            if _get(view.author, "did") != actor or item.reason is not None:
                continue  # someone else's post the account reposted
            for table, more in post_rows(view, observed_at).items():
                rows[table].extend(more)
            keys.append(str(view.uri))
        return Page(rows, keys, res.cursor or None)

    def _notifications_page(self, cursor: str | None, limit: int, observed_at: dt.datetime) -> Page:
        params: dict[str, Any] = {"limit": min(limit, 100)}
        if cursor:
            params["cursor"] = cursor
        res = self._call("listNotifications", lambda: self.client.app.bsky.notification.list_notifications(params))
        rows: Rows = {}
        keys: list[str] = []
        seen: set[str] = set()
        for note in res.notifications:
            for table, more in notification_rows(note, self.account_id, observed_at).items():
                rows.setdefault(table, []).extend(more)
            keys.append(f"{note.indexed_at}|{note.uri}")
            seen.add(str(note.author.did))
        return Page(rows, keys, res.cursor or None, seen)

    def replies(self, post_id: str, observed_at: dt.datetime) -> Rows:
        """The direct replies to one own post (``getPostThread``, depth 1) as ``reply`` interactions: what the
        notifications list can miss (the AppView pages notifications on their time alone, so items sharing one
        time across a page boundary are skipped)."""
        res = self._call(
            "getPostThread",
            lambda: self.client.app.bsky.feed.get_post_thread({"uri": post_id, "depth": 1, "parentHeight": 0}),
        )
        rows: Rows = {"accounts": [], "interactions": []}
        for reply in _get(res.thread, "replies") or []:
            view = _get(reply, "post")
            author = _get(view, "author")
            if view is None or author is None or _get(author, "did") == self.account_id:
                continue  # blocked/not-found entries; the account's own replies are no interaction
            rows["accounts"].append(account_row(author, observed_at))
            rows["interactions"].append(
                {
                    "platform": PLATFORM,
                    "actor_id": str(_get(author, "did")),
                    "kind": "reply",
                    "target_post_id": post_id,
                    "target_account_id": self.account_id,
                    "occurred_at": utc_time(_get(_get(view, "record"), "created_at"))
                    or utc_time(_get(view, "indexed_at")),
                    "weight": 1.0,
                }
            )
        return rows

    def profiles(self, ids: Sequence[str], observed_at: dt.datetime) -> Rows:
        """Full profiles (with counts), 25 a request (the API's maximum)."""
        accounts: list[dict[str, Any]] = []
        for start in range(0, len(ids), 25):
            chunk = list(ids[start : start + 25])
            res = self._call("getProfiles", lambda c=chunk: self.client.app.bsky.actor.get_profiles({"actors": c}))  # type: ignore[misc]
            accounts.extend(account_row(p, observed_at, is_brand=str(p.did) == self.account_id) for p in res.profiles)
        return {"accounts": accounts}

    # ------------------------------------------------------------------------------------------- writing
    def new_record_key(self, at: dt.datetime) -> str:
        return tid(at)

    def publish(
        self, text: str, record_key: str, *, images: Sequence[MediaFile] = (), reply_to: ReplyTo | None = None
    ) -> Published:
        """Create the post under ``record_key`` (a TID chosen before sending: the same key can never make a
        second post, so a retry after a crash is safe), with facets for links, mentions and hashtags, its images
        uploaded as blobs (``com.atproto.repo.uploadBlob``) and embedded with their alt text
        (``app.bsky.embed.images``), and for a thread part the ``reply`` refs (root and parent: uri + cid)."""
        from atproto_client import models

        from signalboost.connect.compose import facets_for

        now = dt.datetime.now(dt.UTC)
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        facets = facets_for(text, self._resolve_handle)
        if facets:
            record["facets"] = facets
        if images:
            record["embed"] = {
                "$type": "app.bsky.embed.images",
                "images": [{"alt": image.alt, "image": self._upload(image)} for image in images],
            }
        if reply_to is not None:
            record["reply"] = {
                "root": {"uri": reply_to.root.post_id, "cid": reply_to.root.cid},
                "parent": {"uri": reply_to.parent.post_id, "cid": reply_to.parent.cid},
            }
        data = models.ComAtprotoRepoCreateRecord.Data(
            repo=self.account_id, collection="app.bsky.feed.post", rkey=record_key, record=record
        )
        try:
            res = self.client.com.atproto.repo.create_record(data)
        except atx.BadRequestError:
            found = self.published(record_key)
            if found is not None:  # already created by an earlier attempt
                return found
            raise ConnectError(
                L_("Bluesky refused the post"), where=f"record {record_key}", hint=L_("Check the text and try again")
            ) from None
        except atx.AtProtocolError as exc:
            raise ConnectError(
                L_("Bluesky did not take the post ({kind})", kind=type(exc).__name__),
                where=self.service,
                hint=L_("It is retried on the next `signalboost publish`"),
            ) from None
        return Published(str(res.uri), post_url(str(res.uri), self.handle), now, str(res.cid))

    def _upload(self, image: MediaFile) -> dict[str, Any]:
        """Upload one image as a blob; its reference as the record stores it (``$type: blob``)."""
        data = image.path.read_bytes()
        res = self._call(
            "uploadBlob",
            lambda: self.client.com.atproto.repo.upload_blob(data, headers={"Content-Type": image.mime_type}),
        )
        ref: dict[str, Any] = res.blob.to_json_representation()
        return ref

    def published(self, record_key: str, *, text: str = "", since: dt.datetime | None = None) -> Published | None:
        """The account's post under ``record_key``, read from its own repository (no indexing delay); the key
        alone identifies it (``text`` and ``since`` are not needed)."""
        del text, since
        try:
            res = self.client.com.atproto.repo.get_record(
                {"repo": self.account_id, "collection": "app.bsky.feed.post", "rkey": record_key}
            )
        except atx.BadRequestError:
            return None  # RecordNotFound
        except atx.AtProtocolError as exc:
            raise ConnectError(
                L_("cannot check whether the post was sent ({kind})", kind=type(exc).__name__),
                where=self.service,
                hint=L_("Run `signalboost publish` again: nothing is sent before this is known"),
            ) from None
        created = utc_time(_get(res.value, "created_at")) or dt.datetime.now(dt.UTC)
        return Published(str(res.uri), post_url(str(res.uri), self.handle), created, str(res.cid))

    def _resolve_handle(self, handle: str) -> str | None:
        try:
            return str(self.client.resolve_handle(handle).did)
        except atx.AtProtocolError:
            return None


_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def tid(at: dt.datetime, clock_id: int | None = None) -> str:
    """An atproto TID (timestamp identifier): 64 bits = 0 | 53 bits of microseconds since the epoch | 10 bits of
    clock id, in base32-sortable, 13 characters (atproto.com/specs/tid). A random clock id keeps two keys
    made in the same microsecond apart."""
    import secrets

    micros = int(at.timestamp() * 1_000_000)
    clock = secrets.randbelow(1024) if clock_id is None else clock_id
    value = (micros << 10) | clock
    return "".join(_TID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(13)))
