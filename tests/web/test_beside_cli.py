"""The dashboard works beside the CLI: a CLI write while the server runs succeeds, and the page shows it."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from signalboost.store.workspace import Workspace
from signalboost.web.wiring import lib
from tests.web.live import running_server

CSV = "platform,post_id,created_at,text,likes\nx,n1,2024-05-01T10:00:00Z,hello from the CLI,3\n"


def _hammer(base: str, stop: threading.Event, statuses: list[int]) -> None:
    with httpx.Client(base_url=base, timeout=30) as c:
        while not stop.is_set():
            for path in ("/overview.json", "/imports.json", "/"):
                statuses.append(c.get(path).status_code)


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def test_cli_write_while_server_reads(web_ws: Workspace) -> None:
    """A CLI command writing the database while the server serves pages in a loop: both succeed."""
    with running_server(web_ws.root) as base:
        stop, statuses = threading.Event(), []  # type: ignore[var-annotated]
        t = threading.Thread(target=_hammer, args=(base, stop, statuses))
        t.start()
        try:
            procs = [
                _cli("user", "add", f"user{i}", "-w", str(web_ws.root), "--password-stdin", stdin="long-enough-pw\n")
                for i in range(3)
            ]
        finally:
            stop.set()
            t.join()
        for p in procs:
            assert p.returncode == 0, p.stderr
            assert "locked" not in p.stderr.lower() and "Traceback" not in p.stderr
        assert statuses and set(statuses) == {200}
        users = _cli("user", "list", "-w", str(web_ws.root), "--format", "json")
        assert '"user2"' in users.stdout


def test_cli_import_while_server_runs_then_page_shows_it(web_ws: Workspace, tmp_path: Path) -> None:
    if lib("signalboost.ingest", "import_files") is None:
        pytest.skip("signalboost.ingest has not landed in this installation")
    src = tmp_path / "posts.csv"
    src.write_text(CSV)
    with running_server(web_ws.root) as base:
        before = httpx.get(base + "/overview.json").json()["counts"]["posts"]
        stop, statuses = threading.Event(), []  # type: ignore[var-annotated]
        t = threading.Thread(target=_hammer, args=(base, stop, statuses))
        t.start()
        try:
            proc = _cli("import", str(src), "-w", str(web_ws.root))
        finally:
            stop.set()
            t.join()
        assert proc.returncode == 0, proc.stderr
        assert "locked" not in proc.stderr.lower() and "Traceback" not in proc.stderr
        assert set(statuses) == {200}
        after = httpx.get(base + "/overview.json").json()["counts"]["posts"]
        assert after == before + 1
        assert "posts.csv" in httpx.get(base + "/imports").text
