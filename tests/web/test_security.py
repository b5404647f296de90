"""Security of the dashboard: escaping, CSRF, logins, binding, upload limits and file names."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from signalboost.errors import UsageError
from signalboost.store.workspace import Workspace
from signalboost.web import auth
from signalboost.web.app import create_app
from signalboost.web.guard import LoginThrottle
from signalboost.web.server import check_bind
from signalboost.web.svg import Bar, Point, bar_chart, heatmap, scatter
from signalboost.web.uploads import safe_filename
from tests.web.conftest import XSS_ATTR, XSS_SCRIPT, csrf

PAGES = [
    "/",
    "/strategy",
    "/calendar",
    "/analytics",
    "/influencers",
    "/outreach",
    "/partners",
    "/imports",
    "/connections",
]


# ------------------------------------------------------------------------------------------------ escaping
@pytest.mark.parametrize("path", ["/imports/1", "/influencers/x/1", "/imports"])
def test_social_text_is_escaped_in_html(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&#34;&gt;&lt;img" in html


def test_profile_escapes_name_and_bio(client: TestClient) -> None:
    html = client.get("/influencers/x/1").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the name
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # the bio


def test_json_twin_keeps_the_raw_text(client: TestClient) -> None:
    data = client.get("/imports/1.json").json()
    assert data["rejects"][0]["raw"] == XSS_SCRIPT
    assert client.get("/imports/1.json").headers["content-type"].startswith("application/json")


def test_svg_labels_are_escaped() -> None:
    svg = str(heatmap([XSS_SCRIPT], [XSS_ATTR], [[1.0]], title=XSS_SCRIPT))
    svg += str(bar_chart([Bar(XSS_ATTR, 2.0, 3.0, n=4)], title="t"))
    svg += str(scatter([Point(50, 2, XSS_SCRIPT, href=f"/a/{XSS_ATTR}")], title="t", x_label="x", y_label="y"))
    assert "<script>" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg and "&#34;&gt;&lt;img" in svg


def test_security_headers(client: TestClient) -> None:
    r = client.get("/")
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "HttpOnly" in r.headers["set-cookie"] and "samesite=lax" in r.headers["set-cookie"].lower()


# ---------------------------------------------------------------------------------------------------- CSRF
FORMS = [
    ("/strategy/pillars", {"pillar": "brand", "weight": "40"}),
    ("/strategy/section", {"section": "brand", "content": "name: X"}),
    ("/calendar/plan", {"start": "2024-01-01", "weeks": "1"}),
    ("/calendar/draft", {"post_id": "sb-x", "text": "hello"}),
    ("/calendar/approve", {"post_id": "sb-x"}),
    ("/calendar/alt", {"post_id": "sb-x", "part": "0", "image": "0", "alt": "a"}),
    ("/calendar/unapprove", {"post_id": "sb-x"}),
    ("/outreach/move", {"platform": "x", "account_id": "1", "stage": "warming"}),
    ("/outreach/log", {"account": "x|1", "kind": "like"}),
]


@pytest.mark.parametrize(("path", "form"), FORMS)
def test_every_form_refuses_a_missing_or_foreign_token(client: TestClient, path: str, form: dict[str, str]) -> None:
    csrf(client)  # the client has a session
    assert client.post(path, data={**form, "csrf_token": ""}, follow_redirects=False).status_code == 403
    other = TestClient(client.app, base_url="http://127.0.0.1")
    foreign = csrf(other)  # a valid token, but of another session
    assert client.post(path, data={**form, "csrf_token": foreign}, follow_redirects=False).status_code == 403


def test_upload_refuses_without_token(client: TestClient) -> None:
    csrf(client)
    assert client.post("/strategy/section", data={"csrf_token": "\x80\u00e9", "section": "brand"}).status_code == 403
    csrf(client)
    r = client.post("/imports", data={"csrf_token": "nope"}, files={"file": ("a.csv", b"x,y\n1,2\n")})
    assert r.status_code == 403


def test_strategy_unchanged_after_refused_post(client: TestClient, web_ws: Workspace) -> None:
    before = web_ws.strategy_path.read_bytes()
    client.post("/strategy/pillars", data={"pillar": "brand", "weight": "1", "csrf_token": "forged"})
    assert web_ws.strategy_path.read_bytes() == before


# ------------------------------------------------------------------------------------------------- logins
def test_password_hash_is_argon2_and_verifies() -> None:
    digest = auth.hash_password("correct horse")
    assert digest.startswith("$argon2id$")
    assert "correct horse" not in digest
    assert auth.verify_password(digest, "correct horse")
    assert not auth.verify_password(digest, "correct hors")
    assert not auth.verify_password("not-a-hash", "x")


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "semi;colon", "<script>"])
def test_bad_user_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError, match="invalid user name"):
        auth.check_username(name)


def test_short_password_refused() -> None:
    with pytest.raises(UsageError, match="too short"):
        auth.hash_password("1234567")


def test_login_required_when_configured(web_ws: Workspace) -> None:
    auth.add_user(web_ws, "Alice", "s3cret-pass")
    c = TestClient(create_app(web_ws, require_login=True), base_url="http://127.0.0.1")
    for path in PAGES:
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login", path
    assert c.get("/influencers.json").status_code == 401
    assert c.get("/openapi.json").status_code == 401
    token = csrf(c, "/login")
    bad = c.post("/login", data={"username": "alice", "password": "wrong-pass", "csrf_token": token})
    assert bad.status_code == 401 and "Wrong user name or password" in bad.text
    ok = c.post(
        "/login", data={"username": "alice", "password": "s3cret-pass", "csrf_token": token}, follow_redirects=False
    )
    assert ok.status_code == 303
    assert c.get("/").status_code == 200
    assert "Log out alice" in c.get("/").text
    # the session id changes at login, so the pre-login token no longer works
    assert c.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 403
    assert c.post("/logout", data={"csrf_token": csrf(c)}, follow_redirects=False).status_code == 303
    assert c.get("/", follow_redirects=False).status_code == 303


def test_login_is_throttled_after_five_failures(web_ws: Workspace) -> None:
    auth.add_user(web_ws, "erin", "right-password")
    c = TestClient(create_app(web_ws, require_login=True), base_url="http://127.0.0.1")
    token = csrf(c, "/login")
    for _ in range(5):
        assert c.post("/login", data={"username": "erin", "password": "nope", "csrf_token": token}).status_code == 401
    r = c.post("/login", data={"username": "erin", "password": "right-password", "csrf_token": token})
    assert r.status_code == 429 and "Too many failed logins" in r.text


def test_throttle_window_slides() -> None:
    t = LoginThrottle(per_address=2, per_user=100, window=10)
    assert t.reserve("a", "u1", now=0) and t.reserve("a", "u2", now=1)
    assert t.reserve("a", "u3", now=5) is None  # two failures from address a in the window
    assert t.reserve("b", "u3", now=5) is not None  # another address is not blocked
    assert t.reserve("a", "u4", now=10.5) is not None  # the first failure left the window


def test_tampered_session_cookie_is_not_trusted(web_ws: Workspace) -> None:
    auth.add_user(web_ws, "alice", "s3cret-pass")
    c = TestClient(create_app(web_ws, require_login=True), base_url="http://127.0.0.1")
    c.cookies.set(auth.SESSION_COOKIE, "eyJzaWQiOiJ4IiwidXNlciI6ImFsaWNlIn0.forged.sig")
    assert c.get("/", follow_redirects=False).status_code == 303


def test_non_loopback_bind_needs_a_login(web_ws: Workspace) -> None:
    assert check_bind(web_ws, "127.0.0.1") is False
    assert check_bind(web_ws, "::1") is False
    assert check_bind(web_ws, "localhost") is False
    with pytest.raises(UsageError, match="without a login"):
        check_bind(web_ws, "0.0.0.0")
    auth.add_user(web_ws, "bob", "another-pass")
    assert check_bind(web_ws, "0.0.0.0") is True
    assert check_bind(web_ws, "192.168.1.5") is True


def test_serve_refuses_public_bind_from_cli(web_ws: Workspace) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", "serve", "-w", str(web_ws.root), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "refusing to serve on 0.0.0.0 without a login" in proc.stderr
    assert "signalboost user add NAME" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_user_add_cli_stores_only_a_hash(web_ws: Workspace) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "signalboost.cli.main",
            "user",
            "add",
            "carol",
            "-w",
            str(web_ws.root),
            "--password-stdin",
        ],
        input="pass-word-9\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert auth.authenticate(web_ws, "carol", "pass-word-9") == "carol"
    assert auth.authenticate(web_ws, "carol", "pass-word-8") is None
    assert b"pass-word-9" not in web_ws.db_path.read_bytes()


# ----------------------------------------------------------------------------------------- uploads, names
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/abs/path/x.zip", "x.zip"),
        ("twitter archive (1).zip", "twitter_archive_1_.zip"),
        (".bashrc", "bashrc"),
        ("..", "upload"),
        ("", "upload"),
        (None, "upload"),
        ("a\x00b.csv", "ab.csv"),
        ("ünïcode.json", "n_code.json"),
    ],
)
def test_safe_filename(name: str | None, expected: str) -> None:
    assert safe_filename(name) == expected


def test_upload_with_traversing_name_stays_in_the_upload_folder(client: TestClient, web_ws: Workspace) -> None:
    jobs = client.app.state.ctx.jobs  # type: ignore[attr-defined]
    job, path = jobs.store("../../../evil.csv", io.BytesIO(b"a,b\n"))
    assert path.parent == (web_ws.root / "uploads").resolve()
    assert path.name == f"{job.job_id}-evil.csv"
    assert not (web_ws.root.parent / "evil.csv").exists()


def test_upload_over_the_limit_is_refused_with_413(web_ws: Workspace) -> None:
    c = TestClient(create_app(web_ws, max_upload_bytes=1000), base_url="http://127.0.0.1")
    token = csrf(c)
    r = c.post("/imports", data={"csrf_token": token}, files={"file": ("big.csv", b"x" * 5000)})
    assert r.status_code == 413
    assert "larger than the limit" in r.text
    assert not list((web_ws.root / "uploads").glob("*")) if (web_ws.root / "uploads").exists() else True


def test_streamed_body_over_the_limit_is_refused(web_ws: Workspace) -> None:
    c = TestClient(create_app(web_ws, max_upload_bytes=1000), base_url="http://127.0.0.1")
    csrf(c)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b"y" * 500

    r = c.post("/imports", content=chunks(), headers={"content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413


def test_form_body_over_one_mib_is_refused(client: TestClient) -> None:
    token = csrf(client)
    r = client.post("/strategy/section", data={"csrf_token": token, "section": "brand", "content": "x" * 1_100_000})
    assert r.status_code == 413


def test_empty_upload_is_a_clear_error(client: TestClient) -> None:
    r = client.post("/imports", data={"csrf_token": csrf(client)}, files={"file": ("empty.csv", b"")})
    assert r.status_code == 400
    assert "the uploaded file is empty" in r.text


def test_store_counts_bytes_when_streaming(tmp_path: Path, web_ws: Workspace) -> None:
    from signalboost.web.uploads import JobRegistry

    jobs = JobRegistry(web_ws, max_bytes=10)
    with pytest.raises(UsageError, match="larger than the upload limit"):
        jobs.store("a.csv", io.BytesIO(b"z" * 11))
    assert list((web_ws.root / "uploads").iterdir()) == []
