"""Demo step: untapped influencers (else, without a follow graph, the thought leaders beyond) enter the pipeline;
partner candidates ranked on the bundled data.

The bundled SNAP Higgs data has no follow graph, so partners' audiences are derived from interactions: the
audience of an account is *the accounts that retweeted, mentioned or replied to it* (``source="interactions"``).
The brand is the account the influence step marked ``is_brand`` (or ``brand.handles``); when neither exists the
account with the largest interaction audience stands in, and the demo says so. Candidates: the 20 largest
audiences after the brand. Written: ``exports/partner-ranking.csv``.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table

from signalboost.demo.context import DemoContext
from signalboost.errors import OutreachError, SignalboostError
from signalboost.i18n import L_
from signalboost.outfiles import write_output
from signalboost.outreach import coverage, ledger, overlap, pipeline
from signalboost.store import outreach_sql as sql
from signalboost.textsafe import csv_text

SOURCE = "interactions"
CANDIDATES = 20
K = 3


def demo_step(ctx: DemoContext) -> None:
    """Run the outreach part of the demo (each half skips with a clear message when its input is absent)."""
    _pipeline_part(ctx)
    _partners_part(ctx)


def _pipeline_part(ctx: DemoContext) -> None:
    out = ctx.console
    try:
        added, total, rows = pipeline.add_untapped(ctx.workspace, limit=50)
    except OutreachError as exc:
        out.print(f"Pipeline: skipped — {exc.message()}", highlight=False)
        return
    kind = "untapped"
    if total == 0:
        rows = _thought_leaders(ctx, limit=50)
        if not rows:
            out.print("Pipeline: no untapped influencers and no thought leaders in the latest scores (nothing to add).")
            return
        kind = "thought-leader"
        added = pipeline.add_many(
            ctx.workspace,
            [(r["platform"], r["account_id"], r["handle"]) for r in rows],
            source="influence",
            note="thought leader beyond the brand's circle (no follow graph: untapped followers cannot be told apart)",
        )
        out.print(
            "Pipeline: no untapped influencers — with no follow graph, a follower who never interacted cannot be "
            f"told apart from a stranger. Instead {added} thought leaders beyond the brand's circle entered as "
            f"[bold]identified[/] (the {len(rows)} best scores; already present: {len(rows) - added}).",
            highlight=False,
        )
    else:
        out.print(
            f"Pipeline: {added} untapped influencers entered as [bold]identified[/] "
            f"(the {len(rows)} best scores of {total} untapped; already present: {len(rows) - added}).",
            highlight=False,
        )
    table = Table(title=f"{kind.capitalize()} influencers now in the pipeline (top 10)")
    for col in ("account", "platform", "score", "stage"):
        table.add_column(col)
    for r in rows[:10]:
        table.add_row(str(r["handle"] or r["account_id"]), r["platform"], f"{r['score']:.1f}", "identified")
    out.print(table)
    try:
        new = ledger.sync_from_interactions(ctx.workspace)
        out.print(f"Ledger: {new:,} touches filled from imported interactions (idempotent on re-run).")
    except OutreachError as exc:
        out.print(f"Ledger: not filled — {exc.message()}", highlight=False)


def _thought_leaders(ctx: DemoContext, limit: int) -> list[dict[str, Any]]:
    """The best-scored thought leaders of the latest influence run (any platform), as pipeline rows."""
    from signalboost.influence.job import stored_influencers

    try:
        frame, _ = stored_influencers(ctx.workspace, segment="thought_leader", top=limit)
    except SignalboostError:  # no influence run: the caller says there is nothing to add
        return []
    return frame.select("platform", "account_id", "handle", "score").to_dicts()


def _partners_part(ctx: DemoContext) -> None:
    ws, out = ctx.workspace, ctx.console
    with ws.connect(purpose="read") as con:
        platform = sql.busiest_platform(con, SOURCE)
    if platform is None:
        out.print("Partners: skipped — no interactions imported (run the import step first).")
        return
    try:
        platform, brand = overlap.resolve_brand(ws, platform)
        who = f"brand account {', '.join(brand)}"
    except OutreachError:
        top = overlap.default_candidates(ws, platform=platform, brand=[], source=SOURCE, top=1)
        brand = top[:1]
        who = f"stand-in brand {brand[0]} (largest interaction audience; no brand account is set)"
    cands = overlap.default_candidates(ws, platform=platform, brand=brand, source=SOURCE, top=CANDIDATES)
    out.print(
        f"Partners on {platform}: {len(cands)} candidates vs {who}. Audiences are derived from interactions "
        "(who retweeted, mentioned or replied to the account): the Higgs data has no follow graph.",
        highlight=False,
    )
    with out.status("Computing audience overlap…"):
        results = overlap.audience_overlap(
            ws, cands, platform=platform, brand=brand, source=SOURCE, threshold=overlap.influence_threshold(ws)
        )
        overlap.save_overlap(ws, results, platform=platform, source=SOURCE)
        chosen = coverage.choose_partners(ws, cands, K, platform=platform, brand=brand, source=SOURCE)
    ranked = overlap.rank_partners(results)
    _print_ranking(ctx, ranked[:10])
    _write_csv(ctx, ranked)
    steps = ", ".join(f"{c} (+{g:,.0f})" for c, g in zip(chosen.chosen, chosen.gains, strict=True))
    bound = chosen.ratio_lower_bound
    out.print(
        f"Chosen {len(chosen.chosen)} partners (greedy maximum coverage): {steps}; "
        f"new reach {chosen.new_reach:,.0f} of at most {chosen.upper_bound:,.0f} possible"
        + (f" (≥ {bound:.0%} of optimal)." if bound else "."),
        highlight=False,
    )
    out.print(f"Guarantee: {chosen.guarantee}.", highlight=False)


def _print_ranking(ctx: DemoContext, ranked: list[overlap.Overlap]) -> None:
    table = Table(title="Partner candidates ranked by new reach (top 10)")
    for col in ("rank", "account", "audience", "shared", "jaccard", "overlap/smaller", "unique reach", "bridges"):
        table.add_column(col, justify="right")
    for i, o in enumerate(ranked, start=1):
        table.add_row(
            str(i),
            o.account_id,
            f"{o.audience:,}",
            f"{o.shared:,.0f}",
            "—" if o.jaccard is None else f"{o.jaccard:.3f}",
            "—" if o.overlap_smaller is None else f"{o.overlap_smaller:.2f}",
            f"{o.unique_reach:,.0f}",
            "—" if o.bridges is None else str(o.bridges),
        )
    ctx.console.print(table)


COUNT_COLUMNS = frozenset({"shared", "unique_reach"})
"""Account counts held as floats (MinHash gives estimates): written as whole numbers, ``1715`` not ``1715.0``."""


def _cell(column: str, value: object) -> object:
    return round(value) if column in COUNT_COLUMNS and isinstance(value, float) else value


def _write_csv(ctx: DemoContext, ranked: list[overlap.Overlap]) -> None:
    path = ctx.workspace.exports_dir / "partner-ranking.csv"
    cols = ["rank", *overlap.Overlap.__dataclass_fields__]
    rows = [[i, *(_cell(c, o.as_dict()[c]) for c in cols[1:])] for i, o in enumerate(ranked, start=1)]
    write_output(path, csv_text(rows, header=cols), what=L_("the partner ranking"))
    ctx.outputs["partner ranking"] = path
