"""``signalboost partners …``: audience overlap, unique reach, bridge influencers, choosing k partners (greedy
maximum coverage) and monitoring partnerships.

Thin commands over ``signalboost.outreach``: every command is one library call plus printing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, console, err_console, open_ws
from signalboost.cli.outreach_common import KPI_COLUMNS, PlatformOption, as_row, emit_rows, parse_until, resolve
from signalboost.errors import OutreachError
from signalboost.i18n import _, format_number, format_percent, ngettext
from signalboost.outreach import coverage, kpis, overlap, pipeline
from signalboost.store.workspace import Workspace

err = err_console

partners_app = typer.Typer(
    help=(
        "Partner brands and influencers: audience overlap, unique reach, bridge influencers, choosing k partners "
        "(greedy maximum coverage) and monitoring partnerships.\n\n"
        "Example: signalboost partners rank --top 20"
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(partners_app, name="partners")


AudienceOption = typer.Option(
    "follows", "--audience", help="follows (follower graph) or interactions (who interacted with them)."
)
MethodOption = typer.Option("auto", "--method", help="auto (exact up to 50M edges), exact or minhash.")
TopOption = typer.Option(20, "--top", min=1, help="Without candidates: the N accounts with the largest audiences.")
BrandOption = typer.Option(None, "--brand", help="The brand's handle (default: strategy brand.handles).")
CandidatesArg = typer.Argument(None, help="Candidate partners (handles or ids); default: --top N largest audiences.")


def _context(
    ws: Workspace, platform: str | None, brand: str | None, candidates: list[str] | None, top: int, source: str
) -> tuple[str, list[str], list[str], dict[str, str | None]]:
    if brand is not None:
        p, b, _h = resolve(ws, brand, platform)
        platform, brand_ids = p, [b]
    else:
        if platform is None:
            try:
                platform, brand_ids = overlap.resolve_brand(ws, None)
            except OutreachError:
                platform = overlap.default_platform(ws, source)
                if platform is None:
                    raise
                from_follows = source == "follows"
                said = (
                    _("Platform: {network} (the one with the most follows data; pass --platform to choose)")
                    if from_follows
                    else _("Platform: {network} (the one with the most interactions data; pass --platform to choose)")
                )
                err.print(said.format(network=platform), highlight=False)
                platform, brand_ids = overlap.resolve_brand(ws, platform)
        else:
            platform, brand_ids = overlap.resolve_brand(ws, platform)
    handles: dict[str, str | None] = {}
    if candidates:
        ids = []
        for ref in candidates:
            try:
                _p, a, h = pipeline.resolve_account(ws, ref, platform=platform)
            except OutreachError:
                a, h = ref.lstrip("@"), None  # an id seen only in the follow graph
            ids.append(a)
            handles[a] = h
    else:
        overlap.check_method("exact", source)
        ids = overlap.default_candidates(ws, platform=platform, brand=brand_ids, source=source, top=top)
    return platform, brand_ids, ids, handles


NARROW_WIDTH = 120
"""Below this terminal width ``partners rank`` shows its deciding columns only."""
_OVERLAP_COLUMNS = ["rank", "handle", "account_id", "audience", "our_audience", "shared", "jaccard", "jaccard_se"]
_OVERLAP_COLUMNS += ["overlap_smaller", "unique_reach", "bridges", "method"]


@partners_app.command("rank")
def rank_cmd(
    candidates: list[str] | None = CandidatesArg,
    top: int = TopOption,
    audience: str = AudienceOption,
    method: str = MethodOption,
    num_perm: int = typer.Option(overlap.DEFAULT_NUM_PERM, "--num-perm", min=16, help="MinHash signature size."),
    brand: str | None = BrandOption,
    save: bool = typer.Option(False, "--save", help="Store the figures in table partner_overlap (dashboard)."),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Rank candidate partners by the new reach they add (unique reach), then bridge influencers, then low overlap.

    Example: signalboost partners rank @knitco @yarnhub @slowwear

    Example: signalboost partners rank --top 20 -f csv
    """
    ws = open_ws(workspace, read_only=not save, existing=True)
    p, brand_ids, ids, handles = _context(ws, platform, brand, candidates, top, audience)
    with err.status(_("Computing audience overlap of {n} candidates…").format(n=format_number(len(ids)))):
        results = overlap.audience_overlap(
            ws,
            ids,
            platform=p,
            brand=brand_ids,
            source=audience,
            method=method,
            num_perm=num_perm,
            threshold=overlap.influence_threshold(ws),
        )
    if save:
        overlap.save_overlap(ws, results, platform=p, source=audience)
    rows = ranked_rows(results, handles)
    if fmt is OutputFormat.table:
        shown, cols, narrow = rank_table(rows, console.width)
    else:
        shown, cols, narrow = rows, _OVERLAP_COLUMNS, False
    emit_rows(shown, fmt, title=_("Partner candidates"), columns=cols, document={"rows": rows})
    if narrow:
        console.print(narrow_legend(audience), highlight=False)
    if fmt is OutputFormat.table:
        _say_no_new_reach(rows)


def ranked_rows(results: list[overlap.Overlap], handles: dict[str, str | None]) -> list[dict[str, Any]]:
    """``partners rank``'s rows: the candidates best first (``overlap.rank_partners``) with their rank and handle."""
    ranked = enumerate(overlap.rank_partners(results), start=1)
    return [{"rank": i, "handle": handles.get(o.account_id), **o.as_dict()} for i, o in ranked]


def rank_table(rows: list[dict[str, Any]], width: int) -> tuple[list[dict[str, Any]], list[str], bool]:
    """The partner ranking for a terminal ``width`` columns wide (the CLI's and the demo's): its rows, columns, and
    whether it is the narrow one (below ``NARROW_WIDTH``: the deciding columns only, one line per candidate; print
    ``narrow_legend()`` under it). Issue #14: 12 columns folded every cell at 80 columns."""
    if width >= NARROW_WIDTH or not rows:
        return rows, list(_OVERLAP_COLUMNS), False
    short = [
        {
            "rank": r["rank"],
            "account": f"@{r['handle']}" if r.get("handle") else r["account_id"],
            "audience": r.get("audience"),
            "shared": r.get("shared"),
            "unique": r.get("unique_reach"),
            "bridges": r.get("bridges"),
        }
        for r in rows
    ]
    return short, list(short[0]), True


def narrow_legend(source: str = "follows") -> str:
    """The line under the narrow ranking: its short headers spelled out for the audience ``source`` (``follows``:
    followers; ``interactions``: who interacted), and where the other columns are."""
    if source == "interactions":
        text = _(
            "audience = the accounts that interacted with the candidate; shared = those who also interacted with "
            "you; unique = those you do not reach yet; bridges = influential accounts among them outside your "
            "network. Jaccard, its standard error and the method show at {width}+ columns or with --format csv."
        )
    else:
        text = _(
            "audience = the candidate's followers; shared = those who also follow you; unique = those you do not "
            "reach yet; bridges = influential accounts among them outside your network. Jaccard, its standard "
            "error and the method show at {width}+ columns or with --format csv."
        )
    return text.format(width=NARROW_WIDTH)


def _say_no_new_reach(rows: list[dict[str, Any]]) -> None:
    """When every candidate's unique reach is 0 (an ego network: all their followers already follow the brand),
    the ranking cannot be about new reach: say so, and where new reach would come from."""
    if not rows or any(r.get("unique_reach") != 0 for r in rows):
        return
    console.print(
        "[yellow]"
        + _(
            "No candidate adds new reach: every known follower of the {n} candidates already follows you (unique "
            "0), so the order falls back to bridge influencers, then the least overlap. New reach needs accounts "
            "followed by people outside your audience: import their follower lists or run `signalboost partners "
            "fetch-audience HANDLE`."
        ).format(n=format_number(len(rows)))
        + "[/]",
        highlight=False,
    )


def stop_reason(n_chosen: int, k: int, n_candidates: int) -> str | None:
    """Why ``partners choose`` chose fewer than ``k`` (None when it did not stop early)."""
    if n_chosen >= k:
        return None
    if n_candidates <= n_chosen:
        return ngettext(
            "there is only {n} candidate; add more or raise --top",
            "there are only {n} candidates; add more or raise --top",
            n_candidates,
        ).format(n=format_number(n_candidates))
    return _(
        "no other candidate adds new reach — every remaining candidate's audience is already reached by the brand "
        "and the partners chosen"
    )


@partners_app.command("choose")
def choose_cmd(
    candidates: list[str] | None = CandidatesArg,
    k: int = typer.Option(3, "--k", "-k", min=1, help="How many partners to choose."),
    top: int = TopOption,
    audience: str = AudienceOption,
    method: str = MethodOption,
    brand: str | None = BrandOption,
    save: bool = typer.Option(False, "--save", help="Record the chosen partners (and add them to the pipeline)."),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Choose k partners that maximise new reach together (greedy maximum coverage, ≥ 63% of the best choice).

    Example: signalboost partners choose --k 3 --top 20 --save

    Example: signalboost partners choose --audience interactions --k 3   (no follow graph: who interacted)
    """
    ws = open_ws(workspace, read_only=not save, existing=True)
    p, brand_ids, ids, handles = _context(ws, platform, brand, candidates, top, audience)
    with err.status(_("Choosing {k} of {n} candidates…").format(k=format_number(k), n=format_number(len(ids)))):
        result = coverage.choose_partners(ws, ids, k, platform=p, brand=brand_ids, source=audience, method=method)
    if save:
        coverage.save_partners(ws, p, [(c, handles.get(c)) for c in result.chosen])
    rows = [{**r, "handle": handles.get(r["account_id"])} for r in result.rows()]
    doc = {
        "guarantee": result.guarantee,
        "new_reach": result.new_reach,
        "upper_bound": result.upper_bound,
        "ratio_lower_bound": result.ratio_lower_bound,
        "method": result.method,
    }
    why = stop_reason(len(result.chosen), k, len(ids))
    if why:
        doc["stopped_early"] = why
    cols = ["rank", "handle", "account_id", "new_reach_added", "cumulative_new_reach"]
    title = ngettext("{n} partner chosen", "{n} partners chosen", len(rows)).format(n=format_number(len(rows)))
    emit_rows(rows, fmt, title=title, columns=cols, document=doc)
    if why and fmt is OutputFormat.table:
        err.print(
            _("Stopped at {chosen} of {k}: {why}.").format(
                chosen=format_number(len(result.chosen)), k=format_number(k), why=why
            ),
            highlight=False,
        )
    if fmt is OutputFormat.table:
        bound = result.ratio_lower_bound
        reach = _("New reach {reach}; the best possible choice reaches at most {bound}").format(
            reach=format_number(round(result.new_reach)), bound=format_number(round(result.upper_bound))
        )
        tail = (
            _(" (this choice is at least {share} of optimal).").format(share=format_percent(bound))
            if bound is not None
            else "."
        )
        console.print(reach + tail, highlight=False)
        console.print(_("Guarantee: {guarantee}.").format(guarantee=_(result.guarantee)), highlight=False)


@partners_app.command("overlap")
def overlap_cmd(
    candidate: str = typer.Argument(..., help="The candidate partner (handle or id)."),
    audience: str = AudienceOption,
    bridges: int = typer.Option(20, "--bridges", min=0, help="How many bridge influencers to list."),
    brand: str | None = BrandOption,
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """One candidate's overlap with our audience, and the bridge influencers in their audience outside our network.

    Example: signalboost partners overlap @knitco --bridges 10
    """
    ws = open_ws(workspace, read_only=True)
    p, brand_ids, ids, handles = _context(ws, platform, brand, [candidate], 1, audience)
    threshold = overlap.influence_threshold(ws)
    (o,) = overlap.audience_overlap(ws, ids, platform=p, brand=brand_ids, source=audience, threshold=threshold)
    bridge_rows: list[dict[str, Any]] = []
    if threshold is not None and bridges:
        frame = overlap.bridges_of(
            ws, ids[0], platform=p, brand=brand_ids, source=audience, threshold=threshold, limit=bridges
        )
        bridge_rows = frame.to_dicts()
    if fmt is not OutputFormat.table:
        emit_rows(bridge_rows, fmt, document={"overlap": o.as_dict(), "bridges": bridge_rows})
        return
    emit_rows(
        [{"handle": handles.get(o.account_id), **o.as_dict()}], fmt, title=_("Overlap"), columns=_OVERLAP_COLUMNS[1:]
    )
    if threshold is None:
        console.print(_("Bridge influencers: not available (no influence scores; run `signalboost influencers`)."))
    else:
        emit_rows(
            bridge_rows,
            fmt,
            title=_("Bridge influencers (score ≥ {threshold})").format(threshold=format_number(threshold)),
            columns=["account_id", "handle", "score"],
        )


@partners_app.command("status")
def status_cmd(
    partner: str = typer.Argument(..., help="The partner (handle or id)."),
    status: str = typer.Argument(..., help="candidate, chosen, active or ended."),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Set a recorded partnership's status (monitor follows chosen and active partners).

    Example: signalboost partners status @knitco active
    """
    ws = open_ws(workspace, read_only=True)
    try:
        p, a, _h = resolve(ws, partner, platform)
    except OutreachError:
        if platform is None:
            raise
        p, a = platform, partner.lstrip("@")
    coverage.set_partner_status(ws, p, a, status)
    rows = [r for r in coverage.list_partners(ws, platform=p) if r["account_id"] == a]
    emit_rows(rows, fmt, title=_("Partner"), columns=["handle", "account_id", "platform", "status", "started_at"])


@partners_app.command("monitor")
def monitor_cmd(
    window_days: int = typer.Option(kpis.DEFAULT_WINDOW_DAYS, "--window-days", min=1),
    windows: int = typer.Option(kpis.DEFAULT_WINDOWS, "--windows", min=1),
    until: str | None = typer.Option(None, "--until", help="End of the last window (default: now)."),
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Each partnership's KPIs over time (as for influencers): interactions, amplifications, engagement rate.

    Partners chosen with `partners choose --save` are in the pipeline; `signalboost outreach sync` brings their
    imported interactions into the ledger these KPIs read.

    Example: signalboost partners monitor --window-days 7
    """
    rows, trend_rows = coverage.monitor_partners(
        open_ws(workspace, read_only=True), window_days=window_days, count=windows, end=parse_until(until)
    )
    trend = {(t.platform, t.account_id): t for t in trend_rows}
    out = []
    for r in rows:
        t = trend[(r.platform, r.account_id)]
        out.append({**as_row(r), "trend": t.direction})
    emit_rows(out, fmt, title=_("Partnerships"), columns=[*KPI_COLUMNS, "trend"])
