"""Issue 18, items 1-7: the breaks an attack on the dashboard found, each as a regression test.

1 hostile form values are 422s naming the field, 2 links from the request path stay on the site, 3 sessions are
server-side and revocable with idle and absolute expiry, 4 the login throttle is per user and per address and
atomic, 5 a foreign Host or Origin is refused (DNS rebinding), 6 ``serve --host ::1`` and SO_REUSEADDR, 7 the
smaller ones (403 for a missing CSRF token, unknown accounts, 413 headers, Secure cookies).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from signalboost.store import sessions_sql
from signalboost.store.workspace import Workspace
from signalboost.web import auth
from signalboost.web.app import create_app
from signalboost.web.guard import HostPolicy, host_name
from signalboost.web.server import port_free
from signalboost.web.sessions import session_hash
from tests.web.conftest import csrf
from tests.web.live import free_port, running_server

LOCAL = "http://127.0.0.1"


def _client(ws: Workspace, **kwargs: object) -> TestClient:
    return TestClient(create_app(ws, **kwargs), base_url=LOCAL)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ 1: validation at the edge
def _strategy_bytes(ws: Workspace) -> bytes:
    return ws.strategy_path.read_bytes()


@pytest.mark.parametrize("weight", ["1e309", "-1e309", "inf", "nan", "-5", "100.5", "1" + "0" * 400])
def test_hostile_pillar_weight_is_a_422_naming_the_field(client: TestClient, web_ws: Workspace, weight: str) -> None:
    before = _strategy_bytes(web_ws)
    r = client.post("/strategy/pillars", data={"csrf_token": csrf(client), "pillar": ["brand"], "weight": [weight]})
    assert r.status_code == 422
    assert "brand.weight" in r.text and "between 0 and 100" in r.text
    assert _strategy_bytes(web_ws) == before


@pytest.mark.parametrize(
    ("start", "weeks"), [("9999-12-31", "104"), ("2100-12-01", "104"), ("0001-01-01", "1"), ("1969-12-31", "1")]
)
def test_plan_outside_the_calendar_is_a_422(client: TestClient, start: str, weeks: str) -> None:
    r = client.post("/calendar/plan", data={"csrf_token": csrf(client), "start": start, "weeks": weeks})
    assert r.status_code == 422
    assert "start:" in r.text and "2100-12-31" in r.text
    assert client.get("/calendar.json?date=2024-01-01").json()["posts"] == []  # nothing planned


@pytest.mark.parametrize("when", ["9999-12-31T23:59", "0001-01-01T00:00", "2101-01-01T00:00", "2024-02-30T10:00"])
def test_moving_a_post_outside_the_calendar_is_a_422(client: TestClient, when: str) -> None:
    token = csrf(client)
    client.post("/calendar/plan", data={"csrf_token": token, "start": "2024-01-01", "weeks": "1"})
    post = client.get("/calendar.json?date=2024-01-03").json()["posts"][0]
    r = client.post("/calendar/move", data={"csrf_token": token, "post_id": post["id"], "when": when})
    assert r.status_code == 422 and "when:" in r.text
    assert client.get("/calendar.json?date=2024-01-03").json()["posts"][0] == post  # not moved


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_calendar_page_far_dates_are_refused_not_500(client: TestClient, date: str) -> None:
    r = client.get(f"/calendar.json?date={date}")
    assert r.status_code == 400 and "is not a day the calendar can show" in r.json()["error"]


@pytest.mark.parametrize(
    "content",
    [
        "[" * 20_000 + "]" * 20_000,
        "".join(" " * i + "a:\n" for i in range(400)),  # block nesting under the 200,000-character form limit
        "name: " + "{a: " * 20_000 + "}" * 20_000,
    ],
)
def test_deep_yaml_section_is_a_422(client: TestClient, web_ws: Workspace, content: str) -> None:
    before = _strategy_bytes(web_ws)
    r = client.post("/strategy/section", data={"csrf_token": csrf(client), "section": "brand", "content": content})
    assert r.status_code == 422
    assert "nested more than 64 levels deep" in r.text
    assert _strategy_bytes(web_ws) == before


# ------------------------------------------------------------------------------------ 2: links stay here
@pytest.mark.parametrize("path", ["//evil.example", "///evil.example", "/\\evil.example", "//evil.example/x"])
def test_links_built_from_the_path_stay_on_this_site(client: TestClient, path: str) -> None:
    r = client.get(LOCAL + path)
    assert r.status_code == 404
    links = re.findall(r'href="([^"]*)"', r.text)
    assert links, "the page has links"
    for link in links:
        assert link.startswith(("/", "#")) and not link.startswith(("//", "/\\")), link
    if path.startswith("//"):
        assert 'href="/evil.example' in r.text  # the JSON link, made local


# ------------------------------------------------------------------------------------ 3: sessions
def _login(c: TestClient, user: str, password: str) -> str:
    r = c.post(
        "/login",
        data={"username": user, "password": password, "csrf_token": csrf(c, "/login")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return str(c.cookies.get(auth.SESSION_COOKIE))


def _cookie_works(app: object, cookie: str) -> bool:
    other = TestClient(app, base_url=LOCAL)  # type: ignore[arg-type]
    other.cookies.set(auth.SESSION_COOKIE, cookie)
    return other.get("/", follow_redirects=False).status_code == 200


@pytest.fixture
def login_app(web_ws: Workspace) -> TestClient:
    auth.add_user(web_ws, "alice", "alice-password")
    auth.add_user(web_ws, "bob", "bob-password-1")
    return _client(web_ws, require_login=True)


def test_a_copied_cookie_is_dead_after_logout(login_app: TestClient) -> None:
    cookie = _login(login_app, "alice", "alice-password")
    assert _cookie_works(login_app.app, cookie)
    assert login_app.post("/logout", data={"csrf_token": csrf(login_app)}, follow_redirects=False).status_code == 303
    assert not _cookie_works(login_app.app, cookie)


def test_user_remove_ends_the_sessions(login_app: TestClient, web_ws: Workspace) -> None:
    cookie = _login(login_app, "alice", "alice-password")
    bob = _login(TestClient(login_app.app, base_url=LOCAL), "bob", "bob-password-1")
    proc = subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", "user", "remove", "alice", "-w", str(web_ws.root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "sessions are ended" in proc.stdout
    assert not _cookie_works(login_app.app, cookie)
    assert _cookie_works(login_app.app, bob)  # another user's session stays


def test_password_change_ends_the_sessions(login_app: TestClient, web_ws: Workspace) -> None:
    cookie = _login(login_app, "alice", "alice-password")
    auth.add_user(web_ws, "alice", "a-new-password")
    assert not _cookie_works(login_app.app, cookie)
    assert _login(login_app, "alice", "a-new-password")


def test_sessions_are_stored_hashed(login_app: TestClient, web_ws: Workspace) -> None:
    cookie = _login(login_app, "alice", "alice-password")
    sid = login_app.app.state.ctx.codec.loads(cookie).sid
    with web_ws.connect() as con:
        assert sessions_sql.lookup(con, session_hash(sid)) is not None
        assert sessions_sql.lookup(con, sid) is None  # the id itself is never stored
        rows = con.execute("SELECT session_hash FROM web_sessions").fetchall()
    assert all(sid not in r[0] for r in rows)


def test_idle_expiry(login_app: TestClient) -> None:
    store = login_app.app.state.ctx.sessions
    now = [1_000_000.0]
    store.clock = lambda: now[0]
    cookie = _login(login_app, "alice", "alice-password")
    now[0] += store.idle_seconds - 60
    assert _cookie_works(login_app.app, cookie)  # used: idle counts again from here
    now[0] += store.idle_seconds - 60
    assert _cookie_works(login_app.app, cookie)
    now[0] += store.idle_seconds + 1
    assert not _cookie_works(login_app.app, cookie)


def test_absolute_expiry(login_app: TestClient) -> None:
    store = login_app.app.state.ctx.sessions
    now = [2_000_000.0]
    store.clock = lambda: now[0]
    cookie = _login(login_app, "alice", "alice-password")
    while now[0] + store.idle_seconds / 2 < 2_000_000.0 + store.max_seconds:
        now[0] += store.idle_seconds / 2
        assert _cookie_works(login_app.app, cookie)  # active all the time
    now[0] = 2_000_000.0 + store.max_seconds + 1
    assert not _cookie_works(login_app.app, cookie)


# ------------------------------------------------------------------------------------ 4: login throttle
def _guess(c: TestClient, token: str, user: str, password: str) -> int:
    data = {"username": user, "password": password, "csrf_token": token}
    return c.post("/login", data=data, follow_redirects=False).status_code


def test_a_correct_login_of_another_user_does_not_reset_the_count(login_app: TestClient) -> None:
    token = csrf(login_app, "/login")
    for _ in range(4):
        assert _guess(login_app, token, "alice", "wrong-guess") == 401
    assert _guess(login_app, token, "bob", "bob-password-1") == 303
    token = csrf(login_app, "/login")
    assert _guess(login_app, token, "alice", "wrong-guess") == 401  # the fifth failure from this address
    assert _guess(login_app, token, "alice", "wrong-guess") == 429


def test_the_user_is_throttled_across_addresses(web_ws: Workspace) -> None:
    auth.add_user(web_ws, "alice", "alice-password")
    app = create_app(web_ws, require_login=True, trusted_proxies=["testclient"])
    c = TestClient(app, base_url=LOCAL)
    token = csrf(c, "/login")
    for i in range(10):  # ten addresses, one guess each: under the per-address limit every time
        r = c.post(
            "/login",
            data={"username": "alice", "password": "wrong", "csrf_token": token},
            headers={"X-Forwarded-For": f"10.0.0.{i}"},
        )
        assert r.status_code == 401
    r = c.post(
        "/login",
        data={"username": "alice", "password": "alice-password", "csrf_token": token},
        headers={"X-Forwarded-For": "10.0.0.99"},
    )
    assert r.status_code == 429  # per user: even the right password waits


def test_parallel_guesses_on_a_real_server_get_429(web_ws: Workspace) -> None:
    auth.add_user(web_ws, "alice", "alice-password")
    with running_server(web_ws.root) as base, httpx.Client(base_url=base) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
        assert token
        cookies = dict(c.cookies)

        def guess(_: int) -> int:
            data = {"username": "alice", "password": "wrong-guess", "csrf_token": token.group(1)}
            return httpx.post(base + "/login", data=data, cookies=cookies, timeout=120).status_code

        with ThreadPoolExecutor(30) as pool:
            codes = list(pool.map(guess, range(30)))
    assert codes.count(401) == 5 and codes.count(429) == 25, codes


# ------------------------------------------------------------------------------------ 5: DNS rebinding
@pytest.mark.parametrize("host", ["rebind.evil.example", "evil.example:8765", "127.0.0.1.evil.example", "", "10.0.0.1"])
def test_a_foreign_host_is_refused(client: TestClient, host: str) -> None:
    r = client.get("/", headers={"Host": host})
    assert r.status_code == 400
    assert "does not answer to the host name" in r.text
    assert r.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8765", "localhost:8765", "LOCALHOST", "[::1]:8765"])
def test_local_hosts_are_served(client: TestClient, host: str) -> None:
    assert client.get("/healthz", headers={"Host": host}).status_code == 200


def test_allowed_host_and_wildcard_binding() -> None:
    policy = HostPolicy.for_bind("0.0.0.0", ["dash.example.org"])
    assert policy.allows("dash.example.org") and policy.allows("DASH.example.org.:443")
    assert policy.allows("192.168.1.5:8765") and policy.allows("[fe80::1]:80")  # an IP literal cannot be rebound
    assert not policy.allows("rebind.evil.example")
    bound = HostPolicy.for_bind("192.168.1.5")
    assert bound.allows("192.168.1.5") and not bound.allows("192.168.1.6")
    assert host_name("[::1]:8765") == "::1" and host_name("Example.org:80") == "example.org"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://rebind.evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "null"},
        {"Referer": "http://rebind.evil.example/page"},
    ],
)
def test_a_cross_site_write_is_refused_even_with_a_token(
    client: TestClient, web_ws: Workspace, headers: dict[str, str]
) -> None:
    before = _strategy_bytes(web_ws)
    data = {"csrf_token": csrf(client), "pillar": ["brand", "fashion"], "weight": ["30", "40"]}
    r = client.post("/strategy/pillars", data=data, headers=headers)
    assert (r.status_code == 403 and "another site" in r.text) or "opaque origin" in r.text
    assert _strategy_bytes(web_ws) == before


def test_a_same_site_write_passes(client: TestClient, web_ws: Workspace) -> None:
    data = {"csrf_token": csrf(client), "pillar": ["brand", "fashion"], "weight": ["30", "40"]}
    r = client.post("/strategy/pillars", data=data, headers={"Origin": LOCAL}, follow_redirects=False)
    assert r.status_code == 303
    assert "weight: 30" in web_ws.strategy_path.read_text()


# ------------------------------------------------------------------------------------ 6: serve
def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_serve_on_ipv6_loopback(web_ws: Workspace, host: str) -> None:
    with running_server(web_ws.root, host=host) as base:
        assert base.startswith("http://[::1]:")
        assert httpx.get(base + "/healthz").status_code == 200
        assert httpx.get(base + "/", headers={"Host": "rebind.evil.example"}).status_code == 400
        log = next(web_ws.root.parent.glob("server-*.log")).read_text()
    assert "Traceback" not in log and "MarkupError" not in log
    assert base + "/" in log.replace("\n", "")


def test_a_port_in_time_wait_is_free() -> None:
    port = free_port()
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen()
    client = socket.create_connection(("127.0.0.1", port))
    conn, _ = server.accept()
    conn.close()  # the server side closes first: its end of the connection goes to TIME-WAIT
    client.recv(1)
    client.close()
    server.close()
    with socket.socket() as plain, pytest.raises(OSError):
        plain.bind(("127.0.0.1", port))  # the TIME-WAIT the old check tripped on ("already in use" for ~60 s)
    assert port_free("127.0.0.1", port)
    held = socket.socket()
    held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    held.bind(("127.0.0.1", port))
    held.listen()
    try:
        assert not port_free("127.0.0.1", port)  # a listening server still counts
    finally:
        held.close()


# ------------------------------------------------------------------------------------ 7: smaller ones
def test_missing_csrf_token_is_403_even_with_other_errors(client: TestClient) -> None:
    csrf(client)
    assert client.post("/calendar/plan", data={"start": "2024-01-01"}).status_code == 403
    assert client.post("/calendar/plan", data={"start": "not a date", "weeks": "x"}).status_code == 403
    r = client.post("/outreach/move", data={}, headers={"Accept": "application/json"})
    assert r.status_code == 403 and "did not come from this dashboard" in r.json()["error"]


def test_outreach_add_refuses_an_unknown_account(client: TestClient, web_ws: Workspace) -> None:
    r = client.post("/outreach/add", data={"csrf_token": csrf(client), "platform": "x", "account_id": "nobody"})
    assert r.status_code == 404 and "no account &#39;nobody&#39;" in r.text
    with web_ws.connect() as con:
        assert con.execute("SELECT count(*) FROM outreach").fetchone() == (0,)
    ok = client.post(
        "/outreach/add", data={"csrf_token": csrf(client), "platform": "x", "account_id": "2"}, follow_redirects=False
    )
    assert ok.status_code == 303


def test_413_has_the_security_headers(web_ws: Workspace) -> None:
    c = _client(web_ws)
    r = c.post("/calendar/plan", content=b"x" * (2 * 1024 * 1024), headers={"content-type": "text/plain"})
    assert r.status_code == 413
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy"):
        assert name in r.headers, name


def _cookie_header(c: TestClient, **headers: str) -> str:
    return str(c.get("/", headers=headers).headers["set-cookie"])


def test_secure_cookie_flag(web_ws: Workspace) -> None:
    assert "secure" not in _cookie_header(_client(web_ws)).lower()
    assert "secure" in _cookie_header(_client(web_ws, secure_cookies=True)).lower()
    # X-Forwarded-Proto counts only from a configured proxy (the test client's peer is "testclient")
    assert "secure" not in _cookie_header(_client(web_ws), **{"X-Forwarded-Proto": "https"}).lower()
    proxied = _client(web_ws, trusted_proxies=["testclient"])
    assert "secure" in _cookie_header(proxied, **{"X-Forwarded-Proto": "https"}).lower()
    assert "secure" not in _cookie_header(proxied, **{"X-Forwarded-Proto": "http"}).lower()


def test_serve_help_lists_the_new_options() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    for option in ("--allowed-host", "--trusted-proxy", "--secure-cookies", "--session-idle-minutes"):
        assert option in proc.stdout, option


def test_expired_sessions_are_purged_at_the_next_login(login_app: TestClient, web_ws: Workspace) -> None:
    store = login_app.app.state.ctx.sessions
    now = [3_000_000.0]
    store.clock = lambda: now[0]
    _login(TestClient(login_app.app, base_url=LOCAL), "alice", "alice-password")
    now[0] += store.max_seconds + 1
    _login(TestClient(login_app.app, base_url=LOCAL), "bob", "bob-password-1")
    with web_ws.connect() as con:
        assert sessions_sql.count_for_user(con, "alice") == 0 and sessions_sql.count_for_user(con, "bob") == 1


def test_a_checked_session_survives_a_long_lock_but_an_unknown_one_does_not(
    login_app: TestClient, web_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from signalboost.store.lock import workspace_lock
    from signalboost.web import sessions

    cookie = _login(login_app, "alice", "alice-password")
    assert _cookie_works(login_app.app, cookie)  # checked once: remembered
    monkeypatch.setattr(sessions, "LOCK_WAIT", 0.2)
    store = login_app.app.state.ctx.sessions
    store.touch_seconds = 0  # force a database check on every request
    with workspace_lock(web_ws.root, timeout=5, purpose="a long import"):
        assert _cookie_works(login_app.app, cookie)  # the last positive check stands while nothing can revoke it
        other = TestClient(login_app.app, base_url=LOCAL)
        other.cookies.set(auth.SESSION_COOKIE, login_app.app.state.ctx.codec.dumps(auth.Session("never-seen", "bob")))
        assert other.get("/", follow_redirects=False).status_code == 503  # cannot be checked: not let in
