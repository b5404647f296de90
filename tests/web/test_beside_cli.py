"""The dashboard works beside the CLI: CLI writes while the server serves pages succeed (no 'database is
locked'), and the pages then show the new data."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import httpx

from signalboost.store.workspace import Workspace
from signalboost.web.wiring import lib
from tests.web.live import running_server

CSV = "platform,post_id,created_at,text,likes\nx,n1,2024-05-01T10:00:00Z,hello from the CLI,3\n"


def _hammer(base: str, stop: threading.Event, statuses: list[int]) -> None:
    with httpx.Client(base_url=base, timeout=60) as c:
        while not stop.is_set():
            for path in ("/overview.json", "/imports.json", "/"):
                statuses.append(c.get(path).status_code)


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def test_cli_writes_while_the_server_serves(web_ws: Workspace, tmp_path: Path) -> None:
    src = tmp_path / "posts.csv"
    src.write_text(CSV)
    with running_server(web_ws.root) as base:
        before = httpx.get(base + "/overview.json").json()["counts"]
        stop, statuses = threading.Event(), []  # type: ignore[var-annotated]
        t = threading.Thread(target=_hammer, args=(base, stop, statuses))
        t.start()
        try:
            login = _cli("user", "add", "dana", "-w", str(web_ws.root), "--password-stdin", stdin="long-enough-pw\n")
            imported = (
                _cli("import", str(src), "-w", str(web_ws.root)) if lib("signalboost.ingest", "import_files") else None
            )
            planned = (
                _cli("plan", "--from", "2030-01-07", "--weeks", "1", "--skip-empty-tactics", "-w", str(web_ws.root))
                if lib("signalboost.plan.service", "replan")
                else None
            )
        finally:
            stop.set()
            t.join()
        for proc in (login, imported, planned):
            if proc is None:
                continue
            assert proc.returncode == 0, proc.stderr
            assert "locked" not in proc.stderr.lower() and "Traceback" not in proc.stderr
        assert len(statuses) >= 3 and set(statuses) == {200}  # the server kept answering during the writes
        users = _cli("user", "list", "-w", str(web_ws.root), "--format", "json")
        assert '"dana"' in users.stdout
        if imported is not None:
            after = httpx.get(base + "/overview.json").json()["counts"]
            assert after["posts"] == before["posts"] + 1
            assert after["imports"] == before["imports"] + 1
            assert "posts.csv" in httpx.get(base + "/imports").text
        if planned is not None:  # x: 3 slots a week, facebook: 2 (tests/data/web/strategy.yaml)
            week = httpx.get(base + "/calendar.json?view=week&date=2030-01-07").json()
            assert week["count"] == 5
