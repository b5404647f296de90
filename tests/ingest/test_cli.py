"""The ``import``, ``formats``, ``rejects`` and ``stats`` commands, through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signalboost.cli.main import main


def _json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def _new_ws(path: Path) -> Path:
    """A fresh workspace as a user makes one (``signalboost init``): strategy.yaml and exports/, no database."""
    assert main(["init", str(path), "--template", "blank"]) == 0
    return path


def test_import_json_then_stats_and_rejects(
    tmp_path: Path, ingest_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(_new_ws(tmp_path / "ws"))
    capsys.readouterr()
    path = str(ingest_data / "higgs_small.txt")
    assert main(["import", path, "-w", ws, "--output", "json", "--no-progress"]) == 0
    doc = _json(capsys)
    assert isinstance(doc, dict)
    [imp] = doc["imports"]
    # the repeated line is merged within the file; nothing was in the workspace before
    counts = ("rows_read", "rows_loaded", "rows_duplicate", "rows_merged", "rows_rejected")
    assert tuple(imp[k] for k in counts) == (6, 3, 0, 1, 2)
    assert main(["stats", "-w", ws, "--format", "json"]) == 0
    stats = _json(capsys)
    assert isinstance(stats, dict)
    [row] = stats["rows"]
    assert (row["platform"], row["table"], row["rows"]) == ("x", "interactions", 3)
    assert row["first"].startswith("2012-07-01 00:02:52")
    assert main(["rejects", "-w", ws, "--format", "json"]) == 0
    rejects = _json(capsys)
    assert isinstance(rejects, dict)
    assert [r["line"] for r in rejects["rows"]] == [4, 5]
    assert main(["imports", "-w", ws, "--format", "json"]) == 0
    log = _json(capsys)
    assert isinstance(log, dict)
    [entry] = log["rows"]
    assert (entry["format"], entry["status"], entry["rows_rejected"]) == ("higgs-activity", "done", 2)


def test_import_table_summary_mentions_counts(
    tmp_path: Path, ingest_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _new_ws(tmp_path / "ws")
    capsys.readouterr()
    assert main(["import", str(ingest_data / "uci_small.csv"), "-w", str(ws), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "read 4" in out and "rejected 1" in out and "signalboost rejects --import 1" in out


def test_map_option_and_csv_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "p.csv"
    data.write_text("ID,When,Likes\np1,2024-01-02,=1+1\n")
    ws = str(_new_ws(tmp_path / "ws"))
    argv = ["import", str(data), "-w", ws, "-p", "x", "--map", "post_id=ID,created_at=When", "--no-progress"]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["rejects", "-w", ws, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "'=1+1" in out  # formula injection neutralised


def test_formats_lists_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats", "--format", "json"]) == 0
    doc = _json(capsys)
    assert isinstance(doc, dict)
    names = {r["format"] for r in doc["rows"]}
    assert {"x-archive", "mastodon-export", "facebook-uci", "higgs-activity", "edgelist", "generic"} <= names


def test_formats_csv_is_plain_rfc4180(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Our own texts need no formula neutralisation: the CSV cells equal the JSON values (no stray quote)."""
    import csv
    import io

    assert main(["formats", "--format", "json"]) == 0
    rows = _json(capsys)["rows"]
    assert main(["formats", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("\r\n") and out.startswith("format,platform,description,loads\r\n")
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert [r["format"] for r in parsed] == [r["format"] for r in rows]
    for got, want in zip(parsed, rows, strict=True):
        assert got == {k: "" if v is None else v for k, v in want.items()}
    generic = next(r for r in rows if r["format"] == "generic")
    assert generic["platform"] is None  # set by --platform, not a platform name
    assert next(r for r in parsed if r["format"] == "generic")["platform"] == ""
    from signalboost.cli.common import console

    monkeypatch.setattr(console, "_width", 200)  # the table cell on one line, whatever $COLUMNS says
    assert main(["formats"]) == 0
    assert "any (--platform)" in capsys.readouterr().out


def test_a_failed_first_import_leaves_no_workspace_behind(
    tmp_path: Path, ingest_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = tmp_path / "table.csv"
    unknown.write_text("a,b\n1,2\n", encoding="utf-8")
    new = _new_ws(tmp_path / "new-ws")
    before = sorted(p.name for p in new.iterdir())
    capsys.readouterr()
    assert main(["import", str(unknown), "-w", str(new), "-p", "x", "--no-progress"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    # the file is named (several may be imported at once) and its columns are listed for --map
    assert err.startswith(f"Error: {unknown} (--map): cannot tell what the file holds") and "'a', 'b'" in err
    assert sorted(p.name for p in new.iterdir()) == before == ["exports", "strategy.yaml"]  # no database, no lock


def test_a_mistyped_workspace_is_refused_and_nothing_is_created(
    tmp_path: Path, ingest_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import -w`` on a folder that is not a workspace asks for ``signalboost init``, as every other command does."""
    data = str(ingest_data / "uci_small.csv")
    typo = tmp_path / "my-bradn"
    assert main(["import", data, "-w", str(typo), "--no-progress"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert str(typo) in err and "no such workspace folder" in err and "signalboost init DIR" in err
    assert not typo.exists()
    other = tmp_path / "downloads"  # an existing folder that holds neither strategy.yaml nor a database
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["import", data, "-w", str(other), "--no-progress"]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "not a Signalboost workspace" in err and "signalboost init DIR" in err
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]
    assert main(["import", data, "-w", str(_new_ws(tmp_path / "ws")), "--no-progress"]) == 0  # after init: imported


def test_an_earlier_file_of_the_same_command_is_kept_and_reported(
    tmp_path: Path, ingest_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "table.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    ws = _new_ws(tmp_path / "ws")
    capsys.readouterr()
    argv = ["import", str(ingest_data / "uci_small.csv"), str(bad), "-w", str(ws), "--no-progress"]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert "Imported" in out and "uci_small.csv" in out and "Error:" in err
    assert main(["imports", "-w", str(ws), "--format", "json"]) == 0
    [row] = _json(capsys)["rows"]  # type: ignore[index]
    assert row["file"].endswith("uci_small.csv") and row["rows_loaded"] > 0


def test_bad_file_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["import", str(empty), "-w", str(_new_ws(tmp_path / "ws")), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "Error:" in err and "empty" in err and "Traceback" not in err


def test_bad_map_is_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "p.csv"
    data.write_text("a\n1\n")
    assert main(["import", str(data), "-w", str(tmp_path / "ws"), "--map", "nonsense", "--no-progress"]) == 2
    assert "field=Column" in capsys.readouterr().err


def test_ctrl_c_during_a_first_import_leaves_nothing(
    tmp_path: Path, ingest_data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import signalboost.ingest as ingest

    def interrupted(ws, paths, **kwargs):  # type: ignore[no-untyped-def]
        with ws.transaction() as con:  # the database exists by now
            con.execute("SELECT 1")
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "import_files", interrupted)
    ws = _new_ws(tmp_path / "ws")
    assert main(["import", str(ingest_data / "uci_small.csv"), "-w", str(ws), "--no-progress"]) == 130
    assert "Interrupted" in capsys.readouterr().err
    assert sorted(p.name for p in ws.iterdir()) == ["exports", "strategy.yaml"]  # the database it began is gone
