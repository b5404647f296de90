"""Helpers for the importer tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from signalboost.store.workspace import Workspace

INGEST_DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
TABLES = ("accounts", "account_snapshots", "posts", "post_metrics", "follows", "interactions", "rejects")


@pytest.fixture
def ingest_data() -> Path:
    return INGEST_DATA


def counts(ws: Workspace) -> dict[str, int]:
    """Row count of every canonical table (what 'nothing changed' compares)."""
    return {t: int(ws.query(f"SELECT count(*) AS n FROM {t}")["n"][0]) for t in TABLES}


def snapshot(ws: Workspace) -> dict[str, Any]:
    """Every row of every data table (without the import-specific ``source``), to compare states exactly."""
    out: dict[str, Any] = {}
    for t in TABLES[:-1]:
        frame = ws.table(t)
        out[t] = sorted(map(repr, frame.drop("source").rows()))
    return out
