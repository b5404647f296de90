from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import icalendar

from signalboost.plan.calendar import plan_calendar
from signalboost.plan.export import round_to_5, to_csv, to_hootsuite_csv, to_html_month, to_ics, to_markdown

from .helpers import strategy

MONDAY = dt.date(2026, 3, 2)
EVIL = '=HYPERLINK("http://evil"); <script>alert(1)</script>, \\ | *x* ' + "é" * 60


def _posts():  # type: ignore[no-untyped-def]
    s = strategy(examples=[{"network": "instagram", "pillar": "edu", "format": "reel", "text": EVIL}])
    return plan_calendar(s, MONDAY, 3)


def test_ics_parses_back_with_icalendar() -> None:
    posts = _posts()
    text = to_ics(posts, stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    cal = icalendar.Calendar.from_ical(text)
    events = cal.walk("VEVENT")
    assert len(events) == len(posts)
    by_uid = {str(e["UID"]): e for e in events}
    for p in posts:
        ev = by_uid[f"{p.id}@signalboost"]
        assert ev.decoded("DTSTART") == p.scheduled_at
        assert int(ev["SEQUENCE"]) == p.sequence
        assert ev.decoded("DTSTAMP") == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Oslo"
    evil = [e for e in events if EVIL in str(e["DESCRIPTION"])]
    assert evil  # escaping and folding round-trip the text exactly


def test_fold_never_splits_a_character() -> None:
    # folding is the icalendar library's (RFC 5545 §3.1): every line at most 75 octets, never inside a character
    posts = _posts()
    long = dataclasses.replace(posts[0], draft="é" * 100)
    text = to_ics([long], stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    ev = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(ev["DESCRIPTION"]).startswith("é" * 100)


def test_csv_neutralises_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(_posts()))))
    evil = [r for r in rows if "HYPERLINK" in r["draft"]]
    assert evil and all(r["draft"].startswith("'=") for r in evil)
    assert (
        rows[0]["date"] == "2026-03-02"
        and rows[0]["time"] == "09:00"
        and rows[0]["scheduled_at_utc"] == "2026-03-02T08:00:00Z"
    )


def test_hootsuite_rules() -> None:
    posts = [p for p in _posts() if p.network == "instagram"]
    now = posts[1].scheduled_at - dt.timedelta(minutes=5)
    text, skipped = to_hootsuite_csv(posts, now=now)
    rows = list(csv.reader(io.StringIO(text)))
    first = next(p for p in posts[2:] if p.draft)  # posts[1] is only 5 minutes ahead; empty drafts are left out
    assert rows[0][0] == first.local.strftime("%d/%m/%Y %H:%M")
    assert first.local.strftime("%a %H:%M") in ("Mon 09:00", "Wed 18:00", "Sat 11:00")
    assert all(len(r) == 3 and r[0][-1] in "05" for r in rows)
    assert any("future" in s for s in skipped) and any("same message" in s for s in skipped)
    assert all(not r[1].startswith("=") for r in rows)


def test_round_to_5() -> None:
    base = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    assert round_to_5(base.replace(minute=2)) == base
    assert round_to_5(base.replace(minute=3)) == base.replace(minute=5)
    assert round_to_5(base.replace(minute=58)) == base.replace(hour=10)


def test_html_is_escaped_and_self_contained() -> None:
    page = to_html_month(_posts(), pillars=["edu", "fun", "prod", "team"])
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "http://" not in page.replace("http://evil", "")  # no external assets
    assert "#0072B2" in page and "March 2026" in page


def test_markdown_grid_escapes_pipes() -> None:
    md = to_markdown(_posts())
    assert "## March 2026" in md and "| Mon | Tue |" in md
    assert "09:00 instagram" in md


def test_ics_with_tzid_and_vtimezone_across_dst() -> None:
    s = strategy(schedule={"networks": {"x": {"min_posts_per_week": 1, "slots": {"sun": ["02:30", "12:00"]}}}})
    posts = plan_calendar(s, dt.date(2026, 3, 23), 2)  # includes Oslo's 2026-03-29 spring forward
    text = to_ics(posts, tzid=True)
    assert "DTSTART;TZID=Europe/Oslo:20260329T033000" in text  # the shifted slot, in local time
    cal = icalendar.Calendar.from_ical(text)
    tz = cal.walk("VTIMEZONE")[0]
    # Oslo changes on 2026-03-29 01:00 UTC (02:00 CET -> 03:00 CEST) and 2026-10-25 01:00 UTC (03:00 -> 02:00)
    starts = {(str(c.name), c.decoded("DTSTART").strftime("%Y%m%dT%H%M")) for c in tz.subcomponents}
    assert ("DAYLIGHT", "20260329T0200") in starts and ("STANDARD", "20261025T0300") in starts
    events = {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    for p in posts:
        assert events[p.id].decoded("DTSTART").astimezone(dt.UTC) == p.scheduled_at


def test_vtimezone_without_transitions() -> None:
    from signalboost.plan.export import vtimezone

    lines = vtimezone("Asia/Tokyo", 2026, 2026)
    assert "TZOFFSETFROM:+0900" in lines and "TZOFFSETTO:+0900" in lines and lines.count("BEGIN:STANDARD") == 1


def _grid_rows(md: str) -> list[str]:
    """The week rows of a Markdown month grid (header and separator left out)."""
    return [line for line in md.splitlines() if line.startswith("| ") and not line.startswith("| Mon")]


def test_markdown_grid_has_no_empty_weeks_around_the_plan() -> None:
    posts = plan_calendar(strategy(), MONDAY, 2)  # Mon 2 to Sun 15 March 2026
    rows = _grid_rows(to_markdown(posts))
    # March 2026 has six Monday-first weeks (23 Feb-1 Mar ... 30 Mar-5 Apr); the plan fills two of them
    assert len(rows) == 2
    assert rows[0].startswith("| **2**") and rows[1].startswith("| **9**")
    assert "**16**" not in "".join(rows) and "**1**" not in "".join(rows)


def test_markdown_grid_keeps_the_weeks_of_the_period_across_months() -> None:
    start = dt.date(2026, 3, 25)  # a Wednesday; two weeks end on Tue 7 April
    posts = plan_calendar(strategy(), start, 2)
    md = to_markdown(posts, period=(start, start + dt.timedelta(weeks=2)))
    march, april = md.split("## April 2026")
    assert "## March 2026" in march
    # March: weeks of 23 and 30 March; April: weeks of 30 March (1-5 April) and 6 April
    assert [r.split("|")[1].strip() for r in _grid_rows(march)] == [
        "**23**",
        "**30**<br>09:00 instagram prod<br>12:00 x edu",
    ]
    assert len(_grid_rows(april)) == 2 and "**13**" not in april
    # a period wider than the posts keeps its weeks (an empty week inside the plan is shown)
    wide = to_markdown(posts, period=(dt.date(2026, 3, 23), dt.date(2026, 4, 20)))
    assert "**19**" in wide and "**20**" not in wide


def test_html_grid_has_no_empty_weeks_around_the_plan() -> None:
    page = to_html_month(plan_calendar(strategy(), MONDAY, 2))
    assert page.count("<tr>") - page.count("<thead><tr>") == 2  # header row left out
    assert '<div class="day">16</div>' not in page


def test_empty_calendar_in_markdown() -> None:
    assert "No planned posts." in to_markdown([])


def _tactic_posts():  # type: ignore[no-untyped-def]
    """A weekly tactic whose id (``qa``) differs from its name, and whose name holds markup."""
    tactic = {
        "id": "qa",
        "name": "Ask <b>me</b> & win",
        "goal": "engagement",
        "rrule": "FREQ=WEEKLY;BYDAY=FR",
        "time": "12:00",
        "networks": ["x"],
    }
    posts = plan_calendar(strategy(tactics=[tactic]), MONDAY, 1)
    assert [p.tactic for p in posts if p.kind == "tactic"] == ["qa"]
    return posts, {"qa": "Ask <b>me</b> & win"}


def test_exports_name_a_tactic_by_the_strategys_name() -> None:
    posts, names = _tactic_posts()
    (post,) = [p for p in posts if p.kind == "tactic"]
    ev = next(
        e
        for e in icalendar.Calendar.from_ical(to_ics(posts, tactics=names)).walk("VEVENT")
        if str(e["UID"]) == f"{post.id}@signalboost"
    )
    assert str(ev["SUMMARY"]) == "[x] tactic Ask <b>me</b> & win · text"
    page = to_html_month(posts, tactics=names)
    assert "12:00 x Ask &lt;b&gt;me&lt;/b&gt; &amp; win" in page and "<b>me</b>" not in page
    assert "x qa<" not in page
    assert "12:00 x Ask \\<b\\>me\\</b\\> & win" in to_markdown(posts, tactics=names)
    # without names (no strategy) the id stays
    assert "[x] tactic qa · text" in [
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(to_ics(posts)).walk("VEVENT")
    ]
