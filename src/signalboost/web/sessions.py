"""Server-side login sessions of the dashboard, kept in the workspace database (``web_sessions``, migration 060).

The cookie carries a random session id (signed, see :mod:`signalboost.web.auth`); a logged-in cookie counts only
while the database has the session (its SHA-256) for that user, and it has not expired:

- **idle expiry**: not seen for ``idle_seconds`` (default 1 hour; ``serve --session-idle-minutes``);
- **absolute expiry**: started more than ``max_seconds`` ago (default 12 hours; ``serve --session-hours``);
- **revocation**: ``POST /logout`` deletes it; ``signalboost user remove`` and a password change
  (``signalboost user add`` on an existing login) delete every session of that user — from the CLI in another
  process too, since the check reads the database.

To keep requests cheap, a positive check is remembered until the database changes (its file's modification time
and size, and its WAL's — any write, from any process, changes them) and "last seen" is written at most every
``touch_seconds``. When the workspace is locked by a long import (a write could not revoke anything meanwhile),
the last positive check within the idle window stands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path

from signalboost.errors import WorkspaceLockedError
from signalboost.store import sessions_sql
from signalboost.store.workspace import Workspace

DEFAULT_IDLE = 3600.0
DEFAULT_MAX = 12 * 3600.0
TOUCH_EVERY = 300.0
LOCK_WAIT = 8.0
"""Seconds a session check waits for the workspace lock before relying on its last positive check."""


def session_hash(sid: str) -> str:
    """What the database keeps of a session id: its SHA-256 (hex)."""
    return hashlib.sha256(sid.encode()).hexdigest()


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _seconds(value: dt.datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


class SessionStore:
    """Start, check and end the logged-in sessions of one workspace (see the module docstring)."""

    def __init__(
        self,
        ws: Workspace,
        *,
        idle_seconds: float = DEFAULT_IDLE,
        max_seconds: float = DEFAULT_MAX,
        touch_seconds: float = TOUCH_EVERY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ws = ws
        self.idle_seconds = idle_seconds
        self.max_seconds = max_seconds
        self.touch_seconds = touch_seconds
        self.clock = clock
        self._known: dict[str, tuple[tuple[int, ...], str, float, float]] = {}
        """session hash → (database state, user, created, last seen) of its last positive check."""
        self._lock = threading.Lock()

    def _state(self) -> tuple[int, ...]:
        out: list[int] = []
        for path in (self.ws.db_path, Path(str(self.ws.db_path) + ".wal")):
            try:
                st = path.stat()
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def start(self, username: str, sid: str) -> None:
        """Record the new session ``sid`` of ``username`` (and forget expired ones)."""
        now = self.clock()
        with self.ws.transaction(purpose="start a dashboard session") as con:
            sessions_sql.delete_expired(con, _utc(now - self.idle_seconds), _utc(now - self.max_seconds))
            sessions_sql.create(con, session_hash(sid), username, _utc(now))

    def end(self, sid: str) -> None:
        """End the session ``sid`` (logout)."""
        key = session_hash(sid)
        with self._lock:
            self._known.pop(key, None)
        with self.ws.transaction(purpose="end a dashboard session") as con:
            sessions_sql.delete(con, key)

    def valid(self, sid: str, username: str) -> bool:
        """Whether ``sid`` is a live session of ``username`` now (exists, not idle too long, not too old)."""
        key = session_hash(sid)
        now = self.clock()
        state = self._state()
        with self._lock:
            known = self._known.get(key)
        if known is not None and known[0] == state and known[1] == username:
            _, _, created, seen = known
            if self._alive(now, created, seen) and now - seen < self.touch_seconds:
                return True
        try:
            return self._check(key, username, now)
        except WorkspaceLockedError:
            if known is None or known[1] != username:
                raise
            return self._alive(now, known[2], known[3])

    def _alive(self, now: float, created: float, seen: float) -> bool:
        return now - created < self.max_seconds and now - seen < self.idle_seconds

    def _check(self, key: str, username: str, now: float) -> bool:
        with self.ws.connect(timeout=LOCK_WAIT, purpose="check a dashboard session") as con:
            row = sessions_sql.lookup(con, key)
            if row is None or row[0] != username:
                self._forget(key)
                return False
            created, seen = _seconds(row[1]), _seconds(row[2])
            if not self._alive(now, created, seen):
                sessions_sql.delete(con, key)
                self._forget(key)
                return False
            if now - seen >= self.touch_seconds:
                sessions_sql.touch(con, key, _utc(now))
                seen = now
        with self._lock:
            self._known[key] = (self._state(), username, created, seen)
        return True

    def _forget(self, key: str) -> None:
        with self._lock:
            self._known.pop(key, None)
