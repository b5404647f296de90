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
from signalboost.errors import InfluenceError, UsageError
from signalboost.i18n import L_, N_, _, format_number, format_percent, pgettext
from signalboost.influence.words import component_words, segment_words, stored_words, weights_words

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
    "name",
    "audience",
    "attention",
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
    "account": N_("account"),
    "segment": N_("segment"),
    "score": N_("score"),
    "rank": N_("rank"),
    "interactions_with_brand": N_("inter"),
    "engagement": N_("eng"),
    "follows_brand": "follows",  # said with pgettext("narrow header", …): "follows" alone is a noun elsewhere
}
"""Column → short header of the narrow table (msgids; the legend under it spells them out)."""

WIDE_COLUMNS = {
    "account": N_("account"),
    "segment": N_("segment"),
    "score": N_("score"),
    "rank": N_("rank"),
    "reach": N_("reach"),
    "authority": N_("authority"),
    "amplification": N_("amplification"),
    "topic": N_("topic"),
    "activity": N_("activity"),
    "interactions_with_brand": N_("interactions with the brand"),
    "engagement": N_("engagement"),
    "follows_brand": N_("follows the brand"),
    "top_topics": N_("top topics"),
}
"""Column → header of the full table (msgids)."""


def _header(column: str, labels: dict[str, str]) -> str:
    if labels is NARROW_COLUMNS and column == "follows_brand":
        return pgettext("narrow header", "follows")
    return _(labels[column])


def narrow_rows(rows: list[dict[str, Any]], cols: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """The narrow table: the deciding columns under short headers, rank without its share, yes/no for flags."""
    return _people_rows(rows, [c for c in cols if c in NARROW_COLUMNS], NARROW_COLUMNS, short_rank=True)


def _people_rows(
    rows: list[dict[str, Any]], cols: list[str], labels: dict[str, str], *, short_rank: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """Table rows under translated headers; segments, flags and numbers in the reader's language."""
    out = []
    heads = [_header(c, labels) for c in cols]
    for row in rows:
        person: dict[str, Any] = {}
        for c, head in zip(cols, heads, strict=True):
            value = row.get(c)
            if c == "rank" and isinstance(value, str) and short_rank:
                value = value.split(" (")[0]
            elif c == "segment":
                value = segment_words(value)
            elif isinstance(value, bool):
                value = _("yes") if value else _("no")
            elif isinstance(value, int):
                value = format_number(value)
            person[head] = value
        out.append(person)
    return out, heads


def people_table(
    rows: list[dict[str, Any]], cols: list[str], width: int
) -> tuple[list[dict[str, Any]], list[str], bool]:
    """The influencer table for a terminal ``width`` columns wide (the CLI's and the demo's): its rows, translated
    headers, and whether it is the narrow one (below ``NARROW_WIDTH``: the deciding columns only, so no number is
    wrapped over two lines; print ``narrow_legend()`` under it)."""
    if width < NARROW_WIDTH and rows:
        return (*narrow_rows(rows, cols), True)
    return (*_people_rows(rows, cols, WIDE_COLUMNS), False)


def narrow_legend() -> str:
    """The line under the narrow table: its short headers spelled out, and where the components are."""
    return _(
        "inter = interactions with the brand, eng = engagement (decayed), follows = follows the brand; "
        "the score's components (reach, authority, …) show at {width}+ columns or with --format csv."
    ).format(width=NARROW_WIDTH)


def wide_table(frame: Any, cols: list[str], width: int) -> tuple[list[dict[str, Any]], list[str], bool]:
    """``people_table`` of a stored-influencers frame."""
    return people_table(_rows(frame, True), cols, width)


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
    return format_number(p, digits=decimals)


def top_share(rank: int | None, total: int | None) -> str:
    """``rank`` of ``total`` as "top x %" with two significant digits ("top 0.011%"), in the active locale."""
    if not rank or not total:
        return "—"
    share = rank / total
    return _("top {share}").format(share=format_percent(share, significant=2) if share < 0.1 else format_percent(share))


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


NAME_WIDTH = 24
"""Display names longer than this are cut (with "…") in the account column."""


def account_label(handle: str | None, name: str | None, account_id: str) -> str:
    """How a person is named in tables: ``@handle (Display Name)``, the handle or the display name alone when only
    one is known, the id as a last resort (said once under the table)."""
    shown = " ".join(str(name).split()) if name else ""
    if len(shown) > NAME_WIDTH:
        shown = shown[: NAME_WIDTH - 1].rstrip() + "…"
    if handle and shown and shown.lower() != str(handle).lower():
        return f"@{handle} ({shown})"
    if handle:
        return f"@{handle}"
    return shown or account_id


def _rows(frame: Any, table: bool) -> list[dict[str, Any]]:
    out = []
    for row in frame.iter_rows(named=True):
        row["account"] = account_label(row.get("handle"), row.get("name"), row["account_id"])
        rank, total = row.get("rank"), row.get("ranked")
        if table:
            row["rank"] = f"{rank} ({top_share(rank, total)})" if rank else "—"
            for key in PERCENTILES:
                row[key] = percentile_text(row.get(key)) if row.get(key) is not None else None
            if row.get("engagement") is not None:
                row["engagement"] = format_number(float(row["engagement"]), digits=2)
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
    from rich.markup import escape

    from signalboost.influence import job
    from signalboost.influence.score import ONLY_BRAND_INTERACTS

    job.check_segment(segment)
    limit = parse_top(top, fmt)
    ws = open_ws(workspace, read_only=stored, existing=True)  # --stored only reads
    err = err_console
    if not stored:
        with err.status(_("Scoring influencers…")) as status:
            job.run_influence(
                ws,
                platform=platform,
                brand=brand,
                progress=lambda m: status.update(_("Scoring: {step}").format(step=m)),
            )
    frame, run = job.stored_influencers(ws, platform=platform, segment=segment, top=limit)
    counts = job.segment_counts(ws, run) if run else {}
    rows = _rows(frame, fmt is OutputFormat.table)
    if chart is not None:
        from signalboost.influence.chart import quadrant_chart

        full, _all = job.stored_influencers(ws, platform=platform)
        err.print(_("Chart written to {path}").format(path=quadrant_chart(full, chart, run)), highlight=False)
    title = _("Influencers on {network}").format(network=run["platform"]) if run else _("Influencers")
    if run and fmt is OutputFormat.table and ONLY_BRAND_INTERACTS in (run.get("notes") or []):
        # an account export alone: the ranking is the brand's own engagement — said before it, not in the footer
        title = _("Accounts the brand engages with on {network} (not an influence ranking)").format(
            network=run["platform"]
        )
        said = stored_words(ONLY_BRAND_INTERACTS)
        console.print("[yellow]" + escape(said[:1].upper() + said[1:]) + ".[/]")
    cols = visible_columns(run) if fmt is OutputFormat.table else [*LIST_COLUMNS, *RAW_COLUMNS]
    doc = {"run": run, "segments": counts, "rows": rows}
    narrow = False
    if fmt is OutputFormat.table:
        shown, shown_cols, narrow = people_table(rows, cols, console.width)
    else:
        shown, shown_cols = rows, cols
    emit_rows(shown, fmt, title=title, columns=shown_cols, document=doc, empty=_empty_text(segment, run, counts))
    if narrow:
        console.print(narrow_legend(), highlight=False)
    if fmt is OutputFormat.table and run:
        _explain(run, counts, ids_shown=any(not r.get("handle") and not r.get("name") for r in rows))


def _empty_text(segment: str | None, run: dict[str, Any] | None, counts: dict[str, int]) -> str:
    if run is None:
        return _("No scores yet: run `signalboost influencers` after importing data.")
    if segment:
        from signalboost.influence.words import empty_segment_reasons

        why = empty_segment_reasons(
            counts,
            follows_source=run.get("follows_brand_from"),
            brand=bool(run.get("brand_account_id")),
            settings=run.get("settings") or {},
            engagement_seen=_engagement_seen(run),
        ).get(segment, "")
        if why:
            return _("No account in segment {segment}: {why}.").format(segment=segment_words(segment), why=why)
        return _("No account in segment {segment}.").format(segment=segment_words(segment))
    return _("No scored accounts.")


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
    apply: bool = typer.Option(
        False, "--apply", help="Write the calibrated weights into strategy.yaml (when they rank better)."
    ),
    force: bool = typer.Option(
        False, "--force", help="With --apply: write them even when the verdict is not 'better'."
    ),
    fmt: OutputFormat = FormatOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """Fit the influence score's weights on your own history and show what they gain over simple counts.

    A temporal backtest: the components are computed from the history before a cut and scored against the
    attention (reposts, quotes, replies, mentions) each account receives after it. The weights (non-negative) are
    fitted on a validation cut and reported on a later one they never saw: NDCG@100 and Spearman over the
    receiving accounts, with bootstrap intervals, against in-degree (distinct accounts interacting), interactions
    received, plain PageRank and the follower count. Refuses, saying why, when the history is too short or thin.

    With --apply the weights are written only when the verdict is "better" (both lift intervals above 0 on the
    later cut); otherwise nothing is written and the command exits with 1 — add --force to write them anyway.

    Example: signalboost influencers calibrate
    Example: signalboost influencers calibrate --apply
    """
    from signalboost.influence import job
    from signalboost.influence.calibrate import CALIBRATION_WINS, apply_weights

    ws = open_ws(workspace, read_only=not apply, existing=True)
    v_at = _utc(validation_cut, "--validation-cut")
    r_at = _utc(cut, "--cut")
    with err_console.status(_("Backtesting the influence score…")):
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
        "verdict": cal.verdict(),
        "rows": rows,
    }
    path = None
    held = apply and not force and doc["verdict"] != CALIBRATION_WINS
    if apply and not held:
        path = apply_weights(ws.strategy_path, cal)
        doc["applied_to"] = str(path)
    if fmt is not OutputFormat.table:
        emit_rows(rows, fmt, document=doc)
    else:
        _print_calibration(plat, cal, path, held=held)
    if held:
        raise InfluenceError(
            L_(
                "weights not written: the verdict on the later cut is '{verdict}', not 'better'",
                verdict=doc["verdict"],
            ),
            where=str(ws.strategy_path),
            hint=L_(
                "Keep the current weights (or import more history and calibrate again); --force writes them anyway"
            ),
        )


def _utc(value: str | None, option: str) -> Any:
    import datetime as dt

    if value is None:
        return None
    when = parse_datetime(value, option)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _print_calibration(platform: str, cal: Any, path: Path | None, *, held: bool = False) -> None:
    from rich.markup import escape
    from rich.table import Table

    from signalboost.cli.common import console
    from signalboost.i18n import format_datetime
    from signalboost.influence.backtest import BASELINES, CALIBRATED
    from signalboost.influence.calibrate import CALIBRATION_WINS

    def f3(x: float, signed: bool = False) -> str:
        return ("+" if signed and x > 0 else "") + format_number(x, digits=3)

    def ci(row: dict[str, Any], key: str, signed: bool = False) -> str:
        return f"{f3(row[key], signed)} [{f3(row[key + '_lo'], signed)}, {f3(row[key + '_hi'], signed)}]"

    def when(t: Any) -> str:
        return format_datetime(t, "short") + " UTC"

    console.print(
        _(
            "Calibration on {network}: fitted before {fit_cut} ({fit_receiving} accounts receiving attention until "
            "the next cut), reported from {cut} ({accounts} accounts, {receiving} receiving)."
        ).format(
            network=escape(platform),
            fit_cut=when(cal.validation_cut),
            fit_receiving=format_number(cal.validation_receiving),
            cut=when(cal.reported_cut),
            accounts=format_number(cal.accounts),
            receiving=format_number(cal.receiving),
        )
    )
    fitted = ", ".join(f"{component_words(c)} {format_percent(w)}" for c, w in sorted(cal.weights.items()))
    current = ", ".join(f"{component_words(c)} {format_percent(w)}" for c, w in sorted(cal.current.items()))
    console.print(_("Calibrated weights: {fitted} (current: {current}).").format(fitted=fitted, current=current))
    console.print(
        _("Validation objective ½(NDCG@100 + Spearman): calibrated {calibrated}, current {current}.").format(
            calibrated=f3(cal.objective), current=f3(cal.current_objective)
        )
    )
    table = Table(title=_("Reported cut: calibrated score vs every predictor (95 % bootstrap intervals)"))
    for col in (_("predictor"), "NDCG@100", _("Spearman (receiving)"), _("lift NDCG"), _("lift Spearman")):
        table.add_column(col)
    for row in cal.report.iter_rows(named=True):
        own = row["predictor"] == CALIBRATED
        table.add_row(
            escape(stored_words(row["predictor"])),
            ci(row, "ndcg"),
            ci(row, "spearman"),
            "—" if own else ci(row, "d_ndcg", True),
            "—" if own else ci(row, "d_spearman", True),
        )
    console.print(table)
    if BASELINES[3] not in set(cal.report["predictor"]):
        console.print(
            _("{predictor}: n/a — no follower counts or follow graph in this data.").format(
                predictor=stored_words(BASELINES[3])
            )
        )
    console.print(_("Lift = calibrated − predictor, paired; an interval above 0 is a win, below 0 a loss."))
    verdict = cal.verdict()
    said = {
        "better": _(
            "Verdict: the calibrated weights rank later attention better than the current ones on the later cut."
        ),
        "worse": _(
            "Verdict: the calibrated weights do worse than the current ones on the later cut: keep the current weights."
        ),
        "cannot tell": _(
            "Verdict: cannot tell — on the later cut the calibrated weights are not distinguishable from the current "
            "ones (a lift interval holds 0); this history does not support applying them."
        ),
    }[verdict]
    style = "bold" if cal.verdict() == CALIBRATION_WINS else "yellow"
    console.print(escape(said), style=style, highlight=False)
    if path is not None:
        console.print(
            _("Weights written to {path} (influence.weights, with a dated comment).").format(path=escape(str(path)))
        )
    elif not held:
        console.print(_("Nothing written: add --apply to write these weights into strategy.yaml."))


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
            _("Refreshed @{handle}: profile and {posts} recent posts ({requests} requests, import #{id}).").format(
                handle=done.handle,
                posts=format_number(done.posts_fetched),
                requests=format_number(done.requests),
                id=done.import_id,
            ),
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


def _explain(run: dict[str, Any], counts: dict[str, int], *, ids_shown: bool = False) -> None:
    from rich.markup import escape

    from signalboost.cli.common import console
    from signalboost.influence.score import DEFAULTS_GIVE_NOTHING
    from signalboost.influence.segments import FOLLOWS_FROM_GRAPH
    from signalboost.influence.words import empty_segment_reasons, segment_definitions

    settings = run.get("settings") or {}
    rule = settings.get("combine", "mean")  # runs stored before the setting used the mean
    how = _("1 − weighted geometric mean of the shares ranking above") if rule == "tail" else _("weighted mean")
    console.print(
        _("Score = percentiles combined by {how} (influence.combine: {rule}); weights {weights}.").format(
            how=how, rule=rule, weights=weights_words(run["weights"])
        )
    )
    for comp, why in run["unavailable"].items():
        console.print(
            "[yellow]"
            + escape(_("{component} unavailable").format(component=component_words(comp)))
            + "[/]: "
            + escape(stored_words(why))
        )
    for note in run.get("notes") or []:
        if note.startswith("reach from") or note == DEFAULTS_GIVE_NOTHING:
            said = stored_words(note)
            console.print(escape(said[:1].upper() + said[1:]) + ".")
    if ids_shown:
        console.print(_("Accounts without a handle in the data are shown by their id."))
    if not run.get("brand_account_id"):
        console.print(
            "[yellow]"
            + _("No brand account")
            + "[/]: "
            + _("engagement and segments not computed (set brand.handles in strategy.yaml or pass --brand).")
        )
        return
    from_graph = run.get("follows_brand_from") == FOLLOWS_FROM_GRAPH
    console.print(
        _("Brand account {account}; follows the brand from: {source}.").format(
            account=escape(str(run["brand_account_id"])), source=escape(stored_words(run.get("follows_brand_from")))
        )
    )
    for line in segment_definitions(settings, from_graph, engagement_seen=_engagement_seen(run)):
        console.print(escape(line))
    order = ("untapped", "advocate", "thought_leader", "fan", "other")
    shown = ", ".join(f"{segment_words(s)} {format_number(counts.get(s, 0))}" for s in order)
    console.print(_("Segments: {counts}.").format(counts=shown))
    reasons = empty_segment_reasons(
        counts,
        follows_source=run.get("follows_brand_from"),
        brand=True,
        settings=settings,
        engagement_seen=_engagement_seen(run),
    )
    for seg, why in reasons.items():
        console.print(f"[yellow]{escape(segment_words(seg))}: 0[/] — {escape(why)}.")


def _engagement_seen(run: dict[str, Any]) -> bool:
    """Whether the run saw other accounts' interactions with the brand (its notes say when it did not)."""
    from signalboost.influence.score import ENGAGEMENT_UNSEEN

    return ENGAGEMENT_UNSEEN not in (run.get("notes") or [])


def _print_profile(doc: dict[str, Any]) -> None:
    from rich.markup import escape

    from signalboost.cli.common import console
    from signalboost.competitors.benchmark import format_words

    who = account_label(doc.get("handle"), doc.get("name"), doc["account_id"])
    console.rule(_("{account} on {network}").format(account=f"[bold]{escape(who)}[/]", network=escape(doc["platform"])))
    console.print(escape(profile_summary(doc)))
    score = doc.get("score") or {}
    if score:
        parts = ", ".join(
            f"{component_words(k)} {percentile_text(score[k])}"
            if score.get(k) is not None
            else f"{component_words(k)} —"
            for k in ("reach", "authority", "amplification", "topic", "activity")
        )
        console.print(_("Percentiles: {parts}").format(parts=parts))
    console.print(
        _("Posts observed: {n} (from {source})").format(
            n=format_number(doc["posts_observed"]), source=stored_words(doc["posts_source"])
        )
    )
    labels = (("formats", _("Formats")), ("shared_formats", _("Shares")), ("hashtags", _("Hashtags")))
    for key, label in labels:
        items = doc[key]
        if items:
            said = ", ".join(
                f"{format_words(str(next(iter(i.values()))))} ({format_number(i['posts'])})" for i in items
            )
            console.print(f"{label}: " + escape(said))
    if doc["posts_observed"]:
        console.print(_weekday_grid(doc["weekday_hour"], str(doc["timezone"])))
    else:
        console.print(_("No posts of theirs in the data: when they post cannot be told."))
    active = active_periods(doc["engagement_over_time"])
    if active:
        from signalboost.cli.people import table_rows

        shown, heads = table_rows(active, list(active[0]), _PERIOD_LABELS, {"period": _day})
        emit_rows(
            shown, OutputFormat.table, title=_("Interactions with the brand (active periods only)"), columns=heads
        )
    for line in doc["advice"]:
        console.print(f"• {escape(line)}")


def _weekday_grid(weekday_hour: list[list[int]], zone: str) -> Any:
    """Posts per weekday and 3-hour block (``·`` where there is none)."""
    from rich.table import Table

    from signalboost.i18n import weekday_name

    grid = Table(title=_("Posts by weekday × hour ({zone})").format(zone=zone), show_lines=False)
    grid.add_column("")
    for h in range(0, 24, 3):
        grid.add_column(f"{h:02d}-{h + 2:02d}")
    for d in range(7):
        row = weekday_hour[d]
        blocks = [sum(row[h : h + 3]) for h in range(0, 24, 3)]
        grid.add_row(weekday_name(d, "abbreviated"), *[format_number(n) if n else "·" for n in blocks])
    return grid


_PERIOD_LABELS = {
    "period": N_("period"),
    "interactions": N_("interactions"),
    "brand_interactions": N_("from the brand"),
    "engagement": N_("engagement"),
}


def active_periods(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engagement-over-time rows with at least one interaction either way (quiet periods left out)."""
    return [r for r in rows if (r.get("interactions") or 0) + (r.get("brand_interactions") or 0) > 0]


def profile_summary(doc: dict[str, Any]) -> str:
    """The profile's first line: score and rank, segment, and the account's interactions with the brand."""
    score = doc.get("score") or {}
    if not score:
        head = _("Not scored yet: run `signalboost influencers` first")
    else:
        s = score.get("score")
        rank = (
            _(", rank {rank} of {total} ({top})").format(
                rank=format_number(score["rank"]),
                total=format_number(score["ranked"]),
                top=top_share(score["rank"], score["ranked"]),
            )
            if score.get("rank")
            else ""
        )
        head = (
            _("Score {score}{rank}; segment {segment}").format(
                score=percentile_text(s) if s is not None else "—",
                rank=rank,
                segment=segment_words(score.get("segment")),
            )
            if "brand_account_id" not in doc or doc["brand_account_id"]
            else _("Score {score}{rank}").format(score=percentile_text(s) if s is not None else "—", rank=rank)
        )
    if "brand_account_id" in doc and not doc["brand_account_id"]:
        return _(
            "{head}; no brand account set, so engagement with the brand and the segment are not computed (set "
            "brand.handles in strategy.yaml)."
        ).format(head=head)
    periods = active_periods(doc.get("engagement_over_time") or [])
    given = sum(int(r.get("interactions") or 0) for r in periods)
    back = sum(int(r.get("brand_interactions") or 0) for r in periods)
    if not periods:
        if doc.get("engagement_seen") is False:
            return _("{head}; their interactions with the brand are not in the data.").format(head=head)
        return _("{head}; no interactions with the brand.").format(head=head)
    first, last = _day(periods[0]["period"]), _day(periods[-1]["period"])
    if len(periods) == 1:
        when = _("in 1 active period, from {first}").format(first=first)
    else:
        when = _("in {periods} active periods, {first} – {last}").format(
            periods=format_number(len(periods)), first=first, last=last
        )
    if doc.get("engagement_seen") is False:
        return _("{head}; their interactions with the brand are not in the data; {back} from the brand {when}.").format(
            head=head, back=format_number(back), when=when
        )
    return _("{head}; {given} interaction(s) with the brand and {back} from it {when}.").format(
        head=head, given=format_number(given), back=format_number(back), when=when
    )


def _day(value: Any) -> str:
    """A period's start as a date in the active locale (``4. des. 2026``)."""
    import datetime as dt

    from signalboost.i18n import format_date

    text = str(value)
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return text[:10]
    return format_date(value) if isinstance(value, dt.date) else text[:10]
