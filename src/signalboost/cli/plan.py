"""``signalboost plan`` and ``signalboost calendar …``: the publishing calendar planned from the strategy."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from signalboost.cli.common import (
    FormatOption,
    OutputFormat,
    WorkspaceOption,
    console,
    emit_rows,
    open_ws,
    parse_date,
    parse_datetime,
)
from signalboost.errors import PlanError, UsageError
from signalboost.i18n import L_, N_, _, format_date, format_number, ngettext, tr
from signalboost.outfiles import write_output

if TYPE_CHECKING:
    from signalboost.plan.calendar import PlanResult
    from signalboost.plan.posts import PlannedPost
    from signalboost.plan.service import PlanDiff
    from signalboost.store.workspace import Workspace

calendar_app = typer.Typer(
    help=(
        "The saved calendar: show it, export it (ICS, CSV, Hootsuite CSV, Markdown, HTML), move posts, mark status.\n\n"
        "Example: signalboost calendar export --ics -o calendar.ics"
    ),
    no_args_is_help=True,
)


def next_monday(today: dt.date | None = None) -> dt.date:
    """The next Monday after ``today`` (today excluded)."""
    today = today or dt.date.today()
    return today + dt.timedelta(days=7 - today.weekday())


def _rows(posts: list) -> list[dict[str, object]]:  # type: ignore[type-arg]
    return [p.as_dict() for p in posts]


SHOWN_LEFT_OUT = 10
"""Posts left out of a Hootsuite file that are listed one by one (the rest are counted)."""

ROW_COLUMNS = ["id", "date", "time", "network", "kind", "pillars", "tactic", "format", "status", "draft"]


def _print_failures(ws: Workspace, posts: list[PlannedPost]) -> None:
    """Below the calendar: each failed (or retrying) post with the reason its last send was refused."""
    from signalboost.store import connect_sql

    with ws.connect(purpose="read") as con:
        outcomes = connect_sql.publication_outcomes(con, [p.id for p in posts])
    for p in posts:
        out = outcomes.get(p.id)
        if out and out.get("error") and out.get("state") in ("failed", "retry"):
            label = _("failed") if out["state"] == "failed" else _("will retry")
            reason = _("{error} (attempts: {n})").format(error=tr(out["error"]), n=format_number(out["attempts"]))
            console.print(f"[red]{escape(label)}[/] {_post_line(p)}: {escape(reason)}", highlight=False)


def _post_line(p: PlannedPost) -> str:
    """``sb-1a2b3c facebook Mon, Mar 2 10:00`` (the date in CLDR's form of the active language), escaped."""
    from signalboost.plan.view import day_and_date

    return escape(f"{p.id} {p.network} {day_and_date(p.local)} {p.local:%H:%M}")


def register(app: typer.Typer) -> None:
    @app.command("plan")
    def plan(
        start: str = typer.Option(None, "--from", help="First day (YYYY-MM-DD); default: next Monday."),
        weeks: int = typer.Option(4, "--weeks", "-n", min=1, max=260, help="How many weeks to plan."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; save nothing."),
        skip_empty_tactics: bool = typer.Option(
            False, "--skip-empty-tactics", help="A tactic with no occurrence in the period is noted, not an error."
        ),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Plan the publishing calendar from strategy.yaml and save it (touched posts are kept).

        Example: signalboost plan --from 2026-03-02 --weeks 4 --dry-run
        """
        from signalboost.plan.service import replan
        from signalboost.plan.view import mix_table, week_tables
        from signalboost.report.words import pillar_names, tactic_names

        first = parse_date(start, "--from") or next_monday()  # a bad date is reported before the workspace is read
        ws = open_ws(workspace)
        strategy = ws.strategy()
        try:
            result, diff = replan(ws, strategy, first, weeks, dry_run=dry_run, skip_empty_tactics=skip_empty_tactics)
        except PlanError as exc:
            raise located(exc, ws.strategy_path) from None
        doc = {
            "start": result.start.isoformat(),
            "end": result.end.isoformat(),
            "dry_run": dry_run,
            "changes": diff.summary(),
            "added": [p.id for p in diff.added],
            "removed": [p.id for p in diff.removed],
            "changed": [p.id for p in diff.changed],
            "kept_touched": [p.id for p in diff.touched],
            "notes": result.notes,
            "discrepancy": {"plan": result.discrepancy[0], "worst_network": result.discrepancy[1]},
        }
        if fmt is not OutputFormat.table:
            emit_rows(_rows(result.posts), fmt, columns=ROW_COLUMNS, document=doc)
            return
        names = pillar_names(strategy)
        console.print(
            week_tables(result.posts, list(names), width=console.width, names=names, tactics=tactic_names(strategy))
        )
        console.print(mix_table(result.posts, strategy.pillar_weights(), names))
        for note in result.notes:
            console.print(f"[yellow]{escape(_('note'))}[/] {escape(tr(note))}", highlight=False)
        if dry_run:
            _print_dry_run(diff)
        console.print(escape(plan_summary(result, diff.summary(), dry_run=dry_run)), highlight=False)

    @calendar_app.command("show")
    def show(
        start: str = typer.Option(None, "--from", help="First day (YYYY-MM-DD); default: all."),
        weeks: int = typer.Option(None, "--weeks", "-n", min=1, help="How many weeks from --from (default: today)."),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Show the saved calendar.

        Example: signalboost calendar show --from 2026-03-02 --weeks 2
        """
        from signalboost.plan.view import week_tables
        from signalboost.report.words import pillar_names, tactic_names

        ws = open_ws(workspace, read_only=True)
        posts = _load(ws, start, weeks)
        if fmt is not OutputFormat.table:
            emit_rows(_rows(posts), fmt, columns=ROW_COLUMNS)
            return
        if not posts:
            console.print(_("No saved posts in this period: plan some with `signalboost plan`."), highlight=False)
            return
        strategy = ws.strategy() if ws.has_strategy() else None
        names = pillar_names(strategy)
        console.print(week_tables(posts, list(names), width=console.width, names=names, tactics=tactic_names(strategy)))
        _print_failures(ws, posts)

    @calendar_app.command("export")
    def export(
        output: Path = typer.Option(..., "--output", "-o", help="File to write."),
        ics: bool = typer.Option(False, "--ics", help="iCalendar (Google Calendar, Outlook, Apple)."),
        csv_: bool = typer.Option(False, "--csv", help="Generic CSV."),
        hootsuite: bool = typer.Option(False, "--hootsuite-csv", help="Hootsuite bulk-composer CSV (one per network)."),
        md: bool = typer.Option(False, "--md", help="Markdown month grid."),
        html_: bool = typer.Option(False, "--html", help="HTML month grid (self-contained)."),
        start: str = typer.Option(None, "--from", help="First day (YYYY-MM-DD); default: all."),
        weeks: int = typer.Option(None, "--weeks", "-n", min=1, help="How many weeks from --from (default: today)."),
        network: str = typer.Option(None, "--network", help="Only this network."),
        tzid: bool = typer.Option(False, "--tzid", help="ICS: local times with TZID and VTIMEZONE instead of UTC."),
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Export the saved calendar in one format.

        Example: signalboost calendar export --ics -o calendar.ics
        """
        chosen = [
            n for n, on in (("ics", ics), ("csv", csv_), ("hootsuite", hootsuite), ("md", md), ("html", html_)) if on
        ]
        if len(chosen) != 1:
            raise UsageError(
                L_("choose exactly one format"), hint=L_("Pass one of --ics, --csv, --hootsuite-csv, --md, --html")
            )
        ws = open_ws(workspace, read_only=True)
        posts = _load(ws, start, weeks)
        if network:
            posts = [p for p in posts if p.network == network]
        if not posts:
            raise PlanError(
                L_("nothing to export: no saved posts on {network} in this period", network=network)
                if network
                else L_("nothing to export: no saved posts in this period"),
                where="calendar",
                hint=L_("Plan some with `signalboost plan`, or widen --from/--weeks/--network"),
            )
        period = _grid_period(_first_day(ws, start, weeks), weeks, posts)
        cancelled: list[PlannedPost] = []
        if chosen[0] == "ics":
            from signalboost.plan.service import load_removed

            cancelled = [p for p in load_removed(ws, *_bounds(ws, start, weeks)) if not network or p.network == network]
        renders = _render(ws, chosen[0], posts, output, tzid=tzid, period=period, cancelled=cancelled)
        for path, text, written, skipped in renders:
            write_output(path, text, what=L_("the calendar"))
            posts_words = ngettext("{n} post", "{n} posts", written).format(n=format_number(written))
            if cancelled:
                posts_words = _("{posts} and {n} cancelled (removed by a re-plan)").format(
                    posts=posts_words, n=format_number(len(cancelled))
                )
            line = _("Wrote {posts} to {path}").format(posts=posts_words, path=path) + _left_out(skipped)
            console.print(escape(line), highlight=False)

    @calendar_app.command("move")
    def move(
        plan_id: str = typer.Argument(..., help="Post id (or its first characters)."),
        to: str = typer.Option(..., "--to", help="New local date-time, e.g. 2026-03-04T18:30 (brand's zone)."),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Move a post by hand; re-planning keeps it where you put it.

        Example: signalboost calendar move sb-1a2b3c --to 2026-03-04T18:30
        """
        from signalboost.plan.service import move_post

        post = move_post(open_ws(workspace, read_only=True), plan_id, parse_datetime(to, "--to"))
        if fmt is not OutputFormat.table:
            emit_rows(_rows([post]), fmt, columns=ROW_COLUMNS)
            return
        from signalboost.plan.view import day_and_date

        when = f"{day_and_date(post.local, 'yMMMEd')} {post.local:%H:%M %Z}"
        console.print(
            escape(_("{id} now at {when} (sequence {n})").format(id=post.id, when=when, n=post.sequence)),
            highlight=False,
        )

    @calendar_app.command("status")
    def status(
        plan_id: str = typer.Argument(..., help="Post id (or its first characters)."),
        value: str = typer.Argument(..., help="planned, drafted, approved, scheduled, published or failed."),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Mark a post's status; anything past 'planned' is kept when you re-plan.

        Example: signalboost calendar status sb-1a2b3c approved
        """
        from signalboost.plan.service import set_status

        _print_post(set_status(open_ws(workspace, read_only=True), plan_id, value), fmt)

    @calendar_app.command("approve")
    def approve(
        plan_id: str = typer.Argument(..., help="Post id (or its first characters)."),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Approve a post for `signalboost publish`, after checking it fits its network.

        Refused with every reason: text over the limit (Bluesky 300 graphemes, Mastodon 500, per thread part),
        an image missing, without alt text, over the size limit or more than 4. Only approved posts are sent.

        Example: signalboost calendar approve sb-1a2b3c
        """
        from signalboost.connect.publish import approve as approve_post

        _print_post(approve_post(open_ws(workspace, read_only=True), plan_id), fmt)

    @calendar_app.command("draft")
    def draft(
        plan_id: str = typer.Argument(..., help="Post id (or its first characters)."),
        text: str = typer.Argument(..., help="The new draft text."),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Replace a post's draft; a 'planned' post becomes 'drafted' (re-planning keeps it), and an approved one whose
        text changes must be approved again.

        Example: signalboost calendar draft sb-1a2b3c "Three ways to wear linen this summer"
        """
        from signalboost.plan.service import set_draft

        _print_post(set_draft(open_ws(workspace, read_only=True), plan_id, text), fmt)

    calendar_app.command(
        "edit",
        help="Edit a post's text (the same as `calendar draft`): the draft is replaced; a 'planned' post becomes "
        "'drafted', and an approved one whose text changes must be approved again.\n\n"
        'Example: signalboost calendar edit sb-1a2b3c "New text"',
    )(draft)

    @calendar_app.command("attach")
    def attach(
        plan_id: str = typer.Argument(..., help="Post id (or its first characters)."),
        image: Path = typer.Argument(..., help="An image file inside the workspace folder (JPEG, PNG, GIF, WebP)."),
        alt: str = typer.Option(..., "--alt", help="Alt text: what the image shows, for screen readers."),
        part: int = typer.Option(0, "--part", help="Thread part to attach to (0 = the post itself)."),
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Attach an image with its alt text to a post (Bluesky and Mastodon: up to 4 a post).

        Refused with the reason when the network would refuse it: no alt text, a fifth image, a file over the
        network's size limit (Bluesky 1,000,000 bytes), a file outside the workspace.

        Example: signalboost calendar attach sb-1a2b3c media/linen.jpg --alt "Three linen shirts on a rail"
        """
        from signalboost.connect.media import attach as attach_image

        parts = attach_image(open_ws(workspace, read_only=True), plan_id, image, alt, part=part)
        _print_parts(parts)

    @calendar_app.command("detach")
    def detach(
        plan_id: str = typer.Argument(..., help="Post id (or its first characters)."),
        part: int | None = typer.Option(None, "--part", help="Only this thread part's images (default: all)."),
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Remove a post's images (all of them, or one thread part's).

        Example: signalboost calendar detach sb-1a2b3c
        """
        from signalboost.connect.media import detach as detach_images

        n = detach_images(open_ws(workspace, read_only=True), plan_id, part=part)
        console.print(ngettext("Removed {n} image", "Removed {n} images", n).format(n=format_number(n)))

    @calendar_app.command("thread")
    def thread(
        plan_id: str = typer.Argument(..., help="Post id (or its first characters)."),
        texts: list[str] = typer.Argument(None, help="The replies after the post, in order (none: no thread)."),
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Make a Bluesky post a thread: the post's draft first, then each TEXT as a reply to the one before.

        Each part must fit 300 graphemes and may carry images (`calendar attach --part N`). Give no TEXT to
        make it a single post again.

        Example: signalboost calendar thread sb-1a2b3c "2/ Why linen breathes" "3/ How to wash it"
        """
        from signalboost.connect.media import set_thread

        _print_parts(set_thread(open_ws(workspace, read_only=True), plan_id, list(texts or [])))

    app.add_typer(calendar_app, name="calendar")


def _print_post(post: PlannedPost, fmt: OutputFormat) -> None:
    """One post after a change: its status line, or the row as JSON/CSV."""
    if fmt is not OutputFormat.table:
        emit_rows(_rows([post]), fmt, columns=ROW_COLUMNS)
    else:
        from signalboost.plan.view import status_words

        console.print(escape(_("{id} is {status}").format(id=post.id, status=status_words(post))), highlight=False)


def _print_parts(parts: list) -> None:  # type: ignore[type-arg]
    """A post's parts with their images, one line each."""
    for i, part in enumerate(parts):
        first = (part.text.splitlines() or [""])[0]
        label = _("post") if i == 0 else _("part {n}").format(n=i)
        console.print(escape(f"{label}: {first[:60]}"), highlight=False)
        for image in part.images:
            line = _("image {path} — alt: {alt}").format(path=image.path, alt=image.alt[:60])
            console.print(escape(f"  {line}"), highlight=False)


def _print_dry_run(diff: PlanDiff) -> None:
    """``plan --dry-run``: the first 20 posts each change would add, remove or change, one line each."""
    for items, line, more in (
        (diff.added, N_("  would add {post}"), N_("  … and {n} more to add")),
        (diff.removed, N_("  would remove {post}"), N_("  … and {n} more to remove")),
        (diff.changed, N_("  would change {post}"), N_("  … and {n} more to change")),
    ):
        for p in items[:20]:
            console.print(_(line).format(post=_post_line(p)), highlight=False)
        if len(items) > 20:
            console.print(escape(_(more).format(n=format_number(len(items) - 20))), highlight=False)


def plan_summary(result: PlanResult, s: dict[str, int], *, dry_run: bool) -> str:
    """The last line of ``plan``: posts and period, then what was (or would be) added, removed, changed, kept."""
    counts = {k: format_number(v) for k, v in s.items()}
    period = {
        "posts": ngettext("{n} post", "{n} posts", len(result.posts)).format(n=format_number(len(result.posts))),
        "first": format_date(result.start),
        "last": format_date(result.end - dt.timedelta(days=1)),
    }
    if dry_run:
        changes = _(
            "would change: {added} added, {removed} removed, {changed} changed, {unchanged} unchanged, "
            "{kept_touched} kept (touched)"
        ).format(**counts)
    else:
        changes = _(
            "saved: {added} added, {removed} removed, {changed} changed, {unchanged} unchanged, {kept_touched} kept "
            "(touched)"
        ).format(**counts)
    return _("{posts} from {first} to {last}; {changes}").format(changes=changes, **period)


def _first_day(ws, start: str | None, weeks: int | None) -> dt.date | None:  # type: ignore[no-untyped-def]
    """The first day asked for: ``--from``, else today in the brand's zone when only ``--weeks`` is given."""
    from zoneinfo import ZoneInfo

    first = parse_date(start, "--from")
    if first is None and weeks:
        tz = ws.strategy().tz() if ws.has_strategy() else ZoneInfo("UTC")
        first = dt.datetime.now(tz).date()
    return first


def _bounds(ws, start: str | None, weeks: int | None) -> tuple[dt.datetime | None, dt.datetime | None]:  # type: ignore[no-untyped-def]
    """The instants ``[lo, hi)`` asked for with ``--from``/``--weeks`` (``None``: open)."""
    from zoneinfo import ZoneInfo

    from signalboost.plan.slots import resolve_local

    first = _first_day(ws, start, weeks)
    if first is None:
        return None, None
    tz = ws.strategy().tz() if ws.has_strategy() else ZoneInfo("UTC")
    lo, _ = resolve_local(first, dt.time(), tz)
    hi = None
    if weeks:
        hi, _ = resolve_local(first + dt.timedelta(weeks=weeks), dt.time(), tz)
    return lo, hi


def _load(ws, start: str | None, weeks: int | None) -> list:  # type: ignore[no-untyped-def, type-arg]
    from signalboost.plan.service import load_plan

    lo, hi = _bounds(ws, start, weeks)
    return load_plan(ws, lo, hi) if lo is not None else load_plan(ws)


def located(exc: PlanError, path: Path) -> PlanError:
    """``exc`` with its ``strategy.yaml (tactics.0.rrule)`` place turned into ``FILE:LINE:COL (tactics[0].rrule)``.

    The planner names the field; the line and column come from the document (ruamel positions). Anything else
    (``--weeks``, an unreadable file) is returned unchanged.
    """
    import re

    from signalboost.errors import SignalboostError
    from signalboost.model.io import read_document
    from signalboost.model.positions import position, render_path

    found = re.fullmatch(r"strategy\.yaml \(([^)]*)\)", exc.where or "")
    if found is None:
        return exc
    parts = found.group(1).split(".")
    parts = parts[: parts.index("*")] if "*" in parts else parts  # pillars.*.weight: point at pillars
    keys: tuple[str | int, ...] = tuple(int(x) if x.isdigit() else x for x in parts)
    try:
        line, col = position(read_document(path), keys)
    except SignalboostError:
        return exc
    return PlanError(exc.what, where=f"{path}:{line}:{col} ({render_path(keys)})", hint=exc.hint)


def _grid_period(first: dt.date | None, weeks: int | None, posts: list[PlannedPost]) -> tuple[dt.date, dt.date] | None:
    """The days a month grid shows: ``first`` for ``weeks`` weeks (or to the last post), else the posts' span."""
    if first is None:
        return None
    if weeks:
        return first, first + dt.timedelta(weeks=weeks)
    return first, max(first, max(p.local.date() for p in posts)) + dt.timedelta(days=1)


def _left_out(skipped: list[str]) -> str:
    """``"; 3 left out (2 same message as an earlier row …, 1 empty draft)"`` from ``"id: reason"`` lines, or ``""``."""
    if not skipped:
        return ""
    reasons = Counter(why.split(": ", 1)[-1] for why in skipped)
    listed = ", ".join(f"{format_number(n)} {_(why)}" for why, n in reasons.most_common())
    return _("; {n} left out ({reasons})").format(n=format_number(len(skipped)), reasons=listed)


def _render(  # type: ignore[no-untyped-def]
    ws,
    kind: str,
    posts: list[PlannedPost],
    output: Path,
    *,
    tzid: bool = False,
    period: tuple[dt.date, dt.date] | None = None,
    cancelled: list[PlannedPost] | None = None,
) -> list[tuple[Path, str, int, list[str]]]:
    """The files to write for one export format: path, text, posts written in it, posts left out (``"id: why"``)."""
    from signalboost.plan import export
    from signalboost.report.words import pillar_names, tactic_names

    strategy = ws.strategy() if ws.has_strategy() else None
    names = pillar_names(strategy)
    pillars = [p.id for p in strategy.pillars] if strategy else []
    name = strategy.brand.name if strategy else "Signalboost"
    tactics = tactic_names(strategy)
    title = _("{brand} publishing calendar").format(brand=name)
    n = len(posts)
    if kind == "ics":
        text = export.to_ics(posts, name=title, tzid=tzid, cancelled=cancelled or [], tactics=tactics, names=names)
        return [(output, text, n, [])]
    if kind == "csv":
        return [(output, export.to_csv(posts), n, [])]
    if kind == "md":
        return [(output, export.to_markdown(posts, title=title, period=period, tactics=tactics, names=names), n, [])]
    if kind == "html":
        page = export.to_html_month(posts, pillars=pillars, title=title, period=period, tactics=tactics, names=names)
        return [(output, page, n, [])]
    networks = sorted({p.network for p in posts})
    out: list[tuple[Path, str, int, list[str]]] = []
    for net in networks:
        mine = [p for p in posts if p.network == net]
        text, skipped = export.to_hootsuite_csv(mine)
        path = output if len(networks) == 1 else output.with_name(f"{output.stem}-{net}{output.suffix or '.csv'}")
        left = escape(_("left out"))
        for why in skipped[:SHOWN_LEFT_OUT]:
            post_id, _sep, reason = why.partition(": ")
            console.print(f"[yellow]{left}[/] {escape(post_id)}: {escape(_(reason))}", highlight=False)
        if len(skipped) > SHOWN_LEFT_OUT:
            more = _("… and {n} more").format(n=format_number(len(skipped) - SHOWN_LEFT_OUT))
            console.print(f"[yellow]{left}[/] {escape(more)}", highlight=False)
        out.append((path, text, len(mine) - len(skipped), skipped))
    return out
