"""The post editor: a planned post opened from the calendar, its text counted as its network counts it, saved
(refused over the limit, nothing saved), approved with the checks of `calendar approve`, and back to draft."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from signalboost.plan.service import get_post
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from tests.planned import planned, store_planned
from tests.web.conftest import DATA, XSS_SCRIPT, csrf

WHEN = dt.datetime(2030, 6, 10, 9, 30, tzinfo=dt.UTC)
THUMB = "\U0001f44d\U0001f3fd"  # thumbs up with a skin tone: two code points, one grapheme


def plan_post(ws: Workspace, pid: str, network: str, draft: str, status: str = "drafted") -> None:
    post = planned(pid, draft, WHEN, network=network, status=status, pillars=("brand",), tactic="how-to")
    store_planned(ws, [post], WHEN)


@pytest.fixture
def editor(web_ws: Workspace) -> Iterator[tuple[TestClient, Workspace, str]]:
    plan_post(web_ws, "sb-bsky1", "bluesky", "Linen week starts")
    plan_post(web_ws, "sb-masto1", "mastodon", "Hello fediverse")
    client = TestClient(create_app(web_ws), base_url="http://127.0.0.1")
    yield client, web_ws, csrf(client)


def test_editor_shows_the_post_counted_as_its_network_counts(editor: tuple[TestClient, Workspace, str]) -> None:
    client, _, _ = editor
    html = client.get("/calendar/post/sb-bsky1").text
    assert "Linen week starts</textarea>" in html
    assert '<span id="post-length">17</span> / 300' in html  # 17 characters, hand-counted
    for fact in ("bluesky", "2030-06-10", "09:30", "brand", "how-to", "drafted", "No images."):
        assert fact in html
    data = client.get("/calendar/post/sb-bsky1.json").json()
    assert (data["length"], data["limit"], data["status"], data["pillars"], data["tactic"]) == (
        17,
        300,
        "drafted",
        ["brand"],
        "how-to",
    )
    assert client.get("/calendar/post/sb-masto1.json").json()["limit"] == 500
    assert '<a class="open" href="/calendar/post/sb-bsky1">' in client.get("/calendar?date=2030-06-10").text


def test_save_counts_graphemes_not_code_points(editor: tuple[TestClient, Workspace, str]) -> None:
    client, ws, token = editor
    text = THUMB * 300  # 600 code points, 300 graphemes: exactly Bluesky's limit
    r = client.post("/calendar/draft", data={"csrf_token": token, "post_id": "sb-bsky1", "text": text})
    assert r.status_code == 200 and "Draft saved." in r.text
    assert get_post(ws, "sb-bsky1").draft == text
    assert client.get("/calendar/post/sb-bsky1.json").json()["length"] == 300


def test_over_the_limit_is_refused_and_the_old_text_kept(editor: tuple[TestClient, Workspace, str]) -> None:
    client, ws, token = editor
    text = THUMB * 301
    r = client.post("/calendar/draft", data={"csrf_token": token, "post_id": "sb-bsky1", "text": text})
    assert r.status_code == 422
    assert "301 characters long; bluesky allows 300" in r.text
    assert f"{text}</textarea>" in r.text  # what the person typed is not lost on the page
    assert get_post(ws, "sb-bsky1").draft == "Linen week starts"  # nothing saved


def test_mastodon_counts_a_link_as_23(editor: tuple[TestClient, Workspace, str]) -> None:
    client, ws, token = editor
    text = "a" * 470 + " https://example.com/" + "p" * 200  # 691 code points; Mastodon: 470 + 1 + 23 = 494
    r = client.post("/calendar/draft", data={"csrf_token": token, "post_id": "sb-masto1", "text": text})
    assert r.status_code == 200 and get_post(ws, "sb-masto1").draft == text
    assert client.get("/calendar/post/sb-masto1.json").json()["length"] == 494
    longer = "a" * 478 + " https://example.com/"  # 478 + 1 + 23 = 502
    r = client.post("/calendar/draft", data={"csrf_token": token, "post_id": "sb-masto1", "text": longer})
    assert r.status_code == 422 and "502 characters long; mastodon allows 500" in r.text
    assert get_post(ws, "sb-masto1").draft == text


def test_approve_then_back_to_draft(editor: tuple[TestClient, Workspace, str]) -> None:
    client, ws, token = editor
    r = client.post("/calendar/approve", data={"csrf_token": token, "post_id": "sb-bsky1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/calendar/post/sb-bsky1?done=approved"
    assert get_post(ws, "sb-bsky1").status == "approved"
    assert 'class="state state-approved">approved</span>' in client.get("/calendar?date=2030-06-10").text
    r = client.post("/calendar/unapprove", data={"csrf_token": token, "post_id": "sb-bsky1"})
    assert r.status_code == 200 and get_post(ws, "sb-bsky1").status == "drafted"


def test_changing_an_approved_text_needs_a_new_approval(editor: tuple[TestClient, Workspace, str]) -> None:
    client, ws, token = editor
    client.post("/calendar/approve", data={"csrf_token": token, "post_id": "sb-bsky1"})
    r = client.post("/calendar/draft", data={"csrf_token": token, "post_id": "sb-bsky1", "text": "New words"})
    assert "back to draft: approve it again" in r.text
    assert (get_post(ws, "sb-bsky1").status, get_post(ws, "sb-bsky1").draft) == ("drafted", "New words")


def test_approve_refuses_what_the_network_would(editor: tuple[TestClient, Workspace, str]) -> None:
    client, ws, token = editor
    plan_post(ws, "sb-empty", "bluesky", "", status="planned")
    plan_post(ws, "sb-long", "bluesky", "x" * 301)  # saved by the CLI before; approval checks again
    r = client.post("/calendar/approve", data={"csrf_token": token, "post_id": "sb-empty"})
    assert r.status_code == 422 and "the post has no text" in r.text
    r = client.post("/calendar/approve", data={"csrf_token": token, "post_id": "sb-long"})
    assert r.status_code == 422 and "301 characters long; bluesky allows 300" in r.text
    assert (get_post(ws, "sb-empty").status, get_post(ws, "sb-long").status) == ("planned", "drafted")


def test_published_post_cannot_change(editor: tuple[TestClient, Workspace, str]) -> None:
    client, ws, token = editor
    plan_post(ws, "sb-sent", "bluesky", "Already out", status="published")
    html = client.get("/calendar/post/sb-sent").text
    assert "its text can no longer change" in html and "<textarea" not in html and 'id="approve"' not in html
    r = client.post("/calendar/draft", data={"csrf_token": token, "post_id": "sb-sent", "text": "changed"})
    assert r.status_code == 400 and get_post(ws, "sb-sent").draft == "Already out"
    r = client.post("/calendar/unapprove", data={"csrf_token": token, "post_id": "sb-sent"})
    assert r.status_code == 400 and get_post(ws, "sb-sent").status == "published"


@pytest.mark.parametrize("route", ["/calendar/draft", "/calendar/approve", "/calendar/unapprove", "/calendar/alt"])
def test_forms_need_the_csrf_token(editor: tuple[TestClient, Workspace, str], route: str) -> None:
    client, ws, _ = editor
    form = {"post_id": "sb-bsky1", "text": "forged", "part": "0", "image": "0", "alt": "forged"}
    r = client.post(route, data=form, follow_redirects=False)
    assert r.status_code == 403
    r = client.post(route, data={**form, "csrf_token": "forged"})
    assert r.status_code == 403
    post = get_post(ws, "sb-bsky1")
    assert (post.draft, post.status) == ("Linen week starts", "drafted")


def test_text_is_escaped(editor: tuple[TestClient, Workspace, str]) -> None:
    client, ws, token = editor
    plan_post(ws, "sb-xss", "bluesky", f"{XSS_SCRIPT}</textarea><script>alert(2)</script>")
    html = client.get("/calendar/post/sb-xss").text
    assert "<script>alert" not in html and "</textarea><script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/textarea&gt;" in html
    r = client.post("/calendar/draft", data={"csrf_token": token, "post_id": "sb-xss", "text": XSS_SCRIPT * 60})
    assert r.status_code == 422 and "<script>alert" not in r.text  # the refused text is shown escaped too
    assert client.get("/calendar/post/sb-xss.json").json()["draft"].startswith(XSS_SCRIPT)  # JSON keeps it raw


def test_unknown_post_is_a_clear_error(editor: tuple[TestClient, Workspace, str]) -> None:
    client, _, _ = editor
    r = client.get("/calendar/post/sb-nope.json")
    assert r.status_code == 400 and "no planned post with id 'sb-nope'" in r.json()["error"]


def _with_image(ws: Workspace, pid: str, alt: str) -> None:
    from signalboost.connect.media import attach

    folder = ws.root / "media"
    folder.mkdir(exist_ok=True)
    (folder / "linen.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    attach(ws, pid, folder / "linen.png", alt)


def _alts(ws: Workspace, pid: str) -> list[str]:
    from signalboost.connect.media import load_parts

    return [im.alt for part in load_parts(ws, pid, get_post(ws, pid).draft) for im in part.images]


def test_alt_text_is_edited_in_the_editor(editor: tuple[TestClient, Workspace, str]) -> None:
    client, ws, token = editor
    _with_image(ws, "sb-bsky1", f"Shirts {XSS_SCRIPT}")
    html = client.get("/calendar/post/sb-bsky1").text
    assert "<code>media/linen.png</code>" in html
    assert 'value="Shirts &lt;script&gt;alert(1)&lt;/script&gt;"' in html and XSS_SCRIPT not in html
    client.post("/calendar/approve", data={"csrf_token": token, "post_id": "sb-bsky1"})
    assert get_post(ws, "sb-bsky1").status == "approved"
    form = {"csrf_token": token, "post_id": "sb-bsky1", "part": "0", "image": "0", "alt": "Three linen shirts"}
    r = client.post("/calendar/alt", data=form)
    assert r.status_code == 200 and "Alt text saved. The post changed, so it is back to draft" in r.text
    assert _alts(ws, "sb-bsky1") == ["Three linen shirts"]
    assert get_post(ws, "sb-bsky1").status == "drafted"  # approval was given to the old alt text


@pytest.mark.parametrize(
    ("part", "image", "alt", "message"),
    [("0", "0", "   ", "no alt text"), ("0", "1", "Fine", "no image 2 in part 0"), ("3", "0", "Fine", "no image 1")],
)
def test_bad_alt_edits_change_nothing(
    editor: tuple[TestClient, Workspace, str], part: str, image: str, alt: str, message: str
) -> None:
    client, ws, token = editor
    _with_image(ws, "sb-bsky1", "Shirts")
    form = {"csrf_token": token, "post_id": "sb-bsky1", "part": part, "image": image, "alt": alt}
    r = client.post("/calendar/alt", data=form)
    assert r.status_code == 422 and message in r.text
    assert _alts(ws, "sb-bsky1") == ["Shirts"]


# ----------------------------------------------------------------------------------------- real Chromium
@pytest.mark.browser
def test_edit_save_approve_in_chromium(tmp_path: Path) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Chromium is not installed (scripts/system-deps.sh test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.web.live import running_server
    from tests.web.test_browser import ARGS, WAIT_MS

    ws = Workspace.open(tmp_path / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", ws.strategy_path)
    plan_post(ws, "sb-live1", "bluesky", "First words")
    sync_api.expect.set_options(timeout=WAIT_MS)
    with running_server(ws.root) as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=ARGS)
        page = browser.new_page()
        page.goto(f"{base}/calendar?view=week&date=2030-06-10")
        page.get_by_role("link", name="Open").first.click()
        sync_api.expect(page.locator("#post-length")).to_have_text("11")
        box = page.locator("#post-text")
        box.fill("")
        box.type(f"Linen {THUMB}{THUMB}")  # the live count: graphemes, as the server counts
        sync_api.expect(page.locator("#post-length")).to_have_text("8")
        page.get_by_role("button", name="Save draft").click()
        sync_api.expect(page.locator(".flash")).to_have_text("Draft saved.")
        sync_api.expect(page.locator("#post-length")).to_have_text("8")  # the server's count agrees
        page.get_by_role("button", name="Approve for publishing").click()
        sync_api.expect(page.locator("#post-state")).to_have_text("approved")
        page.goto(f"{base}/calendar?view=week&date=2030-06-10")
        sync_api.expect(page.locator('.post[data-id="sb-live1"] .state')).to_have_text("approved")
        sync_api.expect(page.locator('.post[data-id="sb-live1"] .draft')).to_have_text(f"Linen {THUMB}{THUMB}")
        browser.close()
    assert get_post(ws, "sb-live1").status == "approved"


def test_a_failed_post_shows_why_in_the_editor_and_the_cli(editor: tuple[TestClient, Workspace, str]) -> None:
    from signalboost.store import connect_sql

    client, ws, _ = editor
    plan_post(ws, "sb-fail1", "bluesky", "Sale <b>now</b>", status="failed")
    reason = "the server refused the post: <script>alert(1)</script> blob too large"
    with ws.transaction() as con:
        connect_sql.put_publication(
            con,
            {"plan_id": "sb-fail1", "platform": "bluesky", "text": "Sale", "state": "failed", "attempts": 3,
             "intent_at": WHEN, "error": reason},
        )  # fmt: skip
    html = client.get("/calendar/post/sb-fail1").text
    assert 'id="publish-failure"' in html and "Publishing failed:" in html and "attempts: 3" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data = client.get("/calendar/post/sb-fail1.json").json()
    assert (data["publication"]["state"], data["publication"]["attempts"]) == ("failed", 3)
    assert data["publication"]["error"] == reason
    # a post that never failed shows no failure
    assert 'id="publish-failure"' not in client.get("/calendar/post/sb-bsky1").text
    assert client.get("/calendar/post/sb-bsky1.json").json()["publication"] is None


def test_calendar_show_lists_failed_posts_with_their_reason(
    editor: tuple[TestClient, Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    import signalboost.cli.plan as plan_cli
    from signalboost.cli.main import main
    from signalboost.store import connect_sql

    _, ws, _ = editor
    plan_post(ws, "sb-fail2", "bluesky", "Sale", status="failed")
    with ws.transaction() as con:
        connect_sql.put_publication(
            con,
            {"plan_id": "sb-fail2", "platform": "bluesky", "text": "Sale", "state": "failed", "attempts": 3,
             "intent_at": WHEN, "error": "text over the limit"},
        )  # fmt: skip
    out = io.StringIO()
    monkeypatch.setattr(plan_cli, "console", Console(file=out, width=120))
    assert main(["calendar", "show", "--from", "2030-06-10", "--weeks", "1", "-w", str(ws.root)]) == 0
    text = out.getvalue()
    assert "failed sb-fail2 bluesky Mon, Jun 10 09:30: text over the limit (attempts: 3)" in text
    assert "sb-bsky1 bluesky Mon, Jun 10 09:30:" not in text  # not failed: not listed


def test_cli_edit_of_an_approved_post_sends_it_back_to_draft(editor: tuple[TestClient, Workspace, str]) -> None:
    from signalboost.cli.main import main

    _, ws, _ = editor
    plan_post(ws, "sb-appr1", "bluesky", "Approved text", status="approved")
    assert main(["calendar", "edit", "sb-appr1", "Approved text", "-w", str(ws.root)]) == 0
    assert get_post(ws, "sb-appr1").status == "approved"  # the same text: approval stands
    assert main(["calendar", "edit", "sb-appr1", "A new text", "-w", str(ws.root)]) == 0
    post = get_post(ws, "sb-appr1")
    assert (post.status, post.draft) == ("drafted", "A new text")  # publish sends only what was approved
