"""Demo step: the influencer ranking on the real SNAP Higgs Twitter activity (platform ``x``).

The brand is picked deterministically: the account **mentioned by the most distinct accounts** in the data
(ties: the smallest id), i.e. the conversation's centre — a stand-in for a brand account. It is marked with
``accounts.is_brand``. Higgs has no follow graph, so "follows the brand" is the proxy *has interacted with the
brand*; reach (no follower counts), amplification (no posts) and topic leadership (no hashtags) are unavailable,
and the report says so.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from signalboost.demo import DemoContext
from signalboost.demo_data import HIGGS_ACTIVITY, demo_file
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace
from signalboost.textsafe import csv_text

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


CSV_TOP = 1_000
"""Accounts of ``influencers.csv`` taken by score alone."""
CSV_PER_SEGMENT = 1_000
"""At most this many accounts of each named segment (best scores first) join them."""
CSV_SEGMENTS = ("advocate", "untapped", "fan", "thought_leader")


def csv_selection(table: pl.DataFrame, *, top: int = CSV_TOP, per_segment: int = CSV_PER_SEGMENT) -> pl.DataFrame:
    """The demo CSV's rows: the ``top`` best scores plus the ``per_segment`` best of each named segment, by score.

    The whole table (304,691 Higgs accounts, ≈43 MB) is too big for a spreadsheet; ``signalboost influencers``
    gives all of it.
    """
    ranked = table.with_row_index("_i").sort(["score", "_i"], descending=[True, False], nulls_last=True)
    best = ranked.head(top)
    named = (
        ranked.filter(pl.col("segment").is_in(CSV_SEGMENTS)).group_by("segment", maintain_order=True).head(per_segment)
    )
    keep = pl.concat([best["_i"], named["_i"]]).unique()
    return ranked.filter(pl.col("_i").is_in(keep.implode())).drop("_i")


def demo_step(ctx: DemoContext) -> None:
    """Score, segment and store the Higgs accounts; print the top influencers and the untapped list."""
    from signalboost.cli.common import OutputFormat, emit_rows
    from signalboost.cli.influence import _rows, visible_columns
    from signalboost.influence.chart import quadrant_chart
    from signalboost.influence.job import run_influence, stored_influencers
    from signalboost.influence.segments import FOLLOWS_FROM_GRAPH

    ws, out = ctx.workspace, ctx.console
    loaded = ensure_higgs(ws)
    if loaded:
        out.print(f"Loaded {loaded:,} Higgs interactions (no importer had loaded them).")
    brand, mentions = pick_brand(ws)
    with ws.transaction(purpose="demo") as con:
        sql.mark_brand(con, PLATFORM, brand)
    out.print(
        f"Brand stand-in: account [bold]{brand}[/] — mentioned by the most distinct accounts ({mentions:,}); "
        "marked accounts.is_brand."
    )
    with out.status("Scoring influencers…") as status:
        result = run_influence(ws, platform=PLATFORM, progress=lambda m: status.update(f"Scoring: {m}"))
    for comp, why in result.unavailable.items():
        out.print(f"  [yellow]{comp} unavailable[/]: {why}")
    used = ", ".join(f"{c} {w:.0%}" for c, w in result.weights.items() if w > 0)
    out.print(f"  score = {used}; follows the brand from: {result.follows_source}")
    counts = result.summary()["segments"]
    out.print("  segments: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))  # type: ignore[attr-defined]
    top = result.table.filter(pl.col("account_id") != brand).sort("score", descending=True, nulls_last=True).head(10)
    full, run = stored_influencers(ws, platform=PLATFORM)
    cols = visible_columns(run)
    emit_rows(_rows(top, True), OutputFormat.table, title="Top 10 influencers (Higgs, by score)", columns=cols)
    if result.follows_source == FOLLOWS_FROM_GRAPH:
        untapped, _ = stored_influencers(ws, platform=PLATFORM, segment="untapped", top=10)
        emit_rows(_rows(untapped, True), OutputFormat.table, title="Untapped: approach first", columns=cols)
    else:
        out.print(
            "  No follow graph: a follower who never interacted cannot be told apart from a stranger, so nobody is "
            "listed as untapped; the thought leaders beyond the brand's circle instead:"
        )
        beyond, _ = stored_influencers(ws, platform=PLATFORM, segment="thought_leader", top=10)
        emit_rows(_rows(beyond, True), OutputFormat.table, title="Thought leaders beyond", columns=cols)
    chart = quadrant_chart(full, ws.exports_dir / "influence-quadrant.png", run)
    csv_path = ws.exports_dir / "influencers.csv"
    table = csv_selection(full.drop("top_topics"))
    csv_path.write_text(csv_text(table.iter_rows(), header=table.columns), encoding="utf-8")
    out.print(
        f"  influencers.csv: {table.height:,} of {full.height:,} accounts (top {CSV_TOP:,} by score and up to "
        f"{CSV_PER_SEGMENT:,} per segment {'/'.join(CSV_SEGMENTS)}); all of them: "
        "signalboost influencers --format csv",
        soft_wrap=True,
    )
    ctx.outputs["influence quadrant chart"] = chart
    ctx.outputs["influencers (CSV)"] = csv_path
