"""``signalboost outreach …`` (the influencer pipeline and its ledger) and ``signalboost partners …``.

Thin commands over ``signalboost.outreach``: every command is one library call plus printing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
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
from signalboost.cli.common import emit_rows as _emit_rows
from signalboost.errors import OutreachError, UsageError
from signalboost.i18n import L_, N_, _, format_number, format_percent, ngettext
from signalboost.outreach import coverage, curation, kpis, ledger, overlap, pipeline, value
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
partners_app = typer.Typer(
    help=(
        "Partner brands and influencers: audience overlap, unique reach, bridge influencers, choosing k partners "
        "(greedy maximum coverage) and monitoring partnerships.\n\n"
        "Example: signalboost partners rank --top 20"
    ),
    no_args_is_help=True,
)

PlatformOption = typer.Option(None, "--platform", "-p", help="Network of the account (needed when ambiguous).")
HandleArg = typer.Argument(..., help="Handle (with or without @) or account id.")


def register(app: typer.Typer) -> None:
    app.add_typer(outreach_app, name="outreach")
    app.add_typer(partners_app, name="partners")


# --------------------------------------------------------------------------------------------- helpers
def _when(value: str | None, option: str) -> dt.datetime | dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            L_("{value!r} is not a date or time", value=value),
            where=option,
            hint=L_("Use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"),
        ) from None


def _until(value: str | None) -> dt.datetime | None:
    when = _when(value, "--until")
    return None if when is None else ledger.as_utc(when)


def _resolve(ws: Workspace, ref: str, platform: str | None) -> tuple[str, str, str | None]:
    return pipeline.resolve_account(ws, ref, platform=platform)


def emit_rows(rows: Sequence[Mapping[str, Any]], fmt: OutputFormat, **kwargs: Any) -> None:
    """``cli.common.emit_rows``; in a table the headers, words (stages, modes, trends), numbers and times are in
    the reader's language (times to the minute); JSON and CSV keep the field names and full values."""
    if fmt is OutputFormat.table and rows:
        from signalboost.cli.people import table_rows

        cols = list(kwargs.pop("columns", None) or rows[0].keys())
        rows, kwargs["columns"] = table_rows(rows, cols, LABELS)
    _emit_rows(rows, fmt, **kwargs)


LABELS: dict[str, str] = {
    "handle": N_("handle"),
    "account_id": N_("account id"),
    "account": N_("account"),
    "label": N_("influencer"),
    "platform": N_("network"),
    "stage": N_("stage"),
    "mode": N_("mode"),
    "offer_kind": N_("offer kind"),
    "offer": N_("offer"),
    "cost": N_("cost"),
    "owner": N_("owner"),
    "next_step": N_("next step"),
    "due_date": N_("due"),
    "notes": N_("notes"),
    "score": N_("score"),
    "direction": N_("direction"),
    "kind": N_("kind"),
    "ask": N_("ask"),
    "post": N_("post"),
    "post_id": N_("post"),
    "status": N_("status"),
    "new_touches": N_("new touches"),
    "moved_at": N_("moved"),
    "from_stage": N_("from"),
    "to_stage": N_("to"),
    "moved_by": N_("by"),
    "note": N_("note"),
    "gives": N_("gives"),
    "asks": N_("asks"),
    "give_ask_ratio": N_("give/ask"),
    "flagged": N_("flagged"),
    "their_interactions": N_("their interactions"),
    "their_amplifications": N_("their amplifications"),
    "last_ours": N_("our last touch"),
    "last_theirs": N_("their last touch"),
    "window_start": N_("from"),
    "window_end": N_("to"),
    "interacts": N_("interacts"),
    "interactions": N_("interactions"),
    "amplifications": N_("amplifications"),
    "our_posts": N_("our posts"),
    "engaged_posts": N_("posts engaged"),
    "engagement_rate": N_("engagement rate"),
    "message": N_("what"),
    "kpi": N_("KPI"),
    "metric": N_("metric"),
    "window_days": N_("days"),
    "target": N_("target"),
    "value": N_("value"),
    "previous": N_("previous"),
    "met": N_("met"),
    "trend": N_("trend"),
    "measure": N_("measure"),
    "last": N_("last"),
    "change": N_("change"),
    "engagement": N_("engagement"),
    "reach": N_("reach"),
    "engagement_per_cost": N_("engagement per cost"),
    "reach_per_cost": N_("reach per cost"),
    "created_at": N_("posted"),
    "pillars": N_("pillars"),
    "matched": N_("matched"),
    "url": "URL",
    "text": N_("text"),
    "slot_id": N_("slot"),
    "local": N_("when"),
    "network": N_("network"),
    "rank": N_("rank"),
    "audience": N_("audience"),
    "our_audience": N_("our audience"),
    "shared": N_("shared"),
    "unique": N_("unique"),
    "jaccard": "Jaccard",
    "jaccard_se": N_("Jaccard s.e."),
    "overlap_smaller": N_("overlap/smaller"),
    "unique_reach": N_("unique reach"),
    "bridges": N_("bridges"),
    "method": N_("method"),
    "new_reach_added": N_("new reach added"),
    "cumulative_new_reach": N_("new reach in total"),
    "started_at": N_("started"),
    "occurred_at": N_("when"),
    "is_ask": N_("ask"),
    "source": N_("source"),
}
"""Column → table header (msgids) of the outreach and partners tables; JSON and CSV keep the column names."""


def _refresh(ws: Workspace) -> None:
    """Bring newly imported interactions into the ledger first (idempotent; skipped when the brand is unknown)."""
    with err.status(_("Syncing the ledger with imported interactions…")):
        ledger.refresh(ws)


def _row(obj: Any) -> dict[str, Any]:
    return dict(obj.as_dict())


LIST_COLUMNS = ["handle", "account_id", "platform", "stage", "mode", "offer_kind", "cost", "owner", "next_step"]


# ---------------------------------------------------------------------------------------------- outreach
@outreach_app.command("add")
def add(
    handle: str = HandleArg,
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
    """Add an influencer to the pipeline.

    Example: signalboost outreach add @maria --mode paid --offer-kind discount --offer "20% code" --cost 150
    """
    ws = open_ws(workspace, existing=account_id is None)  # without --account-id the account must be imported
    ids: tuple[str, str, str | None]
    if account_id is not None:
        if platform is None:
            raise UsageError(L_("--account-id needs --platform"), where="--platform", hint=L_("e.g. -p instagram"))
        text = handle.strip()
        same = text == account_id  # `add 64911 -p x --account-id 64911`: the positional is the id, not a handle
        ids = (platform, account_id, None if same or not text.lstrip("@") else text.lstrip("@"))
    else:
        ids = _resolve(ws, handle, platform)
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
    emit_rows([_row(rec)], fmt, title=_("Added"), columns=[*LIST_COLUMNS, "due_date"])


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
    added, total, rows = pipeline.add_untapped(open_ws(workspace, existing=True), limit=limit, platform=platform)
    if fmt is OutputFormat.table:
        err.print(
            _("{added} added as identified ({best} best of {total} untapped; the rest were already there)").format(
                added=format_number(added), best=format_number(len(rows)), total=format_number(total)
            ),
            highlight=False,
        )
    emit_rows(
        rows,
        fmt,
        title=_("Untapped influencers"),
        columns=["handle", "account_id", "platform", "score"],
        document={"added": added, "untapped": total},
    )


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
    p, a, _h = _resolve(ws, handle, platform)
    rec = pipeline.move(ws, p, a, stage, note=note, by=by)
    emit_rows([_row(rec)], fmt, title=_("Moved"), columns=[*LIST_COLUMNS, "due_date"])


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
    p, a, _h = _resolve(ws, handle, platform)
    given: dict[str, Any] = {"mode": mode, "offer_kind": offer_kind, "offer": offer, "cost": cost, "owner": owner}
    given |= {"next_step": next_step, "due_date": parse_date(due, "--due"), "notes": notes}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise UsageError(L_("nothing to update"), hint=L_("Pass at least one option, e.g. --due 2026-12-05"))
    rec = pipeline.update(ws, p, a, changes)
    emit_rows([_row(rec)], fmt, title=_("Updated"), columns=[*LIST_COLUMNS, "due_date"])


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
    p, a, h = _resolve(ws, handle, platform)
    direction = "theirs" if theirs else "ours"
    new = ledger.log_touch(
        ws, p, a, kind, direction=direction, is_ask=ask, post_id=post, at=_when(on, "--on"), note=note
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
    p, a, _h = _resolve(ws, handle, platform)
    _refresh(ws)
    rec = pipeline.get_record(ws, p, a)
    moves = [_row(m) for m in pipeline.history(ws, p, a)]
    balance = next((_row(b) for b in ledger.ledger_balances(ws, platform=p) if b.account_id == a), None)
    windows, trend_rows = kpis.relationship_kpis(ws, [(p, a)], end=_until(until))
    if fmt is not OutputFormat.table:
        doc = {"record": _row(rec), "history": moves, "balance": balance, "trend": [_row(t) for t in trend_rows]}
        emit_rows([_row(w) for w in windows], fmt, document=doc)
        return
    emit_rows([_row(rec)], fmt, title=f"{rec.label}", columns=[*LIST_COLUMNS, "due_date", "offer", "notes"])
    emit_rows(moves, fmt, title=_("History"), columns=["moved_at", "from_stage", "to_stage", "moved_by", "note"])
    if balance:
        emit_rows([balance], fmt, title=_("Give / ask"), columns=_BALANCE_COLUMNS)
    emit_rows([_row(w) for w in windows], fmt, title=_("KPIs per window"), columns=_KPI_COLUMNS)


_NO_TOUCHES = N_(
    "Nothing yet: no one in the pipeline, or no touches. Add influencers with `signalboost outreach add @handle`, "
    "log touches with `signalboost outreach log`, or import interactions."
)
_BALANCE_COLUMNS = ["account_id", "gives", "asks", "give_ask_ratio", "flagged", "their_interactions"]
_BALANCE_COLUMNS += ["their_amplifications", "last_ours", "last_theirs"]
_KPI_COLUMNS = ["account_id", "window_start", "window_end", "interacts", "interactions", "amplifications"]
_KPI_COLUMNS += ["our_posts", "engaged_posts", "engagement_rate"]


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
        p, a, _h = _resolve(ws, handle, platform)
        frame = ledger.touches(ws, platform=p, account_id=a).drop("event_key")
        emit_rows(frame.to_dicts(), fmt, title=_("Touches with {who}").format(who=handle))
        return
    rows = [_row(b) for b in ledger.ledger_balances(ws, platform=platform) if b.flagged or not flagged]
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
    alerts = kpis.due(ws, today=parse_date(today, "--today"), end=_until(until))
    emit_rows(
        [_row(a) for a in alerts],
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
        p, a, _h = _resolve(ws, handle, platform)
        accounts = [(p, a)]
    if targets:
        checks = kpis.relationship_targets(ws, accounts, end=_until(until))
        emit_rows(
            [_row(c) for c in checks],
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
    rows, trend_rows = kpis.relationship_kpis(ws, accounts, end=_until(until), window_days=window_days, count=windows)
    if trend:
        emit_rows([_row(t) for t in trend_rows], fmt, title=_("Trend"))
    else:
        emit_rows([_row(r) for r in rows], fmt, title=_("KPIs per window"), columns=_KPI_COLUMNS, empty=_(_NO_TOUCHES))


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
    emit_rows([_row(v) for v in [*rows, *totals]], fmt, title=_("Value"), columns=cols, empty=_(_NO_TOUCHES))


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
        [_row(c) for c in posts],
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


# ---------------------------------------------------------------------------------------------- partners
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
        p, b, _h = _resolve(ws, brand, platform)
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
    rows = []
    for i, o in enumerate(overlap.rank_partners(results), start=1):
        rows.append({"rank": i, "handle": handles.get(o.account_id), **o.as_dict()})
    if fmt is OutputFormat.table and rows and console.width < NARROW_WIDTH:
        # issue #14: 12 columns folded every cell at 80 columns; keep the deciding ones, one line per candidate
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
        emit_rows(short, fmt, title=_("Partner candidates"))
        console.print(
            _(
                "audience = the candidate's followers; shared = those who also follow you; unique = those you do not "
                "reach yet; bridges = influential accounts among them outside your network. Jaccard, its standard "
                "error and the method show at {width}+ columns or with --format csv."
            ).format(width=NARROW_WIDTH),
            highlight=False,
        )
        return
    emit_rows(rows, fmt, title=_("Partner candidates"), columns=_OVERLAP_COLUMNS, document={"rows": rows})


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
        p, a, _h = _resolve(ws, partner, platform)
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
        open_ws(workspace, read_only=True), window_days=window_days, count=windows, end=_until(until)
    )
    trend = {(t.platform, t.account_id): t for t in trend_rows}
    out = []
    for r in rows:
        t = trend[(r.platform, r.account_id)]
        out.append({**_row(r), "trend": t.direction})
    emit_rows(out, fmt, title=_("Partnerships"), columns=[*_KPI_COLUMNS, "trend"])
