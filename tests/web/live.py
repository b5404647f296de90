"""A real dashboard server for end-to-end tests: ``signalboost serve`` in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(
    workspace: Path, *, extra: tuple[str, ...] = (), host: str | None = None, port: int | None = None
) -> Iterator[str]:
    """Start the server on the workspace (on ``--host host`` when given), wait until it answers, yield its base URL,
    stop it."""
    port = port or free_port()
    if host is not None:
        extra = ("--host", host, *extra)
    log = workspace.parent / f"server-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "signalboost.cli.main", "serve", "-w", str(workspace), "--port", str(port), *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    bare = (host or "127.0.0.1").strip("[]")
    base = f"http://[{bare}]:{port}" if ":" in bare else f"http://{bare}:{port}"
    try:
        deadline = time.monotonic() + 60  # a loaded 2-core machine starts Python slowly
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited: {log.read_text()}")
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {log.read_text()}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
