"""Dates on the dashboard in the reader's language (issue #20's leftovers): the competitors' top posts, an
influencer's posts, the outreach history (and the runs' "computed" lines) are written by Babel — ``3. jan. 2024``,
``03.01.2024, 12:00 UTC`` — not as ISO text (``2024-01-03``, ``2024-01-03T12:00``).

Expected dates are written by hand from CLDR's Norwegian patterns (medium date ``d. MMM y``, short date and time
``dd.MM.y, HH:mm``); the English side checks that English pages got Babel's English form.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from signalboost import i18n
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from tests.i18n.test_influence_pages_nb import _visible, market  # noqa: F401  (the competitors' market fixture)

ISO = re.compile(r"\b20\d\d-\d\d-\d\d")


@pytest.fixture(scope="module")
def followed(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Influencer i1 on x with two posts (3 Jan 2024 12:00 UTC and 9 Jan 2024 18:30 UTC), in the pipeline, with
    one touch logged by hand on 2 Feb 2024 and one synced from an interaction on 5 Feb 2024 at 07:15 UTC."""
    from signalboost.outreach import ledger, pipeline
    from signalboost.store import influence_sql as sql

    ws = Workspace.open(tmp_path_factory.mktemp("followed") / "ws", create=True)
    utc = dt.UTC
    with ws.transaction() as con:
        sql.insert_frame(
            con, "accounts", pl.DataFrame({"platform": "x", "account_id": ["B", "i1"], "handle": ["brand", "ida"]})
        )
        sql.insert_frame(
            con,
            "posts",
            pl.DataFrame(
                {
                    "platform": "x",
                    "post_id": ["q1", "q2"],
                    "author_id": "i1",
                    "text": ["Morning run", "Evening bread"],
                    "format": ["video", "photo"],
                    "created_at": [
                        dt.datetime(2024, 1, 3, 12, 0, tzinfo=utc),
                        dt.datetime(2024, 1, 9, 18, 30, tzinfo=utc),
                    ],
                }
            ),
        )
        sql.insert_frame(
            con,
            "interactions",
            pl.DataFrame(
                {
                    "platform": "x",
                    "actor_id": ["i1"],
                    "kind": ["mention"],
                    "target_account_id": ["B"],
                    "occurred_at": [dt.datetime(2024, 2, 5, 7, 15, tzinfo=utc)],
                }
            ),
        )
    ws.strategy_path.write_text("brand:\n  name: B\n  handles:\n    x: brand\n", encoding="utf-8")
    pipeline.add_influencer(ws, "x", "i1", handle="ida")
    ledger.log_touch(ws, "x", "i1", "reply", at=dt.date(2024, 2, 2), note="said hello")
    ledger.sync_from_interactions(ws, brand=[("x", "B")])
    i18n.set_override(None)
    return ws


def _page(client: TestClient, path: str, lang: str) -> str:
    r = client.get(f"{path}?lang={lang}")
    assert r.status_code == 200, r.text[:500]
    return _visible(r.text)


def test_an_influencers_posts_and_the_outreach_history_in_norwegian_dates(followed: Workspace) -> None:
    client = TestClient(create_app(followed), base_url="http://127.0.0.1")
    profile = _page(client, "/influencers/x/i1", "nb")
    assert "03.01.2024, 12:00 UTC" in profile and "09.01.2024, 18:30 UTC" in profile, profile
    assert "bilde" in profile  # the post's format in words too, not "photo"
    outreach = _page(client, "/outreach", "nb")
    assert "2. feb. 2024" in outreach  # logged by hand: a day
    assert "05.02.2024, 07:15 UTC" in outreach  # synced from an interaction: the moment
    for text in (profile, outreach):
        assert not ISO.search(text), ISO.findall(text)
    english = _page(client, "/outreach", "en")
    assert "Feb 2, 2024" in english and "2/5/24, 7:15\u202fAM UTC" in english
    assert not ISO.search(english)


def test_the_competitors_top_posts_in_norwegian_dates(market: Path) -> None:  # noqa: F811
    client = TestClient(create_app(Workspace.open(market)), base_url="http://127.0.0.1")
    text = _page(client, "/competitors", "nb")
    # tests/competitors/test_cli.py's posts are dated 1-12 January 2024 at noon UTC
    days = re.findall(r"\b(\d{1,2})\. jan\. 2024\b", text)
    assert days and {int(d) for d in days} <= set(range(1, 13)), text
    assert not ISO.search(text), ISO.findall(text)


def test_the_date_filters_read_iso_text() -> None:
    with i18n.use_language("nb"):
        assert i18n.format_day("2024-01-03T12:00:00+00:00") == "3. jan. 2024"
        assert i18n.format_day("2024-01-03") == "3. jan. 2024"
        assert i18n.format_when("2024-01-03T12:00:00+00:00") == "03.01.2024, 12:00 UTC"
        assert i18n.format_when("2024-01-03T13:00:00+01:00") == "03.01.2024, 12:00 UTC"  # said in UTC
        assert i18n.format_when(None) == "—" and i18n.format_day("") == "—"
        assert i18n.format_when("not a date") == "not a date"  # shown as it is, never an error
    with i18n.use_language("en"):
        assert i18n.format_day("2024-01-03T12:00:00+00:00") == "Jan 3, 2024"
