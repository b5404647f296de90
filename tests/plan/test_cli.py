from __future__ import annotations

import json
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
