"""Hostile text from social networks — script and attribute-injection payloads in names, handles, bios, post
texts, ledger notes, rejected rows and the URL itself — is shown as text on every page and never becomes markup.

Each page is parsed as a browser would (``html.parser``): no ``<script>`` without ``src``, no ``on*`` event
attribute, no element the payloads carry (``<img>``); and the listing pages do show the escaped payload, so the
test reaches the text it guards.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from tests.web.conftest import DATA, XSS_ATTR, XSS_SCRIPT, csrf, seed

HANDLE = "ev'il\"><svg onload=alert(2)>"
"""A handle that breaks out of single- or double-quoted attributes (handles are untrusted too)."""


class _Markup(HTMLParser):
    """What a browser would build from the page: every element and attribute name."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [k for k, _ in attrs]
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if tag == "img":
            self.problems.append(f"<img {attrs}>")
        self.problems += [f"<{tag} {k}=…>" for k in names if k.startswith("on")]


def injected(html: str) -> list[str]:
    p = _Markup()
    p.feed(html)
    return p.problems


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The seeded workspace (payloads in names, bios, posts and a reject) with a graph, scores, a pipeline with a
    hostile ledger note, and a partner candidate whose handle is a payload (built once: the tests only read)."""
    web_ws = Workspace.open(tmp_path_factory.mktemp("hostile") / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", web_ws.strategy_path)
    seed(web_ws)
    with web_ws.transaction() as con:
        con.execute("UPDATE accounts SET is_brand = TRUE WHERE account_id = '2'")
        con.execute(
            "INSERT INTO accounts (platform, account_id, handle, name, bio) VALUES ('x', '3', ?, ?, ?)",
            [HANDLE, XSS_ATTR, XSS_SCRIPT],
        )
        con.execute(
            "INSERT INTO follows (platform, follower_id, followee_id) VALUES "
            "('x', '1', '2'), ('x', '3', '2'), ('x', '2', '1'), ('x', '3', '1'), ('x', '1', '3')"
        )
        con.execute(
            "INSERT INTO interactions (platform, actor_id, kind, target_post_id, target_account_id, occurred_at) "
            "VALUES ('x', '1', 'reply', 'p2', '2', TIMESTAMPTZ '2024-03-03 10:00:00+00'), "
            "('x', '3', 'mention', '', '2', TIMESTAMPTZ '2024-03-04 10:00:00+00'), "
            "('x', '3', 'repost', 'p1', '1', TIMESTAMPTZ '2024-03-05 10:00:00+00')"
        )
        con.execute(
            "INSERT INTO partner_overlap (platform, account_id, computed_at, method, audience_source, audience, "
            "our_audience, shared, jaccard, overlap_smaller, unique_reach, bridges) "
            "VALUES ('x', '3', now(), 'exact', 'follows', 2, 2, 1, 0.33, 0.5, 1, NULL)"
        )
    client = TestClient(create_app(web_ws), base_url="http://127.0.0.1")
    token = csrf(client)
    ok = (200, 303)
    assert client.post("/influencers/compute", data={"csrf_token": token}, follow_redirects=False).status_code in ok
    for who in ("1", "3"):
        r = client.post(
            "/outreach/add", data={"csrf_token": token, "platform": "x", "account_id": who}, follow_redirects=False
        )
        assert r.status_code in ok, r.text[:300]
    r = client.post(
        "/outreach/log",
        data={"csrf_token": token, "account": "x|1", "kind": "like", "note": XSS_SCRIPT},
        follow_redirects=False,
    )
    assert r.status_code in ok, r.text[:300]
    return client


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
MORE = [
    "/influencers/x/1",
    "/influencers/x/3",
    "/imports/1",
    "/influencers?segment=other&q=" + quote(XSS_SCRIPT),
    "/partners?candidate=" + quote(XSS_ATTR),
    "/influencers/x/" + quote(XSS_SCRIPT, safe=""),  # a 404 whose message names the account
    "/calendar?view=week&date=2024-13-45",  # a 422 whose message repeats the value
]


@pytest.mark.parametrize("path", PAGES + MORE)
def test_no_page_turns_hostile_text_into_markup(hostile: TestClient, path: str) -> None:
    r = hostile.get(path)
    assert r.status_code in (200, 400, 404, 422), (path, r.status_code)
    assert r.headers["content-type"].startswith("text/html")
    assert injected(r.text) == [], path


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/influencers?segment=&sort=handle&order=asc", ["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;svg onload"]),
        ("/outreach", ["&lt;svg onload=alert(2)&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"]),
        ("/partners", ["&lt;svg onload=alert(2)&gt;"]),
        ("/influencers/x/3", ["&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x"]),
        ("/imports/1", ["&lt;script&gt;alert(1)&lt;/script&gt;"]),
    ],
)
def test_the_payloads_are_shown_as_text(hostile: TestClient, path: str, shown: list[str]) -> None:
    html = hostile.get(path).text
    for text in shown:
        assert text in html, (path, text)


def test_the_parser_sees_an_injection() -> None:
    """The checker itself catches what escaping prevents (a test that can fail)."""
    assert injected(f"<p>{XSS_SCRIPT}</p>") == ["inline <script>"]
    assert injected(f'<a title="{XSS_ATTR}">x</a>') and injected(f"<p>{HANDLE}</p>")


# ------------------------------------------------------------------------- no blank where a figure should be
@pytest.mark.parametrize("path", [*PAGES, "/calendar?view=week", "/influencers/x/1", "/imports/1"])
def test_no_page_prints_an_undefined_value(hostile: TestClient, path: str) -> None:
    """A template that prints a key the page data does not have shows a blank (Jinja's default), which reads as
    missing data — e.g. the Tactics table printed " / " for its sample sizes. Every printed name must exist."""
    from jinja2 import Undefined

    printed: list[str] = []

    class Recorded(Undefined):
        def __str__(self) -> str:
            printed.append(str(self._undefined_name))
            return ""

    env = hostile.app.state.templates.env  # type: ignore[attr-defined]
    env.undefined = Recorded
    try:
        assert hostile.get(path).status_code == 200
    finally:
        env.undefined = Undefined
    assert printed == [], (path, printed)


# ------------------------------------------------------------------------------------------ no CDN, no network
class _Refs(HTMLParser):
    """Every address a page would make the browser fetch or follow."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refs += [v or "" for k, v in attrs if k in ("src", "href", "action", "srcset", "poster", "data")]


def _off_site(ref: str) -> bool:
    return not (ref.startswith(("/", "#", "?", "data:")) and not ref.startswith("//"))


@pytest.mark.parametrize("path", [*PAGES, "/influencers/x/1", "/imports/1", "/login"])
def test_every_address_on_a_page_is_the_dashboards_own(hostile: TestClient, path: str) -> None:
    p = _Refs()
    p.feed(hostile.get(path).text)
    assert p.refs, path
    assert [r for r in p.refs if _off_site(r)] == [], path


def test_static_assets_fetch_nothing_from_elsewhere() -> None:
    from pathlib import Path

    import signalboost.web

    static = Path(signalboost.web.__file__).parent / "static"
    files = [f for f in static.rglob("*") if f.is_file()]
    assert {f.name for f in files} >= {"app.js", "style.css"}
    for f in files:
        text = f.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, f.name
        assert "@import" not in text, f.name
    assert _off_site("https://cdn.example/x.js") and _off_site("//cdn.example/x.js") and not _off_site("/static/a.js")


# -------------------------------------------------------------------------------------- accessibility basics
class _Structure(HTMLParser):
    """Headings, landmarks, names of links, buttons and images, as a screen reader meets them."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.headings: list[int] = []
        self.main = False
        self.problems: list[str] = []
        self._open: list[tuple[str, dict[str, str | None], list[str]]] = []  # a, button, svg being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "main" and a.get("id") == "main":
            self.main = True
        if tag in ("a", "button", "svg"):
            self._open.append((tag, a, []))
        if tag == "title" and self._open and self._open[-1][0] == "svg":
            self._open[-1][2].append("<title>")

    def handle_data(self, data: str) -> None:
        for _, _, text in self._open:
            text.append(data.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("a", "button", "svg") or not self._open or self._open[-1][0] != tag:
            return
        _, a, text = self._open.pop()
        named = "".join(text) or a.get("aria-label") or a.get("aria-labelledby") or a.get("title")
        if tag == "svg":
            if a.get("aria-hidden") != "true" and not (a.get("role") == "img" and "<title>" in text):
                self.problems.append(f"<svg {a}> without role=img and a <title>, and not aria-hidden")
        elif not named:
            self.problems.append(f"<{tag} {a}> has no accessible name")


@pytest.mark.parametrize("path", [*PAGES, "/calendar?view=week", "/influencers/x/1", "/imports/1", "/login"])
def test_pages_have_a_language_one_h1_a_main_landmark_and_named_controls(hostile: TestClient, path: str) -> None:
    p = _Structure()
    p.feed(hostile.get(path).text)
    assert p.lang == "en", path
    assert p.main, f"{path}: no <main id=main> for the skip link"
    assert p.headings.count(1) == 1, (path, p.headings)
    skips = [(a, b) for a, b in zip(p.headings, p.headings[1:], strict=False) if b > a + 1]
    assert skips == [], f"{path}: heading levels skip {skips}"
    assert p.problems == [], (path, p.problems)


def test_the_structure_checker_finds_unnamed_controls() -> None:
    p = _Structure()
    p.feed(
        '<html lang="en"><main id="main"><h1>T</h1><h3>skip</h3><button></button><a href="/x"> </a>'
        '<svg width="3"></svg><svg role="img"><title>ok</title></svg><button aria-label="Close">×</button></main>'
    )
    assert [q.split(" ")[0] for q in p.problems] == ["<button", "<a", "<svg"]
    assert p.headings == [1, 3]
