"""``signalboost analyze``, ``signalboost recommend`` and ``signalboost report``: measure and re-tune."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import polars as pl
import typer

from signalboost.cli.analytics_tables import BUILDERS, one_network
from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, console, emit_rows, err_console, open_ws
from signalboost.errors import UsageError

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


SECTION_FRAMES: dict[str, tuple[str, str]] = {
    "summary": ("summary", "Engagement (mean per post, 95% interval)"),
    "best": ("recommended_slots", "Best slots (shrunk toward the network mean) and exploration slots"),
    "slots": ("slots", "Engagement by weekday × hour (brand's time zone)"),
    "frequency": ("frequency_curve", "Posts per day: engagement per post and per day"),
    "formats": ("formats", "Formats"),
    "paid": ("paid", "Paid vs organic"),
    "pillars": ("pillar_performance", "Performance per pillar"),
    "mix": ("pillar_mix", "Pillar mix vs target"),
    "kpis": ("kpis", "KPIs vs target"),
    "tactics": ("tactics", "Tactics vs goal"),
}


#: A group's mean engagement with its interval, and its difference from the other posts (formats, paid).
GROUP_COLUMNS = ["platform", "group", "n_used", "n_excluded", "mean", "ci_low", "ci_high"]
GROUP_COLUMNS += ["diff_vs_rest", "diff_ci_low", "diff_ci_high"]

TABLE_COLUMNS: dict[str, list[str]] = {
    "summary": ["platform", "label", "value", "ci_low", "ci_high", "n_used", "n_excluded", "n_missing_denominator"],
    "best": ["platform", "kind", "weekday_name", "slot_hour", "n_posts", "raw_mean", "expected", "ci_low", "ci_high"],
    "slots": [
        "platform",
        "weekday_name",
        "slot_hour",
        "n_posts",
        "raw_mean",
        "expected",
        "ci_low",
        "ci_high",
        "status",
    ],
    "frequency": [
        "platform",
        "label",
        "n_days",
        "per_post",
        "per_post_low",
        "per_post_high",
        "per_day",
        "per_day_low",
        "per_day_high",
    ],
    "formats": ["platform", "group", "n_used", "mean", "effect", "effect_low", "effect_high", "advice"],
    "paid": GROUP_COLUMNS,
    "pillars": [
        "platform",
        "group",
        "n_used",
        "mean",
        "ci_low",
        "ci_high",
        "diff_vs_rest",
        "diff_ci_low",
        "diff_ci_high",
    ],
    "mix": ["platform", "pillar", "posts", "share", "share_low", "share_high", "target", "posts_off", "drift"],
    "kpis": [
        "kpi",
        "network",
        "aggregation",
        "value",
        "low",
        "high",
        "target",
        "direction",
        "verdict",
        "n",
        "trend",
        "status",
    ],
    "tactics": ["tactic", "kpi", "found_by", "unit", "n_with", "n_without", "diff", "diff_low", "diff_high", "verdict"],
}


#: plain column labels for the terminal tables (JSON and CSV keep the field names)
PLAIN_LABELS: dict[str, str] = {
    "platform": "network",
    "weekday_name": "day",
    "slot_hour": "hour",
    "n_posts": "posts",
    "n_used": "posts used",
    "n_excluded": "left out",
    "n_missing_denominator": "no denominator",
    "raw_mean": "raw mean",
    "expected": "expected",
    "ci_low": "95% low",
    "ci_high": "95% high",
    "share_low": "95% low",
    "share_high": "95% high",
    "posts_off": "posts off",
    "drift": "drifting",
    "diff_vs_rest": "vs rest",
    "diff_ci_low": "95% low",
    "diff_ci_high": "95% high",
    "effect_low": "95% low",
    "effect_high": "95% high",
    "effect": "effect (SD)",
    "group": "group",
    "aggregation": "computed as",
    "direction": "aim",
    "low": "95% low",
    "high": "95% high",
    "per_post_low": "95% low",
    "per_post_high": "95% high",
    "per_day_low": "95% low",
    "per_day_high": "95% high",
    "posts_per_day": "posts a day",
    "n_days": "days",
    "per_post": "per post",
    "per_day": "per day",
}
_SHARES = {"share", "share_low", "share_high", "target"}
_RATE_PREFIXES = ("er_", "engagement_rate", "click_through", "follower_growth")


def _is_rate(row: dict[str, Any]) -> bool:
    metric = str(row.get("metric") or row.get("slot_metric") or "")
    return metric.startswith(_RATE_PREFIXES) and not metric.endswith("_z")


def _num(value: Any, rate: bool) -> str:
    if value is None:
        return "—"
    if rate:
        return f"{100 * value:.2f}%"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def kpi_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The KPI table for people, in 80 columns: figure with its interval, target with its direction, verdict."""
    out = []
    for r in frame.iter_rows(named=True):
        rate = _is_rate(r)
        figure = _num(r["value"], rate)
        if r.get("low") is not None and r.get("high") is not None:
            figure += f" [{_num(r['low'], rate)}, {_num(r['high'], rate)}]"
        how = str(r["aggregation"] or "").replace("_", " ")
        out.append(
            {
                "KPI": r["kpi"],
                "network": r["network"],
                "figure [95%], computed as": f"{figure}\n{how}" if how else figure,
                "target": f"{'≥' if r['direction'] == 'at_least' else '≤'} {_num(r['target'], rate)}",
                "verdict": r["verdict"] if str(r["status"]).startswith("ok") else f"{r['verdict']}: {r['status']}",
                "n": r["n"],
            }
        )
    return out


def mix_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The pillar mix for people, in 80 columns: share with its Wilson interval, target, posts off, drifting."""
    return [
        {
            "network": r["platform"],
            "pillar": r["pillar"],
            "posts": f"{r['posts']:.0f}",
            "share (95%)": f"{100 * r['share']:.0f}% ({100 * r['share_low']:.0f}–{100 * r['share_high']:.0f}%)",
            "target": f"{100 * r['target']:.0f}%",
            "posts off": f"{r['posts_off']:+.0f}".replace("-", "−"),
            "drifting": "yes" if r["drift"] else "no",
        }
        for r in frame.iter_rows(named=True)
    ]


def plain_rows(frame: pl.DataFrame, metrics: list[Any] | None = None) -> list[dict[str, Any]]:
    """Rows for people: plain column labels, yes/no for flags, shares and rates as %, hours as HH:00.

    ``metrics``: each row's metric when ``frame`` no longer has the column (rates are then shown as %)."""
    out = []
    for i, row in enumerate(frame.iter_rows(named=True)):
        rate = _is_rate(row if metrics is None else {"metric": metrics[i]})
        plain: dict[str, Any] = {}
        for key, value in row.items():
            label = PLAIN_LABELS.get(key, key.replace("_", " "))
            if isinstance(value, bool):
                value = "yes" if value else "no"
            elif key == "slot_hour" and isinstance(value, int):
                value = f"{value:02d}:00"
            elif isinstance(value, float) and (
                key in _SHARES
                or (
                    rate
                    and key
                    in (
                        "value",
                        "low",
                        "high",
                        "target",
                        "mean",
                        "ci_low",
                        "ci_high",
                        "raw_mean",
                        "expected",
                        "diff_vs_rest",
                        "diff_ci_low",
                        "diff_ci_high",
                    )
                )
            ):
                value = f"{100 * value:.1f}%" if key in _SHARES and "metric" not in row else f"{100 * value:.2f}%"
            elif key == "posts_off" and isinstance(value, float):
                value = f"{value:+.0f}"
            elif isinstance(value, str):
                value = value.replace("_", " ") if key in ("aggregation", "direction", "kind") else value
            plain[label if label not in plain else key] = value
        out.append(plain)
    return out


def _metric_words(metric: str) -> str:
    """``er_reach`` → ``engagement rate by reach (er_reach)``; several networks' metrics are listed as they are."""
    from signalboost.analytics.metrics import definition
    from signalboost.errors import AnalyticsError

    try:
        label = definition(metric).label
    except AnalyticsError:
        return metric
    return f"{label[:1].lower()}{label[1:]} ({metric})"


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
    workspace: Path, *, metric: str, hour_block: int, min_posts: int, store: bool, account: str | None = None
) -> Any:
    """Load the workspace, analyse, and (with ``store``) save the pillar assignments. Returns the Analysis."""
    from signalboost.analytics.analysis import AnalysisOptions, analyze
    from signalboost.store.analytics_sql import read_analytics_frames, replace_post_pillars

    ws = open_ws(workspace, read_only=True)
    strategy = ws.strategy() if ws.has_strategy() else None
    with err.status("Analysing the imported posts…"):
        frames = read_analytics_frames(ws)
        options = AnalysisOptions(metric=metric, hour_block=hour_block, min_posts=min_posts, account=account)
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
        result.notes.append("no strategy.yaml: pillars, KPIs and tactics are not judged; times are UTC")
    return result


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


def register(app: typer.Typer) -> None:
    @app.command("analyze")
    def analyze_cmd(
        section: Section = typer.Option(Section.all, "--section", "-s", help="Which result to print."),
        metric: str = MetricOption,
        hour_block: int = HourBlockOption,
        min_posts: int = MinPostsOption,
        account: str | None = AccountOption,
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Measure the imported posts: engagement, best hours, posts per day, formats, paid, pillars, KPIs.

        Every figure says its definition and sample size. Pillar assignments are saved to the workspace.

        Example: signalboost analyze --section best --format json
        """
        result = run_analysis(
            workspace, metric=metric, hour_block=hour_block, min_posts=min_posts, store=account is None, account=account
        )
        wanted = list(SECTION_FRAMES) if section is Section.all else [section.value]
        if section is Section.all:
            wanted.remove("slots")
        if fmt is OutputFormat.csv and len(wanted) > 1:
            raise UsageError(
                "CSV holds one table", where="--format csv", hint="Pick one with --section, e.g. --section best"
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
                frame = frame.select([c for c in TABLE_COLUMNS[name] if c in frame.columns])
                full = getattr(result, attr)
                metrics = full["metric"].to_list() if "metric" in full.columns else None
                people = (
                    kpi_rows(full)
                    if name == "kpis"
                    else mix_rows(full)
                    if name == "mix"
                    else BUILDERS[name](full)
                    if name in BUILDERS
                    else plain_rows(frame, metrics)
                )
                people, title = one_network(people, title)
                emit_rows(people, fmt, title=title)
                continue
            emit_rows(_rows(frame), fmt, title=title)
        if fmt is OutputFormat.table:
            from signalboost.report.analytics_report import plain_note

            console.print(f"Compared by: {_metric_words(result.slot_metric)}; times in {result.tz}; 95% intervals.")
            for note in result.notes:
                console.print(f"[yellow]Note:[/] {plain_note(note)}", highlight=False)

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
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Propose new posting hours and posts per week per network, as a diff of strategy.yaml with evidence.

        Nothing is written unless you pass --apply (comments in the file are kept). With competitors registered
        (signalboost competitors add), rows of kind "market" add cadence and format-mix suggestions from their
        results, labelled as such; they are evidence to read, written into strategy.yaml only with --market
        (posts per week, where your own data proposes no change).

        Example: signalboost recommend            (look)
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
            workspace, metric=metric, hour_block=hour_block, min_posts=min_posts, store=False, account=account
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
            console.print(_diff_text(diff or "(no change)"))
            emit_rows(rows, fmt, title="Evidence for each proposed line")
        if apply:
            apply_proposal(doc, proposal)
            doc.save()
            err.print(f"Wrote the new schedule to {ws.strategy_path}")
        elif fmt is OutputFormat.table:
            err.print("Nothing written. Run `signalboost recommend --apply` to write it.")

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
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Write the analytics report: KPIs, pillar mix, best-time heatmap, posts per day, formats, paid, advice.

        Charts are drawn offline; the PDF is made for paper.

        Example: signalboost report --format pdf -o report.pdf
        """
        from signalboost.report.analytics_report import write_report

        ws = open_ws(workspace, read_only=True)
        result = run_analysis(
            workspace, metric=metric, hour_block=hour_block, min_posts=min_posts, store=False, account=account
        )
        strategy = ws.strategy() if ws.has_strategy() else None
        target = output or ws.exports_dir / f"report.{fmt.value}"
        with err.status(f"Rendering the {fmt.value.upper()} report…"):
            path = write_report(
                result, strategy, target, fmt=fmt.value, extra=[*_audience_sections(ws), *_competitors_sections(ws)]
            )
        from signalboost.i18n import _

        err.print(_("Wrote {path}").format(path=path))
