"""Fuzz every POST route of the dashboard with hostile values (issue 18, "Must show").

Hypothesis generates, per route, form fields made of hostile numbers (``1e309``, ``nan``, 400-digit integers,
Arabic and full-width digits), dates (``9999-12-31``, ``0000-00-00``, ``+10000-01-01``), nesting (YAML 20,000
deep, aliases, tags), encodings (NUL, lone surrogates' replacement, right-to-left overrides, invalid UTF-8 and broken
multipart bodies) and repeated fields, sent with the session's valid CSRF token (so the values reach the route's
logic) or without it. For every request:

- no 5xx, and no traceback or internal exception name in the answer;
- a refusal (4xx) changes nothing: strategy.yaml's bytes and every table of the workspace are as before.

Budget: ``SIGNALBOOST_FUZZ_EXAMPLES`` examples per route (15 by default, derandomized, so CI runs the same cases
every time); a longer, random run by one command: ``make fuzz`` (2,000 per route). The number of requests made is
printed at the end of the module (``-s`` to see it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from signalboost.web.auth import add_user
from signalboost.web.views.strategy import SECTIONS
from tests.web.conftest import DATA, csrf, seed

EXAMPLES = int(os.environ.get("SIGNALBOOST_FUZZ_EXAMPLES", "15"))
LONG_RUN = "SIGNALBOOST_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG_RUN,
    database=None,
    suppress_health_check=list(HealthCheck),
)
RAN: Counter[str] = Counter()
"""Requests made per route (printed at the end)."""
LEAKS = ("Traceback", "OverflowError", "RecursionError", "ValueError", "KeyError", "TypeError", 'File "/')

# ------------------------------------------------------------------------------------------ hostile values
NUMBERS = st.one_of(
    st.sampled_from(
        [
            "1e309",
            "-1e309",
            "inf",
            "-inf",
            "nan",
            "NaN",
            "Infinity",
            "1e-400",
            "-0",
            "0x10",
            "1_000",
            "١٢",
            "１２",
            "9" * 400,
            "-" + "9" * 400,
            "",
            " ",
            "1,5",
            "1.5",
            "50",
            "100",
            "100.0000000001",
            "2**64",
            "18446744073709551616",
            "-9223372036854775809",
            "\x00",
            "12abc",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
DATES = st.one_of(
    st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01",
            "0000-00-00",
            "2024-02-30",
            "2023-02-29",
            "+10000-01-01",
            "10000-01-01",
            "1969-12-31",
            "2100-12-31",
            "2101-01-01",
            "2024-13-01",
            "2024-1-1",
            "２０２４-01-01",
            "2024-01-01\x00",
            "2024-01-01T25:61",
            "9999-12-31T23:59",
            "0001-01-01T00:00",
            "2024-03-31T02:30",
            "",
        ]
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
)
WEIRD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\ufeffbrand",
        "\u202eevil",
        "a" * 5000,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "=cmd|' /C calc'!A0",
        "x|",
        "|",
        "x|1|2",
        "%00",
        "\ud7ff",
        "\U0001f600" * 100,
        "brand\nfashion",
        "null",
        "None",
        "true",
    ]
)
TEXT = st.one_of(WEIRD_TEXT, st.text(max_size=60))


def _deep_yaml(depth: int, kind: str) -> str:
    if kind == "flow":
        return "[" * depth + "]" * depth
    if kind == "map":
        return "{a: " * depth + "}" * depth
    return "".join(" " * i + "k:\n" for i in range(depth))


YAML = st.one_of(
    st.builds(_deep_yaml, st.integers(1, 20_000), st.sampled_from(["flow", "map"])),
    st.builds(_deep_yaml, st.integers(1, 600), st.just("block")),
    st.sampled_from(
        [
            "name: X\nweight: 1e309",
            "- id: a\n  weight: .inf",
            "- id: a\n  weight: .nan",
            "last_reviewed: 9999-12-31",
            "review_every_days: 99999999999",
            "a: &a [*a]",
            "a: &x 1\nb: *y",
            "!!python/object:os.system x",
            "a: !!binary AAAA",
            "\t- x",
            "a: 1\na: 2",
            "{",
            "]",
            "'",
            "? [a]\n: b",
            "%YAML 9.9\n---\nx",
            "--- 1\n--- 2",
            "a: " + "x" * 10_000,
            "a: [" + ", ".join(["1e309"] * 50) + "]",
            "lol: &a [x, x, x, x, x, x, x, x, x]\nlol2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "lol3: [*b, *b, *b, *b]",
        ]
    ),
    st.text(max_size=200),
)


def _listing(values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(values, min_size=0, max_size=6)


# ---------------------------------------------------------------------------------------------- routes
PLANNED: list[str] = []
"""Ids of the posts the fixture planned (filled before any example runs)."""
ROUTE_FIELDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "/strategy/section": st.fixed_dictionaries(
        {"section": st.one_of(st.sampled_from(SECTIONS), TEXT), "content": YAML, "version": TEXT}
    ),
    "/strategy/pillars": st.fixed_dictionaries(
        {
            "pillar": _listing(st.one_of(st.sampled_from(["brand", "fashion", "beauty", "wellness"]), TEXT)),
            "weight": _listing(NUMBERS),
            "version": TEXT,
        }
    ),
    "/calendar/plan": st.fixed_dictionaries({"start": DATES, "weeks": NUMBERS}),
    "/calendar/move": st.fixed_dictionaries(
        {"post_id": st.one_of(st.deferred(lambda: st.sampled_from(PLANNED)), TEXT), "when": DATES}
    ),
    "/calendar/draft": st.fixed_dictionaries(
        {"post_id": st.one_of(st.deferred(lambda: st.sampled_from(PLANNED)), TEXT), "text": TEXT}
    ),
    "/calendar/alt": st.fixed_dictionaries(
        {
            "post_id": st.one_of(st.deferred(lambda: st.sampled_from(PLANNED)), TEXT),
            "part": NUMBERS,
            "image": NUMBERS,
            "alt": TEXT,
        }
    ),
    "/calendar/approve": st.fixed_dictionaries(
        {"post_id": st.one_of(st.deferred(lambda: st.sampled_from(PLANNED)), TEXT)}
    ),
    "/calendar/unapprove": st.fixed_dictionaries(
        {"post_id": st.one_of(st.deferred(lambda: st.sampled_from(PLANNED)), TEXT)}
    ),
    "/outreach/move": st.fixed_dictionaries(
        {
            "platform": st.one_of(st.just("x"), TEXT),
            "account_id": st.one_of(st.sampled_from(["1", "2"]), TEXT),
            "stage": st.one_of(st.sampled_from(["identified", "warming", "engaged", "partner", "dropped"]), TEXT),
        }
    ),
    "/outreach/add": st.fixed_dictionaries(
        {"platform": st.one_of(st.just("x"), TEXT), "account_id": st.one_of(st.sampled_from(["1", "2"]), TEXT)}
    ),
    "/outreach/log": st.fixed_dictionaries(
        {
            "account": st.one_of(st.sampled_from(["x|1", "x|2"]), TEXT),
            "kind": st.one_of(st.sampled_from(["like", "reply", "dm", "gift"]), TEXT),
            "direction": st.one_of(st.sampled_from(["ours", "theirs"]), TEXT),
            "is_ask": st.sampled_from(["true", "false", "1", "0", "yes", "maybe", "", "\x00"]),
            "note": TEXT,
        }
    ),
    "/influencers/compute": st.fixed_dictionaries({"platform": st.one_of(st.just("x"), TEXT)}),
    # the workspace has no connected account: a known network is refused (404) and nothing is started
    "/connections/sync": st.fixed_dictionaries({"platform": st.one_of(st.sampled_from(["bluesky", "mastodon"]), TEXT)}),
    "/login": st.fixed_dictionaries({"username": TEXT, "password": TEXT}),
    "/logout": st.just({}),
}
UPLOAD_ROUTE = "/imports"
UPLOADS = st.tuples(
    st.one_of(st.sampled_from(["posts.csv", "a.zip", "outbox.json", "x.gz", "../../x.csv", "", "\x00.csv"]), TEXT),
    st.one_of(
        st.sampled_from(
            [
                b"",
                b"PK\x03\x04garbage",
                b"\x1f\x8b\x08\x00garbage",
                b"\xff\xfe\x00\x00",
                b"{" * 50_000,
                b"platform,post_id,created_at,likes\nx,1,9999-12-31,1e309\nx,2,2024-01-01,NaN\n",
                b"post_id,created_at\n1,10000-01-01\n",
                "é,ü\n\u202e,1".encode("utf-16"),
            ]
        ),
        st.binary(max_size=300),
    ),
)
RAW_BODIES = st.tuples(
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "application/json",
            "text/plain; charset=utf-16",
        ]
    ),
    st.one_of(
        st.sampled_from([b"csrf_token=%ZZ&x=%", b"\xff\xfe=\xff", b"a=" + b"%00" * 100, b"--xyz\r\nbroken", b"{]"]),
        st.binary(max_size=200),
    ),
)


# ---------------------------------------------------------------------------------------------- fixture
class Target:
    """One app on one workspace for the whole module, a client with a session, and the workspace's fingerprint."""

    def __init__(self, root: Path) -> None:
        self.ws = Workspace.open(root / "ws", create=True)
        shutil.copy(DATA / "strategy.yaml", self.ws.strategy_path)
        seed(self.ws)
        add_user(self.ws, "fuzz", "fuzz-password")
        self.app = create_app(self.ws)
        self.client = TestClient(self.app, base_url="http://127.0.0.1", raise_server_exceptions=False)
        self.token = csrf(self.client)
        self.client.post("/calendar/plan", data={"csrf_token": self.token, "start": "2024-01-01", "weeks": "2"})
        PLANNED[:] = [p["id"] for p in self.client.get("/calendar.json?date=2024-01-03").json()["posts"]]
        assert PLANNED, "the fixture plans posts"

    def fingerprint(self) -> tuple[Any, ...]:
        """strategy.yaml's bytes and a digest of every table but the sessions (a login is not a change)."""
        with self.ws.connect(purpose="fingerprint") as con:
            tables = [
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE table_name NOT IN ('web_sessions', 'web_users') "
                    "ORDER BY table_name"
                ).fetchall()
            ]
            digests = [
                con.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(CAST(t AS VARCHAR), '|' "
                    f"ORDER BY CAST(t AS VARCHAR)), '')) FROM \"{name}\" t"
                ).fetchone()
                for name in tables
            ]
        return (self.ws.strategy_path.read_bytes(), tuple(zip(tables, digests, strict=True)))

    def check(self, route: str, response: Any, before: tuple[Any, ...]) -> None:
        RAN[route] += 1
        body = response.text
        assert response.status_code < 500, f"{route}: {response.status_code} {body[:500]}"
        for leak in LEAKS:
            assert leak not in body, f"{route}: {leak!r} in the answer: {body[:500]}"
        if response.status_code >= 400:
            self.app.state.ctx.jobs.join(30)
            assert self.fingerprint() == before, f"{route}: refused with {response.status_code} but changed data"


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    root = Path(tempfile.mkdtemp(prefix="sb-fuzz-forms-"))
    try:
        yield Target(root)
    finally:
        print(f"\nfuzzed POST requests: {sum(RAN.values())} ({dict(sorted(RAN.items()))})")
        shutil.rmtree(root, ignore_errors=True)


def test_every_post_route_is_fuzzed(target: Target) -> None:
    posts = {r.path for r in target.app.routes if "POST" in (getattr(r, "methods", None) or ())}
    assert posts == {*ROUTE_FIELDS, UPLOAD_ROUTE}, "a new POST route needs its strategy here"


@pytest.mark.parametrize("route", sorted(ROUTE_FIELDS))
def test_hostile_forms(target: Target, route: str) -> None:
    @FUZZ
    @given(fields=ROUTE_FIELDS[route], with_token=st.booleans(), accept_json=st.booleans())
    def run(fields: dict[str, Any], with_token: bool, accept_json: bool) -> None:
        data = {**fields, **({"csrf_token": target.token} if with_token else {})}
        headers = {"Accept": "application/json"} if accept_json else {}
        before = target.fingerprint()
        response = target.client.post(route, data=data, headers=headers, follow_redirects=False)
        target.check(route, response, before)
        if not with_token:
            assert response.status_code == 403, f"{route} without a token: {response.status_code}"
        if route in ("/login", "/logout") and response.status_code == 303:
            target.token = csrf(target.client)  # a new session: its own token

    run()


def test_hostile_uploads(target: Target) -> None:
    @FUZZ
    @given(upload=UPLOADS, with_token=st.booleans())
    def run(upload: tuple[str, bytes], with_token: bool) -> None:
        name, content = upload
        data = {"csrf_token": target.token} if with_token else {}
        before = target.fingerprint()
        response = target.client.post(UPLOAD_ROUTE, data=data, files={"file": (name, content)}, follow_redirects=False)
        target.check(UPLOAD_ROUTE, response, before)
        target.app.state.ctx.jobs.join(60)
        for job in target.app.state.ctx.jobs.list():
            for leak in LEAKS[:3]:
                assert leak not in (job.error or ""), job.error

    run()


@pytest.mark.parametrize("route", sorted({*ROUTE_FIELDS, UPLOAD_ROUTE}))
def test_broken_bodies(target: Target, route: str) -> None:
    @FUZZ
    @given(body=RAW_BODIES)
    def run(body: tuple[str, bytes]) -> None:
        content_type, raw = body
        before = target.fingerprint()
        response = target.client.post(
            route, content=raw, headers={"Content-Type": content_type}, follow_redirects=False
        )
        target.check(route, response, before)
        assert response.status_code in (400, 403, 413, 422), f"{route}: {response.status_code}"

    run()
