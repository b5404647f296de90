"""Mastodon through Mastodon.py: an access token (or the OAuth code flow), the account's graph, statuses and
notifications paged into canonical rows, statuses published with an ``Idempotency-Key``.

Ids match the Mastodon export importer (:mod:`signalboost.ingest.formats.mastodon`), so a live account and its
archive land on the same rows: an account is ``user@domain`` (its ``acct``, completed with the instance's domain
for local accounts), a post its ActivityPub ``uri``. The API's own numeric ids are instance-local: they are kept
only in memory to address requests. Metrics: favourites → ``likes``, replies → ``comments``, reblogs →
``shares``, quotes → ``quotes`` (NULL on servers before 4.5, which do not report them); no impressions (NULL).

Paging follows the ``Link`` headers (``rel="next"`` carries ``max_id``; Mastodon.py parses them into
``_pagination_next``); a page's cursor is that ``max_id``. Rate limits: Mastodon allows 300 requests per
5 minutes per account and says so in ``X-RateLimit-Limit/Remaining/Reset`` (reset as an ISO time;
docs.joinmastodon.org/api/rate-limits). Mastodon.py runs in ``ratelimit_method="throw"`` and every call goes
through :meth:`MastodonConnector._call`, which applies the project's one policy
(:mod:`signalboost.connect.ratelimit`: pause when ``remaining`` ≤ 2 until the reset; on a 429 wait until the reset,
else back off 1-2-4-8 s) with an injectable ``sleep``, and counts requests through its ``requests`` session.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from mastodon import Mastodon
from mastodon import errors as mx

from signalboost.connect import ratelimit
from signalboost.connect.base import MediaFile, Page, Published, ReplyTo, Rows, Stats, snapshot_of, utc_time
from signalboost.errors import ConnectError
from signalboost.i18n import L_
from signalboost.ingest.textio import html_to_text

PLATFORM = "mastodon"
MAX_ATTEMPTS = 6
#: what Signalboost asks for in the OAuth flow: read everything, write statuses (and media, for images)
SCOPES = ["read", "write:statuses", "write:media"]
OOB = "urn:ietf:wg:oauth:2.0:oob"
APP_NAME = "Signalboost"
#: the API's largest pages (docs.joinmastodon.org: statuses 40, accounts and notifications 80)
_MAX_LIMIT = {"followers": 80, "follows": 80, "posts": 40, "notifications": 80}
_MISSING = object()


class _CountingSession(requests.Session):
    """The HTTP session Mastodon.py uses: counts requests and keeps the last response's headers."""

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats
        self.last_headers: Any = {}

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.stats.requests += 1
        response = super().request(method, url, *args, **kwargs)
        self.last_headers = response.headers
        return response


def normalize_instance(instance: str) -> str:
    """``mastodon.social`` or ``https://mastodon.social/`` → ``https://mastodon.social``."""
    instance = instance.strip().rstrip("/")
    if not instance:
        raise ConnectError(
            L_("no instance given"), where="--instance", hint=L_("Pass your server, e.g. --instance mastodon.social")
        )
    if "://" not in instance:
        instance = "https://" + instance
    parts = urlsplit(instance)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConnectError(
            L_("the instance is not a server address"),
            where="--instance",
            hint=L_("e.g. --instance https://mastodon.social"),
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _loopback(instance: str) -> bool:
    return (urlsplit(instance).hostname or "") in ("127.0.0.1", "localhost", "::1")


def _text(markup: Any) -> str | None:
    text = html_to_text(str(markup)) if markup else None
    return text or None


def canonical_id(account: Any, domain: str) -> str:
    """``user@domain``: the account's ``acct`` (remote accounts carry their domain; local ones get ``domain``)."""
    acct = str(account["acct"]).lower()
    return acct if "@" in acct else f"{acct}@{domain}"


def account_row(account: Any, domain: str, observed_at: dt.datetime, *, is_brand: bool = False) -> dict[str, Any]:
    """An ``accounts`` row from an Account entity (every Account entity carries its counts)."""
    ident = canonical_id(account, domain)
    return {
        "platform": PLATFORM,
        "account_id": ident,
        "handle": ident,
        "name": account.get("display_name") or None,
        "bio": _text(account.get("note")),
        "followers": account.get("followers_count"),
        "following": account.get("following_count"),
        "posts_count": account.get("statuses_count"),
        "created_at": utc_time(account.get("created_at")),
        "is_brand": is_brand,
        "observed_at": observed_at,
    }


def _format(status: Any) -> str:
    kinds = {str(m.get("type")) for m in status.get("media_attachments") or []}
    if kinds & {"video", "gifv"}:
        return "video"
    if "image" in kinds:
        return "photo"
    return "link" if status.get("card") else "text"


_VISIBILITY = {"public": "public", "unlisted": "unlisted", "private": "followers", "direct": "direct"}


@dataclass(frozen=True)
class OAuthStart:
    """The first half of the OAuth code flow: the app registered on the instance and the page to open."""

    instance: str
    client_id: str
    client_secret: str
    authorize_url: str


class MastodonConnector:
    """A Mastodon account logged in with an access token (see :class:`signalboost.connect.base.Connector`)."""

    platform = PLATFORM

    def __init__(self, instance: str, access_token: str, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.stats = Stats()
        self.instance = normalize_instance(instance)
        self._sleep = sleep
        self._session = _CountingSession(self.stats)
        self.api = Mastodon(
            access_token=access_token,
            api_base_url=self.instance,
            ratelimit_method="throw",
            version_check_mode="none",
            session=self._session,
            user_agent="signalboost",
            request_timeout=60,
        )
        me = self._call("verify_credentials", self.api.account_verify_credentials, login=True)
        self._local_id = str(me["id"])
        self.domain = urlsplit(str(me.get("url") or self.instance)).netloc.lower()
        self._uri = str(me.get("uri") or "")
        self.account_id: str = canonical_id(me, self.domain)
        self.handle: str = self.account_id
        self._ids: dict[str, str] = {self.account_id: self._local_id}

    # ------------------------------------------------------------------------------------------- requests
    def _call(self, what: str, fn: Callable[[], Any], *, missing: Any = _MISSING, login: bool = False) -> Any:
        """``fn()`` with the rate-limit policy, retries of 429s and transient failures, and errors that say what
        failed where (never the token: no exception text of the client is repeated)."""
        try:
            return ratelimit.retrying(
                fn,
                attempts=MAX_ATTEMPTS,
                refusal=mx.MastodonRatelimitError,
                transient=(mx.MastodonNetworkError, mx.MastodonBadGatewayError, mx.MastodonServiceUnavailableError),
                refusal_headers=lambda _exc: self._session.last_headers,
                success_headers=None if login else lambda _result: self._session.last_headers,
                pause=self._pause,
                refused=lambda: ConnectError(
                    L_("Mastodon kept refusing requests (rate limit) after {attempts} attempts", attempts=MAX_ATTEMPTS),
                    where=self.instance,
                    hint=L_("Wait five minutes and run the command again: it resumes where it stopped"),
                ),
                unreachable=lambda exc: ConnectError(
                    L_("cannot reach the Mastodon server ({kind})", kind=type(exc).__name__),
                    where=self.instance,
                    hint=L_("Check the address (--instance) and the network, then run the command again"),
                ),
            )
        except mx.MastodonUnauthorizedError:
            raise ConnectError(
                L_("Mastodon refused the access token (HTTP 401)"),
                where=self.instance,
                hint=L_("Create a token under Preferences → Development and run `signalboost connect mastodon` again"),
            ) from None
        except mx.MastodonNotFoundError:
            if missing is not _MISSING:
                return missing
            raise ConnectError(
                L_("Mastodon request {what} failed (HTTP 404)", what=what),
                where=self.instance,
                hint=L_("Check the instance address; a sync resumes where it stopped"),
            ) from None
        except mx.MastodonAPIError as exc:
            code = exc.args[1] if len(exc.args) > 1 else "?"
            raise ConnectError(
                L_("Mastodon request {what} failed (HTTP {code!s})", what=what, code=code),
                where=self.instance,
                hint=L_("Run the command again: a sync resumes where it stopped"),
            ) from None
        except mx.MastodonError as exc:
            raise ConnectError(
                L_("Mastodon request {what} failed ({kind})", what=what, kind=type(exc).__name__),
                where=self.instance,
            ) from None

    def _pause(self, seconds: float) -> None:
        self.stats.pause(seconds, self._sleep)

    def _account(self, account: Any, observed_at: dt.datetime) -> dict[str, Any]:
        row = account_row(account, self.domain, observed_at, is_brand=str(account["id"]) == self._local_id)
        self._ids[row["account_id"]] = str(account["id"])
        return row

    @staticmethod
    def _next(result: Any) -> str | None:
        nxt = getattr(result, "_pagination_next", None)
        if not result or not nxt or nxt.get("max_id") is None:
            return None
        return str(nxt["max_id"])

    # ------------------------------------------------------------------------------------------- reading
    def profile(self, observed_at: dt.datetime) -> Rows:
        me = self._call("verify_credentials", self.api.account_verify_credentials)
        account = self._account(me, observed_at)
        account["is_brand"] = True
        return {"accounts": [account], "account_snapshots": [snapshot_of(account, observed_at)]}

    def page(self, stream: str, cursor: str | None, *, limit: int, observed_at: dt.datetime) -> Page:
        if stream not in _MAX_LIMIT:
            raise ConnectError(
                L_("unknown stream {stream!r}", stream=stream),
                hint=L_("Streams: followers, follows, posts, notifications"),
            )
        limit = max(1, min(limit, _MAX_LIMIT[stream]))
        if stream in ("followers", "follows"):
            return self._graph_page(self._local_id, cursor, limit, observed_at, inbound=stream == "followers")
        if stream == "posts":
            return self._posts_page(cursor, limit, observed_at)
        return self._notifications_page(cursor, limit, observed_at)

    def audience(self, actor: str, cursor: str | None, *, limit: int, observed_at: dt.datetime) -> Page:
        local = self._local_of(actor, observed_at)
        return self._graph_page(local, cursor, min(limit, 80), observed_at, inbound=True)

    def _local_of(self, actor: str, observed_at: dt.datetime) -> str:
        """The instance's own id of an account named ``user@domain`` (looked up once, then remembered)."""
        local = self._ids.get(actor)
        if local is None:
            found = self.profiles([actor], observed_at).get("accounts") or []
            if not found:
                raise ConnectError(
                    L_("no Mastodon account {actor!r}", actor=actor),
                    where=actor,
                    hint=L_("Check the address user@domain"),
                )
            local = self._ids[found[0]["account_id"]]
        return local

    def _graph_page(
        self, local_id: str, cursor: str | None, limit: int, observed_at: dt.datetime, *, inbound: bool
    ) -> Page:
        fn = self.api.account_followers if inbound else self.api.account_following
        res = self._call("followers" if inbound else "following", lambda: fn(local_id, max_id=cursor, limit=limit))
        subject = next((k for k, v in self._ids.items() if v == local_id), None) or local_id
        accounts = [self._account(a, observed_at) for a in res]
        keys = [a["account_id"] for a in accounts]
        edges = [
            {
                "platform": PLATFORM,
                "follower_id": key if inbound else subject,
                "followee_id": subject if inbound else key,
                "observed_at": observed_at,
            }
            for key in keys
        ]
        return Page({"accounts": accounts, "follows": edges}, keys, self._next(res), set(keys))

    def _own_uri(self, local_status_id: Any) -> str:
        """The ActivityPub URI of one of the account's own statuses (Mastodon: the account's URI + /statuses/id)."""
        return f"{self._uri}/statuses/{local_status_id}"

    def post_rows(self, status: Any, observed_at: dt.datetime, *, author: str | None = None) -> Rows:
        """``posts`` + a dated ``post_metrics`` snapshot from one status of the connected account (or of ``author``,
        another account's canonical id)."""
        uri = str(status["uri"])
        reply_to = status.get("in_reply_to_id")
        if reply_to is not None:
            own = str(status.get("in_reply_to_account_id")) == self._local_id
            reply_to = self._own_uri(reply_to) if own else f"{self.instance}/api/v1/statuses/{reply_to}"
        quoted = (status.get("quote") or {}).get("quoted_status") or {}
        post = {
            "platform": PLATFORM,
            "post_id": uri,
            "author_id": author or self.account_id,
            "created_at": utc_time(status.get("created_at")),
            "text": _text(status.get("content")),
            "content_warning": str(status.get("spoiler_text") or "").strip() or None,
            "format": _format(status),
            "hashtags": [str(t["name"]).lower() for t in status.get("tags") or []] or None,
            "mentions": [canonical_id(m, self.domain) for m in status.get("mentions") or []] or None,
            "reply_to": reply_to,
            "quote_of": quoted.get("uri"),
            "url": status.get("url") or uri,
            "visibility": _VISIBILITY.get(str(status.get("visibility")), "public"),
            "language": status.get("language"),
        }
        metrics = {
            "platform": PLATFORM,
            "post_id": uri,
            "observed_at": observed_at,
            "likes": status.get("favourites_count"),
            "comments": status.get("replies_count"),
            "shares": status.get("reblogs_count"),
            "quotes": status.get("quotes_count"),
        }
        return {"posts": [post], "post_metrics": [metrics]}

    def _posts_page(self, cursor: str | None, limit: int, observed_at: dt.datetime) -> Page:
        return self._statuses_page(self._local_id, None, cursor, limit, observed_at)

    def author_posts(self, actor: str, cursor: str | None, *, limit: int, observed_at: dt.datetime) -> Page:
        """One page of ``actor``'s (``user@domain``) own statuses and replies, newest first, with their counts as a
        dated ``post_metrics`` snapshot (``GET /api/v1/accounts/:id/statuses``; boosts of others' statuses skipped)."""
        local = self._local_of(actor, observed_at)
        return self._statuses_page(local, actor.strip().lstrip("@").lower(), cursor, min(limit, 40), observed_at)

    def _statuses_page(
        self, local_id: str, author: str | None, cursor: str | None, limit: int, observed_at: dt.datetime
    ) -> Page:
        res = self._call(
            "statuses",
            lambda: self.api.account_statuses(local_id, exclude_reblogs=True, max_id=cursor, limit=limit),
        )
        rows: Rows = {"posts": [], "post_metrics": []}
        keys: list[str] = []
        for status in res:
            if status.get("reblog"):
                continue  # a boost of someone else's status
            for table, more in self.post_rows(status, observed_at, author=author).items():
                rows[table].extend(more)
            keys.append(str(status["uri"]))
        return Page(rows, keys, self._next(res))

    def _notifications_page(self, cursor: str | None, limit: int, observed_at: dt.datetime) -> Page:
        res = self._call("notifications", lambda: self.api.notifications(max_id=cursor, limit=limit))
        rows: Rows = {}
        keys: list[str] = []
        seen: set[str] = set()
        for note in res:
            for table, more in self.notification_rows(note, observed_at).items():
                rows.setdefault(table, []).extend(more)
            keys.append(str(note["id"]))
            seen.add(canonical_id(note["account"], self.domain))
        return Page(rows, keys, self._next(res), seen)

    def notification_rows(self, note: Any, observed_at: dt.datetime) -> Rows:
        """An ``interactions`` row (favourite → like, reblog → repost, a mention replying to an own status →
        reply, other mentions → mention, quote → quote); a follow notification adds its account only (edges come
        from the followers list). Likes and reposts happen at the notification's time; replies, mentions and
        quotes at their status's."""
        author = self._account(note["account"], observed_at)
        actor = author["account_id"]
        kind = str(note.get("type"))
        status = note.get("status") or {}
        rows: Rows = {"accounts": [author]}
        if kind == "follow":
            # the account only: the followers list (paged in the same run, newest first) is the one authority
            # on who follows; a notification read on resume or after the list could otherwise disagree with it
            return rows
        at = utc_time(note.get("created_at"))
        if kind in ("favourite", "reblog"):
            interaction, target = ("like" if kind == "favourite" else "repost"), str(status.get("uri") or "")
        elif kind == "mention":
            at = utc_time(status.get("created_at")) or at
            if status.get("in_reply_to_id") is not None and str(status.get("in_reply_to_account_id")) == self._local_id:
                interaction, target = "reply", self._own_uri(status["in_reply_to_id"])
            else:
                interaction, target = "mention", ""
        elif kind == "quote":
            at = utc_time(status.get("created_at")) or at
            quoted = (status.get("quote") or {}).get("quoted_status") or {}
            interaction, target = "quote", str(quoted.get("uri") or "")
        else:  # polls, edits, follow requests, admin notices: not an interaction with the brand's content
            return rows
        rows["interactions"] = [
            {
                "platform": PLATFORM,
                "actor_id": actor,
                "kind": interaction,
                "target_post_id": target,
                "target_account_id": self.account_id,
                "occurred_at": at,
                "weight": 1.0,
            }
        ]
        return rows

    def replies(self, post_id: str, observed_at: dt.datetime) -> Rows:
        """The direct replies to one own status (its context's descendants that answer it) as interactions."""
        rows: Rows = {"accounts": [], "interactions": []}
        prefix = self._own_uri("")
        if not post_id.startswith(prefix):
            return rows
        local = post_id[len(prefix) :]
        context = self._call("context", lambda: self.api.status_context(local), missing=None)
        for status in (context or {}).get("descendants") or []:
            if str(status.get("in_reply_to_id")) != local or str(status["account"]["id"]) == self._local_id:
                continue  # deeper in the thread, or the account answering itself
            author = self._account(status["account"], observed_at)
            rows["accounts"].append(author)
            rows["interactions"].append(
                {
                    "platform": PLATFORM,
                    "actor_id": author["account_id"],
                    "kind": "reply",
                    "target_post_id": post_id,
                    "target_account_id": self.account_id,
                    "occurred_at": utc_time(status.get("created_at")),
                    "weight": 1.0,
                }
            )
        return rows

    def profiles(self, ids: Sequence[str], observed_at: dt.datetime) -> Rows:
        """Full profiles: accounts already addressed by their instance id, one request each; others (``user@domain``,
        ``@user``) looked up by address (``/api/v1/accounts/lookup``, then a resolving search)."""
        accounts: list[dict[str, Any]] = []
        for ident in ids:
            name = ident.strip().lstrip("@")
            local = self._ids.get(name.lower())
            if local is not None:
                found = self._call("account", lambda lid=local: self.api.account(lid), missing=None)  # type: ignore[misc]
            else:
                found = self._lookup(name)
            if found:
                accounts.append(self._account(found, observed_at))
        return {"accounts": accounts}

    def _lookup(self, name: str) -> Any:
        short = name[: -len("@" + self.domain)] if name.lower().endswith("@" + self.domain) else name
        found = self._call("lookup", lambda: self.api.account_lookup(short), missing=None)
        if found:
            return found
        hits = self._call(
            "search", lambda: self.api.search_v2(name, resolve=True, result_type="accounts"), missing=None
        )
        for account in (hits or {}).get("accounts") or []:
            if canonical_id(account, self.domain) == name.lower():
                return account
        return None

    # ------------------------------------------------------------------------------------------- writing
    def new_record_key(self, at: dt.datetime) -> str:
        """An ``Idempotency-Key``: the server answers a repeated POST with the same key with the first status
        (Mastodon keeps keys for an hour), so a retry never makes a second post."""
        del at
        return f"signalboost-{uuid.uuid4()}"

    def publish(
        self, text: str, record_key: str, *, images: Sequence[MediaFile] = (), reply_to: ReplyTo | None = None
    ) -> Published:
        """Post a public status under the ``Idempotency-Key`` ``record_key``; images are uploaded first
        (``POST /api/v2/media`` with the alt text as ``description``) and attached by their ids."""
        if reply_to is not None:
            raise ConnectError(L_("threads are published on Bluesky only"), where=self.instance)
        media_ids = [
            self._call(
                "upload media",
                lambda m=image: self.api.media_post(str(m.path), mime_type=m.mime_type, description=m.alt),  # type: ignore[misc]
            )["id"]
            for image in images
        ]
        status = self._call(
            "post status",
            lambda: self.api.status_post(
                text, visibility="public", idempotency_key=record_key, media_ids=media_ids or None
            ),
        )
        created = utc_time(status.get("created_at")) or dt.datetime.now(dt.UTC)
        return Published(str(status["uri"]), str(status.get("url") or status["uri"]), created)

    def published(self, record_key: str, *, text: str = "", since: dt.datetime | None = None) -> Published | None:
        """After a crash: the account's own status with this text written since the intent (``since``, less
        5 minutes of clock skew), read newest first from its statuses; a candidate whose rendered text differs is
        compared by its source text (``/api/v1/statuses/:id/source``, exact)."""
        del record_key  # Mastodon does not show the key on the status: the text and time identify it
        floor = (since or dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)) - dt.timedelta(minutes=5)
        want = " ".join(text.split())
        cursor: str | None = None
        while True:
            res = self._call(
                "statuses",
                lambda c=cursor: self.api.account_statuses(self._local_id, max_id=c, limit=40),  # type: ignore[misc]
            )
            for status in res:
                created = utc_time(status.get("created_at"))
                if created is not None and created < floor:
                    return None
                if status.get("reblog"):
                    continue
                if self._same_text(status, want):
                    return Published(str(status["uri"]), str(status.get("url") or status["uri"]), created or floor)
            cursor = self._next(res)
            if cursor is None:
                return None

    def _same_text(self, status: Any, want: str) -> bool:
        if " ".join((_text(status.get("content")) or "").split()) == want:
            return True
        source = self._call("status source", lambda: self.api.status_source(status["id"]), missing=None)
        return bool(source) and " ".join(str(source.get("text") or "").split()) == want


def oauth_start(instance: str) -> OAuthStart:
    """Register Signalboost as an app on the instance and build the page where the user authorizes it (the
    code is shown there, out of band, and pasted back)."""
    instance = normalize_instance(instance)
    try:
        client_id, client_secret = Mastodon.create_app(
            APP_NAME, scopes=SCOPES, redirect_uris=OOB, api_base_url=instance, user_agent="signalboost"
        )
        api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=instance)
        url = api.auth_request_url(
            scopes=SCOPES, redirect_uris=OOB, state=secrets.token_urlsafe(16), allow_http=_loopback(instance)
        )
    except mx.MastodonError as exc:
        raise ConnectError(
            L_("the instance did not register the app ({kind})", kind=type(exc).__name__),
            where=instance,
            hint=L_("Check the address, or create an access token under Preferences → Development instead"),
        ) from None
    base, _, query = str(url).partition("?")
    params = [(k, v) for k, v in parse_qsl(query) if v != "None"]  # Mastodon.py writes unset options as "None"
    return OAuthStart(instance, str(client_id), str(client_secret), f"{base}?{urlencode(params)}")


def oauth_finish(start: OAuthStart, code: str) -> str:
    """Exchange the pasted authorization code for an access token."""
    code = code.strip()
    if not code:
        raise ConnectError(
            L_("no authorization code given"), where="authorization code", hint=L_("Paste the code shown")
        )
    api = Mastodon(client_id=start.client_id, client_secret=start.client_secret, api_base_url=start.instance)
    try:
        return str(api.log_in(code=code, scopes=SCOPES, redirect_uri=OOB, allow_http=_loopback(start.instance)))
    except mx.MastodonError as exc:
        raise ConnectError(
            L_("the instance refused the authorization code ({kind})", kind=type(exc).__name__),
            where=start.instance,
            hint=L_("Open the page again, authorize, and paste the new code (codes are used once)"),
        ) from None
