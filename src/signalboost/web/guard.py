"""Who may talk to the dashboard: the Host allow-list, the Origin check, the trusted proxy, the login throttle.

- **Host allow-list** (against DNS rebinding): a page on ``rebind.evil.example`` whose name an attacker re-points at
  127.0.0.1 reaches the server with ``Host: rebind.evil.example``. Only the names the server answers to are accepted:
  ``localhost``, ``127.0.0.1``, ``[::1]``, the address it is bound to, names given with ``serve --allowed-host``,
  and — bound to every address (``0.0.0.0``/``::``) — any IP literal (an IP literal cannot be rebound). Anything
  else gets 400 before the application runs (the approach of Django's ``ALLOWED_HOSTS``).
- **Origin check** (a second line behind the CSRF token): a state-changing request (anything but GET/HEAD/OPTIONS)
  that carries ``Origin`` (or, without it, ``Referer``) must come from the same host and port it is sent to;
  ``Origin: null`` is refused. A request with neither (curl, scripts) is left to the CSRF token. (OWASP CSRF cheat
  sheet, "Verifying origin with standard headers".)
- **Trusted proxy**: ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed only from addresses given with
  ``serve --trusted-proxy``; from anyone else they are ignored (a client could write them).
- **Login throttle**: failed logins are counted per user name and per client address; an attempt reserves its
  count *before* the password is checked, under one lock, so parallel guesses cannot all pass the check, and a
  correct login removes only its own reservation (it never resets what others counted).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::", ""})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def strip_brackets(host: str) -> str:
    """``[::1]`` → ``::1`` (the bracketed form is how an IPv6 address is written in a URL or a Host header)."""
    host = host.strip()
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def host_name(header: str) -> str:
    """The host of a ``Host`` header or URL authority, without the port, lower-case: ``[::1]:8765`` → ``::1``."""
    value = header.strip().lower().rstrip(".")
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 0 else value
    name, sep, port = value.rpartition(":")
    if sep and port.isdigit() and ":" not in name:
        return name.rstrip(".")
    return value


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class HostPolicy:
    """The names the dashboard answers to (see the module docstring)."""

    names: frozenset[str] = LOOPBACK_NAMES
    any_ip: bool = False

    @classmethod
    def for_bind(cls, bind_host: str | None, extra: Iterable[str] = ()) -> HostPolicy:
        """The policy of a server bound to ``bind_host`` with the names ``extra`` allowed too."""
        names = set(LOOPBACK_NAMES) | {host_name(strip_brackets(h)) for h in extra if h.strip()}
        bound = strip_brackets(bind_host or "127.0.0.1").lower()
        if bound not in WILDCARDS:
            names.add(bound)
        return cls(frozenset(names), any_ip=bound in WILDCARDS)

    def allows(self, header: str) -> bool:
        name = host_name(header)
        return bool(name) and (name in self.names or (self.any_ip and is_ip(name)))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def origin_problem(scope: Scope) -> str | None:
    """Why a state-changing request's ``Origin``/``Referer`` is refused, or ``None`` when it may go on."""
    host = (_header(scope, b"host") or "").strip().lower()
    origin = _header(scope, b"origin")
    source = origin if origin is not None else _header(scope, b"referer")
    if source is None:
        return None  # not a browser: the CSRF token decides
    if source.strip().lower() == "null":
        return "the request comes from an opaque origin (Origin: null)"
    try:
        netloc = urlsplit(source.strip()).netloc.lower()
    except ValueError:
        netloc = ""
    if not netloc or netloc.rpartition("@")[2] != host:
        return f"the request comes from another site ({'Origin' if origin is not None else 'Referer'}: {source[:80]})"
    return None


class SiteGuard:
    """ASGI middleware: refuse a Host the server does not answer to (400) and a cross-site write (403)."""

    def __init__(self, app: ASGIApp, *, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from signalboost.web.app import plain_answer

        host = _header(scope, b"host")
        if host is None or not self.policy.allows(host):
            shown = (host or "")[:100]
            await plain_answer(
                send,
                400,
                f"this dashboard does not answer to the host name {shown!r}. Open it at http://127.0.0.1 (or the "
                f"address it was started on); to use another name start it with `signalboost serve --allowed-host "
                f"NAME`.",
            )
            return
        if scope["method"] not in SAFE_METHODS:
            problem = origin_problem(scope)
            if problem is not None:
                await plain_answer(send, 403, f"{problem}; nothing was changed. Use the dashboard's own page.")
                return
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class ProxyPolicy:
    """Which peers may tell us the client's address and scheme (``X-Forwarded-For``/``-Proto``)."""

    trusted: frozenset[str] = frozenset()

    def trusts(self, peer: str | None) -> bool:
        return peer is not None and strip_brackets(peer).lower() in self.trusted

    def client(self, peer: str | None, forwarded_for: str | None) -> str:
        """The client's address: the last hop of ``X-Forwarded-For`` when the peer is a trusted proxy."""
        if forwarded_for and self.trusts(peer):
            last = forwarded_for.split(",")[-1].strip()
            if last:
                return last[:64]
        return peer or "unknown"

    def https(self, peer: str | None, forwarded_proto: str | None) -> bool:
        """Whether the browser talks HTTPS to the trusted proxy in front of us."""
        return forwarded_proto is not None and self.trusts(peer) and forwarded_proto.strip().lower() == "https"


@dataclass
class Attempt:
    """A login attempt's reservation in the throttle (released when the password was right)."""

    keys: tuple[str, ...]
    at: float


@dataclass
class LoginThrottle:
    """At most ``per_address`` failed logins per client address and ``per_user`` per user name in ``window``
    seconds; then 429 until the oldest failure leaves the window. In memory, per server process."""

    per_address: int = 5
    per_user: int = 10
    window: float = 300.0
    max_keys: int = 100_000
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _limit(self, key: str) -> int:
        return self.per_user if key.startswith("user:") else self.per_address

    def _recent(self, key: str, now: float) -> list[float]:
        recent = [t for t in self._failures.get(key, []) if now - t < self.window]
        if recent:
            self._failures[key] = recent
        else:
            self._failures.pop(key, None)
        return recent

    def reserve(self, address: str, username: str, now: float | None = None) -> Attempt | None:
        """Count this attempt as a failure now (atomically with the check); ``None`` when it is over a limit."""
        now = time.monotonic() if now is None else now
        keys = (f"addr:{address}", f"user:{username.strip().lower()[:64]}")
        with self._lock:
            if len(self._failures) > self.max_keys:
                for key in list(self._failures):
                    self._recent(key, now)
            if any(len(self._recent(k, now)) >= self._limit(k) for k in keys):
                return None
            for k in keys:
                self._failures.setdefault(k, []).append(now)
        return Attempt(keys, now)

    def release(self, attempt: Attempt) -> None:
        """The password was right: take back this attempt's own count (and nothing else)."""
        with self._lock:
            for k in attempt.keys:
                times = self._failures.get(k)
                if times and attempt.at in times:
                    times.remove(attempt.at)
