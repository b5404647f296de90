"""``signalboost run``: the scheduler's decisions (hand-computed), a real subprocess stopped by SIGTERM, one run
per workspace, ``--once --dry-run`` without any network, and ``--once`` against the real local Bluesky network."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from signalboost.connect.scheduler import Step, next_wake, parse_interval, plan_steps
from signalboost.connect.secrets import put_secret
from signalboost.errors import UsageError, WorkspaceLockedError
from signalboost.store import connect_sql as cq
from signalboost.store.lock import step_lock
from signalboost.store.workspace import Workspace
from tests.planned import planned, store_planned

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
MIN, HOUR = dt.timedelta(minutes=1), dt.timedelta(hours=1)
SRC = str(Path(__file__).resolve().parents[2] / "src")


# ------------------------------------------------------------------------------------------------ decisions
def _plan(**kw: Any) -> list[Step]:
    args: dict[str, Any] = {
        "last_publish": NOW - dt.timedelta(seconds=10),
        "publish_every": MIN,
        "last_sync": {"bluesky": NOW - dt.timedelta(minutes=30)},
        "sync_every": HOUR,
        "next_post_at": None,
    }
    return plan_steps(NOW, ["bluesky"], **(args | kw))


def test_nothing_due_ten_seconds_after_a_publish_and_thirty_minutes_after_a_sync() -> None:
    assert _plan() == []


def test_first_cycle_publishes_and_syncs_a_never_synced_account() -> None:
    assert _plan(last_publish=None, last_sync={"bluesky": None}) == [
        Step("publish", "bluesky"),
        Step("sync", "bluesky"),
    ]


def test_publish_tick_and_sync_interval_reached_exactly() -> None:
    steps = _plan(last_publish=NOW - MIN, last_sync={"bluesky": NOW - HOUR})
    assert steps == [Step("publish", "bluesky"), Step("sync", "bluesky")]


def test_a_post_whose_time_came_since_the_last_publish_is_published_before_the_tick() -> None:
    assert _plan(next_post_at=NOW - dt.timedelta(seconds=5)) == [Step("publish", "bluesky")]
    # due before the last publish (it was handled or attempted then): waits for the tick, no tight loop
    assert _plan(next_post_at=NOW - dt.timedelta(seconds=20)) == []
    assert _plan(next_post_at=NOW + dt.timedelta(seconds=5)) == []


def test_a_failed_step_waits_for_its_retry_time() -> None:
    blocked = {Step("sync", "bluesky"): NOW + dt.timedelta(seconds=30)}
    assert _plan(last_sync={"bluesky": None}, not_before=blocked) == []


def test_next_wake_is_the_earliest_of_tick_post_and_sync() -> None:
    args: dict[str, Any] = {
        "last_publish": NOW - dt.timedelta(seconds=10),
        "publish_every": MIN,
        "last_sync": {"bluesky": NOW - dt.timedelta(minutes=30)},
        "sync_every": HOUR,
    }
    # tick at 10:00:50, sync at 10:30
    assert next_wake(NOW, ["bluesky"], next_post_at=None, **args) == NOW + dt.timedelta(seconds=50)
    # a post at 10:00:20 comes first
    post = NOW + dt.timedelta(seconds=20)
    assert next_wake(NOW, ["bluesky"], next_post_at=post, **args) == post
    # a post already handled (before the last publish) does not wake it early
    assert next_wake(NOW, ["bluesky"], next_post_at=NOW - MIN, **args) == NOW + dt.timedelta(seconds=50)
    # a sync 5 minutes late: now, never in the past
    late = args | {"last_sync": {"bluesky": NOW - HOUR - 5 * MIN}}
    assert next_wake(NOW, ["bluesky"], next_post_at=None, **late) == NOW


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("5m", 300), ("1h", 3600), ("2h30m", 9000), ("1d", 86400), ("300", 300)]
)
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text, where="--x").total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "0", "0m", "5x", "m", "1h 5", "-5m", "soon"])
def test_parse_interval_refuses(text: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_interval(text, where="--sync-every")
    assert "--sync-every" in err.value.message()


def test_a_second_holder_of_a_step_lock_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    with (
        step_lock(tmp_path, "run", holder="signalboost run"),
        pytest.raises(WorkspaceLockedError) as err,
        step_lock(tmp_path, "run"),
    ):
        pass
    assert f"pid {os.getpid()}" in err.value.message()
    with step_lock(tmp_path, "run"):  # released
        pass


# ------------------------------------------------------------------------------------------------ real process
def _workspace(root: Path, service: str, handle: str, posts: list[tuple[str, str, dt.datetime, str]]) -> Workspace:
    ws = Workspace.open(root, create=True)
    store_planned(
        ws, (planned(pid, text, when, status=status) for pid, text, when, status in posts), dt.datetime.now(dt.UTC)
    )
    return ws


def _offline_workspace(tmp_path: Path) -> Workspace:
    """A workspace 'connected' to a PDS that does not exist (port 9, discard): dry runs must never contact it."""
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    ws = _workspace(
        tmp_path / "ws",
        "http://127.0.0.1:9",
        "brand.test",
        [
            ("sb-due000000001", "Linen week starts today", past, "approved"),
            ("sb-draft0000001", "A draft, never approved", past, "drafted"),
            ("sb-later0000001", "Approved for tomorrow", past + dt.timedelta(days=1), "approved"),
        ],
    )
    secret = {"handle": "brand.test", "did": "did:plc:x", "service": "http://127.0.0.1:9", "app_password": "pw-S3CRET"}
    put_secret(ws.root, "bluesky", secret)
    with ws.transaction() as con:
        cq.put_connection(con, "bluesky", "did:plc:x", "brand.test", "http://127.0.0.1:9")
    return ws


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "signalboost.cli.main", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "COLUMNS": "200"}


def test_once_dry_run_lists_the_due_approved_post_only_and_contacts_no_network(tmp_path: Path) -> None:
    ws = _offline_workspace(tmp_path)
    proc = subprocess.run(
        _cli("run", "--once", "--dry-run", "-w", str(ws.root), "--format", "json"),
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "would-send sb-due000000001" in proc.stderr
    assert "sb-draft0000001" not in proc.stderr + proc.stdout
    assert "sb-later0000001" not in proc.stderr + proc.stdout  # due tomorrow
    assert "sync bluesky: would sync now" in proc.stderr
    assert "pw-S3CRET" not in proc.stderr + proc.stdout
    import json

    rows = json.loads(proc.stdout)["rows"]
    assert [(r["step"], r["ok"], r["detail"]) for r in rows] == [
        ("publish", True, "1 would-send"),
        ("sync", True, "would sync"),
    ]
    # log lines are timestamped in UTC
    first = proc.stderr.splitlines()[0]
    assert dt.datetime.strptime(first.split()[0], "%Y-%m-%dT%H:%M:%SZ")
    with ws.connect() as con:  # nothing changed: still approved, nothing recorded
        assert con.execute("SELECT status FROM planned_posts WHERE plan_id = 'sb-due000000001'").fetchone() == (
            "approved",
        )
        assert con.execute("SELECT count(*) FROM publications").fetchone() == (0,)


def _wait_for(proc: subprocess.Popen[str], text: str, lines: list[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    assert proc.stderr is not None
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if text in line:
            return
    raise AssertionError(f"{text!r} never logged:\n{''.join(lines)}")


def test_sigterm_stops_a_running_scheduler_promptly_and_cleanly(tmp_path: Path) -> None:
    ws = _offline_workspace(tmp_path)
    proc = subprocess.Popen(
        _cli("run", "--dry-run", "--publish-every", "1h", "-w", str(ws.root)),
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    lines: list[str] = []
    try:
        _wait_for(proc, "would sync now", lines)  # the first cycle ran; now it sleeps for an hour
        # a second scheduler on the same workspace is refused, naming the first one's pid
        second = subprocess.run(
            _cli("run", "--once", "--dry-run", "-w", str(ws.root)), capture_output=True, text=True, env=_env()
        )
        assert second.returncode == 1
        assert "already running on this workspace" in second.stderr
        assert f"pid {proc.pid}" in second.stderr
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    rest = proc.stderr.read() if proc.stderr else ""
    assert rc == 0, "".join(lines) + rest
    assert "SIGTERM received" in rest and "stopped cleanly" in rest
    assert took < 10  # it was asleep for an hour: the signal ends the sleep at once
    # the workspace is consistent and free: the database opens, a new scheduler may start
    with ws.connect() as con:
        assert con.execute("SELECT count(*) FROM planned_posts").fetchone() == (3,)
    again = subprocess.run(
        _cli("run", "--once", "--dry-run", "-w", str(ws.root)), capture_output=True, text=True, env=_env()
    )
    assert again.returncode == 0, again.stderr


def test_run_refuses_a_workspace_without_connected_accounts(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    with ws.connect():  # creates the database
        pass
    proc = subprocess.run(_cli("run", "--once", "-w", str(ws.root)), capture_output=True, text=True, env=_env())
    assert proc.returncode == 2  # a usage error
    assert "no account is connected" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_intervals_are_usage_errors(tmp_path: Path) -> None:
    ws = _offline_workspace(tmp_path)
    proc = subprocess.run(
        _cli("run", "--once", "--sync-every", "often", "-w", str(ws.root)), capture_output=True, text=True, env=_env()
    )
    assert proc.returncode != 0
    assert "--sync-every" in proc.stderr and "often" in proc.stderr


# ------------------------------------------------------------------------------------------------ real network
@pytest.mark.bluesky
def test_once_publishes_the_due_approved_post_and_not_the_draft(tmp_path: Path, bluesky_net: Any) -> None:
    from signalboost.connect.accounts import connect_bluesky, open_connector

    stamp = dt.datetime.now(dt.UTC).strftime("%H%M%S%f")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)
    due_text, draft_text = f"Scheduler test {stamp}: approved and due", f"Scheduler test {stamp}: a draft"
    ws = _workspace(
        tmp_path / "ws",
        bluesky_net.pds,
        "user3.test",
        [("sb-rundue000001", due_text, past, "approved"), ("sb-rundraft0001", draft_text, past, "drafted")],
    )
    connect_bluesky(ws, "user3.test", "pw-3", service=bluesky_net.pds)
    proc = subprocess.run(
        _cli("run", "--once", "--no-sync", "-w", str(ws.root)), capture_output=True, text=True, env=_env(), timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "pw-3" not in proc.stderr + proc.stdout
    connector: Any = open_connector(ws, "bluesky")
    res = connector.client.com.atproto.repo.list_records(
        {"repo": connector.account_id, "collection": "app.bsky.feed.post", "limit": 100}
    )
    texts = [r.value.text for r in res.records]
    assert texts.count(due_text) == 1
    assert draft_text not in texts
    with ws.connect() as con:
        rows = dict(con.execute("SELECT plan_id, status FROM planned_posts").fetchall())
    assert rows == {"sb-rundue000001": "published", "sb-rundraft0001": "drafted"}
    # a second cycle sends nothing again
    again = subprocess.run(
        _cli("run", "--once", "--no-sync", "-w", str(ws.root)), capture_output=True, text=True, env=_env(), timeout=300
    )
    assert again.returncode == 0, again.stderr
    res = connector.client.com.atproto.repo.list_records(
        {"repo": connector.account_id, "collection": "app.bsky.feed.post", "limit": 100}
    )
    assert [r.value.text for r in res.records].count(due_text) == 1
