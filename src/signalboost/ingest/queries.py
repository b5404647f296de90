"""Library reads about imports: what the workspace holds, the imports log, and the rejected rows."""

from __future__ import annotations

from typing import Any

from signalboost.store import ingest_sql as q
from signalboost.store.workspace import Workspace


def workspace_stats(ws: Workspace) -> list[dict[str, Any]]:
    """One row per platform and canonical table: ``rows``, ``first`` and ``last`` time (the table's time column:
    created_at for posts, occurred_at for interactions, observed_at for snapshots, last_seen for follows)."""
    with ws.connect(purpose="read") as con:
        return q.stats_rows(con)


def list_rejects(ws: Workspace, *, import_id: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Rejected rows (import_id, file, line, reason, raw): of one import, or of the latest import of each file."""
    with ws.connect(purpose="read") as con:
        return q.rejects_rows(con, import_id=import_id, limit=limit)


def list_imports(ws: Workspace, *, limit: int = 100) -> list[dict[str, Any]]:
    """The imports log, newest first."""
    with ws.connect(purpose="read") as con:
        return q.imports_rows(con, limit=limit)
