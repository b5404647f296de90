"""Demo step: the influencer ranking on the real SNAP Higgs Twitter activity (platform ``x``).

The brand is picked deterministically: the account **mentioned by the most distinct accounts** in the data
(ties: the smallest id), i.e. the conversation's centre — a stand-in for a brand account. It is marked with
``accounts.is_brand``. Higgs has no follow graph, so "follows the brand" is the proxy *has interacted with the
brand*; reach (no follower counts), amplification (no posts) and topic leadership (no hashtags) are unavailable,
and the report says so.
"""

from __future__ import annotations

import polars as pl
from rich.markup import escape

from signalboost.demo.context import DemoContext
from signalboost.demo_data.higgs import PLATFORM, ensure_higgs, pick_brand
from signalboost.i18n import N_, _, format_number
from signalboost.store import influence_sql as sql
from signalboost.textsafe import csv_text

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
    from signalboost.cli.influence import narrow_legend, visible_columns, wide_table
    from signalboost.influence.chart import quadrant_chart
    from signalboost.influence.job import run_influence, stored_influencers
    from signalboost.influence.segments import FOLLOWS_FROM_GRAPH
    from signalboost.influence.words import component_words, segment_words, stored_words, weights_words

    ws, out = ctx.workspace, ctx.console
    loaded = ensure_higgs(ws)
    if loaded:
        out.print(_("Loaded {n} Higgs interactions (no importer had loaded them).").format(n=format_number(loaded)))
    brand, mentions = pick_brand(ws)
    with ws.transaction(purpose="demo") as con:
        sql.mark_brand(con, PLATFORM, brand)
    stand_in = _(
        "Brand stand-in: account [bold]{account}[/] — mentioned by the most distinct accounts ({n}); "
        "marked accounts.is_brand."
    )
    out.print(stand_in.format(account=escape(str(brand)), n=format_number(mentions)))
    with out.status(_("Scoring influencers…")) as status:
        result = run_influence(
            ws, platform=PLATFORM, progress=lambda m: status.update(_("Scoring: {step}").format(step=m))
        )
    for comp, why in result.unavailable.items():  # the run's reasons are English data: said in the reader's words
        unavailable = _("{component} unavailable").format(component=component_words(comp))
        out.print(f"  [yellow]{escape(unavailable)}[/]: {escape(stored_words(str(why)))}")
    score = _("score = {weights}; follows the brand from: {source}").format(
        weights=weights_words(result.weights), source=stored_words(result.follows_source)
    )
    out.print(f"  {escape(score)}")
    counts = result.summary()["segments"]
    shown = ", ".join(
        f"{segment_words(k)} {format_number(v)}"
        for k, v in sorted(counts.items())  # type: ignore[attr-defined]
    )
    out.print("  " + _("segments: {counts}").format(counts=shown))
    full, run = stored_influencers(ws, platform=PLATFORM)  # the stored rows carry the rank the CLI shows
    top = full.filter(pl.col("account_id") != brand).sort("score", descending=True, nulls_last=True).head(10)
    cols = visible_columns(run)

    def show(frame: pl.DataFrame, title: str) -> None:
        """The CLI's influencer table for the console's width: translated headers, segment names, yes/no, Babel
        numbers; the narrow one (the deciding columns) below 120 columns, with its legend."""
        rows, heads, narrow = wide_table(frame, cols, out.width)
        emit_rows(rows, OutputFormat.table, title=title, columns=heads, to=out)
        if narrow:
            out.print(narrow_legend(), highlight=False)

    show(top, _("Top 10 influencers (Higgs, by score)"))
    if result.follows_source == FOLLOWS_FROM_GRAPH:
        untapped, _run = stored_influencers(ws, platform=PLATFORM, segment="untapped", top=10)
        show(untapped, _("Untapped: approach first"))
    else:
        no_graph = _(
            "No follow graph: a follower who never interacted cannot be told apart from a stranger, so nobody is "
            "listed as untapped; the thought leaders beyond the brand's circle instead:"
        )
        out.print(f"  {no_graph}")
        beyond, _run = stored_influencers(ws, platform=PLATFORM, segment="thought_leader", top=10)
        show(beyond, _("Thought leaders beyond"))
    chart = quadrant_chart(full, ws.exports_dir / "influence-quadrant.png", run)
    csv_path = ws.exports_dir / "influencers.csv"
    table = csv_selection(full.drop("top_topics"))
    csv_path.write_text(csv_text(table.iter_rows(), header=table.columns), encoding="utf-8")
    selection = _(
        "influencers.csv: {n} of {total} accounts (top {top} by score and up to {per_segment} per segment "
        "{segments}); all of them: signalboost influencers --format csv"
    ).format(
        n=format_number(table.height),
        total=format_number(full.height),
        top=format_number(CSV_TOP),
        per_segment=format_number(CSV_PER_SEGMENT),
        segments="/".join(segment_words(seg) for seg in CSV_SEGMENTS),  # the CSV holds the ids (thought_leader)
    )
    out.print(f"  {selection}", soft_wrap=True)
    ctx.outputs[N_("influence quadrant chart")] = chart
    ctx.outputs[N_("influencers (CSV)")] = csv_path
