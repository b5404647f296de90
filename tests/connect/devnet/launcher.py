"""Start and stop the local Bluesky network of ``network.js`` from Python (tests and benchmarks).

The network is a real PDS + AppView + in-memory PLC from ``@atproto/dev-env`` (installed by ``npm ci`` in this
folder: ``make system-test`` / ``scripts/system-deps.sh test``) with a throw-away PostgreSQL cluster. It prints one
JSON line when ready and then answers commands on stdin (see ``network.js``); closing stdin stops it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "network.js"


def missing_reason() -> str | None:
    """Why the network cannot start here (``None`` when it can)."""
    if shutil.which("node") is None:
        return "Node.js is not installed (scripts/system-deps.sh test installs it)"
    if not (HERE / "node_modules" / "@atproto" / "dev-env").is_dir():
        return f"@atproto/dev-env is not installed: run `npm ci --prefix {HERE}` (make system-test does)"
    if not any(Path(f"/usr/lib/postgresql/{v}/bin/initdb").exists() for v in (15, 16, 17)):
        return "PostgreSQL is not installed (scripts/system-deps.sh test installs Debian's postgresql)"
    return None


class BlueskyNetwork:
    """A running local network: ``pds`` URL, ``brand`` credentials, seed ``truth``; ``command()`` talks to it."""

    def __init__(
        self,
        *,
        accounts: int = 14,
        brand_posts: int = 8,
        posts_per_account: int = 2,
        follows_min: int = 3,
        follows_spread: int = 8,
        seed: int = 7,
        ready_timeout: float = 900,
    ) -> None:
        args = [
            "node",
            str(SCRIPT),
            "--accounts",
            str(accounts),
            "--brand-posts",
            str(brand_posts),
            "--posts-per-account",
            str(posts_per_account),
            "--follows-min",
            str(follows_min),
            "--follows-spread",
            str(follows_spread),
            "--seed",
            str(seed),
        ]
        self._started = time.perf_counter()
        self.proc = subprocess.Popen(
            args,
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "REDIS_HOST": os.environ.get("REDIS_HOST", "127.0.0.1:6379")},
        )
        self._stderr: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        self._lock = threading.Lock()
        info = self._read_line(timeout=ready_timeout)
        self.ready_seconds = time.perf_counter() - self._started
        self.info: dict[str, Any] = info
        self.pds: str = info["pds"]
        self.appview: str = info["appview"]
        self.brand: dict[str, str] = info["brand"]
        self.truth: dict[str, Any] = info["truth"]

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)

    def _read_line(self, *, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(self.proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        if not result or not result[0]:
            self.close()
            raise RuntimeError("the local Bluesky network did not answer:\n" + "".join(self._stderr[-40:]))
        return dict(json.loads(result[0]))

    def command(self, op: str, *, timeout: float = 300) -> dict[str, Any]:
        """Send one command (``process``, ``phase2``, ``truth``, ``rss``) and return its JSON answer."""
        assert self.proc.stdin is not None
        with self._lock:
            self.proc.stdin.write(json.dumps({"op": op}) + "\n")
            self.proc.stdin.flush()
            reply = self._read_line(timeout=timeout)
        if not reply.get("ok"):
            raise RuntimeError(f"network command {op!r} failed: {reply.get('error')}")
        return reply

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.terminate()
                self.proc.wait(timeout=10)
