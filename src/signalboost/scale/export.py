"""``signalboost export --parquet``: the canonical tables as Parquet files plus a manifest, for the Spark jobs.

Layout of the folder::

    DIR/accounts.parquet  follows.parquet  interactions.parquet  posts.parquet  post_metrics.parquet
    DIR/manifest.json     {"format": "signalboost-parquet", "format_version": 1, "schema_version": N,
                           "platforms": [...], "tables": {"follows": {"file": "follows.parquet", "rows": N}, ...}}

Every file keeps the table's columns (``platform`` included), so one export serves every platform; the Spark
jobs filter by platform. Files are written by DuckDB ``COPY … (FORMAT PARQUET)`` (SQL in
:mod:`signalboost.store.scale_sql`).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import signalboost
from signalboost.errors import UsageError, WorkspaceError
from signalboost.i18n import L_
from signalboost.store import scale_sql as sql
from signalboost.store.workspace import Workspace

MANIFEST = "manifest.json"
FORMAT = "signalboost-parquet"
FORMAT_VERSION = 1


@dataclass
class ParquetExport:
    """What :func:`export_parquet` wrote: the folder, rows per table, the platforms and the manifest path."""

    folder: Path
    rows: dict[str, int]
    platforms: list[str]
    schema_version: int
    manifest: Path
    files: dict[str, Path] = field(default_factory=dict)


def check_tables(tables: Sequence[str] | None) -> list[str]:
    """The tables to export (all canonical tables by default); unknown names are a usage error."""
    if not tables:
        return list(sql.CANONICAL_TABLES)
    names = [t.strip() for item in tables for t in item.split(",") if t.strip()]
    bad = [t for t in names if t not in sql.CANONICAL_TABLES]
    if bad or not names:
        raise UsageError(
            L_("unknown table(s) {names}", names=", ".join(map(repr, bad))) if bad else L_("no table named"),
            where="--tables",
            hint=L_("Use some of: {choices}", choices=", ".join(sql.CANONICAL_TABLES)),
        )
    return list(dict.fromkeys(names))


def prepare_folder(folder: Path, *, force: bool) -> None:
    """Create ``folder``; an existing non-empty folder is only reused with ``force`` (its Parquet files and
    manifest are then replaced, other files are left alone)."""
    if folder.exists() and not folder.is_dir():
        raise WorkspaceError(
            L_("the export target is a file, not a folder"), where=str(folder), hint=L_("Pick a folder path")
        )
    if folder.exists() and any(folder.iterdir()):
        if not force:
            raise WorkspaceError(
                L_("the export folder exists and is not empty"),
                where=str(folder),
                hint=L_("Pick a new folder, or pass --force to replace its Parquet files"),
            )
        for name in [*sql.CANONICAL_TABLES, "results"]:
            target = folder / (name if name == "results" else f"{name}.parquet")
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        (folder / MANIFEST).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)


def export_parquet(
    ws: Workspace,
    folder: Path,
    *,
    tables: Sequence[str] | None = None,
    platforms: Sequence[str] | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ParquetExport:
    """Write the canonical ``tables`` of ``ws`` (rows of ``platforms`` only, when given) as Parquet in ``folder``
    with a ``manifest.json``; return what was written."""
    names = check_tables(tables)
    folder = Path(folder).expanduser().resolve()
    say = progress or (lambda _m: None)
    with ws.connect(purpose="read") as con:
        present = sql.table_platforms(con, names)
        wanted = list(platforms or [])
        missing = [p for p in wanted if p not in present]
        if missing:
            raise UsageError(
                L_("no data for platform(s) {choices}", choices=", ".join(map(repr, missing))),
                where="--platform",
                hint=L_("Platforms with data: {names}", names=", ".join(present) or L_("none (import data first)")),
            )
        prepare_folder(folder, force=force)
        rows, files = {}, {}
        for name in names:
            say(name)
            path = folder / f"{name}.parquet"
            rows[name] = sql.export_table(con, name, path, wanted or None)
            files[name] = path
        version = sql.schema_version(con)
    manifest = folder / MANIFEST
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": version,
        "signalboost_version": signalboost.__version__,
        "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "workspace": str(ws.root),
        "platforms": wanted or present,
        "tables": {n: {"file": files[n].name, "rows": rows[n]} for n in names},
    }
    manifest.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return ParquetExport(folder, rows, list(doc["platforms"]), version, manifest, files)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of an export folder, checked (clear errors for a missing or foreign folder)."""
    folder = Path(folder).expanduser()
    path = folder / MANIFEST
    if not folder.is_dir():
        raise WorkspaceError(
            L_("no such Parquet folder"),
            where=str(folder),
            hint=L_("Write one with `signalboost export --parquet DIR`"),
        )
    if not path.exists():
        raise WorkspaceError(
            L_("not a Signalboost Parquet export (no manifest.json)"),
            where=str(folder),
            hint=L_("Write one with `signalboost export --parquet DIR`"),
        )
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise WorkspaceError(
            L_("manifest.json is not valid JSON: {msg}", msg=exc.msg),
            where=f"{path}:{exc.lineno}:{exc.colno}",
            hint=L_("Export again with `signalboost export --parquet DIR --force`"),
        ) from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("tables"), dict):
        raise WorkspaceError(
            L_("manifest.json is not a Signalboost Parquet manifest"),
            where=str(path),
            hint=L_("Export again with `signalboost export --parquet DIR --force`"),
        )
    if int(doc.get("format_version", 0)) > FORMAT_VERSION:
        raise WorkspaceError(
            L_(
                "export format {version} is newer than this Signalboost understands",
                version=str(doc.get("format_version")),
            ),
            where=str(path),
            hint=L_("Upgrade Signalboost, or export again with this version"),
        )
    return doc
