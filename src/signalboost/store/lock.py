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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from signalboost.errors import WorkspaceLockedError
from signalboost.i18n import L_, N_

LOCK_NAME = ".signalboost.lock"


@contextmanager
def workspace_lock(root: Path, *, timeout: float = 60.0, poll: float = 0.05, purpose: str = "use") -> Iterator[None]:
    """Hold the workspace lock for the duration of the ``with`` block (exclusive, waits up to ``timeout``)."""
    deadline = time.monotonic() + timeout

    def take(fd: int) -> None:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    raise WorkspaceLockedError(
                        L_(
                            "the workspace is busy ({holder} holds it)",
                            holder=holder or L_("another Signalboost process"),
                        ),
                        where=str(root),
                        hint=L_(
                            "Wait for it to finish and try again; waited {timeout:.0f} s to {purpose}",
                            timeout=timeout,
                            purpose=purpose,
                        ),
                    ) from None
                time.sleep(poll)

    with _holding(root / LOCK_NAME, take, f"pid {os.getpid()} ({purpose})"):
        yield


@contextmanager
def _holding(path: Path, take: Callable[[int], None], holder: str) -> Iterator[None]:
    """Open (or create) the lock file ``path``, ``take(fd)`` its exclusive ``flock`` (``take`` raises when it
    cannot), write ``holder`` into it (what a refused process reports), and release and close it after the block."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        take(fd)
        os.ftruncate(fd, 0)
        os.write(fd, holder.encode())
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


#: the named locks of long steps, each held for the whole step (see :func:`step_lock`)
STEP_LOCKS = {
    "run": N_("the scheduler (`signalboost run`)"),
    "sync": N_("a sync"),
    "publish": N_("a publish"),
}


@contextmanager
def step_lock(root: Path, name: str, *, holder: str = "") -> Iterator[None]:
    """Hold ``<workspace>/.signalboost-<name>.lock`` for a whole step, or fail at once if another holds it.

    Unlike :func:`workspace_lock` (held for each database access, waited for), a step lock marks a step that
    must never run twice at the same time on one workspace: the scheduler (``run``, held for its lifetime), a
    sync (two syncs would page the same streams), a publish (two publishers could both send a due post). The
    file records the holder's pid, what it does and since when, for the message; the kernel releases a
    ``flock`` when its process dies, so a killed process never leaves a stale lock."""

    def take(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = _read_holder(fd) or L_("another Signalboost process")
            hint = (
                L_("Stop it first (Ctrl-C, or `systemctl stop` for a service), or use another workspace")
                if name == "run"
                else L_("Wait for it to finish; `signalboost run` already does this on its schedule")
            )
            step = L_(STEP_LOCKS[name]) if name in STEP_LOCKS else name  # the msgids are marked with N_ above
            raise WorkspaceLockedError(
                L_("{step} is already running on this workspace ({other})", step=step, other=other),
                where=str(root),
                hint=hint,
            ) from None

    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    with _holding(root / f".signalboost-{name}.lock", take, f"pid {os.getpid()}: {holder or name}, since {started}"):
        yield


def step_holder(root: Path, name: str) -> str | None:
    """Who holds the step lock ``name`` now (``"pid 123: signalboost run, since …"``), or ``None`` when nobody
    does. Creates nothing."""
    path = root / f".signalboost-{name}.lock"
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(fd) or "another Signalboost process"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
