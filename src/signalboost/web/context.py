"""What every request of the dashboard shares: the workspace, the settings, the page cache, the import jobs."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from signalboost.store.workspace import Workspace
from signalboost.web.auth import SessionCodec

T = TypeVar("T")

DEFAULT_MAX_UPLOAD = 512 * 1024 * 1024
"""Largest accepted upload (bytes): 512 MiB, above any account export we have seen; change with --max-upload-mb."""
MAX_FORM_BYTES = 1024 * 1024
"""Largest body of any other request (forms): 1 MiB."""


@dataclass
class WebSettings:
    """How the server was started."""

    require_login: bool = False
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    secure_cookies: bool = False


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

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        full = (*key, self.state())
        with self._lock:
            if full in self._data:
                self._data.move_to_end(full)
                return self._data[full]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._data[full] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


@dataclass
class WebContext:
    """The application's state (``app.state.ctx``)."""

    workspace: Workspace
    settings: WebSettings
    codec: SessionCodec
    cache: PageCache
    jobs: Any = None  # signalboost.web.uploads.JobRegistry
