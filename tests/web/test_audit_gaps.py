"""Gaps a demanding user found on the dashboard, each closed with a test: the ledger shows the touches logged (not
only their balance), links to a profile survive any account id, and a planned post without a draft reads well."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from signalboost.store.workspace import Workspace
from signalboost.web.views.calendar import draft_excerpt
from signalboost.web.views.outreach import profile_href
from tests.web.conftest import csrf


def test_a_logged_touch_is_listed_with_its_note(client: TestClient) -> None:
    token = csrf(client)
    ok = (200, 303)
    add = {"csrf_token": token, "platform": "x", "account_id": "2"}
    assert client.post("/outreach/add", data=add, follow_redirects=False).status_code in ok
    touch = {"csrf_token": token, "account": "x|2", "kind": "message", "is_ask": "true", "note": "asked for a repost"}
    assert client.post("/outreach/log", data=touch, follow_redirects=False).status_code in ok
    gift = {"csrf_token": token, "account": "x|2", "kind": "gift", "note": "sent the spring sample box"}
    assert client.post("/outreach/log", data=gift, follow_redirects=False).status_code in ok
    recent = client.get("/outreach.json").json()["ledger"]["recent"]
    assert {(t["kind"], t["is_ask"], t["note"]) for t in recent} == {
        ("message", True, "asked for a repost"),
        ("gift", False, "sent the spring sample box"),
    }
    assert all(t["label"] == "@plain" and t["direction"] == "ours" for t in recent)
    html = client.get("/outreach").text
    table = html[html.index('id="touches"') :]
    rows = [re.sub(r"<[^>]+>", "|", r) for r in re.findall(r"<tr>(.*?)</tr>", table.split("</table>")[0])][1:]
    assert any(
        "|@plain|" in r and "|we|" in r and "|message|" in r and "|ask|" in r and "asked for a repost" in r
        for r in rows
    ), rows
    assert any("|gift|" in r and "|give|" in r for r in rows), rows
    # a day in the page's language (CLDR's "Dec 5, 2026"), not a made-up 00:00
    assert all(re.search(r"\|[A-Z][a-z]{2} \d{1,2}, \d{4}\|", r) and "00:00" not in r for r in rows), rows
    assert "1 influencer in the pipeline" in html


def test_no_touch_yet_shows_no_empty_table(client: TestClient) -> None:
    html = client.get("/outreach").text
    assert 'id="touches"' not in html
    assert client.get("/outreach.json").json()["ledger"]["recent"] == []


@pytest.mark.parametrize(
    ("odd", "href"),
    [
        ("a b?c#d%", "/influencers/x/a%20b%3Fc%23d%25"),
        ("https://ex.social/profile/bob", "/influencers/x/https%3A%2F%2Fex.social%2Fprofile%2Fbob"),  # Mastodon URI
    ],
)
def test_profile_links_encode_the_account_id(web_ws: Workspace, client: TestClient, odd: str, href: str) -> None:
    assert profile_href("x", odd) == href
    with web_ws.transaction() as con:
        con.execute("INSERT INTO accounts (platform, account_id, handle) VALUES ('x', ?, 'oddone')", [odd])
    r = client.get(href)
    assert r.status_code == 200 and "oddone" in r.text
    twin = client.get(href + ".json")
    assert twin.status_code == 200 and twin.json()["account"]["account_id"] == odd
    if "/" in odd:  # slashes typed by hand, unencoded: the same page
        listed = client.get("/influencers/x/" + odd)
        assert listed.status_code == 200 and "oddone" in listed.text


def test_draft_excerpt() -> None:
    assert draft_excerpt("") == ", no draft yet"
    assert draft_excerpt("  \n ") == ", no draft yet"
    assert draft_excerpt("Meet the people\n  who cut your jacket.") == ": Meet the people who cut your jacket."
    long = "word " * 40
    cut = draft_excerpt(long)
    assert cut.startswith(": word") and cut.endswith("…") and len(cut) == 2 + 80  # 79 characters and the ellipsis


# ------------------------------------------------------------------- strategy.yaml changed while a page was open
def _version(client: TestClient) -> str:
    m = re.search(r'name="version" value="([0-9a-f]{16})"', client.get("/strategy").text)
    assert m, "the edit forms carry the file's version"
    return m.group(1)


def test_an_edit_made_on_an_older_version_is_refused_not_lost(web_ws: Workspace, client: TestClient) -> None:
    """The page is opened, the CLI (or an editor) changes strategy.yaml, then the person saves: 409, the newer file
    is kept, the person's text is shown again with the reason."""
    token, version = csrf(client), _version(client)
    assert client.get("/strategy.json").json()["version"] == version
    newer = web_ws.strategy_path.read_text().replace("name: Threadline", "name: Threadline Studio", 1)
    web_ws.strategy_path.write_text(newer)  # what `signalboost recommend --apply` or an editor would do
    form = {
        "csrf_token": token,
        "version": version,
        "pillar": ["brand", "fashion", "beauty", "wellness"],
        "weight": ["40", "30", "20", "10"],
    }
    r = client.post("/strategy/pillars", data=form, follow_redirects=False)
    assert r.status_code == 409
    assert "changed since this page was opened" in r.text and "nothing was saved" in r.text
    assert web_ws.strategy_path.read_text() == newer
    section = {"csrf_token": token, "version": version, "section": "brand", "content": "name: Mine\n"}
    r = client.post("/strategy/section", data=section, follow_redirects=False)
    assert r.status_code == 409 and "name: Mine" in r.text  # the person's text is kept in the form
    assert web_ws.strategy_path.read_text() == newer
    fresh = _version(client)  # the page reloaded: the new version
    assert fresh != version
    r = client.post("/strategy/pillars", data={**form, "version": fresh}, follow_redirects=False)
    assert r.status_code == 303
    saved = web_ws.strategy_path.read_text()
    assert "name: Threadline Studio" in saved  # the CLI's change survives the person's save


def test_an_edit_on_the_current_version_saves(web_ws: Workspace, client: TestClient) -> None:
    token, version = csrf(client), _version(client)
    form = {
        "csrf_token": token,
        "version": version,
        "pillar": ["brand", "fashion", "beauty", "wellness"],
        "weight": ["35", "35", "20", "10"],
    }
    assert client.post("/strategy/pillars", data=form, follow_redirects=False).status_code == 303
    assert "weight: 35" in web_ws.strategy_path.read_text()
    assert _version(client) != version


def test_tactic_rows_show_their_sample_sizes(client: TestClient) -> None:
    """The Tactics table shows how many weeks with and without the tactic the verdict rests on (it showed " / ")."""
    tactics = client.get("/analytics.json").json()["tactics"]
    assert tactics, "the test strategy has a tactic"
    cells = re.findall(r'<td class="num tactic-n">([^<]*)</td>', client.get("/analytics").text)
    assert cells == [f"{t['n_with']} / {t['n_without']} {t['unit']}s" for t in tactics]
    assert all(re.fullmatch(r"\d+ / \d+ \w+s", c) for c in cells), cells


def test_a_bug_is_a_plain_500_page_without_a_traceback(web_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from signalboost.web.app import create_app
    from signalboost.web.views import partners

    def boom(*_a: object, **_k: object) -> dict[str, object]:
        raise RuntimeError("secret internal detail /home/someone/.config")

    monkeypatch.setattr(partners, "build", boom)
    client = TestClient(create_app(web_ws), base_url="http://127.0.0.1", raise_server_exceptions=False)
    page = client.get("/partners")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "unexpected problem (RuntimeError)" in page.text and "Traceback" not in page.text
    assert "secret internal detail" not in page.text
    twin = client.get("/partners.json")
    assert twin.status_code == 500 and twin.json()["error"].startswith("the dashboard hit an unexpected problem")
    assert client.get("/").status_code == 200  # the server goes on


# ------------------------------------------------------------ the chart never draws an unknown engagement as 0
def _scored_client(web_ws: Workspace, *, brand: bool) -> TestClient:
    from signalboost.web.app import create_app

    with web_ws.transaction() as con:
        if brand:
            con.execute("UPDATE accounts SET is_brand = TRUE WHERE account_id = '2'")
        con.execute(
            "INSERT INTO follows (platform, follower_id, followee_id) VALUES ('x', '1', '2'), ('x', '2', '1'), "
            "('x', '3', '1'), ('x', '3', '2')"
        )
        con.execute(
            "INSERT INTO interactions (platform, actor_id, kind, target_post_id, target_account_id, occurred_at) "
            "VALUES ('x', '1', 'reply', 'p2', '2', TIMESTAMPTZ '2024-03-03 10:00:00+00')"
        )
    client = TestClient(create_app(web_ws), base_url="http://127.0.0.1")
    r = client.post("/influencers/compute", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert r.status_code == 303
    return client


def test_without_a_brand_the_chart_says_engagement_is_unknown(web_ws: Workspace) -> None:
    """The strategy's x handle (andreruffert) is not in this data: no brand account, engagement unknown (None)."""
    client = _scored_client(web_ws, brand=False)
    points = client.get("/influencers.json").json()["points"]
    assert points and all(p["engagement"] is None for p in points)
    html = client.get("/influencers").text
    assert "<circle" not in html  # nothing drawn at a made-up engagement of 0
    assert "n = 0 accounts shown" in html
    note = html[html.index('id="chart-note"') :].split("</p>")[0]
    assert f"unknown for {len(points)} of the {len(points)} sampled accounts" in note
    assert "brand.handles.x" in note and "--brand HANDLE" in note


def test_with_a_brand_every_sampled_account_is_drawn(web_ws: Workspace) -> None:
    client = _scored_client(web_ws, brand=True)
    points = client.get("/influencers.json").json()["points"]
    assert points and all(p["engagement"] is not None for p in points)
    html = client.get("/influencers").text
    assert f"n = {len(points)} accounts shown" in html and 'id="chart-note"' not in html
    assert html.count('<a href="/influencers/x/') >= len(points)  # each point links to its profile


# ------------------------------------------------------------------ a background refresh never aborts the exit
EXIT_SCRIPT = """
import sys, threading
from signalboost.store.workspace import Workspace
from signalboost.i18n import language
from signalboost.web.context import PageCache
ws = Workspace.open(sys.argv[1], create=True)
cache = PageCache(ws)
cache._store((language(), "k"), (0,), "old")  # a value computed for an older state (keys start with the language)
inside = threading.Event()
def slow():
    with ws.connect() as con:
        inside.set()
        con.execute("SELECT sum(i) FROM range(300000000) t(i)").fetchall()  # a long DuckDB call
    return "new"
value, stale = cache.swr(("k",), slow)  # the old value now, the new one computed in the background
inside.wait(60)
print(value, stale, flush=True)
"""  # then the interpreter exits while the refresh is inside DuckDB


def test_exiting_during_a_background_refresh_does_not_abort(tmp_path: Path) -> None:
    """A daemon refresh thread killed inside DuckDB at exit aborted the process (exit 134), e.g. pytest after the
    suite passed or `signalboost serve` on Ctrl-C; the interpreter now waits for it."""
    script = tmp_path / "exit.py"
    script.write_text(EXIT_SCRIPT)
    proc = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "ws")], capture_output=True, text=True, timeout=300
    )
    assert proc.stdout.strip() == "old True"
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "FATAL" not in proc.stderr and "terminate called" not in proc.stderr


def test_stopping_the_server_waits_for_a_running_import(web_ws: Workspace) -> None:
    """`signalboost serve` stopped during an upload's import: it says so and lets the import finish."""
    import io
    import threading

    from rich.console import Console

    from signalboost.web.server import finish_imports
    from signalboost.web.uploads import JobRegistry

    jobs = JobRegistry(web_ws, max_bytes=1 << 20)
    release = threading.Event()
    job, path = jobs.store("posts.csv", io.BytesIO(b"platform,post_id\\nx,1\\n"))
    real_run = jobs._run

    def slow_run(*args: object) -> None:
        release.wait(30)  # the import is still running when the server stops
        real_run(*args)  # type: ignore[arg-type]

    jobs._run = slow_run  # type: ignore[method-assign]
    jobs.start(job, path)
    assert [j.job_id for j in jobs.running()] == [job.job_id]
    out = io.StringIO()
    console = Console(file=out, width=200)
    assert finish_imports(jobs, console, timeout=0.05) is False  # still running: not finished yet
    assert "Waiting for the import of posts.csv to finish" in out.getvalue()
    release.set()
    assert finish_imports(jobs, console, timeout=60) is True
    assert jobs.running() == [] and job.phase in ("done", "failed")
    assert "Import finished" in out.getvalue()
    assert finish_imports(jobs, Console(file=io.StringIO())) is True  # nothing running: returns at once
