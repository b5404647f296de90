"""``signalboost influencers`` and ``signalboost influencer HANDLE``: rank, segment and profile influencers."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import typer

from signalboost.cli.common import (
    FormatOption,
    OutputFormat,
    WorkspaceOption,
    console,
    emit_rows,
    err_console,
    open_ws,
    parse_datetime,
)
from signalboost.errors import UsageError
from signalboost.i18n import L_

LIST_COLUMNS = (
    "account",
    "segment",
    "score",
    "rank",
    "reach",
    "authority",
    "amplification",
    "topic",
    "activity",
    "interactions_with_brand",
    "engagement",
    "follows_brand",
    "top_topics",
)
RAW_COLUMNS = (
    "account_id",
    "handle",
    "audience",
    "followers",
    "reach_in_band",
    "pagerank",
    "amplification_raw",
    "posts_per_day",
    "active_share",
    "reciprocity",
)
PERCENTILES = ("score", "reach", "authority", "amplification", "topic", "activity", "reach_in_band")
DEFAULT_TOP = 20


NARROW_WIDTH = 120
"""Below this terminal width the table keeps only the columns that decide (issue #14: tables fit 80 columns)."""
NARROW_COLUMNS = {
    "account": "account",
    "segment": "segment",
    "score": "score",
    "rank": "rank",
    "interactions_with_brand": "inter",
    "engagement": "eng",
    "follows_brand": "follows",
}
"""Column → short header of the narrow table (the legend under it spells them out)."""


def narrow_rows(rows: list[dict[str, Any]], cols: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """The narrow table: the deciding columns under short headers, rank without its share, yes/no for flags."""
    keep = [c for c in cols if c in NARROW_COLUMNS]
    out = []
    for row in rows:
        short: dict[str, Any] = {}
        for c in keep:
            value = row.get(c)
            if c == "rank" and isinstance(value, str):
                value = value.split(" (")[0]
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            short[NARROW_COLUMNS[c]] = value
        out.append(short)
    return out, [NARROW_COLUMNS[c] for c in keep]


def visible_columns(run: dict[str, Any] | None) -> list[str]:
    """The table's columns without the components the run could not compute (they would be all "—")."""
    if not run:
        return list(LIST_COLUMNS)
    hidden = set(run.get("unavailable", {}))
    if "topic" in hidden:
        hidden.add("top_topics")
    if not run.get("brand_account_id"):
        hidden |= {"engagement", "follows_brand", "interactions_with_brand"}
    return [c for c in LIST_COLUMNS if c not in hidden]


def percentile_text(p: float | None) -> str:
    """A percentile with enough decimals to tell the top apart: two significant digits of ``100 − p`` (99.9972 →
    "99.9972", 99.4 → "99.4"), at most 6 decimals."""
    if p is None:
        return "—"
    gap = 100.0 - p
    decimals = 1 if gap >= 1 else min(6, math.ceil(-math.log10(max(gap, 1e-9))) + 1)
    return f"{p:.{decimals}f}"


def top_share(rank: int | None, total: int | None) -> str:
    """``rank`` of ``total`` as "top x %" with two significant digits ("top 0.011 %")."""
    if not rank or not total:
        return "—"
    share = 100.0 * rank / total
    return f"top {share:.2g} %" if share < 10 else f"top {share:.0f} %"


def parse_top(value: str | None, fmt: OutputFormat) -> int | None:
    """``--top``: a positive number or ``all``; default 20 rows in a table or JSON, every row in CSV (a file to open
    in a spreadsheet; the whole JSON of a large network runs to hundreds of MB — ask for it with ``--top all``)."""
    if value is None:
        return None if fmt is OutputFormat.csv else DEFAULT_TOP
    if value.strip().lower() == "all":
        return None
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise UsageError(
            L_("--top must be a positive number or 'all', not {value!r}", value=value),
            where="--top",
            hint=L_("e.g. --top 50"),
        )
    return n


def _rows(frame: Any, table: bool) -> list[dict[str, Any]]:
    out = []
    for row in frame.iter_rows(named=True):
        row["account"] = f"@{row['handle']}" if row.get("handle") else row["account_id"]
        rank, total = row.get("rank"), row.get("ranked")
        if table:
            row["rank"] = f"{rank} ({top_share(rank, total)})" if rank else "—"
            for key in PERCENTILES:
                row[key] = percentile_text(row.get(key)) if row.get(key) is not None else None
            if row.get("engagement") is not None:
                row["engagement"] = f"{float(row['engagement']):.2f}"
        out.append(row)
    return out


influencers_app = typer.Typer(invoke_without_command=True)  # help: the callback's docstring


def register(app: typer.Typer) -> None:
    app.add_typer(influencers_app, name="influencers")
    app.command("influencer")(influencer)


@influencers_app.callback(invoke_without_command=True)
def influencers(
    ctx: typer.Context,
    segment: str = typer.Option(
        None, "--segment", "-s", help="Only one segment: advocate, untapped, fan, thought_leader or other."
    ),
    top: str = typer.Option(
        None, "--top", "-n", help="How many rows: a number or 'all' (default: 20; all with --format csv)."
    ),
    platform: str = typer.Option(None, "--platform", "-p", help="Network (default: the one with most data)."),
    brand: str = typer.Option(None, "--brand", help="The brand's handle or id (default: from the workspace)."),
    stored: bool = typer.Option(False, "--stored", help="Show the last stored run instead of recomputing."),
    chart: Path = typer.Option(None, "--chart", help="Also write the influence × engagement chart (PNG/SVG)."),
    fmt: OutputFormat = FormatOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """Score every account's influence (0–100) and list the accounts by segment, untapped followers first.

    Influence is crossed with the account's interactions with the brand to give the segments: advocates,
    untapped influential followers, fans, thought leaders beyond your circle (defined in the footer).

    The score combines the percentiles of reach, authority, amplification, topic leadership and activity
    (weights in strategy.yaml `influence.weights`; rule `influence.combine`, default tail: one minus the
    weighted geometric mean of the shares of accounts ranking above); the footer shows the weights used and
    the components the data cannot give. CSV lists every account; JSON and CSV carry the raw values behind the
    percentiles.

    Example: signalboost influencers --segment untapped --top 10
    Example: signalboost influencers --format csv > influencers.csv
    Example: signalboost influencers calibrate --apply
    """
    if ctx.invoked_subcommand is not None:
        return
    from signalboost.influence import job

    job.check_segment(segment)
    limit = parse_top(top, fmt)
    ws = open_ws(workspace, read_only=stored, existing=True)  # --stored only reads
    err = err_console
    if not stored:
        with err.status("Scoring influencers…") as status:
            job.run_influence(ws, platform=platform, brand=brand, progress=lambda m: status.update(f"Scoring: {m}"))
    frame, run = job.stored_influencers(ws, platform=platform, segment=segment, top=limit)
    counts = job.segment_counts(ws, run) if run else {}
    rows = _rows(frame, fmt is OutputFormat.table)
    if chart is not None:
        from signalboost.influence.chart import quadrant_chart

        full, _ = job.stored_influencers(ws, platform=platform)
        err.print(f"Chart written to {quadrant_chart(full, chart, run)}")
    title = f"Influencers on {run['platform']}" if run else "Influencers"
    cols = visible_columns(run) if fmt is OutputFormat.table else [*LIST_COLUMNS, *RAW_COLUMNS]
    doc = {"run": run, "segments": counts, "rows": rows}
    narrow = fmt is OutputFormat.table and console.width < NARROW_WIDTH and bool(rows)
    shown, shown_cols = narrow_rows(rows, cols) if narrow else (rows, cols)
    emit_rows(shown, fmt, title=title, columns=shown_cols, document=doc, empty=_empty_text(segment, run, counts))
    if narrow:
        console.print(
            "inter = interactions with the brand, eng = engagement (decayed), follows = follows the brand; "
            f"the score's components (reach, authority, …) show at {NARROW_WIDTH}+ columns or with --format csv.",
            highlight=False,
        )
    if fmt is OutputFormat.table and run:
        _explain(run, counts, ids_shown=any(not r.get("handle") for r in rows))


def _empty_text(segment: str | None, run: dict[str, Any] | None, counts: dict[str, int]) -> str:
    if run is None:
        return "No scores yet: run `signalboost influencers` after importing data."
    if segment:
        from signalboost.influence.segments import empty_segment_reasons

        why = empty_segment_reasons(
            counts,
            follows_source=run.get("follows_brand_from"),
            brand=bool(run.get("brand_account_id")),
            settings=run.get("settings") or {},
        ).get(segment, "")
        return f"No account in segment {segment}" + (f": {why}." if why else ".")
    return "No scored accounts."


@influencers_app.command("calibrate")
def calibrate(
    platform: str = typer.Option(None, "--platform", "-p", help="Network (default: the one with most data)."),
    validation_cut: str = typer.Option(
        None, "--validation-cut", help="Fit before this time, YYYY-MM-DDTHH:MM UTC (default: 60 % into the history)."
    ),
    cut: str = typer.Option(
        None, "--cut", help="Report from this later time, YYYY-MM-DDTHH:MM UTC (default: 80 % into the history)."
    ),
    replicates: int = typer.Option(200, "--replicates", min=20, help="Bootstrap replicates of the intervals."),
    apply: bool = typer.Option(False, "--apply", help="Write the calibrated weights into strategy.yaml."),
    fmt: OutputFormat = FormatOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """Fit the influence score's weights on your own history and show what they gain over simple counts.

    A temporal backtest: the components are computed from the history before a cut and scored against the
    attention (reposts, quotes, replies, mentions) each account receives after it. The weights (non-negative) are
    fitted on a validation cut and reported on a later one they never saw: NDCG@100 and Spearman over the
    receiving accounts, with bootstrap intervals, against in-degree (distinct accounts interacting), interactions
    received, plain PageRank and the follower count. Refuses, saying why, when the history is too short or thin.

    Example: signalboost influencers calibrate
    Example: signalboost influencers calibrate --apply
    """
    from signalboost.influence import job
    from signalboost.influence.calibrate import apply_weights

    ws = open_ws(workspace, read_only=not apply, existing=True)
    v_at = _utc(validation_cut, "--validation-cut")
    r_at = _utc(cut, "--cut")
    with err_console.status("Backtesting the influence score…"):
        plat, cal = job.calibrate_influence(ws, platform=platform, validation_cut=v_at, cut=r_at, replicates=replicates)
    rows = [
        {k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}
        for r in cal.report.iter_rows(named=True)
    ]
    doc = {
        "platform": plat,
        "validation_cut": cal.validation_cut.isoformat(),
        "reported_cut": cal.reported_cut.isoformat(),
        "weights": cal.weights,
        "current_weights": cal.current,
        "validation_objective": {"calibrated": cal.objective, "current": cal.current_objective},
        "accounts": cal.accounts,
        "accounts_receiving": cal.receiving,
        "rows": rows,
    }
    path = None
    if apply:
        path = apply_weights(ws.strategy_path, cal)
        doc["applied_to"] = str(path)
    if fmt is not OutputFormat.table:
        emit_rows(rows, fmt, document=doc)
        return
    _print_calibration(plat, cal, path)


def _utc(value: str | None, option: str) -> Any:
    import datetime as dt

    if value is None:
        return None
    when = parse_datetime(value, option)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _print_calibration(platform: str, cal: Any, path: Path | None) -> None:
    from rich.markup import escape
    from rich.table import Table

    from signalboost.cli.common import console
    from signalboost.influence.backtest import BASELINES, CALIBRATED

    def ci(row: dict[str, Any], key: str, signed: bool = False) -> str:
        f = "{:+.3f}" if signed else "{:.3f}"
        return f"{f.format(row[key])} [{f.format(row[key + '_lo'])}, {f.format(row[key + '_hi'])}]"

    console.print(
        f"Calibration on {escape(platform)}: fitted before {cal.validation_cut:%Y-%m-%d %H:%M} UTC "
        f"({cal.validation_receiving:,} accounts receiving attention until the next cut), reported from "
        f"{cal.reported_cut:%Y-%m-%d %H:%M} UTC ({cal.accounts:,} accounts, {cal.receiving:,} receiving)."
    )
    fitted = ", ".join(f"{c} {w:.0%}" for c, w in sorted(cal.weights.items()))
    current = ", ".join(f"{c} {w:.0%}" for c, w in sorted(cal.current.items()))
    console.print(f"Calibrated weights: {fitted} (current: {current}).")
    console.print(
        f"Validation objective ½(NDCG@100 + Spearman): calibrated {cal.objective:.3f}, current "
        f"{cal.current_objective:.3f}."
    )
    table = Table(title="Reported cut: calibrated score vs every predictor (95 % bootstrap intervals)")
    for col in ("predictor", "NDCG@100", "Spearman (receiving)", "lift NDCG", "lift Spearman"):
        table.add_column(col)
    for row in cal.report.iter_rows(named=True):
        own = row["predictor"] == CALIBRATED
        table.add_row(
            escape(row["predictor"]),
            ci(row, "ndcg"),
            ci(row, "spearman"),
            "—" if own else ci(row, "d_ndcg", True),
            "—" if own else ci(row, "d_spearman", True),
        )
    console.print(table)
    if BASELINES[3] not in set(cal.report["predictor"]):
        console.print(f"{BASELINES[3]}: n/a — no follower counts or follow graph in this data.")
    console.print("Lift = calibrated − predictor, paired; an interval above 0 is a win, below 0 a loss.")
    if path is not None:
        console.print(f"Weights written to {escape(str(path))} (influence.weights, with a dated comment).")
    else:
        console.print("Nothing written: add --apply to write these weights into strategy.yaml.")


def influencer(
    handle: str = typer.Argument(..., help="Handle (with or without @) or account id."),
    platform: str = typer.Option(None, "--platform", "-p", help="Network, when the handle is on several."),
    every: str = typer.Option("1w", "--every", help="Period of the engagement-over-time table (1d, 1w, 1mo)."),
    refresh: bool = typer.Option(
        False,
        "--refresh",
        help="First pull the account's profile (a dated snapshot) and recent posts through the connected account "
        "of --platform (bluesky, the default, or mastodon).",
    ),
    fmt: OutputFormat = FormatOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """Profile one influencer: what they share, when, their engagement with you, and what content reaches them.

    A summary line first (score, rank, segment, interactions with the brand); then what they share (formats,
    topics, hashtags), when (weekday × hour), and their interactions with you in the periods they were active.

    Example: signalboost influencer @someone; signalboost influencer @someone.bsky.social --refresh
    """
    from signalboost.influence import job

    if refresh:
        from signalboost.connect.accounts import open_connector
        from signalboost.connect.audience import refresh_account

        ws = open_ws(workspace, existing=True)
        done = refresh_account(ws, open_connector(ws, platform or "bluesky"), handle)
        err_console.print(
            f"Refreshed @{done.handle}: profile and {done.posts_fetched} recent posts ({done.requests} requests, "
            f"import #{done.import_id}).",
            highlight=False,
        )
    prof = job.influencer_profile(open_ws(workspace, read_only=True), handle, platform=platform, every=every)
    doc = prof.to_dict()
    if fmt is OutputFormat.json:
        emit_rows([], fmt, document=doc)
        return
    if fmt is OutputFormat.csv:
        rows: list[dict[str, Any]] = [{"section": "advice", "item": a, "n": None} for a in prof.advice]
        rows += [{"section": "format", "item": f, "n": n} for f, n in prof.formats]
        rows += [{"section": "hashtag", "item": t, "n": n} for t, n in prof.hashtags]
        emit_rows(rows, fmt, columns=("section", "item", "n"))
        return
    _print_profile(doc)


def segment_definitions(settings: dict[str, Any], follows_from_graph: bool) -> list[str]:
    """The segments in plain words, with the run's thresholds (CLI footer; the same as docs/influence.md)."""
    it = f"{float(settings.get('influence_threshold', 70)):g}"
    et = float(settings.get("engagement_threshold", 1))
    tol = int(settings.get("untapped_tolerance", 0))
    days = settings.get("engagement_window_days", 90)
    untapped = (
        f"untapped = follows you, score ≥ {it}, at most {tol} interaction(s) with you in the last {days} days "
        "— approach first"
        if follows_from_graph
        else "untapped = not shown: with no follow graph, a follower who never interacted cannot be told apart "
        "from a stranger — see the thought leaders beyond instead"
    )
    return [
        f"influential = score ≥ {it}; engaged = {et:g}+ interactions with you (or your posts) in the last {days} days, "
        "counted (the decayed engagement is shown beside).",
        f"advocate = influential and engaged; {untapped}; fan = engaged, not influential; thought_leader = does not "
        f"follow you and not engaged, score (or topic leadership) ≥ {it}, reposted/mentioned/followed by your "
        "followers.",
    ]


def _explain(run: dict[str, Any], counts: dict[str, int], *, ids_shown: bool = False) -> None:
    from rich.markup import escape

    from signalboost.cli.common import console
    from signalboost.influence.segments import FOLLOWS_FROM_GRAPH, empty_segment_reasons

    used = ", ".join(f"{c} {w:.0%}" for c, w in run["weights"].items() if w > 0)
    settings = run.get("settings") or {}
    rule = settings.get("combine", "mean")  # runs stored before the setting used the mean
    how = "1 − weighted geometric mean of the shares ranking above" if rule == "tail" else "weighted mean"
    console.print(f"Score = percentiles combined by {how} (influence.combine: {rule}); weights {used}.")
    for comp, why in run["unavailable"].items():
        console.print(f"[yellow]{comp} unavailable[/]: {escape(why)}")
    for note in run.get("notes") or []:
        if note.startswith("reach from"):
            console.print(f"Reach {escape(note.removeprefix('reach '))}.")
    if ids_shown:
        console.print("Accounts without a handle in the data are shown by their id.")
    if not run.get("brand_account_id"):
        console.print(
            "[yellow]No brand account[/]: engagement and segments not computed "
            "(set brand.handles in strategy.yaml or pass --brand)."
        )
        return
    from_graph = run.get("follows_brand_from") == FOLLOWS_FROM_GRAPH
    console.print(
        f"Brand account {escape(str(run['brand_account_id']))}; follows the brand from: "
        f"{escape(str(run.get('follows_brand_from')))}."
    )
    for line in segment_definitions(settings, from_graph):
        console.print(line)
    shown = ", ".join(f"{s} {counts.get(s, 0):,}" for s in ("untapped", "advocate", "thought_leader", "fan", "other"))
    console.print(f"Segments: {shown}.")
    reasons = empty_segment_reasons(counts, follows_source=run.get("follows_brand_from"), brand=True, settings=settings)
    for seg, why in reasons.items():
        console.print(f"[yellow]{seg}: 0[/] — {escape(why)}.")


def _print_profile(doc: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    from signalboost.cli.common import console

    who = f"@{doc['handle']}" if doc.get("handle") else doc["account_id"]
    console.rule(f"[bold]{escape(who)}[/] on {escape(doc['platform'])}")
    console.print(profile_summary(doc))
    score = doc.get("score") or {}
    if score:
        parts = ", ".join(
            f"{k} {percentile_text(score[k])}" if score.get(k) is not None else f"{k} —"
            for k in ("reach", "authority", "amplification", "topic", "activity")
        )
        console.print(f"Percentiles: {parts}")
    console.print(f"Posts observed: {doc['posts_observed']} (from {doc['posts_source']})")
    for key, label in (("formats", "Formats"), ("shared_formats", "Shares"), ("hashtags", "Hashtags")):
        items = doc[key]
        if items:
            console.print(f"{label}: " + escape(", ".join(f"{next(iter(i.values()))} ({i['posts']})" for i in items)))
    grid = Table(title=f"Posts by weekday × hour ({doc['timezone']})", show_lines=False)
    grid.add_column("")
    for h in range(0, 24, 3):
        grid.add_column(f"{h:02d}-{h + 2:02d}")
    for d, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        row = doc["weekday_hour"][d]
        grid.add_row(name, *[str(sum(row[h : h + 3]) or "·") for h in range(0, 24, 3)])
    console.print(grid)
    active = active_periods(doc["engagement_over_time"])
    if active:
        emit_rows(active, OutputFormat.table, title="Interactions with the brand (active periods only)")
    for line in doc["advice"]:
        console.print(f"• {escape(line)}")


def active_periods(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engagement-over-time rows with at least one interaction either way (quiet periods left out)."""
    return [r for r in rows if (r.get("interactions") or 0) + (r.get("brand_interactions") or 0) > 0]


def profile_summary(doc: dict[str, Any]) -> str:
    """The profile's first line: score and rank, segment, and the account's interactions with the brand."""
    score = doc.get("score") or {}
    if not score:
        head = "Not scored yet: run `signalboost influencers` first"
    else:
        s = score.get("score")
        rank = (
            f", rank {score['rank']:,} of {score['ranked']:,} ({top_share(score['rank'], score['ranked'])})"
            if score.get("rank")
            else ""
        )
        head = f"Score {percentile_text(s) if s is not None else '—'}{rank}; segment {score.get('segment')}"
    periods = active_periods(doc.get("engagement_over_time") or [])
    given = sum(int(r.get("interactions") or 0) for r in periods)
    back = sum(int(r.get("brand_interactions") or 0) for r in periods)
    if not periods:
        return f"{head}; no interactions with the brand."
    first, last = str(periods[0]["period"])[:10], str(periods[-1]["period"])[:10]
    return (
        f"{head}; {given} interaction(s) with the brand and {back} from it in {len(periods)} active period(s), "
        f"{first} – {last}."
    )
