"""A local replay server of the Mastodon REST API, for the Mastodon connector's tests (no Mastodon server can run
here).

It answers Mastodon.py's requests over real HTTP (stdlib ``http.server``) with entities shaped exactly as a real
Mastodon 4.x server sends them — the key sets of ``ENTITY_KEYS`` are those of the responses recorded from a real
server in ../shared/data/mastodon-api-responses-mastodonpy (``test_mastodon.py`` checks that they still match) —
filled from a small, deterministic, made-up world (``World``: no personal data). Like the real server it sends
``Link`` paging headers (``rel="next"`` with ``max_id`` only when the page is full, ``rel="prev"`` with
``min_id``), ``X-RateLimit-Limit/Remaining/Reset`` (reset as an ISO time) on every response, a 429 with
``X-RateLimit-Remaining: 0`` when told to, requires the Bearer token (401 otherwise), and honours
``Idempotency-Key`` on ``POST /api/v1/statuses``. The world's bookkeeping (``truth()``) is what the tests
compare a sync with: never the connector's own output.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import re
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

DOMAIN = "social.example"
REMOTE = "elsewhere.example"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

#: the keys of each entity as a real Mastodon server sends them (see the module docstring)
ENTITY_KEYS = {
    "account": [
        "id",
        "username",
        "acct",
        "display_name",
        "locked",
        "bot",
        "discoverable",
        "indexable",
        "group",
        "created_at",
        "note",
        "url",
        "uri",
        "avatar",
        "avatar_static",
        "avatar_description",
        "header",
        "header_static",
        "header_description",
        "followers_count",
        "following_count",
        "statuses_count",
        "last_status_at",
        "hide_collections",
        "show_media",
        "show_media_replies",
        "show_featured",
        "noindex",
        "feature_approval",
        "emojis",
        "roles",
        "fields",
    ],
    "status": [
        "id",
        "created_at",
        "in_reply_to_id",
        "in_reply_to_account_id",
        "sensitive",
        "spoiler_text",
        "visibility",
        "language",
        "uri",
        "url",
        "replies_count",
        "reblogs_count",
        "favourites_count",
        "quotes_count",
        "edited_at",
        "favourited",
        "reblogged",
        "muted",
        "bookmarked",
        "content",
        "filtered",
        "reblog",
        "application",
        "account",
        "media_attachments",
        "mentions",
        "tags",
        "emojis",
        "quote",
        "card",
        "poll",
        "quote_approval",
    ],
    "notification": ["id", "type", "created_at", "group_key", "account", "status"],
}


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Acct:
    local_id: str
    username: str
    domain: str
    display_name: str
    note: str
    created_at: dt.datetime
    statuses_count: int

    @property
    def acct(self) -> str:
        return self.username if self.domain == DOMAIN else f"{self.username}@{self.domain}"

    @property
    def canonical(self) -> str:
        return f"{self.username}@{self.domain}"

    @property
    def uri(self) -> str:
        return f"https://{self.domain}/users/{self.username}"


@dataclass
class Status:
    local_id: str
    account: str  # local account id
    created_at: dt.datetime
    text: str
    in_reply_to_id: str | None = None
    in_reply_to_account_id: str | None = None
    quote_of: str | None = None  # local status id
    favourites: set[str] = field(default_factory=set)
    reblogs: set[str] = field(default_factory=set)
    replies: list[str] = field(default_factory=list)  # local status ids
    quotes: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # ids of media attachments
    spoiler_text: str = ""  # the content warning ("" = none)


@dataclass
class Note:
    local_id: int
    kind: str
    created_at: dt.datetime
    account: str
    status: str | None = None


_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]+)@([A-Za-z0-9.-]+\.[A-Za-z]+)")


def render_content(text: str) -> str:
    """Plain text → HTML as Mastodon renders it: a paragraph, and each ``@user@domain`` as an h-card link showing
    ``@user`` only (so the rendered text differs from the text written, as on a real server)."""
    out, last = [], 0
    for m in _MENTION.finditer(text):
        out.append(html.escape(text[last : m.start()]))
        user, domain = m.group(1), m.group(2)
        out.append(
            f'<span class="h-card" translate="no"><a href="https://{domain}/@{user}" class="u-url mention">'
            f"@<span>{html.escape(user)}</span></a></span>"
        )
        last = m.end()
    out.append(html.escape(text[last:]))
    return "<p>" + "".join(out) + "</p>"


class World:
    """A brand account ``brand@social.example`` among made-up local and remote accounts, with follows, statuses,
    favourites, reblogs, replies, quotes, mentions and their notifications, all derived from one seed."""

    token = "tok-Zq9!mastodon-SECRET-do-not-print-8c1f"
    oauth_code = "code-4711-paste-me"

    def __init__(
        self, seed: int = 7, n_accounts: int = 36, n_posts: int = 23, n_followers: int = 24, n_follows: int = 9
    ) -> None:
        self.rng = random.Random(seed)
        self.clock = T0
        self.accounts: dict[str, Acct] = {}
        self.statuses: dict[str, Status] = {}
        self.follows: list[tuple[int, str, str]] = []  # (follow id, follower, followee): the server pages by it
        self.notes: list[Note] = []
        self.counts: dict[tuple[str, int], int] = {}  # (account, 1 = following / 2 = followers) → count
        self._next_status = 116_000_000_000_000_000
        self._next_follow = 900
        self.brand = self._account(
            "brand",
            DOMAIN,
            "Linen & Loom",
            '<p>Small-batch linen. <a href="https://linen.example">linen.example</a></p>',
        )
        for i in range(n_accounts):
            domain = DOMAIN if i % 3 else REMOTE
            self._account(f"user{i:02d}", domain, f"User {i:02d}" if i % 5 else "", f"<p>bio of user {i}</p>")
        others = [a for a in self.accounts if a != self.brand.local_id]
        for who in self.rng.sample(others, n_followers):
            self.follow(who, self.brand.local_id)
        for who in self.rng.sample(others, n_follows):
            self.follow(self.brand.local_id, who)
        for n in range(n_posts):
            # one post behind a content warning; a warning of only spaces (no warning) and one padded with blanks
            cw = {1: "Long read: washing linen", 2: "   ", 3: " Spoilers: the new weave\t"}.get(n, "")
            self.post(self.brand.local_id, f"Post {n}: linen care tip #{n} #linen", spoiler_text=cw)
        for status in list(self.statuses.values()):
            if status.account == self.brand.local_id:
                self.engage(status.local_id, others)
        for who in self.rng.sample(others, 3):
            self.mention(who)
        hub = others[1]  # an account with an audience of its own (partners fetch-audience)
        for who in self.rng.sample([o for o in others if o != hub], 6):
            self.follow(who, hub)
        self.idempotency: dict[str, str] = {}
        self.media: dict[str, dict[str, Any]] = {}  # uploaded media attachments (MediaAttachment entities)
        self.posts_sent = 0

    # ------------------------------------------------------------------------------------------ world building
    def tick(self, minutes: int = 7) -> dt.datetime:
        self.clock += dt.timedelta(minutes=minutes)
        return self.clock

    def _account(self, username: str, domain: str, name: str, note: str) -> Acct:
        local = str(109_000_000_000_000_000 + 4099 * (len(self.accounts) + 1))
        acct = Acct(local, username, domain, name, note, T0 - dt.timedelta(days=400 - len(self.accounts)), 0)
        acct.statuses_count = self.rng.randrange(5, 900)
        self.accounts[local] = acct
        return acct

    def follow(self, follower: str, followee: str) -> None:
        self._next_follow += 1
        self.follows.append((self._next_follow, follower, followee))
        self.counts[follower, 1] = self.counts.get((follower, 1), 0) + 1
        self.counts[followee, 2] = self.counts.get((followee, 2), 0) + 1
        if followee == self.brand.local_id:
            self.notes.append(Note(len(self.notes) + 1, "follow", self.tick(1), follower))

    def unfollow(self, follower: str, followee: str) -> None:
        before = len(self.follows)
        self.follows = [f for f in self.follows if (f[1], f[2]) != (follower, followee)]
        if len(self.follows) < before:
            self.counts[follower, 1] -= 1
            self.counts[followee, 2] -= 1
        # Mastodon destroys the follow's notification with it (Follow has_one :notification, dependent: :destroy)
        self.notes = [
            n
            for n in self.notes
            if not (n.kind == "follow" and n.account == follower and followee == self.brand.local_id)
        ]

    def post(self, account: str, text: str, **kw: Any) -> Status:
        self._next_status += 65536 * self.rng.randrange(1, 400)
        status = Status(str(self._next_status), account, self.tick(), text, **kw)
        self.statuses[status.local_id] = status
        if account == self.brand.local_id:
            self.brand.statuses_count += 1
        return status

    def engage(self, status_id: str, others: list[str]) -> None:
        """Favourites, reblogs, replies and quotes from random accounts, each with its notification."""
        status = self.statuses[status_id]
        for who in self.rng.sample(others, self.rng.randrange(0, 9)):
            if who in status.favourites:
                continue  # one favourite per account (a second round may pick the same account)
            status.favourites.add(who)
            self.notes.append(Note(len(self.notes) + 1, "favourite", self.tick(2), who, status_id))
        for who in self.rng.sample(others, self.rng.randrange(0, 4)):
            if who in status.reblogs:
                continue
            status.reblogs.add(who)
            self.notes.append(Note(len(self.notes) + 1, "reblog", self.tick(2), who, status_id))
        for who in self.rng.sample(others, self.rng.randrange(0, 3)):
            reply = self.post(who, f"@brand lovely! ({status_id[-4:]})", in_reply_to_id=status_id,
                              in_reply_to_account_id=status.account)  # fmt: skip
            status.replies.append(reply.local_id)
            self.notes.append(Note(len(self.notes) + 1, "mention", reply.created_at, who, reply.local_id))
        if self.rng.random() < 0.3:
            who = self.rng.choice(others)
            quote = self.post(who, "look at this", quote_of=status_id)
            status.quotes.append(quote.local_id)
            self.notes.append(Note(len(self.notes) + 1, "quote", quote.created_at, who, quote.local_id))

    def mention(self, who: str) -> None:
        status = self.post(who, "hey @brand, do you ship abroad?")
        self.notes.append(Note(len(self.notes) + 1, "mention", status.created_at, who, status.local_id))

    def phase2(self) -> None:
        """A second round of activity: new followers, an unfollow, new posts with engagement, more on old posts,
        a notification of a kind that is no interaction (a poll ended)."""
        others = [a for a in self.accounts if a != self.brand.local_id]
        followers = {f[1] for f in self.follows if f[2] == self.brand.local_id}
        for who in [a for a in others if a not in followers][:5]:
            self.follow(who, self.brand.local_id)
        gone = sorted(followers)[0]
        self.unfollow(gone, self.brand.local_id)
        own = [s for s in self.statuses.values() if s.account == self.brand.local_id]
        for status in own[:4]:
            self.engage(status.local_id, others)
        for n in range(3):
            new = self.post(self.brand.local_id, f"Phase two post {n} https://linen.example/new/{n}")
            self.engage(new.local_id, others)
        self.notes.append(Note(len(self.notes) + 1, "poll", self.tick(), self.brand.local_id, own[0].local_id))
        self.mention(others[-1])

    def truth(self) -> dict[str, Any]:
        """What a complete sync must find (canonical ids, as the connector names them)."""
        brand = self.brand.local_id
        own = [s for s in self.statuses.values() if s.account == brand]
        name = {a.local_id: a.canonical for a in self.accounts.values()}
        kinds = {"like": 0, "repost": 0, "reply": 0, "quote": 0, "mention": 0}
        for s in own:
            kinds["like"] += len(s.favourites)
            kinds["repost"] += len(s.reblogs)
            kinds["reply"] += len(s.replies)
            kinds["quote"] += len(s.quotes)
        kinds["mention"] = sum(
            1
            for n in self.notes
            if n.kind == "mention" and self.statuses[n.status or ""].in_reply_to_id is None  # not a reply
        )
        return {
            "brand": self.brand.canonical,
            "followers": {name[f[1]] for f in self.follows if f[2] == brand},
            "follows": {name[f[2]] for f in self.follows if f[1] == brand},
            "posts": {self.status_uri(s) for s in own},
            "metrics": {
                self.status_uri(s): (len(s.favourites), len(s.replies), len(s.reblogs), len(s.quotes)) for s in own
            },
            "interactions": kinds,
            # a warning is stored without its surrounding blanks, and one of only blanks is none
            "content_warnings": {self.status_uri(s): s.spoiler_text.strip() for s in own if s.spoiler_text.strip()},
            "profile": (self.count(brand, "followers"), self.count(brand, "following"), self.brand.statuses_count),
        }

    # ------------------------------------------------------------------------------------------ rendering
    def count(self, local: str, what: str) -> int:
        return self.counts.get((local, 2 if what == "followers" else 1), 0)

    def status_uri(self, s: Status) -> str:
        return f"{self.accounts[s.account].uri}/statuses/{s.local_id}"

    def account_json(self, a: Acct) -> dict[str, Any]:
        web = f"https://{a.domain}/@{a.username}"
        values: dict[str, Any] = {
            "id": a.local_id, "username": a.username, "acct": a.acct, "display_name": a.display_name,
            "locked": False, "bot": False, "discoverable": True, "indexable": True, "group": False,
            "created_at": iso(a.created_at.replace(hour=0, minute=0)), "note": a.note, "url": web, "uri": a.uri,
            "avatar": f"https://{a.domain}/avatars/original/missing.png",
            "avatar_static": f"https://{a.domain}/avatars/original/missing.png", "avatar_description": "",
            "header": f"https://{a.domain}/headers/original/missing.png",
            "header_static": f"https://{a.domain}/headers/original/missing.png", "header_description": "",
            "followers_count": self.count(a.local_id, "followers"),
            "following_count": self.count(a.local_id, "following"), "statuses_count": a.statuses_count,
            "last_status_at": self.clock.date().isoformat(), "hide_collections": None, "show_media": True,
            "show_media_replies": True, "show_featured": True, "noindex": False,
            "feature_approval": {"automatic": [], "manual": [], "current_user": "denied"},
            "emojis": [], "roles": [], "fields": [],
        }  # fmt: skip
        return {k: values[k] for k in ENTITY_KEYS["account"]}

    def status_json(self, s: Status) -> dict[str, Any]:
        author = self.accounts[s.account]
        mentions = [
            {"id": self.brand.local_id, "username": "brand", "url": f"https://{DOMAIN}/@brand", "acct": "brand"}
        ] if "@brand" in s.text else []  # fmt: skip
        quoted = self.statuses.get(s.quote_of or "")
        values: dict[str, Any] = {
            "id": s.local_id, "created_at": iso(s.created_at), "in_reply_to_id": s.in_reply_to_id,
            "in_reply_to_account_id": s.in_reply_to_account_id, "sensitive": bool(s.spoiler_text),
            "spoiler_text": s.spoiler_text, "visibility": "public", "language": "en", "uri": self.status_uri(s),
            "url": f"https://{author.domain}/@{author.username}/{s.local_id}", "replies_count": len(s.replies),
            "reblogs_count": len(s.reblogs), "favourites_count": len(s.favourites), "quotes_count": len(s.quotes),
            "edited_at": None, "favourited": False, "reblogged": False, "muted": False, "bookmarked": False,
            "content": render_content(s.text), "filtered": [], "reblog": None,
            "application": {"name": "Web", "website": None}, "account": self.account_json(author),
            "media_attachments": [self.media[m] for m in s.media], "mentions": mentions,
            "tags": [{"name": t.lstrip("#"), "url": f"https://{DOMAIN}/tags/{t.lstrip('#')}"}
                     for t in s.text.split() if t.startswith("#")],
            "emojis": [], "card": None, "poll": None,
            "quote": {"state": "accepted", "quoted_status": self.status_json(quoted)} if quoted else None,
            "quote_approval": {"automatic": ["public"], "manual": [], "current_user": "automatic"},
        }  # fmt: skip
        return {k: values[k] for k in ENTITY_KEYS["status"]}

    def note_json(self, n: Note) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": str(n.local_id),
            "type": n.kind,
            "created_at": iso(n.created_at),
            "group_key": f"ungrouped-{n.local_id}",
            "account": self.account_json(self.accounts[n.account]),
        }
        if n.status is not None:
            out["status"] = self.status_json(self.statuses[n.status])
        return out


class ReplayServer:
    """The world behind a real HTTP server on 127.0.0.1 (see the module docstring).

    ``rate_limit`` requests per window (the real 300 / 5 min by default); ``fail_429`` request numbers (1-based)
    answered 429; ``on_request(n, path)`` is called before each answer (tests block or count there)."""

    def __init__(self, world: World | None = None, *, rate_limit: int = 300, window_seconds: float = 300.0) -> None:
        self.world = world or World()
        self.rate_limit = rate_limit
        self.window_seconds = window_seconds
        self.window_start = dt.datetime.now(dt.UTC)
        self.used = 0
        self.requests: list[tuple[str, str]] = []
        self.fail_429: set[int] = set()
        self.lose_response: set[int] = set()  # POST /statuses handled, then answered 502 (a proxy timing out)
        self.on_request: Callable[[int, str], None] | None = None
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                outer._handle(self, "GET")

            def do_POST(self) -> None:
                outer._handle(self, "POST")

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # ------------------------------------------------------------------------------------------ HTTP
    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        parts = parts._replace(path=parts.path.rstrip("/") or "/")
        query = parse_qs(parts.query)
        length = int(h.headers.get("content-length") or 0)
        raw = h.rfile.read(length) if length else b""
        files: dict[str, tuple[str, bytes]] = {}
        ctype = h.headers.get("content-type") or ""
        if raw and "json" in ctype:
            body = {k: v if isinstance(v, list) else [v] for k, v in json.loads(raw).items()}
        elif ctype.startswith("multipart/form-data"):
            body, files = _multipart(ctype, raw)
        else:
            body = parse_qs(raw.decode())
        with self.lock:
            self.requests.append((method, parts.path))
            n = len(self.requests)
        if self.on_request is not None:
            self.on_request(n, parts.path)
        with self.lock:
            status, payload, link = self._route(h, method, parts.path, query, body, n, files)
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for k, v in self._rate_headers(status).items():
            h.send_header(k, v)
        if link:
            h.send_header("Link", link)
        h.end_headers()
        h.wfile.write(data)

    def _rate_headers(self, status: int) -> dict[str, str]:
        now = dt.datetime.now(dt.UTC)
        if (now - self.window_start).total_seconds() >= self.window_seconds:
            self.window_start, self.used = now, 0
        reset = self.window_start + dt.timedelta(seconds=self.window_seconds)
        if status == 429:
            remaining, reset = 0, now + dt.timedelta(seconds=1)
        else:
            self.used += 1
            remaining = max(0, self.rate_limit - self.used)
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": iso(reset),
        }

    def _route(
        self,
        h: BaseHTTPRequestHandler,
        method: str,
        path: str,
        q: dict[str, list[str]],
        body: dict[str, list[str]],
        n: int,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> tuple[int, Any, str | None]:
        w = self.world
        if n in self.fail_429:
            return 429, {"error": "Too many requests"}, None
        if method == "POST" and path == "/api/v1/apps":
            return 200, {
                "id": "3", "name": body.get("client_name", [""])[0], "website": None,
                "scopes": body["scopes"][0].split(),
                "redirect_uri": body.get("redirect_uris", [""])[0], "redirect_uris": body.get("redirect_uris", []),
                "client_id": "cid-replay", "client_secret": "csecret-replay-SECRET", "client_secret_expires_at": 0,
            }, None  # fmt: skip
        if method == "POST" and path == "/oauth/token":
            if (
                body.get("code", [""])[0] != w.oauth_code
                or body.get("client_secret", [""])[0] != "csecret-replay-SECRET"
            ):
                return (
                    400,
                    {"error": "invalid_grant", "error_description": "The provided authorization grant is invalid"},
                    None,
                )
            return (
                200,
                {"access_token": w.token, "token_type": "Bearer", "scope": body["scope"][0], "created_at": 1},
                None,
            )
        if path in ("/api/v1/instance", "/api/v2/instance"):  # public, as on a real server
            configuration = {"statuses": {"max_characters": 500, "characters_reserved_per_url": 23}}
            if path.endswith("v1/instance"):
                return 200, {"uri": DOMAIN, "title": "Social Example", "version": "4.5.0"}, None
            return 200, {
                "domain": DOMAIN, "title": "Social Example", "version": "4.5.0", "api_versions": {"mastodon": 7},
                "configuration": configuration,
            }, None  # fmt: skip
        if not path.startswith("/api/"):
            return 404, {"error": "Not Found"}, None
        if h.headers.get("Authorization") != f"Bearer {w.token}":
            return 401, {"error": "The access token is invalid"}, None
        brand = w.brand.local_id
        seg = path.strip("/").split("/")[2:]  # after api/v1
        limit = int(q.get("limit", ["40"])[0])
        if method == "POST" and path == "/api/v2/media":
            return self._post_media(body, files or {})
        if method == "POST" and seg == ["statuses"]:
            answer = self._post_status(h, body)
            if n in self.lose_response:
                return 502, {"error": "Bad Gateway"}, None
            return answer
        if seg == ["accounts", "verify_credentials"]:
            return 200, w.account_json(w.brand) | {"source": {"privacy": "public", "note": "", "fields": []}}, None
        if seg == ["accounts", "lookup"]:
            acct = q.get("acct", [""])[0].lower()
            found = [a for a in w.accounts.values() if acct in (a.acct.lower(), a.canonical)]
            return (200, w.account_json(found[0]), None) if found else (404, {"error": "Record not found"}, None)
        if seg == ["search"] or path == "/api/v2/search":
            term = q.get("q", [""])[0].lower().lstrip("@")
            hits = [w.account_json(a) for a in w.accounts.values() if a.canonical == term]
            return 200, {"accounts": hits, "statuses": [], "hashtags": []}, None
        if seg == ["notifications"]:
            items = sorted(w.notes, key=lambda x: -x.local_id)
            keyed = [(x.local_id, w.note_json(x)) for x in items]
            return self._paged(path, q, keyed, min(limit, 80))
        if len(seg) == 2 and seg[0] == "accounts" and seg[1] in w.accounts:
            return 200, w.account_json(w.accounts[seg[1]]), None
        if len(seg) == 3 and seg[0] == "accounts" and seg[1] in w.accounts:
            who = seg[1]
            if seg[2] in ("followers", "following"):
                inbound = seg[2] == "followers"
                edges = sorted((f for f in w.follows if f[2 if inbound else 1] == who), key=lambda f: -f[0])
                keyed = [(f[0], w.account_json(w.accounts[f[1] if inbound else f[2]])) for f in edges]
                return self._paged(path, q, keyed, min(limit, 80))
            if seg[2] == "statuses":
                own = sorted((s for s in w.statuses.values() if s.account == who), key=lambda s: -int(s.local_id))
                return self._paged(path, q, [(int(s.local_id), w.status_json(s)) for s in own], min(limit, 40))
        if len(seg) == 3 and seg[0] == "statuses" and seg[1] in w.statuses:
            status = w.statuses[seg[1]]
            if seg[2] == "context":
                kids = [w.statuses[r] for r in status.replies]
                return 200, {"ancestors": [], "descendants": [w.status_json(k) for k in kids]}, None
            if seg[2] == "source":
                return 200, {"id": status.local_id, "text": status.text, "spoiler_text": ""}, None
        del brand
        return 404, {"error": "Record not found"}, None

    def _paged(
        self, path: str, q: dict[str, list[str]], keyed: list[tuple[int, Any]], limit: int
    ) -> tuple[int, Any, str | None]:
        """Newest first; ``max_id``/``since_id``/``min_id`` as Mastodon pages: by the paging key (status id,
        notification id, or for follower lists the follow relationship's id, not the account's)."""
        if "max_id" in q:
            keyed = [k for k in keyed if k[0] < int(q["max_id"][0])]
        if "since_id" in q:
            keyed = [k for k in keyed if k[0] > int(q["since_id"][0])]
        if "min_id" in q:
            keyed = [k for k in keyed if k[0] > int(q["min_id"][0])][-limit:]
        page = keyed[:limit]
        links = []
        base = f"{self.url}{path}"
        if len(page) == limit:
            links.append(f'<{base}?{urlencode({"limit": limit, "max_id": page[-1][0]})}>; rel="next"')
        if page:
            links.append(f'<{base}?{urlencode({"limit": limit, "min_id": page[0][0]})}>; rel="prev"')
        return 200, [item for _, item in page], ", ".join(links) or None

    def _post_status(self, h: BaseHTTPRequestHandler, body: dict[str, list[str]]) -> tuple[int, Any, str | None]:
        w = self.world
        key = h.headers.get("Idempotency-Key")
        if key and key in w.idempotency:
            return 200, w.status_json(w.statuses[w.idempotency[key]]), None
        text = (body.get("status") or [""])[0]
        if not text.strip():
            return 422, {"error": "Validation failed: Text can't be blank"}, None
        media = body.get("media_ids[]") or body.get("media_ids") or []
        unknown = [m for m in media if m not in w.media]
        if unknown or len(media) > 4:
            return 422, {"error": "Validation failed: media ids unknown or more than 4"}, None
        status = w.post(w.brand.local_id, text)
        status.media = list(media)
        status.created_at = dt.datetime.now(dt.UTC)  # a real server stamps a new status with its own clock
        w.posts_sent += 1
        if key:
            w.idempotency[key] = status.local_id
        return 200, w.status_json(status), None

    def _post_media(self, body: dict[str, list[str]], files: dict[str, tuple[str, bytes]]) -> tuple[int, Any, None]:
        """``POST /api/v2/media``: a MediaAttachment (processed at once, as a small image is: 200, not 202)."""
        w = self.world
        if "file" not in files:
            return 422, {"error": "Validation failed: File can't be blank"}, None
        mime, data = files["file"]
        if not mime.startswith("image/"):
            return (
                422,
                {"error": "Validation failed: File has contents that are not what they are reported to be"},
                None,
            )
        media_id = str(110_000_000_000 + len(w.media) + 1)
        width, height = struct.unpack(">II", data[16:24]) if data.startswith(b"\x89PNG") else (0, 0)
        original = {"width": width, "height": height, "size": f"{width}x{height}", "aspect": width / (height or 1)}
        w.media[media_id] = {
            "id": media_id, "type": "image",
            "url": f"https://files.{DOMAIN}/media_attachments/files/{media_id}/original/image.png",
            "preview_url": f"https://files.{DOMAIN}/media_attachments/files/{media_id}/small/image.png",
            "remote_url": None, "preview_remote_url": None, "text_url": None,
            "meta": {"original": original, "small": original},
            "description": (body.get("description") or [None])[0], "blurhash": "UFO|gA~q?b%M~qIUIUt7%M%Mj[WBayt7ofWB",
            "_bytes": len(data),
        }  # fmt: skip
        return 200, {k: v for k, v in w.media[media_id].items() if not k.startswith("_")}, None


def _multipart(ctype: str, raw: bytes) -> tuple[dict[str, list[str]], dict[str, tuple[str, bytes]]]:
    """Fields and files of a ``multipart/form-data`` body (RFC 7578), as a Rails server reads them."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode() + raw)
    fields: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = (part.get_content_type(), payload)
        else:
            fields.setdefault(name, []).append(payload.decode())
    return fields, files
