"""Queries of the sanity summary that ends every import (:mod:`signalboost.ingest.sanity`): over the rows this
import loaded (``source`` = its id), inside the import's transaction."""

from __future__ import annotations

from typing import Any

from signalboost.ingest.base import FIELDS, METRIC_FIELDS
from signalboost.store.ingest_sql import columns, ident

#: The time column of each table whose range the summary states.
TIME_COLUMNS = {"posts": "created_at", "interactions": "occurred_at", "post_metrics": "observed_at"}


def time_range(con: Any, table: str, source: str) -> tuple[Any, Any, int]:
    """``(first, last, rows)`` of the table's time column over the rows of ``source``."""
    col = ident(TIME_COLUMNS[table])
    row = con.execute(f"SELECT min({col}), max({col}), count(*) FROM {table} WHERE source = ?", [source]).fetchone()
    return row[0], row[1], int(row[2])


def filled(con: Any, table: str, source: str) -> tuple[int, dict[str, int]]:
    """``(rows, non-empty cells per column)`` over the rows of ``source`` (lists: non-empty lists)."""
    cols = [c for c in columns(table) if c not in ("platform", "date_only")]
    kinds = dict(FIELDS[table])

    def filled_cells(c: str) -> str:
        if kinds[c] == "string":
            return f"count(nullif({ident(c)}, ''))"
        if kinds[c].startswith("list"):
            return f"count(*) FILTER (WHERE len({ident(c)}) > 0)"
        return f"count({ident(c)})"

    exprs = ", ".join(filled_cells(c) for c in cols)
    row = con.execute(f"SELECT count(*), {exprs} FROM {table} WHERE source = ?", [source]).fetchone()
    return int(row[0]), {c: int(n) for c, n in zip(cols, row[1:], strict=True)}


def metric_shape(con: Any, source: str) -> dict[str, tuple[int, int, int]]:
    """Per metric of the post_metrics of ``source``: ``(count, max, sum)`` of its reported values."""
    exprs = ", ".join(f"count({m}), max({m}), sum({m})" for m in METRIC_FIELDS)
    row = con.execute(f"SELECT {exprs} FROM post_metrics WHERE source = ?", [source]).fetchone()
    out = {}
    for i, m in enumerate(METRIC_FIELDS):
        n, top, total = row[3 * i], row[3 * i + 1], row[3 * i + 2]
        if n:
            out[m] = (int(n), int(top), int(total))
    return out


def repeated_texts(con: Any, source: str) -> int:
    """Posts of ``source`` whose non-empty text (over 20 characters) repeats another's (the same text under two
    ids): ``sum(n - 1)`` over the groups of equal texts.

    Grouped by the texts' 64-bit hashes first (a hash table of numbers, not of the texts: for 2M posts the check
    grew the import's peak by ~107 MB instead of ~194 MB), then exactly, by the text, only over the posts whose
    hash repeats: equal texts have equal hashes, and two different texts that share a hash are still told apart
    by the exact grouping."""
    posts = "FROM posts WHERE source = ? AND text IS NOT NULL AND length(text) > 20"
    row = con.execute(
        f"WITH repeated AS (SELECT hash(text) AS h {posts} GROUP BY 1 HAVING count(*) > 1) "
        f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n {posts} "
        "AND hash(text) IN (SELECT h FROM repeated) GROUP BY text HAVING count(*) > 1)",
        [source, source],
    ).fetchone()
    return int(row[0])
