from __future__ import annotations

import json
import re
from pathlib import Path

import icalendar
import pytest

from signalboost.cli.main import main

STRATEGY = """
brand: {name: Test, timezone: America/New_York}
ecosystem: [{network: instagram, role: inspiration, formats: [reel]}]
schedule:
  networks:
    instagram: {min_posts_per_week: 2, slots: {mon: ["09:00"], thu: ["18:00"]}}
pillars:
  - {id: edu, name: Edu, weight: 60}
  - {id: fun, name: Fun, weight: 40}
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    (tmp_path / "strategy.yaml").write_text(STRATEGY, encoding="utf-8")
    return tmp_path


def test_plan_json_export_and_move(ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["plan", "-w", str(ws), "--from", "2026-03-02", "--weeks", "2", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["changes"]["added"] == 4 and len(doc["rows"]) == 4
    first = doc["rows"][0]["id"]
    assert main(["calendar", "move", first, "--to", "2026-03-02T10:30", "-w", str(ws)]) == 0
    assert main(["calendar", "status", doc["rows"][1]["id"], "approved", "-w", str(ws)]) == 0
    capsys.readouterr()
    assert main(["plan", "-w", str(ws), "--from", "2026-03-02", "--weeks", "2", "--dry-run", "-f", "json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["changes"]["kept_touched"] == 2 and again["changes"]["added"] == 0
    out = ws / "cal.ics"
    assert main(["calendar", "export", "--ics", "-o", str(out), "-w", str(ws)]) == 0
    events = icalendar.Calendar.from_ical(out.read_text()).walk("VEVENT")
    seq = {str(e["UID"]).split("@")[0]: int(e["SEQUENCE"]) for e in events}
    assert seq[first] == 1
    assert main(["calendar", "export", "--html", "-o", str(ws / "cal.html"), "-w", str(ws)]) == 0
    assert main(["calendar", "export", "--ics", "--tzid", "-o", str(ws / "local.ics"), "-w", str(ws)]) == 0
    assert "TZID=America/New_York" in (ws / "local.ics").read_text()


def test_export_needs_one_format(ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["calendar", "export", "-o", str(ws / "x"), "-w", str(ws)]) == 2
    assert "exactly one format" in capsys.readouterr().err


def test_bad_date_and_unknown_id(ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["plan", "-w", str(ws), "--from", "March"]) == 2
    assert main(["calendar", "move", "sb-nope", "--to", "2026-03-02T10:30", "-w", str(ws)]) == 1
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err and "no planned post" in err


def test_draft_command_marks_drafted(ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["plan", "-w", str(ws), "--from", "2026-03-02", "--weeks", "1", "-f", "json"]) == 0
    first = json.loads(capsys.readouterr().out)["rows"][0]["id"]
    assert main(["calendar", "draft", first[:6], "=cmd|' /C calc'!A0", "-w", str(ws)]) == 0
    assert main(["calendar", "show", "-w", str(ws), "-f", "csv"]) == 0
    out = capsys.readouterr().out
    assert "drafted" in out and "'=cmd" in out  # formula neutralised in CSV output


def test_weeks_out_of_range_and_missing_strategy(ws: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["plan", "-w", str(ws), "--weeks", "0"]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["plan", "-w", str(empty)]) == 1
    assert "strategy.yaml" in capsys.readouterr().err


TWO_NETWORKS = STRATEGY.replace(
    "formats: [reel]}]", "formats: [reel]}, {network: linkedin, role: authority, formats: [text]}]"
).replace('"18:00"]}}', '"18:00"]}}\n    linkedin: {min_posts_per_week: 1, slots: {tue: ["08:00"]}}')


def test_hootsuite_export_counts_each_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "strategy.yaml").write_text(TWO_NETWORKS, encoding="utf-8")
    ws = str(tmp_path)
    assert main(["plan", "-w", ws, "--from", "2030-03-04", "--weeks", "2", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    by_net = {n: [r["id"] for r in rows if r["network"] == n] for n in ("instagram", "linkedin")}
    assert len(by_net["instagram"]) == 4 and len(by_net["linkedin"]) == 2
    for pid in by_net["instagram"]:  # the same message four times: Hootsuite takes only the first
        assert main(["calendar", "draft", pid, "Same words", "-w", ws]) == 0
    for i, pid in enumerate(by_net["linkedin"]):
        assert main(["calendar", "draft", pid, f"Post {i}", "-w", ws]) == 0
    capsys.readouterr()
    assert main(["calendar", "export", "--hootsuite-csv", "-o", str(tmp_path / "hs.csv"), "-w", ws]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert len((tmp_path / "hs-instagram.csv").read_text().splitlines()) == 1
    assert len((tmp_path / "hs-linkedin.csv").read_text().splitlines()) == 2
    assert re.search(r"Wrote 1 post to \S*hs-instagram\.csv; 3 left out \(3 same message as an earlier row", out)
    assert re.search(r"Wrote 2 posts to \S*hs-linkedin\.csv(?!;)", out), out


def test_markdown_export_shows_the_weeks_asked_for(ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["plan", "-w", str(ws), "--from", "2030-03-04", "--weeks", "2"]) == 0
    out = ws / "cal.md"
    args = ["calendar", "export", "--md", "-o", str(out), "-w", str(ws)]
    assert main([*args, "--from", "2030-03-04", "--weeks", "3"]) == 0
    rows = _week_rows(out)
    # March 2030 starts on a Friday: its grid has six weeks; asked for 3 weeks from Monday 4: weeks of 4, 11, 18
    assert [r.split("|")[1].split("<br>")[0].strip() for r in rows] == ["**4**", "**11**", "**18**"]
    assert main(args) == 0  # no period: first to last post (4 to 14 March)
    assert len(_week_rows(out)) == 2
    assert "Wrote 4 posts" in capsys.readouterr().out


def _week_rows(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [r for r in lines if r.startswith("| ") and not r.startswith("| Mon")]


@pytest.mark.parametrize(
    ("change", "place", "words"),
    [
        (("weight: 60", "weight: 50"), "strategy.yaml:8:3 (pillars)", "sum"),
        (
            ('slots: {mon: ["09:00"], thu: ["18:00"]}', "slots: {}"),
            "strategy.yaml:6:47 (schedule.networks.instagram.slots)",
            "no slots",
        ),
        (
            (
                "  - {id: fun, name: Fun, weight: 40}\n",
                "  - {id: fun, name: Fun, weight: 40}\n"
                'tactics:\n  - {id: xmas, name: Xmas, goal: reach, rrule: "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"}\n',
            ),
            "strategy.yaml:11:48 (tactics[0].rrule)",
            "no occurrence",
        ),
    ],
)
def test_plan_errors_name_file_line_and_field(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, change: tuple[str, str], place: str, words: str
) -> None:
    assert change[0] in STRATEGY
    (tmp_path / "strategy.yaml").write_text(STRATEGY.replace(*change), encoding="utf-8")
    assert main(["plan", "-w", str(tmp_path), "--from", "2030-03-04", "--weeks", "4"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert f"Error: {tmp_path / place}: " in err, err  # columns counted by hand on the YAML lines above
    assert words in err and "Traceback" not in err


def test_weeks_without_from_counts_from_today(ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    from zoneinfo import ZoneInfo

    assert main(["plan", "-w", str(ws), "--weeks", "2", "--format", "json"]) == 0  # from next Monday
    everything = json.loads(capsys.readouterr().out)["rows"]
    today = dt.datetime.now(ZoneInfo("America/New_York")).date()
    expected = [r["id"] for r in everything if today <= dt.date.fromisoformat(r["date"]) < today + dt.timedelta(7)]
    assert main(["calendar", "show", "-w", str(ws), "--weeks", "1", "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)["rows"]] == expected
    assert main(["calendar", "show", "-w", str(ws), "--format", "json"]) == 0  # no --weeks: everything
    assert len(json.loads(capsys.readouterr().out)["rows"]) == len(everything) == 4  # 2 slots a week


def test_dry_run_lists_the_changed_posts_and_saves_nothing(ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["plan", "-w", str(ws), "--from", "2026-03-02", "--weeks", "2", "-f", "json"]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    fun = sorted(r["id"] for r in rows if r["pillars"] == ["fun"])
    assert fun  # 40 % of 4 posts
    text = (ws / "strategy.yaml").read_text(encoding="utf-8")
    new_example = 'examples: [{network: instagram, pillar: fun, format: reel, text: "New fun draft"}]\n'
    (ws / "strategy.yaml").write_text(text + new_example, encoding="utf-8")
    assert main([*args, "--dry-run"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted(doc["changed"]) == fun and doc["added"] == [] and doc["removed"] == []
    assert main(["calendar", "show", "-w", str(ws), "-f", "json"]) == 0
    assert all(r["draft"] != "New fun draft" for r in json.loads(capsys.readouterr().out)["rows"])  # not saved


def _events(path: Path) -> dict[str, tuple[str, int]]:
    cal = icalendar.Calendar.from_ical(path.read_text(encoding="utf-8"))
    return {str(e["UID"]).split("@")[0]: (str(e["STATUS"]), int(e["SEQUENCE"])) for e in cal.walk("VEVENT")}


def test_ics_cancels_posts_a_replan_removed(ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    plan = ["plan", "-w", str(ws), "--from", "2026-03-02", "--weeks", "2", "-f", "json"]
    export = ["calendar", "export", "--ics", "-o", str(ws / "cal.ics"), "-w", str(ws)]
    assert main(plan) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    thursday = {r["id"] for r in rows if r["time"] == "18:00"}
    monday = {r["id"] for r in rows if r["time"] == "09:00"}
    assert len(thursday) == len(monday) == 2
    assert main(export) == 0
    capsys.readouterr()
    assert {pid: seq for pid, (_, seq) in _events(ws / "cal.ics").items()} == dict.fromkeys(thursday | monday, 0)
    # the Thursday slot moves to 19:00: new ids; the 18:00 events must be cancelled in the next export
    text = (ws / "strategy.yaml").read_text(encoding="utf-8")
    (ws / "strategy.yaml").write_text(text.replace('thu: ["18:00"]', 'thu: ["19:00"]'), encoding="utf-8")
    assert main(plan) == 0
    later = {r["id"] for r in json.loads(capsys.readouterr().out)["rows"] if r["time"] == "19:00"}
    assert main(export) == 0
    assert "and 2 cancelled (removed by a re-plan)" in " ".join(capsys.readouterr().out.split())
    events = _events(ws / "cal.ics")
    assert {pid: events[pid] for pid in thursday} == dict.fromkeys(thursday, ("CANCELLED", 1))  # 1 > 0 imported
    assert {pid: events[pid][0] for pid in later | monday} == dict.fromkeys(later | monday, "TENTATIVE")
    # back to 18:00: the old ids return with a SEQUENCE above their cancellation; the 19:00 ones are cancelled
    (ws / "strategy.yaml").write_text(text, encoding="utf-8")
    assert main(plan) == 0
    assert main(export) == 0
    events = _events(ws / "cal.ics")
    assert {pid: events[pid] for pid in thursday} == dict.fromkeys(thursday, ("TENTATIVE", 2))
    assert {pid: events[pid] for pid in later} == dict.fromkeys(later, ("CANCELLED", 1))
    assert main(["calendar", "export", "--ics", "-o", str(ws / "ig.ics"), "--network", "x", "-w", str(ws)]) == 1


def test_calendar_exports_name_a_tactic_by_the_strategys_name(ws: Path) -> None:
    text = STRATEGY + (
        "tactics:\n"
        "  - {id: live-qa, name: 'Friday <Live> Q&A', goal: engagement, rrule: 'FREQ=WEEKLY;BYDAY=FR', time: '15:00'}\n"
    )
    (ws / "strategy.yaml").write_text(text, encoding="utf-8")
    assert main(["plan", "-w", str(ws), "--from", "2026-03-02", "--weeks", "1"]) == 0
    assert main(["calendar", "export", "--ics", "-o", str(ws / "cal.ics"), "-w", str(ws)]) == 0
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical((ws / "cal.ics").read_text()).walk("VEVENT")]
    assert "[instagram] tactic Friday <Live> Q&A · reel" in summaries, summaries
    assert not any("live-qa" in s for s in summaries)
    assert main(["calendar", "export", "--html", "-o", str(ws / "cal.html"), "-w", str(ws)]) == 0
    page = (ws / "cal.html").read_text()
    assert "18:00 instagram Friday &lt;Live&gt; Q&amp;A" in page and "<Live>" not in page and "live-qa" not in page
