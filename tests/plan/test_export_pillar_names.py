"""Calendar exports name a pillar as the strategy does (CATEGORIES, summaries, month grids), never by its id."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import icalendar

from signalboost.plan.calendar import plan_calendar
from signalboost.plan.export import to_html_month, to_ics, to_markdown
from signalboost.store.workspace import Workspace
from signalboost.textsafe import md_escape

from .helpers import strategy

MONDAY = dt.date(2026, 3, 2)
#: a name with the characters iCalendar lists escape (comma, semicolon) and HTML must escape (&, <)
NAMES = {"edu": "How-tos, tips; & <tricks>", "fun": "Fun", "prod": "Our product", "team": "The team"}


def _strategy():  # type: ignore[no-untyped-def]
    s = strategy()
    for p in s.pillars:
        p.name = NAMES[p.id]
    return s


def _categories(event: icalendar.Event) -> list[str]:
    cats = event.get("CATEGORIES")
    blocks = cats if isinstance(cats, list) else [cats]
    return [str(c) for block in blocks for c in block.cats]


def test_ics_categories_and_summary_name_the_pillars() -> None:
    s = _strategy()
    posts = plan_calendar(s, MONDAY, 1)
    # 3 instagram + 5 x slots in a week; the planner fills each with one pillar
    assert len(posts) == 8 and all(len(p.pillars) == 1 for p in posts)
    text = to_ics(posts, stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), names=NAMES)
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}
    for p in posts:
        ev = events[f"{p.id}@signalboost"]
        name = NAMES[p.pillars[0]]
        # network, kind, then the pillar's name: the comma and semicolon inside a name stay in that one category
        assert _categories(ev) == [p.network, p.kind, name], _categories(ev)
        assert f"] {name} · " in str(ev["SUMMARY"]), str(ev["SUMMARY"])
        assert p.pillars[0] not in _categories(ev)
    # without names (no strategy) the ids are all there is
    plain = icalendar.Calendar.from_ical(to_ics(posts[:1], stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    [ev] = plain.walk("VEVENT")
    assert _categories(ev) == [posts[0].network, posts[0].kind, posts[0].pillars[0]]


def test_month_grids_name_the_pillars_in_labels_and_legend() -> None:
    s = _strategy()
    posts = plan_calendar(s, MONDAY, 1)
    md = to_markdown(posts, names=NAMES)
    page = to_html_month(posts, pillars=[p.id for p in s.pillars], names=NAMES)
    for p in posts:
        label = f"{p.local.strftime('%H:%M')} {p.network} {NAMES[p.pillars[0]]}"
        assert md_escape(label) in md, (label, md)
        assert f">{html.escape(label)}</div>" in page, label
    # the legend lists every pillar of the strategy by name (escaped), in the strategy's order
    legend = page.split('<p class="legend">', 1)[1].split("</p>", 1)[0]
    assert [part.split("</i>", 1)[1].split("</span>", 1)[0] for part in legend.split("<span>")[1:]] == [
        "How-tos, tips; &amp; &lt;tricks&gt;",
        "Fun",
        "Our product",
        "The team",
        "curated",
    ]
    assert "<tricks>" not in page


def test_cli_ics_export_names_the_pillars(tmp_path: Path) -> None:
    from signalboost.cli.main import main

    ws = tmp_path / "brand"
    assert main(["init", str(ws), "--template", "cafe"]) == 0
    doc = Workspace.open(ws).strategy()
    names = {p.id: p.name for p in doc.pillars}
    assert any(pid != name for pid, name in names.items())  # the template names differ from the ids
    assert main(["plan", "-w", str(ws), "--weeks", "4", "--from", "2030-01-07"]) == 0
    out = tmp_path / "cal.ics"
    assert main(["calendar", "export", "-w", str(ws), "--ics", "-o", str(out)]) == 0
    events = icalendar.Calendar.from_ical(out.read_text(encoding="utf-8")).walk("VEVENT")
    assert events
    seen = set()
    for ev in events:
        cats = _categories(ev)
        pillar_cats = cats[2:]
        assert all(c in names.values() for c in pillar_cats), (cats, names)
        seen.update(pillar_cats)
    assert seen and not (seen & (set(names) - set(names.values())))
