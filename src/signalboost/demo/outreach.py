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

from rich.markup import escape
from rich.table import Table

from signalboost.demo.context import DemoContext
from signalboost.errors import OutreachError, SignalboostError
from signalboost.i18n import L_, N_, NP_, _, format_number, format_percent, pgettext
from signalboost.outfiles import write_output
from signalboost.outreach import coverage, ledger, overlap, pipeline
from signalboost.outreach.words import value_words
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
        out.print(_("Pipeline: skipped — {why}").format(why=exc.message()), highlight=False, markup=False)
        return
    kind = "untapped"
    stage = escape(value_words("identified"))  # the stage's name for people; stored as the identifier
    if total == 0:
        rows = _thought_leaders(ctx, limit=50)
        if not rows:
            out.print(
                _("Pipeline: no untapped influencers and no thought leaders in the latest scores (nothing to add).")
            )
            return
        kind = "thought-leader"
        added = pipeline.add_many(
            ctx.workspace,
            [(r["platform"], r["account_id"], r["handle"]) for r in rows],
            source="influence",
            note="thought leader beyond the brand's circle (no follow graph: untapped followers cannot be told apart)",
        )
        instead = _(
            "Pipeline: no untapped influencers — with no follow graph, a follower who never interacted cannot be "
            "told apart from a stranger. Instead {added} thought leaders beyond the brand's circle entered as "
            "[bold]{stage}[/] (the {n} best scores; already present: {present})."
        )
        said = instead.format(added=added, n=len(rows), present=len(rows) - added, stage=stage)
        out.print(said, highlight=False)
    else:
        entered = _(
            "Pipeline: {added} untapped influencers entered as [bold]{stage}[/] "
            "(the {n} best scores of {total} untapped; already present: {present})."
        )
        said = entered.format(added=added, n=len(rows), total=total, present=len(rows) - added, stage=stage)
        out.print(said, highlight=False)
    if kind == "untapped":
        title = _("Untapped influencers now in the pipeline (top 10)")
    else:
        title = _("Thought-leader influencers now in the pipeline (top 10)")
    table = Table(title=title)
    for col in ("account", "platform", "score", "stage"):
        table.add_column(pgettext("column", col))
    for r in rows[:10]:
        table.add_row(
            escape(str(r["handle"] or r["account_id"])),
            r["platform"],
            format_number(r["score"], digits=1),
            stage,
        )
    out.print(table)
    try:
        new = ledger.sync_from_interactions(ctx.workspace)
        out.print(
            _("Ledger: {n} touches filled from imported interactions (idempotent on re-run).").format(
                n=format_number(new)
            )
        )
    except OutreachError as exc:
        out.print(_("Ledger: not filled — {why}").format(why=exc.message()), highlight=False, markup=False)


def _thought_leaders(ctx: DemoContext, limit: int) -> list[dict[str, Any]]:
    """The best-scored thought leaders of the latest influence run (any platform), as pipeline rows."""
    from signalboost.influence.job import stored_influencers

    try:
        frame, _run = stored_influencers(ctx.workspace, segment="thought_leader", top=limit)
    except SignalboostError:  # no influence run: the caller says there is nothing to add
        return []
    return frame.select("platform", "account_id", "handle", "score").to_dicts()


def _partners_part(ctx: DemoContext) -> None:
    ws, out = ctx.workspace, ctx.console
    with ws.connect(purpose="read") as con:
        platform = sql.busiest_platform(con, SOURCE)
    if platform is None:
        out.print(_("Partners: skipped — no interactions imported (run the import step first)."))
        return
    try:
        platform, brand = overlap.resolve_brand(ws, platform)
        who = _("brand account {accounts}").format(accounts=", ".join(brand))
    except OutreachError:
        top = overlap.default_candidates(ws, platform=platform, brand=[], source=SOURCE, top=1)
        brand = top[:1]
        who = _("stand-in brand {account} (largest interaction audience; no brand account is set)").format(
            account=brand[0]
        )
    cands = overlap.default_candidates(ws, platform=platform, brand=brand, source=SOURCE, top=CANDIDATES)
    partners = _(
        "Partners on {network}: {n} candidates vs {who}. Audiences are derived from interactions "
        "(who retweeted, mentioned or replied to the account): the Higgs data has no follow graph."
    )
    out.print(partners.format(network=platform, n=len(cands), who=who), highlight=False, markup=False)
    with out.status(_("Computing audience overlap…")):
        results = overlap.audience_overlap(
            ws, cands, platform=platform, brand=brand, source=SOURCE, threshold=overlap.influence_threshold(ws)
        )
        overlap.save_overlap(ws, results, platform=platform, source=SOURCE)
        chosen = coverage.choose_partners(ws, cands, K, platform=platform, brand=brand, source=SOURCE)
    ranked = overlap.rank_partners(results)
    _print_ranking(ctx, ranked[:10])
    _write_csv(ctx, ranked)
    steps = ", ".join(f"{c} (+{format_number(g, digits=0)})" for c, g in zip(chosen.chosen, chosen.gains, strict=True))
    bound = chosen.ratio_lower_bound
    if bound:
        said = _(
            "Chosen {n} partners (greedy maximum coverage): {steps}; new reach {reach} of at most {most} possible "
            "(≥ {bound} of optimal)."
        )
    else:
        said = _(
            "Chosen {n} partners (greedy maximum coverage): {steps}; new reach {reach} of at most {most} possible."
        )
    reach, most = format_number(chosen.new_reach, digits=0), format_number(chosen.upper_bound, digits=0)
    text = said.format(n=len(chosen.chosen), steps=steps, reach=reach, most=most, bound=format_percent(bound or 0))
    out.print(text, highlight=False, markup=False)
    out.print(_("Guarantee: {guarantee}.").format(guarantee=_(chosen.guarantee)), highlight=False, markup=False)


#: headers of the demo's tables with a word of their own (``pgettext("column")``)
_COLUMN_WORDS = (NP_("column", "stage"),)


def _print_ranking(ctx: DemoContext, ranked: list[overlap.Overlap]) -> None:
    """The CLI's ``partners rank`` table for the console's width: the narrow one (the deciding columns) below 120
    columns, with its legend; translated headers and Babel numbers."""
    from signalboost.cli.common import OutputFormat
    from signalboost.cli.outreach_common import emit_rows
    from signalboost.cli.partners import narrow_legend, rank_table, ranked_rows

    rows, cols, narrow = rank_table(ranked_rows(ranked, {}), ctx.console.width)
    title = _("Partner candidates ranked by new reach (top 10)")
    emit_rows(rows, OutputFormat.table, title=title, columns=cols, to=ctx.console)
    if narrow:
        ctx.console.print(narrow_legend(SOURCE), highlight=False)


COUNT_COLUMNS = frozenset({"shared", "unique_reach"})
"""Account counts held as floats (MinHash gives estimates): written as whole numbers, ``1715`` not ``1715.0``."""


def _cell(column: str, value: object) -> object:
    return round(value) if column in COUNT_COLUMNS and isinstance(value, float) else value


def _write_csv(ctx: DemoContext, ranked: list[overlap.Overlap]) -> None:
    path = ctx.workspace.exports_dir / "partner-ranking.csv"
    cols = ["rank", *overlap.Overlap.__dataclass_fields__]
    rows = [[i, *(_cell(c, o.as_dict()[c]) for c in cols[1:])] for i, o in enumerate(ranked, start=1)]
    write_output(path, csv_text(rows, header=cols), what=L_("the partner ranking"))
    ctx.outputs[N_("partner ranking")] = path
