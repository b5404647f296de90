"""`plan` and `calendar` in Norwegian: week tables, pillar mix, notes, dry-run lines and the summary in bokmål,
dates in Babel's (CLDR's) Norwegian form, 80 columns kept in both languages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.dates import format_date, format_skeleton

from signalboost.cli.main import main

NB = "nb"
MONDAY = dt.date(2026, 3, 2)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out + captured.err


def _table_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]


def test_plan_dry_run_in_norwegian(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = _run(capsys, "--lang", NB, "plan", "-w", str(ws), "--from", MONDAY.isoformat(), "--weeks", "2", "--dry-run")
    monday = format_skeleton("MMMEd", MONDAY, locale=NB)  # CLDR: "man. 2. mars"
    assert f"Uke 10 i 2026 (fra {monday}, tider i" in out
    for norwegian in (
        "Søylefordeling: planlagt % (mål %)",
        "Nettverk: fb = facebook",
        "planlagt",
        "ville lagt til",
        "alle",
    ):
        assert norwegian in out, norwegian
    first, last = format_date(MONDAY, locale=NB), format_date(MONDAY + dt.timedelta(days=13), locale=NB)
    assert re.search(rf"\d+ innlegg fra {first} til {last}; ville endret: \d+ lagt til, 0 fjernet", out), out
    for english in ("Week ", "Pillar mix", "Networks:", "would add", "posts from", "planned", " photo ", "removed"):
        assert english not in out, english
    lines = _table_lines(out)
    assert lines and max(len(line) for line in lines) <= 80


def test_plan_notes_are_translated(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tactic without an occurrence in the period, skipped and noted: the note in Norwegian, its date ISO."""
    strategy = ws / "strategy.yaml"
    text = strategy.read_text()
    assert "rrule:" in text
    out = _run(
        capsys,
        "--lang",
        NB,
        "plan",
        "-w",
        str(ws),
        "--from",
        MONDAY.isoformat(),
        "--weeks",
        "1",
        "--dry-run",
        "--skip-empty-tactics",
    )
    notes = [line for line in out.splitlines() if line.startswith("merknad ")]
    assert notes, out
    assert not any("has no occurrence" in n or "strays" in n or "slots a week" in n for n in notes), notes
    assert any("har ingen forekomst" in n or "søylefordelingen" in n for n in notes), notes


def test_calendar_commands_in_norwegian(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    saved = _run(capsys, "--lang", NB, "plan", "-w", str(ws), "--from", MONDAY.isoformat(), "--weeks", "1")
    assert "; lagret: " in saved and "saved:" not in saved
    shown = _run(capsys, "--lang", NB, "calendar", "show", "-w", str(ws))
    assert "Uke 10 i 2026" in shown and "Week" not in shown
    post_id = re.search(r"sb-[0-9a-f]{12}", shown).group(0)  # type: ignore[union-attr]
    status = _run(capsys, "--lang", NB, "calendar", "status", post_id, "approved", "-w", str(ws))
    assert status.strip() == f"{post_id} er godkjent"
    moved = _run(capsys, "--lang", NB, "calendar", "move", post_id, "--to", "2026-03-04T18:30", "-w", str(ws))
    when = format_skeleton("yMMMEd", dt.date(2026, 3, 4), locale=NB)
    assert moved.startswith(f"{post_id} er nå {when} 18:30") and "now at" not in moved
    shown = _run(capsys, "--lang", NB, "calendar", "show", "-w", str(ws))
    assert "godkjent (flyttet)" in shown.replace("\n│", " ").replace("  ", " ") or "(flyttet)" in shown
    target = tmp_path / "k.ics"
    wrote = _run(capsys, "--lang", NB, "calendar", "export", "--ics", "-o", str(target), "-w", str(ws))
    assert re.match(r"Skrev \d+ innlegg til ", wrote) and "Wrote" not in wrote
    assert "Publiseringskalender for " in target.read_text()
    lines = _table_lines(shown)
    assert lines and max(len(line) for line in lines) <= 80


def test_plan_english_unchanged_at_80_columns(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = _run(capsys, "plan", "-w", str(ws), "--from", MONDAY.isoformat(), "--weeks", "2", "--dry-run")
    assert "Week 10 of 2026 (from Mon, Mar 2, times" in out and "Pillar mix: planned % (target %)" in out
    assert re.search(r"\d+ posts from Mar 2, 2026 to Mar 15, 2026; would change: \d+ added", out), out
    lines = _table_lines(out)
    assert lines and max(len(line) for line in lines) <= 80


def test_hootsuite_reasons_in_norwegian(ws: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Posts in the past (or without a draft) are left out of a Hootsuite file; the reasons are in Norwegian."""
    _run(capsys, "plan", "-w", str(ws), "--from", "2020-01-06", "--weeks", "1", "--skip-empty-tactics")
    out = _run(
        capsys, "--lang", NB, "calendar", "export", "--hootsuite-csv", "-o", str(tmp_path / "h.csv"), "-w", str(ws)
    )
    assert "utelatt" in out and "ikke minst 10 minutter fram i tid" in out, out
    assert "left out" not in out and "in the future" not in out
