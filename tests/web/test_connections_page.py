"""The Connections page: accounts, streams' last sync, counts, never a credential; "sync now" as a background job
(CSRF-checked, one per account, a failure shown with its reason); the scheduler's state; its JSON twin."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from signalboost.connect.secrets import put_secret
from signalboost.store import connect_sql as cq
from signalboost.store.lock import step_lock
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from tests.web.conftest import XSS_ATTR, XSS_SCRIPT, csrf

SECRET = "pw-NEVER-SHOWN-7f3a"
ME = "did:plc:brand"
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


class _Refusing(BaseHTTPRequestHandler):
    """A PDS that has revoked the app password: every XRPC call answers 401 as a real PDS does."""

    def _refuse(self) -> None:
        body = b'{"error":"AuthenticationRequired","message":"Invalid identifier or password"}'
        self.send_response(401)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _refuse

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def refusing_pds() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _connect(ws: Workspace, handle: str = "brand.test", service: str = "http://127.0.0.1:9") -> None:
    """A Bluesky connection (by default to a PDS that does not exist: port 9)."""
    put_secret(ws.root, "bluesky", {"handle": handle, "did": ME, "service": service, "app_password": SECRET})
    with ws.transaction() as con:
        cq.put_connection(con, "bluesky", ME, handle, service)


def _synced_data(ws: Workspace) -> None:
    """3 followers (1 of them unfollowed: inactive), 2 follows, 2 own posts, 3 interactions (2 on own posts, 1
    follow-back mention of the account), one snapshot, two finished streams and one interrupted."""
    with ws.transaction() as con:
        con.execute(
            "INSERT INTO follows (platform, follower_id, followee_id, active) VALUES "
            "('bluesky', 'a', ?, TRUE), ('bluesky', 'b', ?, TRUE), ('bluesky', 'c', ?, FALSE), "
            "('bluesky', ?, 'a', TRUE), ('bluesky', ?, 'd', TRUE), ('bluesky', 'x', 'y', TRUE)",
            [ME, ME, ME, ME, ME],
        )
        con.execute(
            "INSERT INTO posts (platform, post_id, author_id, created_at, text) VALUES "
            "('bluesky', 'p1', ?, ?, 'one'), ('bluesky', 'p2', ?, ?, 'two'), ('bluesky', 'p3', 'a', ?, 'other')",
            [ME, T0, ME, T0, T0],
        )
        con.execute(
            "INSERT INTO interactions (platform, actor_id, kind, target_post_id, target_account_id, occurred_at) "
            "VALUES ('bluesky', 'a', 'like', 'p1', '', ?), ('bluesky', 'b', 'repost', 'p2', '', ?), "
            "('bluesky', 'b', 'mention', '', ?, ?), ('bluesky', 'b', 'like', 'p3', '', ?)",
            [T0, T0, ME, T0, T0],
        )
        con.execute(
            "INSERT INTO account_snapshots (platform, account_id, observed_at, followers, following, posts_count) "
            "VALUES ('bluesky', ?, ?, 5, 2, 2), ('bluesky', ?, ?, 4, 2, 2)",
            [ME, T0, ME, T0 - dt.timedelta(days=1)],
        )
        for stream, started in (("followers", False), ("follows", False), ("posts", True)):
            state = {"head": "k", "cursor": "c" if started else None, "run_head": None, "run_started": started}
            cq.put_state(con, "bluesky", ME, stream, state | {"run_observed_at": T0, "run_import_id": 1, "pages": 3})
        con.execute("UPDATE connections SET last_sync_at = ? WHERE platform = 'bluesky'", [T0])


def _client(ws: Workspace) -> TestClient:
    return TestClient(create_app(ws), base_url="http://127.0.0.1")


def test_no_connection_says_how_to_connect(client: TestClient) -> None:
    html = client.get("/connections").text
    assert "No account is connected" in html and "signalboost connect bluesky" in html
    data = client.get("/connections.json").json()
    assert data["connections"] == [] and data["scheduler"] is None and data["jobs"] == []


def test_accounts_streams_and_counts_without_the_credential(web_ws: Workspace) -> None:
    _connect(web_ws)
    _synced_data(web_ws)
    client = _client(web_ws)
    data = client.get("/connections.json").json()
    (c,) = data["connections"]
    assert (c["platform"], c["handle"], c["account_id"], c["credential"]) == ("bluesky", "brand.test", ME, "stored")
    # hand-counted from _synced_data: the inactive follower and the other account's post/like are not counted
    assert (c["followers_stored"], c["follows_stored"], c["posts_stored"], c["interactions_stored"]) == (2, 2, 2, 3)
    assert (c["followers_reported"], c["following_reported"], c["posts_reported"]) == (5, 2, 2)  # the newest snapshot
    streams = {s["stream"]: s for s in c["streams"]}
    assert streams["followers"]["last_pass_at"].startswith("2026-03-01T09:00")
    assert streams["posts"]["in_progress"] is True and streams["posts"]["last_pass_at"] is None
    html = client.get("/connections").text
    assert "@brand.test" in html and "Sync @brand.test now" in html
    assert "interrupted or running" in html
    for text in (html, json.dumps(data)):
        assert SECRET not in text and "app_password" not in text


def test_handle_from_the_network_is_escaped(web_ws: Workspace) -> None:
    _connect(web_ws, handle=XSS_ATTR + XSS_SCRIPT)
    html = _client(web_ws).get("/connections").text
    assert XSS_SCRIPT not in html and XSS_ATTR not in html
    assert "&lt;script&gt;" in html


def test_sync_now_needs_the_csrf_token(web_ws: Workspace) -> None:
    _connect(web_ws)
    client = _client(web_ws)
    r = client.post("/connections/sync", data={"platform": "bluesky"}, follow_redirects=False)
    assert r.status_code in (403, 422)
    r = client.post("/connections/sync", data={"platform": "bluesky", "csrf_token": "forged"}, follow_redirects=False)
    assert r.status_code == 403
    assert client.get("/connections.json").json()["jobs"] == []


def test_sync_now_refuses_an_unknown_or_unconnected_network(web_ws: Workspace) -> None:
    client = _client(web_ws)
    token = csrf(client)
    r = client.post("/connections/sync", data={"platform": "myspace", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 422
    r = client.post("/connections/sync", data={"platform": "mastodon", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 404
    assert "no mastodon account is connected" in r.text


def _wait(client: TestClient, job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/connections/jobs/{job_id}.json").json()
        if job["phase"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError("the sync job never finished")


def test_sync_now_runs_in_the_background_and_reports_a_failure_without_the_secret(
    web_ws: Workspace, refusing_pds: str
) -> None:
    _connect(web_ws, service=refusing_pds)
    client = _client(web_ws)
    token = csrf(client)
    r = client.post("/connections/sync", data={"platform": "bluesky", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/connections?done=sync-started&job=")
    job_id = r.headers["location"].rsplit("=", 1)[1]
    job = _wait(client, job_id)
    assert job["kind"] == "sync" and job["filename"] == "bluesky"
    assert job["phase"] == "failed" and job["error"]  # the PDS refuses the login
    assert SECRET not in json.dumps(job)
    # a sync is not an upload: the uploads' progress route does not serve it, and an unknown id is a 404 on both
    assert client.get(f"/imports/jobs/{job_id}.json").status_code == 404
    assert client.get("/connections/jobs/nosuchjob.json").status_code == 404
    html = client.get("/connections").text
    assert "Error:" in html and SECRET not in html
    # the job is not an upload: the Imports page does not list it
    assert job_id not in client.get("/imports").text


def test_sync_now_as_json_and_a_sync_already_running_elsewhere(web_ws: Workspace) -> None:
    _connect(web_ws)
    client = _client(web_ws)
    token = csrf(client)
    with step_lock(web_ws.root, "sync", holder="signalboost run"):  # the scheduler is syncing right now
        data = client.get("/connections.json").json()
        assert data["sync_running"] and "signalboost run" in data["sync_running"]
        r = client.post(
            "/connections/sync",
            data={"platform": "bluesky", "csrf_token": token},
            headers={"accept": "application/json"},
        )
        assert r.status_code == 202
        job = _wait(client, r.json()["job_id"])
    assert job["phase"] == "failed"
    assert "a sync is already running on this workspace" in job["error"] and "signalboost run" in job["error"]


def test_scheduler_state_is_shown(web_ws: Workspace) -> None:
    client = _client(web_ws)
    assert "Not running" in client.get("/connections").text
    with step_lock(web_ws.root, "run", holder="signalboost run"):
        html = client.get("/connections").text
        data = client.get("/connections.json").json()
    assert "Running" in html and "signalboost run" in html
    assert data["scheduler"].startswith("pid ")


def test_nav_links_to_connections(client: TestClient, tmp_path: Path) -> None:
    assert 'href="/connections"' in client.get("/imports").text


@pytest.mark.browser
def test_sync_now_in_chromium(browser: object, web_ws: Workspace, refusing_pds: str) -> None:
    """Click "sync now": the job appears with its progress, the page follows it to its end and shows the
    failure's reason (the PDS refuses the credential) — never the credential, no script error, nothing external."""
    from playwright.sync_api import expect

    from tests.web.live import running_server
    from tests.web.test_browser import WAIT_MS, _shot

    _connect(web_ws, handle="brand.test", service=refusing_pds)
    _synced_data(web_ws)
    expect.set_options(timeout=WAIT_MS)
    with running_server(web_ws.root) as base:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page = ctx.new_page()
        dialogs: list[str] = []
        errors: list[str] = []
        elsewhere: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        ctx.on("request", lambda r: None if r.url.startswith((base, "data:")) else elsewhere.append(r.url))
        page.goto(base + "/imports")
        page.locator("nav a[href='/connections']").click()
        expect(page.locator("h1")).to_have_text("Connections")
        expect(page.locator("#c-bluesky-h")).to_have_text("Bluesky: @brand.test")
        expect(page.locator("table.counts tbody tr").first).to_contain_text("2")
        expect(page.locator("table.streams tbody tr")).to_have_count(3)
        page.get_by_role("button", name="Sync @brand.test now").click()
        expect(page.locator("#sync-jobs li.job")).to_have_count(1)
        # the poller reloads the page when the job ends: then it shows the reason
        expect(page.locator("#sync-jobs li.job[data-phase='failed'] .error")).to_contain_text("Error:")
        expect(page.locator("#sync-jobs li.job")).to_have_count(1)  # one job, not a second from the reload
        assert SECRET not in page.content()
        _shot(page, "connections")
        ctx.close()
    assert dialogs == [] and errors == [] and elsewhere == []
