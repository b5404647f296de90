"""``signalboost competitors add|list|remove`` and ``signalboost benchmark``: the brand against the pages it
competes with, per account, never pooled (see docs/competitors.md)."""

from __future__ import annotations

from enum import StrEnum
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
    parse_date,
)
from signalboost.errors import UsageError
from signalboost.i18n import L_, N_, _, format_number, format_percent, format_significant, ngettext

competitors_app = typer.Typer(
    help=(
        "The pages you compete with: a name and its accounts on each network. Their posts come from any import "
        "tagged with the account (--map author_id==@handle); they never count as your own.\n\n"
        "Start with:  signalboost competitors add Acme --platform instagram --account @acme"
    ),
    no_args_is_help=True,
)


class Section(StrEnum):
    """``benchmark --section``."""

    all = "all"
    accounts = "accounts"
    rankings = "rankings"
    formats = "formats"
    findings = "findings"
    hours = "hours"
    best_times = "best_times"
    hashtags = "hashtags"
    topics = "topics"
    top_posts = "top_posts"
    timeline = "timeline"


ACCOUNT_COLUMNS = (
    "platform",
    "account",
    "n_posts",
    "posts_per_week",
    "trend",
    "engagement_per_post",
    "ep_interval",
    "engagement_per_follower",
    "ef_interval",
    "share_of_voice",
    "sov_interval",
    "share_of_posts",
    "growth_pct",
)
ACCOUNT_LABELS = {
    "platform": N_("network"),
    "account": N_("page"),
    "n_posts": N_("posts"),
    "posts_per_week": N_("per week"),
    "trend": N_("trend/week"),
    "engagement_per_post": N_("engagement/post"),
    "ep_interval": N_("95% interval"),
    "engagement_per_follower": N_("per follower"),
    "ef_interval": N_("95% interval"),
    "share_of_voice": N_("share of voice"),
    "sov_interval": N_("95% interval"),
    "share_of_posts": N_("share of posts"),
    "growth_pct": N_("follower growth"),
}
"""Column → header of the benchmark table (msgids; JSON and CSV keep the column names)."""
OTHER_LABELS = {
    "name": N_("name"),
    "platform": N_("network"),
    "account": N_("page"),
    "added_at": N_("added"),
    "figure": N_("figure"),
    "rank": N_("rank"),
    "value": N_("value"),
    "n": "n",
    "interactions": N_("interactions"),
    "format": N_("format"),
    "created_at": N_("posted"),
    "text": N_("text"),
    "share": N_("share"),
    "n_posts": N_("posts"),
    "hour": N_("hour"),
    "dimension": N_("best"),
    "label": N_("when"),
    "expected": N_("expected interactions"),
    "low": N_("low"),
    "high": N_("high"),
    "term": N_("term"),
    "uses": N_("uses"),
    "z": "z",
    "month": N_("month"),
    "engagement_per_post": N_("engagement/post"),
    "role": N_("role"),
}
"""Headers of the other benchmark tables and of ``competitors list``."""


@competitors_app.command("add")
def add_cmd(
    name: str = typer.Argument(..., help='The competitor\'s name, e.g. "Acme Coffee".'),
    platform: str = typer.Option(..., "--platform", "-p", help="Network: instagram, x, mastodon, bluesky, …"),
    accounts: list[str] = typer.Option(
        ..., "--account", "-a", help="Account id or @handle on that network (repeat for several)."
    ),
    workspace: Path = WorkspaceOption,
) -> None:
    """Register a competitor's accounts on one network (run again for another network).

    Example: signalboost competitors add "Acme Coffee" -p instagram -a @acmecoffee -a @acme.roastery
    """
    from signalboost.competitors.registry import add_competitor

    ws = open_ws(workspace, existing=True)
    res = add_competitor(ws, name, platform, accounts)
    for a in res.added:
        err_console.print(
            _("Added @{account} on {network} to {name}").format(account=a, network=res.platform, name=res.name),
            highlight=False,
        )
    for a in res.already:
        err_console.print(
            _("@{account} on {network} was already registered under {name}").format(
                account=a, network=res.platform, name=res.name
            ),
            highlight=False,
        )


@competitors_app.command("list")
def list_cmd(fmt: OutputFormat = FormatOption, workspace: Path = WorkspaceOption) -> None:
    """List the registered competitors and their accounts.

    Example: signalboost competitors list --format json
    """
    from signalboost.competitors.registry import list_competitors

    rows = list_competitors(open_ws(workspace, read_only=True)).to_dicts()
    _emit(
        rows,
        fmt,
        title=_("Competitors"),
        columns=("name", "platform", "account", "added_at"),
        empty=_("No competitor registered. Add one: signalboost competitors add NAME --platform P --account @handle"),
    )


def _emit(
    rows: list[dict[str, Any]],
    fmt: OutputFormat,
    *,
    columns: Any = None,
    labels: dict[str, str] | None = None,
    **kwargs: Any,
) -> None:
    """``emit_rows`` with a table's headers and values in the reader's language (JSON and CSV as they are)."""
    if fmt is OutputFormat.table and rows:
        from signalboost.cli.people import table_rows

        rows, columns = table_rows(rows, list(columns or rows[0]), labels or OTHER_LABELS)
    emit_rows(rows, fmt, columns=columns, **kwargs)


@competitors_app.command("remove")
def remove_cmd(
    name: str = typer.Argument(..., help="The competitor's name as listed."),
    platform: str | None = typer.Option(None, "--platform", "-p", help="Only its accounts on this network."),
    account: str | None = typer.Option(None, "--account", "-a", help="Only this account."),
    workspace: Path = WorkspaceOption,
) -> None:
    """Remove a competitor (or one network's accounts, or one account). Its imported posts stay.

    Example: signalboost competitors remove "Acme Coffee" -p instagram -a @acme.roastery
    """
    from signalboost.competitors.registry import remove_competitor

    n = remove_competitor(open_ws(workspace, read_only=True), name, platform=platform, account=account)
    said = ngettext("Removed {n} account of {name}", "Removed {n} accounts of {name}", n)
    err_console.print(said.format(n=format_number(n), name=name), highlight=False)


def _interval(low: Any, high: Any, pct: bool) -> str | None:
    if low is None or high is None:
        return None
    if pct:
        return f"{format_percent(low, significant=3)}–{format_percent(high, significant=3)}"
    return f"{format_significant(low)}–{format_significant(high)}"


def _signed(x: float) -> str:
    return ("+" if x > 0 else "") + format_significant(x, digits=2)


def _account_rows(rows: list[dict[str, Any]], fmt: OutputFormat) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        row = dict(r)
        if fmt is OutputFormat.table:
            row["ep_interval"] = _interval(r["ep_low"], r["ep_high"], False)
            row["ef_interval"] = _interval(r["ef_low"], r["ef_high"], True)
            row["sov_interval"] = _interval(r["sov_low"], r["sov_high"], True)
            row["trend"] = (
                None
                if r["trend"] is None
                else _("{slope} ({low} to {high})").format(
                    slope=_signed(r["trend"]), low=_signed(r["trend_low"]), high=_signed(r["trend_high"])
                )
            )
            for k in ("share_of_voice", "share_of_posts", "engagement_per_follower", "growth_pct"):
                row[k] = None if r[k] is None else format_percent(r[k], significant=3)
        out.append(row)
    return out


def register(app: typer.Typer) -> None:
    app.add_typer(competitors_app, name="competitors")

    @app.command("benchmark")
    def benchmark_cmd(
        platform: str | None = typer.Option(None, "--platform", "-p", help="One network (default: each separately)."),
        since: str | None = typer.Option(None, "--since", help="First day, YYYY-MM-DD (UTC; default: all posts)."),
        until: str | None = typer.Option(None, "--until", help="Last day, YYYY-MM-DD, included."),
        min_posts: int = typer.Option(10, "--min-posts", min=2, help="Posts a page needs to be ranked."),
        section: Section = typer.Option(Section.all, "--section", "-s", help="Which result to print."),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Also write the benchmark as a report with charts: FILE.html or FILE.pdf."
        ),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Benchmark your account against your competitors', side by side, per network.

        Posts per week and its trend, format mix, engagement per post and per follower (95% intervals, n), share
        of voice (share of the group's engagement, with an interval) and of posts, follower growth (from
        snapshots); a ranking per figure where pages with fewer than --min-posts posts are labelled "too thin"
        and not ranked; best days and hours per page, hashtags and topics each page owns, top posts; and
        findings in plain words, each with its n and interval. A lead is claimed only when the intervals do not
        overlap. --section picks one table (CSV needs one).

        Examples: signalboost benchmark -p instagram --since 2026-01-01 --format json
                  signalboost benchmark -o exports/benchmark.pdf
        """
        from signalboost.competitors.job import run_benchmark

        run = run_benchmark(
            open_ws(workspace, read_only=True),
            platform=platform,
            since=parse_date(since, "--since"),
            until=parse_date(until, "--until"),
            min_posts=min_posts,
        )
        b = run.result
        if output is not None:
            from signalboost.report.competitors_section import write_benchmark_report

            ws = open_ws(workspace, read_only=True)
            brand = ws.strategy().brand.name if ws.has_strategy() else None
            path = write_benchmark_report(run, output, brand=brand)
            err_console.print(_("Wrote {path}").format(path=path), highlight=False)
        if fmt is OutputFormat.json:
            doc = {"since": run.since, "until": run.until, "notes": run.notes, **b.to_dict()}
            if section is not Section.all:
                doc = {k: v for k, v in doc.items() if k not in set(Section) - {section.value}}
            emit_rows([], fmt, document=doc)
            return
        if fmt is OutputFormat.csv:
            if section is Section.all:
                raise UsageError(
                    L_("CSV holds one table"),
                    where="--format csv",
                    hint=L_("Pick one with --section, e.g. --section accounts"),
                )
            rows = b.findings if section is Section.findings else getattr(b, section.value).to_dicts()
            emit_rows(rows, fmt)
            return
        from rich.markup import escape

        from signalboost.competitors.benchmark import figure_words, format_words, rank_label

        if section in (Section.all, Section.accounts):
            _emit(
                _account_rows(b.accounts.to_dicts(), fmt),
                fmt,
                title=_("Benchmark"),
                columns=ACCOUNT_COLUMNS,
                labels=ACCOUNT_LABELS,
            )
        if section in (Section.all, Section.rankings):
            ranks = [
                r
                | {
                    "rank": format_number(r["rank"])
                    if r["rank"] is not None
                    else rank_label(r["label"], r["n"], b.min_posts),
                    "figure": figure_words(r["figure"]),
                    "value": _figure_value(r["figure"], r["value"]),
                }
                for r in b.rankings.to_dicts()
            ]
            _emit(ranks, fmt, title=_("Rankings"), columns=("platform", "figure", "rank", "account", "value", "n"))
        if section is Section.formats:
            mix = [
                r | {"format": format_words(str(r["format"])), "share": format_percent(r["share"])}
                for r in b.formats.to_dicts()
            ]
            _emit(mix, fmt, title=_("Format mix"))
        if section in (Section.hours, Section.best_times, Section.hashtags, Section.topics, Section.timeline):
            _emit(getattr(b, section.value).to_dicts(), fmt, title=_(SECTION_TITLES[section.value]))
        if section is Section.top_posts:
            from signalboost.competitors.profile import clip_text

            tops = [
                r | {"text": clip_text(r["text"], 80), "format": format_words(str(r["format"]))}
                for r in b.top_posts.to_dicts()
            ]
            _emit(
                tops,
                fmt,
                title=_("Top posts"),
                columns=("platform", "account", "rank", "interactions", "format", "created_at", "text"),
            )
        if section in (Section.all, Section.findings):
            for f in b.findings:
                console.print(f"• {escape(f['text'])}", highlight=False)
        for note in run.notes:
            console.print("[yellow]" + escape(_("Note:")) + f"[/] {escape(note)}", highlight=False)


SECTION_TITLES = {
    "hours": N_("Hours"),
    "best_times": N_("Best times"),
    "hashtags": N_("Hashtags"),
    "topics": N_("Topics"),
    "timeline": N_("Timeline"),
}


def _figure_value(figure: str, value: float | None) -> str:
    """A ranked figure's value: shares as percentages, others to three significant digits (active locale)."""
    if value is None:
        return "—"
    if figure in ("share_of_voice", "engagement_per_follower"):
        return format_percent(value, significant=3)
    return format_significant(value, digits=3)
