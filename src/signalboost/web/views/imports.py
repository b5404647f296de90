"""The Imports page: recent imports with their counts, the rejected rows of each, and the upload jobs."""

from __future__ import annotations

from typing import Any

from signalboost.errors import WebError
from signalboost.i18n import L_
from signalboost.store import ingest_sql
from signalboost.store.workspace import Workspace
from signalboost.web.context import READ_TIMEOUT
from signalboost.web.wiring import jsonable_dict, lib, unavailable


def formats() -> list[dict[str, str]]:
    """The importable formats (from the ingest registry), or an empty list."""
    all_formats = lib("signalboost.ingest", "all_formats")
    if all_formats is None:
        return []
    return [{"name": f.name, "description": f.description, "loads": f.loads} for f in all_formats()]


def build(ws: Workspace, jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """Recent imports (newest first), upload jobs, and what can be imported."""
    with ws.connect(purpose="read imports", timeout=READ_TIMEOUT) as con:
        imports = ingest_sql.imports_rows(con)
    out: dict[str, Any] = {"imports": imports, "jobs": jobs, "formats": formats()}
    if lib("signalboost.ingest", "import_files") is None:
        out["upload"] = unavailable("Uploading exports", "signalboost.ingest")
    else:
        out["upload"] = {"available": True}
    return jsonable_dict(out)


def build_one(ws: Workspace, import_id: int) -> dict[str, Any]:
    """One import and its rejected rows (line, reason, raw row)."""
    with ws.connect(purpose="read an import", timeout=READ_TIMEOUT) as con:
        row = ingest_sql.import_row(con, import_id)
        if row is None:
            raise WebError(
                L_("no import #{import_id!s}", import_id=import_id),
                where="imports",
                hint=L_("See the list on the Imports page"),
            )
        rejects = ingest_sql.rejects_rows(con, import_id=import_id, limit=200)
    return jsonable_dict({"import": row, "rejects": rejects})
