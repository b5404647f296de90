"""The import benchmark's same-shape baseline (``benchmarks/bench_ingest.py``) writes exactly the rows the CLI
stores for the same generated file: otherwise its figures would not be the floor of the canonical schema."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from benchmarks import bench_ingest

from signalboost.ingest.pipeline import import_files
from signalboost.store.workspace import Workspace

ROWS = 300


@pytest.mark.parametrize("kind", ["follows", "interactions", "posts"])
def test_the_same_shape_baseline_stores_the_rows_the_cli_stores(
    kind: str, workspace: Workspace, tmp_path: Path
) -> None:
    data = tmp_path / f"{kind}.csv"
    con = duckdb.connect()
    con.execute(f"COPY ({bench_ingest.GENERATORS[kind].format(n=ROWS)}) TO '{data}' (HEADER)")
    con.close()
    import_files(workspace, [data], platform="x", progress=False)
    shape = tmp_path / "shape.duckdb"
    bench_ingest.same_shape(kind, data, target=shape)

    con = duckdb.connect(str(workspace.db_path), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"ATTACH '{shape}' AS shape (READ_ONLY)")
    for table in bench_ingest.SHAPE[kind]:
        counts = con.execute(f"SELECT (SELECT count(*) FROM {table}), (SELECT count(*) FROM shape.{table})").fetchone()
        assert counts == (ROWS, ROWS), table  # no repeat in these 300 generated rows: every row is stored
        for left, right in ((table, f"shape.{table}"), (f"shape.{table}", table)):
            extra = con.execute(f"SELECT * FROM {left} EXCEPT ALL SELECT * FROM {right}").fetchall()
            assert extra == [], f"{left} has rows {right} lacks: {extra[:3]}"
    if kind == "posts":  # hand-checked: post 7's text is 'post number 7 about #topic7'
        assert con.execute("SELECT hashtags FROM shape.posts WHERE post_id = 'p7'").fetchone() == (["topic7"],)
    con.close()
