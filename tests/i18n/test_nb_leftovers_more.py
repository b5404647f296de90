"""What a Norwegian reader still saw in English or in a machine's form after the nbpolish session ("Still English"):
rates as fractions in the Analytics page's heatmap cells, group bars and tactics table; the Imports page's format
descriptions and statuses; an ISO date in `plan`'s "no occurrence" note; tactic ids in the calendar tables.

Expected words are the bokmål catalog's and CLDR's, written by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from signalboost import i18n
from signalboost.cli.main import main
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app

from .test_nb_leftovers import planned  # noqa: F401  (the Norwegian cosmetics workspace, a week planned)


def _titles(html: str) -> list[str]:
    """The tooltips (SVG ``<title>``) of the page's charts."""
    return [unescape(t) for t in re.findall(r"<title>([^<]*)</title>", html)]


def test_the_heatmap_and_the_group_bars_show_rates_as_percentages(planned: Workspace) -> None:  # noqa: F811
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    html = client.get("/analytics?lang=nb").text
    tips = _titles(html)
    # a cell: "man. 10: 2,62 % (n=14)" — weekday from CLDR, the rate as the tables write it
    cells = [t for t in tips if re.fullmatch(r"\w+\. \d\d: .* \(n=\d+\)", t)]
    assert cells, tips
    assert all(re.search(r": \d+,\d\d\u00a0% \(n=", c) for c in cells), cells
    data = client.get("/analytics.json").json()
    slot = next(r for r in data["slots"] if r["n_posts"])
    with i18n.use_language("nb"):
        day = i18n.weekday_name(slot["weekday"], "abbreviated")
        expected = (
            f"{day} {slot['slot_hour']:02d}: {i18n.format_percent(slot['expected'], digits=2)} (n={slot['n_posts']})"
        )
    assert expected in cells
    # the format bars: "bilde: 2,45 %" (a mean engagement rate by reach), never "bilde: 0,0245"
    bars = [t for t in tips if re.fullmatch(r"(bilde|video|lenke|tekst): .*", t)]
    assert bars and all(re.fullmatch(r"\w+: \d+,\d\d\u00a0%", b) for b in bars), bars
    assert not [t for t in tips if re.search(r": 0,0\d\d", t)]


def test_the_tactics_table_shows_rate_differences_as_percentages(planned: Workspace) -> None:  # noqa: F811
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    html = client.get("/analytics?lang=nb").text
    section = html[html.index('id="tac-h"') :]
    assert "Månedens glødkonkurranse <span" in section and ">glodkonkurranse <" not in section  # by its name
    cells = re.findall(r'<td class="num">([^<]*?)</td><td>[^<]*</td></tr>', section)
    data = client.get("/analytics.json").json()
    rated = [t for t in data["tactics"] if t["diff"] is not None and t["metric"].startswith("engagement_rate")]
    assert rated, data["tactics"]
    with i18n.use_language("nb"):
        first = i18n.format_percent(rated[0]["diff"], digits=2)
    assert any(unescape(c).startswith(first) for c in cells), (first, cells)
    assert not re.search(r"[−-]?0,00\d\d", " ".join(cells))


def test_the_imports_page_in_norwegian(planned: Workspace) -> None:  # noqa: F811
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/imports?lang=nb").text)))
    assert "Kontoeksport fra Mastodon (zip eller mappe): outbox.json, actor.json, likes.json, CSV-er" in text
    assert "Mastodon account export" not in text and "SNAP-style edge list" not in text
    table = text[text.index("Importhistorikk") : text.index("Formater Signalboost leser")]
    assert " ferdig " in table and " done " not in table, table
    english = client.get("/imports?lang=en").text
    assert "Mastodon account export (zip or folder)" in english and ">done<" in english


def test_a_tactic_without_occurrence_names_its_dates_in_the_readers_language() -> None:
    from signalboost.errors import PlanError
    from signalboost.plan.calendar import plan_calendar
    from tests.plan.test_calendar import MONDAY, strategy

    s = strategy(
        tactics=[{"id": "xmas", "name": "Xmas", "goal": "reach", "rrule": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24"}]
    )
    with pytest.raises(PlanError) as info:
        plan_calendar(s, MONDAY, 4)  # Monday 2 March 2026, four weeks: up to Sunday 29 March
    what = info.value.what
    assert "fra 2. mars 2026 til 29. mars 2026; neste forekomst er 24. des. 2026" in what.render("nb")  # type: ignore[attr-defined]
    assert "from Mar 2, 2026 to Mar 29, 2026; its next occurrence is Dec 24, 2026" in str(what)


def test_the_calendar_tables_name_the_tactic(planned: Workspace, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    # the first Friday of March 2026 (the 6th) holds "Månedens glødkonkurranse" (id glodkonkurranse)
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    html = client.get("/calendar?view=week&date=2026-03-02&lang=nb").text
    assert " · Månedens glødkonkurranse" in unescape(html)
    assert " · glodkonkurranse" not in html
    assert client.get("/calendar.json?view=week&date=2026-03-02").json()  # the JSON twin keeps the id
    for width in ("200", "80"):
        capsys.readouterr()
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("COLUMNS", width)
            assert main(["--lang", "nb", "calendar", "show", "-w", str(planned.root), "--from", "2026-03-02"]) == 0
        out = capsys.readouterr().out
        assert "glødkonkurranse" in out.replace("\n", "") or "Månedens" in out, out
        assert "glodkonkurranse" not in out, out
    i18n.set_override(None)


def test_the_tactic_word_keeps_an_unknown_id() -> None:
    from signalboost.plan.view import tactic_word

    assert tactic_word("glodkonkurranse", {"glodkonkurranse": "Månedens glødkonkurranse"}) == "Månedens glødkonkurranse"
    assert tactic_word("gone", {"glodkonkurranse": "Månedens glødkonkurranse"}) == "gone"
    assert tactic_word(None, None) == ""


def test_dates_with_the_day_spec_follow_the_language() -> None:
    text = i18n.L_("from {first:day}, planned {when}", first=dt.date(2026, 3, 2), when=dt.date(2026, 3, 2))
    assert str(text) == "from Mar 2, 2026, planned 2026-03-02"  # no spec: ISO, as before
    assert text.render("nb") == "from 2. mars 2026, planned 2026-03-02"


def test_the_post_editor_names_the_tactic(planned: Workspace) -> None:  # noqa: F811
    from signalboost.plan.service import load_plan

    start = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    posts = load_plan(planned, start, start + dt.timedelta(days=7))
    tactic_post = next(p for p in posts if p.tactic == "glodkonkurranse")  # Friday 6 March
    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(f"/calendar/post/{tactic_post.id}").text)))
    assert " Månedens glødkonkurranse " in text and "glodkonkurranse" not in text
    doc = client.get(f"/calendar/post/{tactic_post.id}.json").json()
    assert doc["tactic"] == "glodkonkurranse" and doc["tactic_name"] == "Månedens glødkonkurranse"


def test_the_dashboards_ics_names_the_tactic(planned: Workspace) -> None:  # noqa: F811
    import icalendar

    client = TestClient(create_app(planned), base_url="http://127.0.0.1")
    events = icalendar.Calendar.from_ical(client.get("/calendar.ics").text).walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any("Månedens glødkonkurranse" in s for s in summaries), summaries
    assert not any("glodkonkurranse" in s for s in summaries), summaries
