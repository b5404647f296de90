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


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many import cases the fuzzing suite ran (``tests/ingest/test_fuzz.py``), per strategy."""
    import sys

    fuzz = sys.modules.get("tests.ingest.test_fuzz")
    cases: dict[str, int] = getattr(fuzz, "CASES", {}) if fuzz else {}
    if cases:
        detail = ", ".join(f"{k} {v}" for k, v in sorted(cases.items()))
        terminalreporter.write_line(f"fuzz: {sum(cases.values()):,} import cases ({detail})")
