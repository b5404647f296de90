"""SQL of the scale subsystem: export the canonical tables as Parquet (DuckDB ``COPY``) and load Spark results back.

``export_table`` writes one canonical table (optionally one platform) to a Parquet file; ``read_parquet`` reads
a Parquet file of results into Polars. Loading scores back goes through :func:`influence_sql.write_scores` and
overlap through :func:`outreach_sql.save_partner_overlap`, so the rows are exactly what the single-machine jobs
write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

CANONICAL_TABLES: tuple[str, ...] = ("accounts", "follows", "interactions", "posts", "post_metrics")
"""The tables ``signalboost export --parquet`` writes (DESIGN.md, canonical tables)."""


def _quote_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_table(con: Any, table: str, path: Path, platforms: list[str] | None = None) -> int:
    """``COPY`` table ``table`` (rows of ``platforms`` only, when given) to the Parquet file ``path``; return rows.

    Columns and types are the table's own (timestamps stay ``TIMESTAMP WITH TIME ZONE``, lists stay lists).
    """
    if table not in CANONICAL_TABLES:
        raise ValueError(f"not a canonical table: {table!r}")
    where = ""
    params: list[Any] = []
    if platforms:
        where = " WHERE list_contains(?, platform)"
        params = [platforms]
    con.execute(
        f"COPY (SELECT * FROM {table}{where}) TO {_quote_path(path)} (FORMAT PARQUET, COMPRESSION ZSTD)", params
    )
    row = con.execute(f"SELECT count(*) FROM read_parquet({_quote_path(path)})").fetchone()
    return int(row[0]) if row else 0


def table_platforms(con: Any, tables: list[str]) -> list[str]:
    """The platforms that have rows in any of ``tables``, sorted."""
    union = " UNION ".join(f"SELECT DISTINCT platform FROM {t}" for t in tables if t in CANONICAL_TABLES)
    if not union:
        return []
    return sorted(str(r[0]) for r in con.execute(union).fetchall())


def schema_version(con: Any) -> int:
    """The highest migration applied to the workspace."""
    row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def parquet_columns(con: Any, path: Path) -> list[str]:
    """Column names of a Parquet file."""
    rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_quote_path(path)})").fetchall()
    return [str(r[0]) for r in rows]


def read_parquet(con: Any, path: Path) -> pl.DataFrame:
    """A Parquet file (or a Spark output folder of part files) as a Polars frame."""
    target = path / "*.parquet" if path.is_dir() else path
    frame = pl.from_arrow(con.sql(f"SELECT * FROM read_parquet({_quote_path(target)})").to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame
