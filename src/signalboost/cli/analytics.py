"""``signalboost analyze``, ``signalboost recommend`` and ``signalboost report``: measure and re-tune."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from signalboost.cli.analytics_tables import BUILDERS, evidence_rows, one_network, print_table
from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, console, emit_rows, err_console, open_ws
from signalboost.errors import UsageError
from signalboost.i18n import L_, N_, _

if TYPE_CHECKING:
    import polars as pl

err = err_console


class Section(StrEnum):
    """What ``signalboost analyze`` prints."""

    all = "all"
    summary = "summary"
    slots = "slots"
    best = "best"
    frequency = "frequency"
    formats = "formats"
    paid = "paid"
    pillars = "pillars"
    mix = "mix"
    kpis = "kpis"
    tactics = "tactics"


class ReportFormat(StrEnum):
    """Output of ``signalboost report``."""

    html = "html"
    pdf = "pdf"
    md = "md"


#: what each ``--section`` prints: the Analysis attribute and the table's title (translated when shown)
SECTION_FRAMES: dict[str, tuple[str, str]] = {
    "summary": ("summary", N_("Engagement (mean per post, 95% interval)")),
    "best": ("recommended_slots", N_("Best slots (shrunk toward the network mean) and exploration slots")),
    "slots": ("slots", N_("Engagement by weekday × hour (brand's time zone)")),
    "frequency": ("frequency_curve", N_("Posts per day: engagement per post and per day")),
    "formats": ("formats", N_("Formats")),
    "paid": ("paid", N_("Paid vs organic")),
    "pillars": ("pillar_performance", N_("Performance per pillar")),
    "mix": ("pillar_mix", N_("Pillar mix vs target")),
    "kpis": ("kpis", N_("KPIs vs target")),
    "tactics": ("tactics", N_("Tactics vs goal")),
}


def _metric_words(metric: str) -> str:
    """``er_reach`` → ``engagement rate by reach (er_reach)``; several networks' metrics are listed as they are."""
    from signalboost.report.words import metric_words

    words = metric_words(metric)
    return metric if words == metric else f"{words} ({metric})"


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (round(v, 6) if isinstance(v, float) else v) for k, v in row.items()} for row in frame.iter_rows(named=True)
    ]


def _diff_text(diff: str) -> Any:
    """The diff coloured per line, never cut at the terminal's width (Syntax crops; the evidence must survive)."""
    from rich.text import Text

    styles = {"+": "green", "-": "red", "@": "cyan", "#": "dim"}
    text = Text()
    for i, line in enumerate(diff.splitlines()):
        text.append(("\n" if i else "") + line, style=styles.get(line[:1], ""))
    return text


def run_analysis(
    workspace: Path,
    *,
    metric: str,
    hour_block: int,
    min_posts: int,
    store: bool,
    account: str | None = None,
    window: int = 12,
    since: str | None = None,
) -> Any:
    """Load the workspace, analyse, and (with ``store``) save the pillar assignments. Returns the Analysis.

    ``window`` (months; 0 = the whole history) and ``since`` (YYYY-MM-DD) choose the history the advice reads
    (:mod:`signalboost.analytics.history`)."""
    from signalboost.cli.common import parse_date

    since_day = parse_date(since, "--since")
    from signalboost.analytics.analysis import AnalysisOptions, analyze
    from signalboost.store.analytics_sql import read_analytics_frames, replace_post_pillars

    ws = open_ws(workspace, read_only=True)
    strategy = ws.strategy() if ws.has_strategy() else None
    with err.status(_("Analysing the imported posts…")):
        frames = read_analytics_frames(ws)
        options = AnalysisOptions(
            metric=metric,
            hour_block=hour_block,
            min_posts=min_posts,
            account=account,
            window_months=window,
            since=since_day,
        )
        result = analyze(
            strategy,
            frames.posts,
            frames.post_metrics,
            frames.account_snapshots,
            accounts=frames.accounts,
            audience_hours=frames.audience_hours,
            options=options,
        )
        if store:
            replace_post_pillars(ws, result.pillar_assignments)
    if strategy is None:
        result.notes.append(_("no strategy.yaml: pillars, KPIs and tactics are not judged; times are UTC"))
    return result


def _pillar_names(workspace: Path) -> dict[str, str]:
    """The strategy's pillar names by id (``{}`` without a strategy.yaml), for the tables people read."""
    from signalboost.report.words import pillar_names

    ws = open_ws(workspace, read_only=True)
    return pillar_names(ws.strategy() if ws.has_strategy() else None)


MetricOption = typer.Option(
    "auto",
    "--metric",
    "-m",
    help="Engagement metric to rank by: auto (per network, the first of er_reach, er_impressions, er_followers, "
    "interactions it reports for most posts), or one of those for every network.",
)
HourBlockOption = typer.Option(1, "--hour-block", help="Hours per time slot (1, 2, 3, 4, 6, 8, 12).")
MinPostsOption = typer.Option(3, "--min-posts", min=1, help="Posts a slot needs before it can be recommended.")
AccountOption = typer.Option(
    None,
    "--account",
    "-a",
    help="Analyse this account only (id or handle). By default each network is analysed on one account — the "
    "brand's handle in the strategy, else the brand's, else the one with most posts that is not a registered "
    "competitor; others are never pooled.",
)


WindowOption = typer.Option(
    12,
    "--window",
    min=0,
    help="Months of each network's history the advice reads (best times and their backtest, posts per day, "
    "formats), counted back from its last post and widened until 60 posts with a figure are in; 0 = the whole "
    "history.",
)
SinceOption = typer.Option(
    None,
    "--since",
    metavar="YYYY-MM-DD",
    help="Read the advice from the posts since this date instead (not widened; overrides --window).",
)


def register(app: typer.Typer) -> None:
    @app.command("analyze")
    def analyze_cmd(
        section: Section = typer.Option(Section.all, "--section", "-s", help="Which result to print."),
        metric: str = MetricOption,
        hour_block: int = HourBlockOption,
        min_posts: int = MinPostsOption,
        account: str | None = AccountOption,
        window: int = WindowOption,
        since: str | None = SinceOption,
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Measure the imported posts: engagement, best hours, posts per day, formats, paid, pillars, KPIs.

        Every figure says its definition and sample size. Pillar assignments are saved to the workspace.

        Example: signalboost analyze --section best --format json
        """
        result = run_analysis(
            workspace,
            metric=metric,
            hour_block=hour_block,
            min_posts=min_posts,
            store=account is None,
            account=account,
            window=window,
            since=since,
        )
        wanted = list(SECTION_FRAMES) if section is Section.all else [section.value]
        if section is Section.all:
            wanted.remove("slots")
        names = _pillar_names(workspace)
        if fmt is OutputFormat.csv and len(wanted) > 1:
            raise UsageError(
                L_("CSV holds one table"), where="--format csv", hint=L_("Pick one with --section, e.g. --section best")
            )
        if fmt is OutputFormat.json:
            doc = {name: _rows(getattr(result, SECTION_FRAMES[name][0])) for name in wanted}
            emit_rows(
                [], fmt, document={"timezone": result.tz, "metric": result.slot_metric, "notes": result.notes, **doc}
            )
            return
        for name in wanted:
            attr, title = SECTION_FRAMES[name]
            frame = getattr(result, attr)
            if fmt is OutputFormat.table and frame.height:
                people, shown = one_network(BUILDERS[name](frame, names), _(title))
                print_table(people, shown)
                continue
            emit_rows(_rows(frame), fmt, title=_(title))
        if fmt is OutputFormat.table:
            from signalboost.report.analysis_words import plain_note

            console.print(
                _("Compared by: {metric}; times in {tz}; 95% intervals.").format(
                    metric=_metric_words(result.slot_metric), tz=result.tz
                ),
                highlight=False,
            )
            for note in result.notes:
                console.print(f"[yellow]{_('Note:')}[/] {escape(plain_note(note))}", highlight=False)

    @app.command("recommend")
    def recommend_cmd(
        apply: bool = typer.Option(False, "--apply", help="Write the proposed schedule into strategy.yaml."),
        metric: str = MetricOption,
        hour_block: int = HourBlockOption,
        min_posts: int = MinPostsOption,
        explore: int = typer.Option(
            2, "--explore", min=0, help="Exploration slots kept per network so the schedule learns."
        ),
        market: bool = typer.Option(
            False,
            "--market",
            help="Where your own data proposes no change of posts per week, propose the registered competitors' "
            "median instead (when your rate's interval excludes it); labelled 'from the market'.",
        ),
        account: str | None = AccountOption,
        window: int = WindowOption,
        since: str | None = SinceOption,
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Propose new posting hours and posts per week per network, as a diff of strategy.yaml with evidence.

        Nothing is written unless you pass --apply (comments in the file are kept). With competitors registered
        (signalboost competitors add), rows of kind "market" add cadence and format-mix suggestions from their
        results, labelled as such; they are evidence to read, written into strategy.yaml only with --market
        (posts per week, where your own data proposes no change).

        The advice reads each network's last 12 months of posts (widened until 60 posts with a figure are in, so
        its backtest can run); the first evidence row of each network says which days it read. --window 0 reads
        the whole history, --since a date of your choice.

        Example: signalboost recommend            (look)
                 signalboost recommend --window 24 (the last two years)
                 signalboost recommend --apply    (write it)
                 signalboost recommend --market   (let the competitors' cadence fill in where yours cannot tell)
        """
        from signalboost.analytics.recommend import apply_proposal, proposal_diff, propose_schedule
        from signalboost.model.io import StrategyDocument

        ws = open_ws(workspace, read_only=True)
        doc = StrategyDocument.load(ws.strategy_path) if ws.has_strategy() else None
        if doc is None:
            ws.strategy()  # raises the clear "no strategy.yaml" error
            return
        result = run_analysis(
            workspace,
            metric=metric,
            hour_block=hour_block,
            min_posts=min_posts,
            store=False,
            account=account,
            window=window,
            since=since,
        )
        market_rows = _market_rows(ws, doc.strategy())
        folded = None
        if market:
            from signalboost.competitors.advice import market_per_week

            folded = market_per_week(market_rows)
        proposal = propose_schedule(doc.strategy(), result, explore=explore, market_per_week=folded)
        diff = proposal_diff(doc, proposal)
        rows = proposal.evidence_rows() + [
            {k: v for k, v in r.items() if k != "suggested_per_week"} for r in market_rows
        ]
        if fmt is OutputFormat.json:
            emit_rows(rows, fmt, document={"diff": diff, "applied": apply, "changes": rows})
        elif fmt is OutputFormat.csv:
            emit_rows(rows, fmt)
        else:
            console.print(_diff_text(diff or _("(no change)")))
            emit_rows(evidence_rows(rows), fmt, title=_("Evidence for each proposed line"))
        if apply:
            apply_proposal(doc, proposal)
            doc.save()
            err.print(_("Wrote the new schedule to {path}").format(path=ws.strategy_path), highlight=False)
        elif fmt is OutputFormat.table:
            err.print(_("Nothing written. Run `signalboost recommend --apply` to write it."), highlight=False)

    def _audience_sections(ws: Any) -> list[Any]:
        """The Audience section when `signalboost audience segments` has stored a run (else none)."""
        from signalboost.audience.job import cards_from, hold_strategy, stored_run
        from signalboost.errors import SignalboostError
        from signalboost.report.audience_section import audience_section

        try:
            run = stored_run(ws)
            if run is None:
                return []
            verdicts, _ = hold_strategy(ws, cards_from(run))
        except SignalboostError:
            return []
        return [audience_section(run, verdicts)]

    def _market_rows(ws: Any, strategy: Any) -> list[dict[str, Any]]:
        """Suggestions from the registered competitors' results (kind ``market``), none when there are none."""
        from signalboost.competitors.advice import market_advice
        from signalboost.competitors.job import run_benchmark
        from signalboost.errors import SignalboostError
        from signalboost.store.competitors_sql import read_competitors

        try:
            if read_competitors(ws).height == 0:
                return []
            plans = {net: s.min_posts_per_week for net, s in strategy.schedule.networks.items()}
            return market_advice(run_benchmark(ws).result, plans)
        except SignalboostError:
            return []

    def _competitors_sections(ws: Any) -> list[Any]:
        """The Competitors section when competitors are registered and have posts (else none)."""
        from signalboost.competitors.job import run_benchmark
        from signalboost.errors import SignalboostError
        from signalboost.report.competitors_section import competitors_section
        from signalboost.store.competitors_sql import read_competitors

        try:
            if read_competitors(ws).height == 0:
                return []
            return [competitors_section(run_benchmark(ws))]
        except SignalboostError:
            return []

    @app.command("report")
    def report_cmd(
        fmt: ReportFormat = typer.Option(ReportFormat.html, "--format", "-f", help="html, pdf or md."),
        output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default exports/report.*)."),
        metric: str = MetricOption,
        hour_block: int = HourBlockOption,
        min_posts: int = MinPostsOption,
        account: str | None = AccountOption,
        window: int = WindowOption,
        since: str | None = SinceOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Write the analytics report: KPIs, pillar mix, best-time heatmap, posts per day, formats, paid, advice.

        Charts are drawn offline; the PDF is made for paper.

        Example: signalboost report --format pdf -o report.pdf
        """
        from signalboost.report.analytics_report import write_report

        ws = open_ws(workspace, read_only=True)
        result = run_analysis(
            workspace,
            metric=metric,
            hour_block=hour_block,
            min_posts=min_posts,
            store=False,
            account=account,
            window=window,
            since=since,
        )
        strategy = ws.strategy() if ws.has_strategy() else None
        target = output or ws.exports_dir / f"report.{fmt.value}"
        with err.status(_("Rendering the {format} report…").format(format=fmt.value.upper())):
            path = write_report(
                result, strategy, target, fmt=fmt.value, extra=[*_audience_sections(ws), *_competitors_sections(ws)]
            )
        err.print(_("Wrote {path}").format(path=path))
