"""What every request of the dashboard shares: the workspace, the settings, the page cache, the import jobs."""

from __future__ import annotations

import contextvars
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from signalboost.errors import WorkspaceLockedError
from signalboost.i18n import language
from signalboost.store.workspace import Workspace
from signalboost.web.auth import SessionCodec
from signalboost.web.guard import HostPolicy, LoginThrottle, ProxyPolicy
from signalboost.web.sessions import DEFAULT_IDLE, DEFAULT_MAX, SessionStore

T = TypeVar("T")

DEFAULT_MAX_UPLOAD = 512 * 1024 * 1024
"""Largest accepted upload (bytes): 512 MiB, above any account export we have seen; change with --max-upload-mb."""
MAX_FORM_BYTES = 1024 * 1024
"""Largest body of any other request (forms): 1 MiB."""
READ_TIMEOUT = 8.0
"""Seconds a page waits for the workspace lock (a long CLI import holds it) before showing its last figures."""


@dataclass
class WebSettings:
    """How the server was started."""

    require_login: bool = False
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    secure_cookies: bool = False
    """Mark the session cookie ``Secure`` (``serve --secure-cookies``: the browser reaches us over HTTPS)."""
    hosts: HostPolicy = field(default_factory=HostPolicy)
    proxy: ProxyPolicy = field(default_factory=ProxyPolicy)
    session_idle_seconds: float = DEFAULT_IDLE
    session_max_seconds: float = DEFAULT_MAX


def _in_language(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """``key`` with the request's language first: page data holds translated words, so a page built for one
    language is never served to a reader of another."""
    return (language(), *key)


class PageCache:
    """A small LRU of page data, keyed by the page, its parameters and the workspace's state.

    The state is the modification time and size of the database file (and its write-ahead log) and of
    ``strategy.yaml``: any write — from the dashboard or a CLI command in another process — changes it, so
    a cached page is never stale.
    """

    def __init__(self, workspace: Workspace, size: int = 64) -> None:
        self.ws = workspace
        self.size = size
        self._data: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._latest: dict[tuple[Any, ...], Any] = {}
        self._running: set[tuple[Any, ...]] = set()
        self._lock = threading.Lock()

    def state(self) -> tuple[int, ...]:
        out: list[int] = []
        for path in (self.ws.db_path, Path(str(self.ws.db_path) + ".wal"), self.ws.strategy_path):
            try:
                st = path.stat()
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def strategy_state(self) -> tuple[int, ...]:
        """The state of ``strategy.yaml`` alone (for pages that do not read the database)."""
        try:
            st = self.ws.strategy_path.stat()
            return (st.st_mtime_ns, st.st_size)
        except OSError:
            return (0, 0)

    def get(self, key: tuple[Any, ...], compute: Callable[[], T], *, state: tuple[int, ...] | None = None) -> T:
        """The cached value for ``key`` in the current workspace state (or ``state``), computed if missing."""
        key = _in_language(key)
        full = (*key, state if state is not None else self.state())
        with self._lock:
            if full in self._data:
                self._data.move_to_end(full)
                return self._data[full]  # type: ignore[no-any-return]
        try:
            value = self._scoped(compute)
        except WorkspaceLockedError:
            with self._lock:  # busy (a long import): the last figures rather than a wait or an error
                if key in self._latest:
                    return self._latest[key]  # type: ignore[no-any-return]
            raise
        self._store(key, full[-1], value)
        return value

    def swr(self, key: tuple[Any, ...], compute: Callable[[], T]) -> tuple[T, bool]:
        """Stale-while-revalidate for expensive pages: ``(value, stale)``.

        The value for the current state if cached; else the last value computed for an older state, returned at
        once (``stale=True``) while a background thread recomputes it; else (never computed) computed now.
        A failed background computation is dropped (the next request tries again).
        """
        key = _in_language(key)
        state = self.state()
        with self._lock:
            full = (*key, state)
            if full in self._data:
                self._data.move_to_end(full)
                return self._data[full], False
            old = self._latest.get(key)
            if old is not None and key not in self._running:
                self._running.add(key)
                # not a daemon: at exit Python waits for it (one page's computation) instead of killing it inside a
                # DuckDB call, which aborts the process ("FATAL: exception not rethrown", exit 134)
                # in a copy of this request's context: the page is recomputed in the reader's language
                context = contextvars.copy_context()
                args = (self._refresh, key, state, compute)
                threading.Thread(target=context.run, args=args, daemon=False).start()
        if old is not None:
            return old, True
        value = self._scoped(compute)
        self._store(key, state, value)
        return value, False

    def _refresh(self, key: tuple[Any, ...], state: tuple[int, ...], compute: Callable[[], Any]) -> None:
        try:
            self._store(key, state, self._scoped(compute))
        except Exception:  # the request path shows the error when it computes synchronously
            pass
        finally:
            with self._lock:
                self._running.discard(key)

    def scope(self) -> AbstractContextManager[None]:
        """One shared connection for every read inside the block (a ``WebWorkspace``; else nothing)."""
        scope = getattr(self.ws, "request_scope", None)
        return scope() if scope is not None else nullcontext()

    def _scoped(self, compute: Callable[[], T]) -> T:
        with self.scope():
            return compute()

    def _store(self, key: tuple[Any, ...], state: tuple[int, ...], value: Any) -> None:
        with self._lock:
            self._data[(*key, state)] = value
            self._latest[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Wait until no background refresh runs (tests and benchmarks)."""
        import time

        deadline = time.monotonic() + timeout
        while self._running and time.monotonic() < deadline:
            time.sleep(0.02)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._latest.clear()


@dataclass
class WebContext:
    """The application's state (``app.state.ctx``)."""

    workspace: Workspace
    settings: WebSettings
    codec: SessionCodec
    cache: PageCache
    sessions: SessionStore
    jobs: Any = None  # signalboost.web.uploads.JobRegistry
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
