"""``signalboost export --parquet``: files, manifest and errors (no Spark needed)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from signalboost.cli.main import main
from signalboost.errors import UsageError, WorkspaceError
from signalboost.scale.export import export_parquet, read_manifest
from signalboost.store.workspace import Workspace

from .data import fill_workspace


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    fill_workspace(workspace)
    return workspace


def test_export_writes_every_table_and_the_manifest(ws: Workspace, tmp_path: Path) -> None:
    done = export_parquet(ws, tmp_path / "out")
    doc = json.loads((tmp_path / "out" / "manifest.json").read_text())
    # 40 accounts, 40 + 120 interactions on x plus 2 on ig, 30 posts, no metrics
    assert doc["tables"]["accounts"]["rows"] == 40
    assert doc["tables"]["interactions"]["rows"] == 162
    assert doc["tables"]["posts"]["rows"] == 30
    assert doc["tables"]["post_metrics"]["rows"] == 0
    assert doc["platforms"] == ["ig", "x"]
    assert doc["schema_version"] >= 40 and doc["format_version"] == 1
    inter = pl.read_parquet(tmp_path / "out" / "interactions.parquet")
    assert inter.height == 162 and {"platform", "actor_id", "occurred_at", "weight"} <= set(inter.columns)
    assert inter.schema["occurred_at"] == pl.Datetime("us", "UTC")
    assert pl.read_parquet(tmp_path / "out" / "follows.parquet")["active"].dtype == pl.Boolean
    assert done.rows["follows"] == doc["tables"]["follows"]["rows"] == ws.follows().height
    assert read_manifest(tmp_path / "out")["tables"].keys() == done.rows.keys()


def test_export_one_platform_and_some_tables(ws: Workspace, tmp_path: Path) -> None:
    done = export_parquet(ws, tmp_path / "out", tables=["interactions,follows"], platforms=["ig"])
    assert done.rows == {"interactions": 2, "follows": 0}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "follows.parquet",
        "interactions.parquet",
        "manifest.json",
    ]
    assert set(pl.read_parquet(tmp_path / "out" / "interactions.parquet")["platform"]) == {"ig"}


def test_export_refuses_a_non_empty_folder_without_force(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(WorkspaceError, match="not empty") as err:
        export_parquet(ws, out)
    assert "--force" in (err.value.hint or "")
    export_parquet(ws, out, force=True)
    assert (out / "notes.txt").read_text() == "mine" and (out / "accounts.parquet").exists()


def test_export_bad_input(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="'tweets'"):
        export_parquet(ws, tmp_path / "a", tables=["accounts,tweets"])
    with pytest.raises(UsageError, match="'tiktok'") as err:
        export_parquet(ws, tmp_path / "b", platforms=["tiktok"])
    assert "ig, x" in (err.value.hint or "")
    (tmp_path / "file").write_text("x")
    with pytest.raises(WorkspaceError, match="is a file"):
        export_parquet(ws, tmp_path / "file")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_manifest_errors(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no such Parquet folder"):
        read_manifest(tmp_path / "missing")
    with pytest.raises(WorkspaceError, match=r"no manifest\.json"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"format": "signalboost-parquet",\n "tables": ')
    with pytest.raises(WorkspaceError, match="not valid JSON") as err:
        read_manifest(tmp_path)
    assert "manifest.json:2:" in (err.value.where or "")
    (tmp_path / "manifest.json").write_text('{"format": "other", "tables": {}}')
    with pytest.raises(WorkspaceError, match="not a Signalboost Parquet manifest"):
        read_manifest(tmp_path)


def test_cli_export(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["export", "--parquet", str(out), "-w", str(ws.root), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {r["table"]: r["rows"] for r in doc["rows"]}["accounts"] == 40
    assert main(["export", "--parquet", str(out), "-w", str(ws.root)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert main(["export", "--parquet", str(out), "-w", str(ws.root), "--tables", "likes"]) == 2
    assert "'likes'" in capsys.readouterr().err
