"""The calendar grid shows each planned post's first line and its state (draft/approved/published/failed)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from signalboost.web.views.calendar import first_line
from tests.planned import planned, store_planned
from tests.web.conftest import XSS_SCRIPT

DAY = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


def _plan(ws: Workspace, posts: list[tuple[str, str, str]]) -> None:
    store_planned(
        ws,
        (
            planned(pid, draft, DAY + dt.timedelta(hours=i), status=status, pillars=(), tactic=None)
            for i, (pid, draft, status) in enumerate(posts)
        ),
        DAY,
    )


def test_first_line() -> None:
    assert first_line("") == ""
    assert first_line("\n\n  Linen week  \nsecond line") == "Linen week"
    assert first_line("x" * 60) == "x" * 60
    assert first_line("x" * 61) == "x" * 59 + "…"  # 60 characters with the ellipsis


def test_month_grid_shows_first_lines_and_states(web_ws: Workspace) -> None:
    _plan(
        web_ws,
        [
            ("sb-a", "Linen week starts\nmore text that stays hidden", "drafted"),
            ("sb-b", "Approved one", "approved"),
            ("sb-c", "Sent one", "published"),
            ("sb-d", f"{XSS_SCRIPT} refused", "failed"),
        ],
    )
    client = TestClient(create_app(web_ws), base_url="http://127.0.0.1")
    html = client.get("/calendar?view=month&date=2026-06-10").text
    for state, line in (
        ("drafted", "Linen week starts"),
        ("approved", "Approved one"),
        ("published", "Sent one"),
        ("failed", "&lt;script&gt;alert(1)&lt;/script&gt; refused"),
    ):
        assert f'<span class="state state-{state}">{state}</span>' in html
        assert f'<p class="first-line">{line}</p>' in html
    assert "more text that stays hidden" not in html  # only the first line in the month grid
    assert XSS_SCRIPT not in html
    data = client.get("/calendar.json?view=month&date=2026-06-10").json()
    assert {p["id"]: (p["status"], p["first_line"]) for p in data["posts"]} == {
        "sb-a": ("drafted", "Linen week starts"),
        "sb-b": ("approved", "Approved one"),
        "sb-c": ("published", "Sent one"),
        "sb-d": ("failed", f"{XSS_SCRIPT} refused"),
    }
