"""The bundled SNAP Higgs Twitter activity as interaction rows (platform ``x``), and the demo's brand stand-in.

The file has one action per line, ``userA userB unix_time RT|MT|RE`` (SNAP, see ATTRIBUTION.md). This reader is the
demo's, the backtest's and the benchmarks' own, used when no importer has loaded the file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from signalboost.demo_data import HIGGS_ACTIVITY, demo_file
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace

PLATFORM = "x"
KIND = {"RT": "repost", "MT": "mention", "RE": "reply"}


def read_higgs_activity(path: Path, *, source: str = "higgs-activity") -> pl.DataFrame:
    """The SNAP Higgs activity file (``userA userB unix_time RT|MT|RE``) as interaction rows of platform ``x``.

    This is the demo's and the benchmarks' own reader, used only when no importer has loaded the file.
    """
    raw = pl.read_csv(
        path,
        separator=" ",
        has_header=False,
        new_columns=["actor_id", "target_account_id", "ts", "code"],
        schema_overrides={"actor_id": pl.String, "target_account_id": pl.String, "ts": pl.Int64, "code": pl.String},
    )
    return raw.select(
        pl.lit(PLATFORM).alias("platform"),
        "actor_id",
        pl.col("code").replace_strict(KIND).alias("kind"),
        pl.lit("").alias("target_post_id"),
        "target_account_id",
        pl.from_epoch("ts", time_unit="s").dt.replace_time_zone("UTC").alias("occurred_at"),
        pl.lit(1.0).alias("weight"),
        pl.lit(source).alias("source"),
    )


def ensure_higgs(ws: Workspace, path: Path | None = None) -> int:
    """Load the Higgs activity into the workspace unless interactions of platform ``x`` already exist."""
    with ws.connect(purpose="read") as con:
        row = con.execute("SELECT count(*) FROM interactions WHERE platform = ?", [PLATFORM]).fetchone()
    if row and row[0]:
        return 0
    frame = read_higgs_activity(path or demo_file(*HIGGS_ACTIVITY))
    with ws.transaction(purpose="demo") as con:
        return sql.insert_frame(con, "interactions", frame)


def pick_brand(ws: Workspace) -> tuple[str, int]:
    """The account mentioned by the most distinct accounts (ties: smallest id) and that count."""
    frame = ws.query(
        "SELECT target_account_id AS id, count(DISTINCT actor_id) AS n FROM interactions "
        "WHERE platform = ? AND kind = 'mention' AND target_account_id <> '' "
        "GROUP BY 1 ORDER BY n DESC, id LIMIT 1",
        [PLATFORM],
    )
    return str(frame["id"][0]), int(frame["n"][0])
