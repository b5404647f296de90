"""`import` (summary, sanity lines, dry run), `imports`, `rejects` and `stats` in Norwegian: every line a person
reads in bokmål, counts in Babel's (CLDR's) Norwegian form; JSON keeps its English keys and texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.numbers import format_decimal

from signalboost.cli.main import main

NB = "nb"


def _uci() -> str:
    from signalboost.demo_data import UCI_FACEBOOK, demo_file

    return str(demo_file(*UCI_FACEBOOK))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out + captured.err


def test_import_summary_in_norwegian(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "--lang", NB, "import", _uci(), "-w", str(ws), "--no-progress")
    loaded = format_decimal(1485, locale=NB)  # 500 posts + 500 metrics + 484 snapshots + 1 account (CLDR: 1 485)
    assert "\u00a0" in loaded
    assert "Importert " in out and f"lest 500, lastet inn {loaded}, fantes i arbeidsområdet 0" in out
    assert "slått sammen 16 (samme nøkkel i filen), avvist 0" in out
    for line in (
        "posts: 500 nye, 0 fantes fra før",
        "lest: tider uten sone lest som Europe/Lisbon (merkevarens tidssone i strategy.yaml)",
        "sjekk: posts.created_at: 2014-01-",  # the date range stays ISO: it is checked, not read as prose
        "rader lastet inn",
        "sjekk: 16 rader gjentok en nøkkel i filen og ble slått sammen til én",
    ):
        assert line in out, line
    for english in ("Imported", "read 500", "already there", "times without a zone", "check:", "rows loaded"):
        assert english not in out, english


def test_import_json_stays_english(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(_run(capsys, "--lang", NB, "import", _uci(), "-w", str(ws), "--no-progress", "-o", "json"))
    [imp] = doc["imports"]
    assert imp["rows_loaded"] == 1485 and imp["rows_merged"] == 16
    assert any(s.startswith("posts.created_at: 2014-01-") for s in imp["sanity"])
    assert any("times without a zone read as" in n for n in imp["notes"])


def test_dry_run_imports_rejects_stats_in_norwegian(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    dry = _run(capsys, "--lang", NB, "import", _uci(), "-w", str(ws), "--dry-run")
    assert "Prøvekjøring – ingenting er skrevet. dataset_Facebook.csv ville blitt lest slik:" in dry
    assert "Ville importert " in dry and "posts: de første 5 radene slik de ville blitt lagret" in dry
    assert "Dry run" not in dry and "Would import" not in dry
    _run(capsys, "import", _uci(), "-w", str(ws), "--no-progress")
    listed = _run(capsys, "--lang", NB, "imports", "-w", str(ws))
    assert "Importer (tider i UTC)" in listed and f"lastet inn {format_decimal(1485, locale=NB)}" in listed
    assert "loaded" not in listed and "already" not in listed
    monkeypatch.setenv("COLUMNS", "120")
    wide = _run(capsys, "--lang", NB, "imports", "-w", str(ws))
    assert "slått sammen" in wide and "fantes: rader som allerede var i arbeidsområdet" in wide
    assert _run(capsys, "--lang", NB, "rejects", "-w", str(ws)).strip() == "Ingen avviste rader."
    stats = _run(capsys, "--lang", NB, "stats", "-w", str(ws))
    assert "Innhold i arbeidsområdet (tider i UTC)" in stats and "tabell" in stats and "rader" in stats
    assert "Workspace contents" not in stats


def test_rejects_table_in_norwegian(ws: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "posts.csv"
    bad.write_text("post_id,created_at,likes\n1,2026-03-02 10:00,4\n2,not a date,5\n3,2026-03-03 11:00,abc\n")
    out = _run(
        capsys,
        "--lang",
        NB,
        "import",
        str(bad),
        "-w",
        str(ws),
        "-p",
        "facebook",
        "--no-progress",
        "--map",
        "post_id=post_id,created_at=created_at,likes=likes",
    )
    assert "rad avvist: se `signalboost rejects --import" in out or "rader avvist: se `signalboost rejects" in out
    table = _run(capsys, "--lang", NB, "rejects", "-w", str(ws))
    assert "Avviste rader (se `signalboost imports` for hele stiene)" in table
    assert "årsak" in table and "linje" in table and "reason" not in table


def test_formats_in_norwegian_json_in_english(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    table = _run(capsys, "--lang", NB, "formats")
    assert "Importformater" in table and "beskrivelse" in table and "Kontoeksport fra Mastodon" in table
    assert "Mastodon account export" not in table and "Import formats" not in table
    doc = json.loads(_run(capsys, "--lang", NB, "formats", "-f", "json"))
    mastodon = next(r for r in doc["rows"] if r["format"] == "mastodon-export")
    assert mastodon["description"].startswith("Mastodon account export")
