"""``signalboost imports``: a table that reads at 100 columns; json and csv keep full paths and every column."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from signalboost.cli.ingest import import_table_row
from signalboost.cli.main import main

DEFAULTS = {"higgs-activity": "x", "meta-posts": "facebook", "generic": None}


def test_a_row_shows_the_file_name_and_the_platform_only_when_the_format_does_not_imply_it() -> None:
    row = {
        "import_id": 7,
        "file": "/home/ana/downloads/exports/2026/higgs-activity_time.txt.gz",
        "format": "higgs-activity",
        "platform": "x",
        "status": "done",
        "rows_read": 563069,
        "rows_loaded": 563069,
        "rows_duplicate": 0,
        "rows_merged": None,
        "rows_rejected": 12,
        "finished_at": dt.datetime(2026, 3, 2, 9, 12, 59, tzinfo=dt.UTC),
    }
    assert import_table_row(row, DEFAULTS) == {
        "import_id": "7",
        "finished_at": "2026-03-02 09:12",
        "format": "higgs-activity",
        "file": "higgs-activity_time.txt.gz",
        "rows_read": "563,069",
        "rows_loaded": "563,069",
        "rows_duplicate": "0",
        "rows_merged": "—",  # not recorded: unknown, not 0
        "rows_rejected": "12",
    }
    assert import_table_row(row | {"format": "meta-posts", "platform": "instagram"}, DEFAULTS)["format"] == (
        "meta-posts (instagram)"
    )
    assert import_table_row(row | {"format": "generic", "platform": "tiktok"}, DEFAULTS)["format"] == "generic (tiktok)"
    assert import_table_row(row | {"status": "failed"}, DEFAULTS)["format"] == "higgs-activity [failed]"


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The CLI console at 100 columns whatever $COLUMNS says (restored after: it follows $COLUMNS again)."""
    from signalboost.cli.common import console

    monkeypatch.setattr(console, "_width", 100)
    return console


def test_the_table_fits_100_columns_and_cuts_nothing(demo_ws: Path, wide_console, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["imports", "-w", str(demo_ws)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "…" not in out  # no header or cell truncated
    header = next(line for line in lines if line.lstrip().startswith("id "))
    assert header.split() == ["id", "finished", "format", "read", "loaded", "already", "merged", "rejected", "file"]
    assert "563,069" in out and "/demo_data/" not in out  # the name, not the path
    joined = "".join(line.rstrip() for line in lines)
    assert "higgs-activity_time.txt.gz" in joined.replace(" ", "")


def test_json_and_csv_keep_the_full_path(demo_ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["imports", "-w", str(demo_ws), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert all(Path(r["file"]).is_absolute() for r in rows)
    assert {"import_id", "file", "format", "platform", "status", "rows_read", "rows_rejected"} <= set(rows[0])
    assert main(["imports", "-w", str(demo_ws), "--format", "csv"]) == 0
    parsed = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [p["file"] for p in parsed] == [r["file"] for r in rows]


def test_no_imports_says_what_to_do(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["init", str(tmp_path), "--template", "blank"]) == 0
    capsys.readouterr()
    assert main(["imports", "-w", str(tmp_path)]) == 0
    assert "No imports yet" in capsys.readouterr().out


def test_rejects_table_shows_file_names_and_json_the_paths(tmp_path: Path, wide_console, capsys) -> None:  # type: ignore[no-untyped-def]
    data = Path(__file__).parents[1] / "data" / "ingest" / "uci_small.csv"
    ws = str(tmp_path / "ws")
    assert main(["init", ws, "--template", "blank"]) == 0
    assert main(["import", str(data), "-w", ws, "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["rejects", "-w", ws]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100 and "…" not in out
    row = next(line for line in out.splitlines() if "uci_small.csv" in line)
    assert row.split()[:3] == ["1", "uci_small.csv", "5"]  # import, file name, line (hand-checked in the file)
    assert str(data.parent) not in out
    assert main(["rejects", "-w", ws, "--format", "json"]) == 0
    [reject] = json.loads(capsys.readouterr().out)["rows"]
    assert (reject["file"], reject["line"]) == (str(data), 5)
    assert "Banner" in reject["reason"] and reject["raw"].startswith("90;Banner;")


def test_a_narrow_terminal_lists_imports_as_lines(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from signalboost.cli.common import console

    data = Path(__file__).parents[1] / "data" / "ingest" / "uci_small.csv"
    ws = str(tmp_path / "ws")
    assert main(["init", ws, "--template", "blank"]) == 0
    assert main(["import", str(data), "-w", ws, "--no-progress"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(console, "_width", 50)
    assert main(["imports", "-w", ws]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Imports (times UTC)"
    assert lines[1].startswith("#1 uci_small.csv (facebook-uci, 20")
    # 4 data rows read, one rejected ('Banner'); loaded: 3 posts + 3 metrics + 3 page-like snapshots + 1 account
    assert lines[2] == "    read 4, loaded 10, already there 0, merged 0, rejected 1"
