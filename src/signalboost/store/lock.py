"""An inter-process lock on the workspace, so a CLI import and a running dashboard never collide.

DuckDB lets one process at a time open a database file for writing. Every access to the workspace database
goes through :func:`workspace_lock`: a ``flock`` on ``<workspace>/.signalboost.lock`` that waits up to
``timeout`` seconds, then fails with a clear :class:`WorkspaceLockedError` instead of a "database is locked"
traceback.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from signalboost.errors import WorkspaceLockedError

LOCK_NAME = ".signalboost.lock"


@contextmanager
def workspace_lock(root: Path, *, timeout: float = 60.0, poll: float = 0.05, purpose: str = "use") -> Iterator[None]:
    """Hold the workspace lock for the duration of the ``with`` block (exclusive, waits up to ``timeout``)."""
    path = root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    raise WorkspaceLockedError(
                        f"the workspace is busy ({holder or 'another Signalboost process'} holds it)",
                        where=str(root),
                        hint=f"Wait for it to finish and try again; waited {timeout:.0f} s to {purpose}",
                    ) from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} ({purpose})".encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 200).decode(errors="replace").strip()
    except OSError:
        return ""
