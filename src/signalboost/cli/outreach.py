"""``signalboost outreach …``: the influencer pipeline, its give-and-ask ledger, relationship KPIs and curation.

Thin commands over ``signalboost.outreach``: every command is one library call plus printing. ``signalboost
partners …`` is in :mod:`signalboost.cli.partners`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from signalboost.cli.common import (
    FormatOption,
    OutputFormat,
    WorkspaceOption,
    console,
    err_console,
    open_ws,
    parse_date,
)
from signalboost.cli.outreach_common import (
    KPI_COLUMNS,
    HandleArg,
    PlatformOption,
    as_row,
    emit_rows,
    parse_until,
    parse_when,
    resolve,
)
from signalboost.errors import UsageError
from signalboost.i18n import L_, N_, _, format_number
from signalboost.outreach import curation, kpis, ledger, pipeline, value
from signalboost.outreach.words import value_words
from signalboost.store.workspace import Workspace

err = err_console

outreach_app = typer.Typer(
    help=(
        "The influencer pipeline: identified → warming → contacted → collaborating → retained (or paused/declined), "
        "the give-and-ask ledger, relationship KPIs and alerts. The reading commands (show, ledger, due, kpis, "
        "value) first bring newly imported interactions with the brand into the ledger.\n\n"
        "Example: signalboost outreach add @maria --owner ana --due 2026-12-01"
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(outreach_app, name="outreach")


def _refresh(ws: Workspace) -> None:
    """Bring newly imported interactions into the ledger first (idempotent; skipped when the brand is unknown)."""
    with err.status(_("Syncing the ledger with imported interactions…")):
        ledger.refresh(ws)


LIST_COLUMNS = ["handle", "account_id", "platform", "stage", "mode", "offer_kind", "cost", "owner", "next_step"]


# ---------------------------------------------------------------------------------------------- outreach
@outreach_app.command("add")
def add(
    handle: str | None = typer.Argument(
        None, help="Handle (with or without @) or account id; or give --segment instead.", show_default=False
    ),
    segment: str | None = typer.Option(
        None,
        "--segment",
        "-s",
        help=(
            "Add a whole segment in one step instead of one HANDLE: untapped, advocate, thought_leader, fan or other "
            "(the latest `signalboost influencers` run), or engaged-by-brand (the accounts the brand's own accounts "
            "liked, reposted, replied to or mentioned: an own archive's ranking). Accounts already in the pipeline "
            "keep their stage, so running it twice adds nothing."
        ),
        show_default=False,
    ),
    top: int = typer.Option(
        50, "--top", "-n", min=0, help="With --segment: how many, best first (0 = the whole segment)."
    ),
    platform: str | None = PlatformOption,
    account_id: str | None = typer.Option(None, "--account-id", help="Add an account not imported yet (needs -p)."),
    stage: str = typer.Option("identified", "--stage", help="identified, warming or contacted."),
    mode: str = typer.Option("organic", "--mode", help="organic or paid."),
    offer_kind: str | None = typer.Option(None, "--offer-kind", help="product, discount or fee (paid)."),
    offer: str | None = typer.Option(None, "--offer", help="What is offered, e.g. '20% code THREAD20'."),
    cost: float | None = typer.Option(None, "--cost", min=0, help="Total cost of the relationship."),
    owner: str | None = typer.Option(None, "--owner", help="Who on the team owns it."),
    next_step: str | None = typer.Option(None, "--next-step", help="The next thing to do."),
    due: str | None = typer.Option(None, "--due", help="Due date of the next step (YYYY-MM-DD)."),
    notes: str | None = typer.Option(None, "--notes"),
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Add an influencer to the pipeline, or a whole segment of them with --segment.

    Example: signalboost outreach add @maria --mode paid --offer-kind discount --offer "20% code" --cost 150

    Example: signalboost outreach add --segment engaged-by-brand --top 20
    """
    if segment is not None or handle is None:
        one_only = {
            "HANDLE": handle,
            "--account-id": account_id,
            "--offer-kind": offer_kind,
            "--offer": offer,
            "--cost": cost,
            "--owner": owner,
            "--next-step": next_step,
            "--due": due,
            "--notes": notes,
            "--mode": None if mode == "organic" else mode,
        }
        _add_segment(segment, top, platform, stage, [k for k, v in one_only.items() if v is not None], workspace, fmt)
        return
    ws = open_ws(workspace, existing=account_id is None)  # without --account-id the account must be imported
    ids: tuple[str, str, str | None]
    if account_id is not None:
        if platform is None:
            raise UsageError(L_("--account-id needs --platform"), where="--platform", hint=L_("e.g. -p instagram"))
        text = handle.strip()
        same = text == account_id  # `add 64911 -p x --account-id 64911`: the positional is the id, not a handle
        ids = (platform, account_id, None if same or not text.lstrip("@") else text.lstrip("@"))
    else:
        ids = resolve(ws, handle, platform)
    rec = pipeline.add_influencer(
        ws,
        ids[0],
        ids[1],
        handle=ids[2],
        stage=stage,
        mode=mode,
        offer_kind=offer_kind,
        offer=offer,
        cost=cost,
        owner=owner,
        next_step=next_step,
        due_date=parse_date(due, "--due"),
        notes=notes,
    )
    emit_rows([as_row(rec)], fmt, title=_("Added"), columns=[*LIST_COLUMNS, "due_date"])


def _add_segment(
    segment: str | None,
    top: int,
    platform: str | None,
    stage: str,
    one_only: list[str],
    workspace: Path,
    fmt: OutputFormat,
) -> None:
    """``outreach add --segment``: the segment's ``top`` best accounts (0: all) entered at ``stage``."""
    if segment is None:
        raise UsageError(
            L_("give a HANDLE or --segment"),
            where="HANDLE",
            hint=L_(
                "e.g. `signalboost outreach add @maria` or `signalboost outreach add --segment {choices}`",
                choices="|".join(pipeline.segment_choices()),
            ),
        )
    if segment not in pipeline.segment_choices():
        raise UsageError(
            L_("unknown segment {segment!r}", segment=segment),
            where="--segment",
            hint=L_("Use one of: {choices}", choices=", ".join(pipeline.segment_choices())),
        )
    if one_only:
        raise UsageError(
            L_("{options} cannot be used with --segment", options=", ".join(one_only)),
            where="--segment",
            hint=L_("Add the segment first, then set terms per account with `signalboost outreach update HANDLE`"),
        )
    ws = open_ws(workspace, existing=True)
    done = pipeline.add_segment(ws, segment, top=top or None, platform=platform, stage=stage)
    why_none = _why_empty_segment(ws, segment, platform) if done.total == 0 else None
    if fmt is OutputFormat.table:
        err.print(
            _(
                "{added} added as {stage} ({taken} best of {total} in {segment}; {kept} already in the pipeline kept "
                "their stage)"
            ).format(
                added=format_number(done.added),
                stage=value_words(stage),
                taken=format_number(done.taken),
                total=format_number(done.total),
                segment=segment,
                kept=format_number(done.taken - done.added),
            ),
            highlight=False,
        )
        if why_none:
            err.print(why_none, markup=False, highlight=False)
    extra = ["interactions"] if segment == pipeline.ENGAGED_BY_BRAND else ["score"]
    emit_rows(
        done.rows,
        fmt,
        title=_("Added from {segment}").format(segment=segment),
        columns=["handle", "account_id", "platform", *extra],
        document={
            "added": done.added,
            "taken": done.taken,
            "in_segment": done.total,
            "segment": segment,
            "why_none": why_none,
        },
    )


def _why_empty_segment(ws: Workspace, segment: str, platform: str | None) -> str:
    """Why ``outreach add --segment`` found nobody, and what to do."""
    if segment == pipeline.ENGAGED_BY_BRAND:
        return _(
            "The brand's own accounts liked, reposted, replied to or mentioned no other account in the imported data "
            "(import the brand's archive, or add accounts one at a time: `signalboost outreach add @handle`)."
        )
    if segment == "untapped":
        return _why_no_untapped(ws, platform)
    return _("No account of the latest influence run is in segment {segment} (see `signalboost influencers`).").format(
        segment=segment
    )


@outreach_app.command("identify")
def identify_cmd(
    limit: int = typer.Option(50, "--limit", min=1, help="How many untapped influencers (best scores first)."),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Enter the untapped influencers (influential, little or no interaction) of the last influence run as identified.

    Accounts already in the pipeline are left as they are. Run `signalboost influencers` first.

    Example: signalboost outreach identify --limit 20
    """
    ws = open_ws(workspace, existing=True)
    added, total, rows = pipeline.add_untapped(ws, limit=limit, platform=platform)
    why_none = _why_no_untapped(ws, platform) if total == 0 else None
    if fmt is OutputFormat.table:
        err.print(
            _("{added} added as identified ({best} best of {total} untapped; the rest were already there)").format(
                added=format_number(added), best=format_number(len(rows)), total=format_number(total)
            ),
            highlight=False,
        )
        if why_none:
            err.print(why_none, markup=False, highlight=False)
    emit_rows(
        rows,
        fmt,
        title=_("Untapped influencers"),
        columns=["handle", "account_id", "platform", "score"],
        document={"added": added, "untapped": total, "why_none": why_none},
    )


def _why_no_untapped(ws: Workspace, platform: str | None) -> str:
    """Why the last influence run called nobody untapped (its segment reason, as ``signalboost influencers`` says
    it) and what to do instead: an account export has no one else's interactions, a posts file no follow graph."""
    from signalboost.influence import job
    from signalboost.influence.score import ENGAGEMENT_UNSEEN
    from signalboost.influence.words import empty_segment_reasons

    _frame, run = job.stored_influencers(ws, platform=platform, top=0)
    if run is None:
        return ""
    reasons = empty_segment_reasons(
        job.segment_counts(ws, run),
        follows_source=run.get("follows_brand_from"),
        brand=bool(run.get("brand_account_id")),
        settings=run.get("settings") or {},
        engagement_seen=ENGAGEMENT_UNSEEN not in (run.get("notes") or []),
    )
    why = reasons.get("untapped", "")
    return _(
        "No one is untapped on {network}: {why}. Add accounts by hand (`signalboost outreach add @handle`) from "
        "`signalboost influencers`, or a whole segment in one step (`signalboost outreach add --segment "
        "thought_leader` or `--segment engaged-by-brand`)."
    ).format(network=run["platform"], why=why)


@outreach_app.command("move")
def move_cmd(
    handle: str = HandleArg,
    stage: str = typer.Argument(..., help="Target stage: " + ", ".join(pipeline.STAGES)),
    note: str | None = typer.Option(None, "--note", help="Why (kept in the history)."),
    by: str | None = typer.Option(None, "--by", help="Who moved it (default: the owner)."),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Move an influencer to another stage (illegal moves are refused and list the allowed ones).

    Example: signalboost outreach move @maria warming --note "liked 3 posts"
    """
    ws = open_ws(workspace, read_only=True)
    p, a, _h = resolve(ws, handle, platform)
    rec = pipeline.move(ws, p, a, stage, note=note, by=by)
    emit_rows([as_row(rec)], fmt, title=_("Moved"), columns=[*LIST_COLUMNS, "due_date"])


@outreach_app.command("update")
def update_cmd(
    handle: str = HandleArg,
    mode: str | None = typer.Option(None, "--mode"),
    offer_kind: str | None = typer.Option(None, "--offer-kind"),
    offer: str | None = typer.Option(None, "--offer"),
    cost: float | None = typer.Option(None, "--cost", min=0, help="Total cost of the relationship."),
    owner: str | None = typer.Option(None, "--owner"),
    next_step: str | None = typer.Option(None, "--next-step"),
    due: str | None = typer.Option(None, "--due", help="YYYY-MM-DD"),
    notes: str | None = typer.Option(None, "--notes"),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Change the terms, owner, next step or due date of an influencer (not the stage: use move).

    Example: signalboost outreach update @maria --next-step "send the brief" --due 2026-12-05
    """
    ws = open_ws(workspace, read_only=True)
    p, a, _h = resolve(ws, handle, platform)
    given: dict[str, Any] = {"mode": mode, "offer_kind": offer_kind, "offer": offer, "cost": cost, "owner": owner}
    given |= {"next_step": next_step, "due_date": parse_date(due, "--due"), "notes": notes}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise UsageError(L_("nothing to update"), hint=L_("Pass at least one option, e.g. --due 2026-12-05"))
    rec = pipeline.update(ws, p, a, changes)
    emit_rows([as_row(rec)], fmt, title=_("Updated"), columns=[*LIST_COLUMNS, "due_date"])


@outreach_app.command("log")
def log_cmd(
    handle: str = HandleArg,
    kind: str = typer.Argument(
        ..., help="Ours: like, reply, share, message, gift. Theirs: interaction, amplification."
    ),
    theirs: bool = typer.Option(False, "--theirs", help="A touch of theirs (they interacted or amplified)."),
    ask: bool = typer.Option(False, "--ask", help="Our touch asks something of them (counts against give/ask)."),
    post: str = typer.Option("", "--post", help="The post touched (its id), if any."),
    on: str | None = typer.Option(None, "--on", help="When: YYYY-MM-DD or YYYY-MM-DDTHH:MM UTC (default today)."),
    note: str | None = typer.Option(None, "--note"),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Log a touch by hand; logging the same touch twice records it once.

    Example: signalboost outreach log @maria gift --note "scarf"

    Example: signalboost outreach log @maria message --ask
    """
    ws = open_ws(workspace, existing=True)
    p, a, h = resolve(ws, handle, platform)
    direction = "theirs" if theirs else "ours"
    new = ledger.log_touch(
        ws, p, a, kind, direction=direction, is_ask=ask, post_id=post, at=parse_when(on, "--on"), note=note
    )
    status = _("logged") if new else _("already in the ledger (not counted twice)")
    emit_rows([{"handle": h, "direction": direction, "kind": kind, "ask": ask, "post": post, "status": status}], fmt)


@outreach_app.command("sync")
def sync_cmd(workspace: Path = WorkspaceOption, fmt: OutputFormat = FormatOption) -> None:
    """Fill the ledger from imported interactions between the brand and pipeline accounts (idempotent).

    Example: signalboost outreach sync
    """
    ws = open_ws(workspace, read_only=True)
    with err.status(_("Reading imported interactions…")):
        added = ledger.sync_from_interactions(ws)
    emit_rows([{"new_touches": added}], fmt)


@outreach_app.command("list")
def list_cmd(
    stage: str | None = typer.Option(None, "--stage", help="Only this stage."),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """List the pipeline, by due date.

    Example: signalboost outreach list --stage warming --format csv
    """
    records = pipeline.list_records(open_ws(workspace, read_only=True), stage=stage, platform=platform)
    emit_rows(
        pipeline.records_as_rows(records),
        fmt,
        title=_("Pipeline"),
        columns=[*LIST_COLUMNS, "due_date"],
        empty=_(
            "No one in the pipeline (with these filters). Add influencers with `signalboost outreach add @handle` "
            "or `signalboost outreach identify`."
        ),
    )


@outreach_app.command("show")
def show_cmd(
    handle: str = HandleArg,
    platform: str | None = PlatformOption,
    until: str | None = typer.Option(None, "--until", help="End of the last KPI window (default: now)."),
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Show one influencer: record, stage history, give/ask balance and KPIs per window.

    Example: signalboost outreach show @maria --format json
    """
    ws = open_ws(workspace, read_only=True)
    p, a, _h = resolve(ws, handle, platform)
    _refresh(ws)
    rec = pipeline.get_record(ws, p, a)
    moves = [as_row(m) for m in pipeline.history(ws, p, a)]
    balance = next((as_row(b) for b in ledger.ledger_balances(ws, platform=p) if b.account_id == a), None)
    windows, trend_rows = kpis.relationship_kpis(ws, [(p, a)], end=parse_until(until))
    if fmt is not OutputFormat.table:
        doc = {"record": as_row(rec), "history": moves, "balance": balance, "trend": [as_row(t) for t in trend_rows]}
        emit_rows([as_row(w) for w in windows], fmt, document=doc)
        return
    emit_rows([as_row(rec)], fmt, title=f"{rec.label}", columns=[*LIST_COLUMNS, "due_date", "offer", "notes"])
    emit_rows(moves, fmt, title=_("History"), columns=["moved_at", "from_stage", "to_stage", "moved_by", "note"])
    if balance:
        emit_rows([balance], fmt, title=_("Give / ask"), columns=_BALANCE_COLUMNS)
    emit_rows([as_row(w) for w in windows], fmt, title=_("KPIs per window"), columns=KPI_COLUMNS)


_NO_TOUCHES = N_(
    "Nothing yet: no one in the pipeline, or no touches. Add influencers with `signalboost outreach add @handle`, "
    "log touches with `signalboost outreach log`, or import interactions."
)
_BALANCE_COLUMNS = ["account_id", "gives", "asks", "give_ask_ratio", "flagged", "their_interactions"]
_BALANCE_COLUMNS += ["their_amplifications", "last_ours", "last_theirs"]


@outreach_app.command("ledger")
def ledger_cmd(
    handle: str | None = typer.Argument(None, help="One influencer's touches; omit for everyone's balance."),
    flagged: bool = typer.Option(False, "--flagged", help="Only relationships where we ask more than we give."),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """The give/ask balance per influencer (flagged when we ask more than we give), or one influencer's touches.

    Example: signalboost outreach ledger --flagged

    Example: signalboost outreach ledger @maria --format csv
    """
    ws = open_ws(workspace, read_only=True)
    _refresh(ws)
    if handle is not None:
        p, a, _h = resolve(ws, handle, platform)
        frame = ledger.touches(ws, platform=p, account_id=a).drop("event_key")
        emit_rows(frame.to_dicts(), fmt, title=_("Touches with {who}").format(who=handle))
        return
    rows = [as_row(b) for b in ledger.ledger_balances(ws, platform=platform) if b.flagged or not flagged]
    handles = {(r.platform, r.account_id): r.handle for r in pipeline.list_records(ws)}
    for r in rows:
        r["handle"] = handles.get((r["platform"], r["account_id"]))
    emit_rows(rows, fmt, title=_("Give / ask"), columns=["handle", *_BALANCE_COLUMNS], empty=_(_NO_TOUCHES))


@outreach_app.command("due")
def due_cmd(
    today: str | None = typer.Option(None, "--today", help="Check as of this date (default: today)."),
    until: str | None = typer.Option(None, "--until", help="End of the last KPI window (default: now)."),
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Follow-ups due, relationships we have not touched lately, and engagement drops beyond the strategy's share.

    Example: signalboost outreach due --format json
    """
    ws = open_ws(workspace, read_only=True)
    _refresh(ws)
    alerts = kpis.due(ws, today=parse_date(today, "--today"), end=parse_until(until))
    emit_rows(
        [as_row(a) for a in alerts],
        fmt,
        title=_("Due"),
        columns=["handle", "account_id", "kind", "message"],
        empty=_("Nothing due: no follow-up, silent relationship or engagement drop."),
    )


@outreach_app.command("kpis")
def kpis_cmd(
    handle: str | None = typer.Argument(None, help="One influencer; omit for everyone in the pipeline."),
    window_days: int = typer.Option(kpis.DEFAULT_WINDOW_DAYS, "--window-days", min=1),
    windows: int = typer.Option(kpis.DEFAULT_WINDOWS, "--windows", min=1, help="How many windows back."),
    until: str | None = typer.Option(None, "--until", help="End of the last window (default: now)."),
    trend: bool = typer.Option(False, "--trend", help="Print the trend (last vs previous window) instead."),
    targets: bool = typer.Option(
        False, "--targets", help="Check the strategy's influencer_* KPIs (target, window) for each influencer."
    ),
    platform: str | None = PlatformOption,
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Relationship KPIs per window: do they interact, amplifications, engagement rate of our posts among them.

    With --targets, each KPI of strategy.yaml whose metric is influencer_interactions, influencer_amplifications
    or influencer_engagement_rate is checked against its target over its own window, per influencer.

    Example: signalboost outreach kpis @maria --window-days 7 --windows 8
    """
    ws = open_ws(workspace, read_only=True)
    _refresh(ws)
    accounts = None
    if handle is not None:
        p, a, _h = resolve(ws, handle, platform)
        accounts = [(p, a)]
    if targets:
        checks = kpis.relationship_targets(ws, accounts, end=parse_until(until))
        emit_rows(
            [as_row(c) for c in checks],
            fmt,
            title=_("Relationship KPIs of the strategy"),
            columns=["account_id", "kpi", "metric", "window_days", "target", "value", "previous", "met", "trend"],
            empty=_(
                "The strategy sets no relationship KPI: add one to strategy.yaml kpis with metric "
                "influencer_interactions, influencer_amplifications or influencer_engagement_rate (or the pipeline "
                "is empty)."
            ),
        )
        return
    rows, trend_rows = kpis.relationship_kpis(
        ws, accounts, end=parse_until(until), window_days=window_days, count=windows
    )
    if trend:
        emit_rows([as_row(t) for t in trend_rows], fmt, title=_("Trend"))
    else:
        emit_rows([as_row(r) for r in rows], fmt, title=_("KPIs per window"), columns=KPI_COLUMNS, empty=_(_NO_TOUCHES))
    unseen = sorted({r.platform for r in rows if r.interactions is None})
    if unseen and fmt is OutputFormat.table:
        err.print(
            _(
                "{networks}: no one's likes, replies or reposts of the brand are in the imported data (an account "
                "export holds only the brand's own), so whether they engage cannot be seen (—), not 0."
            ).format(networks=", ".join(unseen))
        )


@outreach_app.command("value")
def value_cmd(workspace: Path = WorkspaceOption, fmt: OutputFormat = FormatOption) -> None:
    """Organic vs paid: engagement and reach obtained per unit of cost, per influencer and in total.

    Example: signalboost outreach value --format csv
    """
    ws = open_ws(workspace, read_only=True)
    _refresh(ws)
    rows, totals = value.value_report(ws)
    cols = ["label", "mode", "engagement", "amplifications", "reach", "cost", "engagement_per_cost", "reach_per_cost"]
    if fmt is not OutputFormat.table:
        cols = list(value.Value.__dataclass_fields__)
    emit_rows([as_row(v) for v in [*rows, *totals]], fmt, title=_("Value"), columns=cols, empty=_(_NO_TOUCHES))


@outreach_app.command("curate")
def curate_cmd(
    days: int = typer.Option(14, "--days", min=1, help="How recent (days before the latest activity)."),
    limit: int = typer.Option(50, "--limit", min=1),
    offer: bool = typer.Option(False, "--offer", help="Offer them to the saved calendar's open curated slots."),
    start: str | None = typer.Option(None, "--from", help="With --offer: first day of the slots (default: now)."),
    weeks: int | None = typer.Option(None, "--weeks", "-n", min=1, help="With --offer: how many weeks of slots."),
    any_network: bool = typer.Option(False, "--any-network", help="With --offer: a post may fill any network's slot."),
    apply: bool = typer.Option(False, "--apply", help="With --offer: write each offer as its slot's draft."),
    workspace: Path = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Their recent posts that fit our pillars — candidates for the calendar's curated slots.

    With --offer, each open curated slot of the saved calendar gets the best remaining post of its network;
    --apply writes it as the slot's draft (the slot becomes drafted, so re-planning keeps it).

    Example: signalboost outreach curate --offer --from 2026-12-07 --weeks 2 --apply
    """
    ws = open_ws(workspace, read_only=True)  # --apply fills drafts of saved posts: they exist already
    if offer:
        _offer(ws, start, weeks, days, any_network, apply, fmt)
        return
    if apply or start or weeks or any_network:
        raise UsageError(L_("--from, --weeks, --any-network and --apply go with --offer"), hint=L_("Add --offer"))
    posts = curation.curated_candidates(ws, days=days, limit=limit)
    cols = ["handle", "post_id", "created_at", "pillars", "matched", "url", "text"]
    emit_rows(
        [as_row(c) for c in posts],
        fmt,
        title=_("Curated candidates"),
        columns=cols,
        empty=_(
            "No recent post of the pipeline's influencers matches a pillar (last {days} days). Import their posts, "
            "or widen --days."
        ).format(days=format_number(days)),
    )


def _offer(
    ws: Workspace, start: str | None, weeks: int | None, days: int, any_network: bool, apply: bool, fmt: OutputFormat
) -> None:
    """``outreach curate --offer``: the offers per open curated slot, written as drafts with ``apply``."""
    from zoneinfo import ZoneInfo

    from signalboost.plan.slots import resolve_local

    first = parse_date(start, "--from")
    lo = hi = None
    if first is not None:
        tz = ws.strategy().tz() if ws.has_strategy() else ZoneInfo("UTC")
        lo, _gap = resolve_local(first, dt.time(), tz)
        if weeks:
            hi, _gap = resolve_local(first + dt.timedelta(weeks=weeks), dt.time(), tz)
    elif weeks:
        raise UsageError(L_("--weeks needs --from"), where="--weeks", hint=L_("Add --from YYYY-MM-DD"))
    offers = curation.calendar_offers(ws, start=lo, end=hi, days=days, any_network=any_network)
    filled = curation.apply_offers(ws, offers) if apply else 0
    emit_rows(
        [dict(o) for o in offers],
        fmt,
        title=_("Curated slots"),
        columns=["slot_id", "local", "network", "handle", "post_id", "url", "text"],
        document={"rows": offers, "applied": filled},
        empty=_(
            "No open curated slot in the saved calendar for this period: plan one with `signalboost plan` "
            "(strategy curation.share), or widen --from/--weeks."
        ),
    )
    if offers and fmt is OutputFormat.table:
        empty = sum(1 for o in offers if not o["post_id"])
        note = (
            _("; {n} without a candidate (not enough curated content: widen --days)").format(n=format_number(empty))
            if empty
            else ""
        )
        done = (
            _("; {n} drafts written").format(n=format_number(filled))
            if apply
            else _("; pass --apply to write them as drafts")
        )
        console.print(
            _("{offered} of {slots} curated slots offered a post{note}{done}").format(
                offered=format_number(len(offers) - empty), slots=format_number(len(offers)), note=note, done=done
            ),
            highlight=False,
        )
