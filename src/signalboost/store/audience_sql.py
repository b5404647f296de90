"""SQL of the audience subsystem: what segmentation reads (bios, texts, engagement with the brand's posts) and
the segments and persona cards it writes (migration 090: ``audience_segments`` holds the latest run per platform,
``audience_runs`` every run's summary and cards)."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from signalboost.store.queries import readable_time

_READS = {
    "accounts": "SELECT account_id, handle, name, bio FROM accounts WHERE platform = ?",
    "texts": (
        "SELECT author_id AS account_id, text, coalesce(language, detected_language) AS language FROM posts "
        "WHERE platform = ? AND text IS NOT NULL "
        "AND text <> ''"
    ),
    "interactions": (
        f"SELECT actor_id, kind, target_post_id, target_account_id, {readable_time('occurred_at')} "
        "FROM interactions WHERE platform = ?"
    ),
    "posts": (
        f"SELECT p.post_id, p.author_id, {readable_time('p.created_at')}, p.format, p.text, "
        "coalesce(p.pillars, (SELECT list(pp.pillar ORDER BY pp.pillar) FROM post_pillars pp "
        "WHERE pp.platform = p.platform AND pp.post_id = p.post_id AND pp.pillar <> '')) AS pillars "
        "FROM posts p WHERE p.platform = ?"
    ),
    "influence": "SELECT account_id, segment FROM influence_scores WHERE platform = ?",
}


def _frame(con: Any, sql: str, params: list[Any]) -> pl.DataFrame:
    frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def read_audience_inputs(con: Any, platform: str) -> dict[str, pl.DataFrame]:
    """Accounts (with bios), post texts, interactions, posts (with pillars, labelled or computed) and the stored
    influence segments of ``platform``."""
    return {name: _frame(con, sql, [platform]) for name, sql in _READS.items()}


def write_segments(con: Any, platform: str, table: pl.DataFrame, run: dict[str, Any]) -> int:
    """Replace the platform's segments with ``table`` (account_id, segment) and record the run (call inside
    ``Workspace.transaction()``: a failure keeps the previous segments)."""
    rows = table.select(  # noqa: F841  (read by DuckDB's replacement scan)
        pl.lit(platform).alias("platform"),
        pl.col("account_id").cast(pl.String),
        pl.lit(run["computed_at"]).alias("computed_at"),
        pl.col("segment").cast(pl.Int32),
    ).to_arrow()
    con.execute("DELETE FROM audience_segments WHERE platform = ?", [platform])
    con.execute("INSERT INTO audience_segments SELECT * FROM rows")
    con.execute(
        "INSERT OR REPLACE INTO audience_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            platform,
            run["computed_at"],
            table.height,
            run["segments"],
            json.dumps(run["summary"], default=str),
            json.dumps(run["cards"], default=str),
            run.get("seconds"),
        ],
    )
    return table.height


def latest_run(con: Any, platform: str) -> dict[str, Any] | None:
    """The platform's latest run: ``computed_at``, counts, ``summary`` and ``cards`` decoded; None when none."""
    row = con.execute(
        "SELECT platform, computed_at, accounts, segments, summary, cards, seconds FROM audience_runs "
        "WHERE platform = ? ORDER BY computed_at DESC LIMIT 1",
        [platform],
    ).fetchone()
    if row is None:
        return None
    return {
        "platform": row[0],
        "computed_at": row[1],
        "accounts": row[2],
        "segments": row[3],
        "summary": json.loads(row[4]),
        "cards": json.loads(row[5]),
        "seconds": row[6],
    }


def read_segments(con: Any, platform: str) -> pl.DataFrame:
    """``account_id, handle, segment`` of the platform's latest run."""
    return _frame(
        con,
        "SELECT s.account_id, a.handle, s.segment FROM audience_segments s LEFT JOIN accounts a "
        "ON a.platform = s.platform AND a.account_id = s.account_id WHERE s.platform = ? "
        "ORDER BY s.segment, s.account_id",
        [platform],
    )
