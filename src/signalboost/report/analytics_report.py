"""The analytics report (HTML, PDF via WeasyPrint, Markdown) built from an :class:`Analysis`.

The report is a list of sections, each with a short text, an optional chart (PNG drawn offline) and tables whose
captions give the definition and the sample size. The same sections feed the HTML and Markdown templates; the
PDF is the HTML printed by WeasyPrint (no network: every image is embedded).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
from jinja2 import Environment, StrictUndefined

from signalboost.analytics.analysis import Analysis
from signalboost.analytics.metrics import DEFINITIONS, INTERACTION_METRICS, group_bases
from signalboost.analytics.pillars import drift_words
from signalboost.errors import ReportError
from signalboost.model.strategy import Strategy
from signalboost.outfiles import check_target, write_output
from signalboost.report import analytics_charts as charts
from signalboost.textsafe import md_escape

Fmt = Callable[[Any], str]
#: Months with drift listed per network (a 12-year archive would otherwise fill pages with the same row).
DRIFT_MONTHS = 12


@dataclass
class Table:
    """A table of already formatted cells."""

    headers: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Section:
    """One section of the report."""

    title: str
    text: list[str] = field(default_factory=list)
    charts: list[tuple[str, bytes]] = field(default_factory=list)  # (alt text, PNG)
    tables: list[Table] = field(default_factory=list)
    pre: str = ""


def _num(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"
    return str(v)


def _signed(v: Any) -> str:
    return "—" if v is None else f"{v:+.0f}".replace("-", "−")


def _pct(v: Any) -> str:
    return "—" if v is None else f"{100 * v:.2f}%"


def _metric_fmt(metric: str) -> Fmt:
    return _pct if metric.startswith("er_") and not metric.endswith("_z") else _num


def _interval(lo: Any, hi: Any, f: Fmt) -> str:
    return "—" if lo is None or hi is None else f"{f(lo)} – {f(hi)}"


def by_metric(v: Any) -> str:
    """Formatter marker: format the cell by its row's ``metric`` (a rate as %, a count as a number)."""
    return _num(v)


def table(frame: pl.DataFrame, cols: Sequence[tuple[str, str, Fmt]], caption: str = "") -> Table:
    """Format ``frame``'s columns ``(column, header, formatter)`` into a :class:`Table`.

    A column whose formatter is :func:`by_metric` is formatted by each row's ``metric`` (networks may be ranked on
    different metrics: a page by reach rate, an X archive by its interactions).
    """
    rows = [
        [(_metric_fmt(str(r.get("metric") or "")) if f is by_metric else f)(r.get(c)) for c, _, f in cols]
        for r in frame.iter_rows(named=True)
    ]
    return Table([h for _, h, _ in cols], rows, caption)


# ------------------------------------------------------------------------------------------------ sections


def kpi_figure_label(aggregation: str | None) -> str:
    """How a KPI's figure was made, in words: ``mean per post``, ``total over the window``, …"""
    from signalboost.analytics.kpis import AGGREGATION_LABELS

    return AGGREGATION_LABELS.get(str(aggregation), "")


def _kpi_section(a: Analysis) -> Section:
    s = Section("KPIs against their targets")
    if a.kpis.height == 0:
        s.text.append("The strategy names no KPIs.")
        return s
    s.text.append(
        "Each KPI over its window ending at the last post on its network, computed as the KPI says (a total, a mean "
        "or median per post, or a rate of the window's totals), with the window before it for the trend. A mean, "
        "median or rate is judged on its 95% interval: when the interval holds the target it is too early to tell."
    )
    rows = []
    for r in a.kpis.iter_rows(named=True):
        f = _pct if str(r["metric"]).startswith(("engagement_rate", "click", "follower_growth")) else _num
        rows.append(
            [
                r["kpi"],
                r["network"],
                f"{f(r['value'])} {kpi_figure_label(r['aggregation'])}" if r["value"] is not None else "—",
                _interval(r.get("low"), r.get("high"), f),
                f"{'≥' if r['direction'] == 'at_least' else '≤'} {f(r['target'])}",
                r.get("verdict") or "—",
                str(r["n"]),
                f"{r['trend']} (was {f(r['previous'])})" if r["previous"] is not None else r["trend"],
                "" if r["status"] == "ok" else r["status"],
            ]
        )
    s.tables.append(
        Table(
            ["KPI", "network", "figure compared", "95% interval", "target", "verdict", "n", "trend", "note"],
            rows,
            "n = posts (or follower snapshots) in the window",
        )
    )
    if a.tactics.height:
        trows = []
        for r in a.tactics.iter_rows(named=True):
            f = _pct if str(r["metric"]).startswith(("engagement_rate", "click")) else _num
            trows.append(
                [
                    r["tactic"],
                    r["kpi"],
                    f"{r['unit']}s ({r['found_by']})",
                    _num(r["n_with"]),
                    _num(r["n_without"]),
                    f(r["mean_with"]),
                    f(r["mean_without"]),
                    f(r["diff"]),
                    _interval(r["diff_low"], r["diff_high"], f),
                    r["verdict"],
                ]
            )
        s.tables.append(
            Table(
                [
                    "tactic",
                    "KPI",
                    "compared",
                    "with",
                    "without",
                    "mean with",
                    "mean without",
                    "difference",
                    "95% interval",
                    "verdict",
                ],
                trows,
                "Periods with the tactic vs the others on the KPI it serves (Welch interval); days are compared "
                "when every week has the tactic.",
            )
        )
    return s


def _summary_section(a: Analysis) -> Section:
    s = Section("Engagement, defined once")
    for d in DEFINITIONS.values():
        s.text.append(f"{d.label}: {d.formula} — counted when {d.needs}.")
    s.text.extend(_basis_lines(a))
    rows = []
    for r in a.summary.iter_rows(named=True):
        f = _metric_fmt(r["metric"])
        rows.append(
            [
                r["platform"],
                r["label"],
                f(r["value"]),
                _interval(r["ci_low"], r["ci_high"], f),
                str(r["n_used"]),
                str(r["n_excluded"]),
                _num(r.get("n_missing_denominator")),
            ]
        )
    s.tables.append(
        Table(
            [
                "network",
                "metric",
                "mean per post",
                "95% interval",
                "posts used",
                "posts excluded",
                "of which no denominator",
            ],
            rows,
            "Excluded: the post did not report the metric or its denominator (never counted as 0); "
            "'no denominator' counts posts without reach, impressions or a follower snapshot.",
        )
    )
    return s


def _basis_lines(a: Analysis) -> list[str]:
    """What interactions sum on each network; a partial sum says what it leaves out and is not compared."""
    eng = a.engagement
    if "interactions_basis" not in eng.columns:
        return []
    lines = []
    for platform, basis, partial in sorted(group_bases(eng), key=lambda b: b[0]):
        if basis is None:
            lines.append(f"On {platform}, interactions are not reported by the export: no engagement figures.")
        elif partial:
            lines.append(
                f"On {platform}, interactions = {basis} — a partial sum ({partial}); its figures are not comparable "
                "with networks that report the full likes + comments + shares."
            )
        else:
            lines.append(f"On {platform}, interactions = {basis}.")
    return lines


def _definitions_caption(frame: pl.DataFrame) -> str:
    """``metric: definition`` once per distinct definition (per network when they differ)."""
    if "definition" not in frame.columns:
        return ""
    seen = frame.select("platform", "metric", "definition").unique(maintain_order=True)
    pairs = sorted({(m, d) for m, d in seen.select("metric", "definition").iter_rows() if d})
    if len(pairs) <= 1:
        return f"{seen['metric'][0]}: {pairs[0][1] if pairs else ''}"
    per = seen.group_by("metric", "definition", maintain_order=True).agg(
        pl.col("platform").unique().sort().str.join(", ")
    )
    return "; ".join(f"{nets}: {m} = {d}" for m, d, nets in per.iter_rows())


def _timing_section(a: Analysis) -> Section:
    s = Section("Best times to post")
    s.text.append(
        f"Engagement ({a.slot_metric}) by weekday and hour in {a.tz}, pulled toward each network's average in "
        "proportion to how few posts a slot has, with the few most extreme posts capped (see 'shrunk' and "
        "'winsorised' in the glossary): a slot with a few lucky or viral posts cannot win. A slot is recommended "
        "only when its 95% interval lies above the average. Slots with fewer than "
        f"{a.options.min_posts} posts are marked 'not enough data'; a few, in daytime hours or hours you already "
        "post in, are kept as exploration slots."
    )
    partial = {p: (b, n) for p, b, n in group_bases(a.engagement) if b is not None and n}
    for (platform,), slots in a.slots.group_by(["platform"], maintain_order=True):
        title = f"{platform}: expected engagement by slot"
        metric = a.slot_metrics.get(str(platform), a.slot_metric)
        if platform in partial and metric.removesuffix("_z") in INTERACTION_METRICS:
            title += f"\n(interactions = {partial[platform][0]}; partial: {partial[platform][1]})"
        s.charts.append((f"Best-time heatmap, {platform}", charts.heatmap(slots, title=title)))
    f = by_metric
    s.tables.append(
        table(
            a.recommended_slots,
            [
                ("platform", "network", str),
                ("kind", "kind", str),
                ("weekday_name", "day", str),
                ("slot_hour", "hour", lambda h: f"{h:02d}:00"),
                ("n_posts", "posts", _num),
                ("raw_mean", "raw mean", f),
                ("expected", "expected", f),
                ("ci_low", "95% low", f),
                ("ci_high", "95% high", f),
            ],
            "Recommended and exploration slots (expected = shrunk estimate)",
        )
    )
    return s


def _frequency_section(a: Analysis) -> Section:
    s = Section("How many posts a day")
    s.text.append(
        f"Engagement ({a.options.frequency_metric}) per post and total engagement per day by the number of posts "
        "that day. A change is proposed only when its 95% interval lies wholly above zero."
    )
    if a.options.frequency_metric == "interactions":
        s.text.extend(_basis_lines(a))
    for (platform,), curve in a.frequency_curve.group_by(["platform"], maintain_order=True):
        if curve["per_post"].drop_nulls().len() == 0:  # nothing to draw: say what the export lacks
            s.text.append(no_chart_sentence(str(platform), a.options.frequency_metric))
            continue
        s.charts.append((f"Posts per day, {platform}", charts.posts_per_day(curve, title=str(platform))))
    if a.frequency.height:
        # only a supported change of posts per day proposes a new weekly count (as `signalboost recommend` does);
        # otherwise the strategy's own number stands, whatever the history's habit
        freq = a.frequency.with_columns(
            pl.when(pl.col("changed"))
            .then(pl.col("recommended_per_week").cast(pl.String))
            .otherwise(pl.lit("no change"))
            .alias("_proposed")
        )
        s.tables.append(
            table(
                freq,
                [
                    ("platform", "network", str),
                    ("current_per_week", "history / week", _num),
                    ("current_per_day", "history / posting day", _num),
                    ("_proposed", "proposed / week", str),
                    ("recommended_per_day", "per posting day", _num),
                    ("evidence", "evidence", str),
                ],
                "history = the imported posts; 'no change' keeps strategy.yaml's min_posts_per_week",
            )
        )
    return s


def no_chart_sentence(platform: str, metric: str) -> str:
    """Instead of an empty chart: what the network's export lacks and how to get it."""
    return (
        f"No chart for {platform}: its export reports no {metric.removesuffix('_z')} (no likes, comments or shares "
        "on its posts — Instagram's and Mastodon's own archives carry none). Import a post export with engagement "
        f"counts for {platform} (e.g. a CSV from the network's insights through `signalboost import FILE -p "
        f"{platform} --map …`) to see it."
    )


def _groups_section(title: str, frame: pl.DataFrame, metric: str, text: str) -> Section:
    s = Section(title, [text])
    if frame.height == 0:
        return s
    f = by_metric
    for (platform,), g in frame.group_by(["platform"], maintain_order=True):
        m = str(g["metric"][0]) if "metric" in g.columns else metric
        if int(g["n_used"].sum()) == 0:  # an export without engagement counts: a sentence, not an empty chart
            s.text.append(no_chart_sentence(str(platform), m))
            continue
        s.charts.append((f"{title}, {platform}", charts.group_bars(g, title=f"{platform}: {title.lower()}", metric=m)))
    s.tables.append(
        table(
            frame,
            [
                ("platform", "network", str),
                ("group", "group", str),
                ("n_used", "posts", _num),
                ("n_excluded", "excluded", _num),
                ("mean", "mean", f),
                ("ci_low", "95% low", f),
                ("ci_high", "95% high", f),
                ("diff_vs_rest", "vs rest", f),
                ("diff_ci_low", "95% low", f),
                ("diff_ci_high", "95% high", f),
            ],
            f"{_definitions_caption(frame)}; intervals: Student t (means), Welch (differences)",
        )
    )
    return s


PILLAR_METHODS: dict[str, str] = {
    "label": "labelled by a person",
    "rule": "matched a keyword or hashtag",
    "classifier": "recognised by the text classifier",
    "unclassified": "no pillar found",
}


def plain_note(note: str) -> str:
    """A note for people: ``metric auto = er_reach (…)`` becomes which rate posts are compared by."""
    if note.startswith("metric auto = "):
        metric = note.removeprefix("metric auto = ").split(" ", 1)[0]
        words = {
            "er_reach": "engagement rate by reach",
            "er_impressions": "engagement rate by impressions",
            "er_followers": "engagement rate by followers",
            "interactions": "interactions per post",
        }.get(metric, metric)
        return f"Posts are compared by {words} ({metric}), the figure most of the posts report."
    return note


def _pillar_section(a: Analysis) -> Section:
    s = Section("Pillar mix against the strategy")
    methods = a.pillar_assignments.group_by("method").len().sort("method")
    s.text.append(
        "How each post got its pillar: "
        + ", ".join(f"{PILLAR_METHODS.get(str(m), str(m))}: {n} posts" for m, n in methods.iter_rows())
        + ". A pillar drifts when its target lies outside the 95% interval of its actual share (Wilson, over the "
        "network's posts) or it has no post where 2 or more were due; 'posts off' says by how many posts it is over "
        "(+) or under (−) its weight."
    )
    for (platform,), mix in a.pillar_mix.group_by(["platform"], maintain_order=True):
        s.charts.append((f"Pillar mix, {platform}", charts.pillar_mix(mix, title=f"{platform}: actual vs target")))
    s.tables.append(
        table(
            a.pillar_mix,
            [
                ("platform", "network", str),
                ("pillar", "pillar", str),
                ("posts", "posts", _num),
                ("share", "share", _pct),
                ("share_low", "95% low", _pct),
                ("share_high", "95% high", _pct),
                ("target", "target", _pct),
                ("posts_off", "posts off", _signed),
                ("drift", "drifting", _num),
            ],
        )
    )
    for r in a.pillar_mix.filter(pl.col("drift")).iter_rows(named=True):
        s.text.append(f"Drifting on {r['platform']}: {drift_words(r)}.")
    drifting = a.pillar_mix_monthly.filter(pl.col("drift"))
    if drifting.height:
        labelled = drifting.with_columns(
            pl.format("{} ({})", pl.col("pillar"), pl.col("posts_off").round(0).cast(pl.Int64)).alias("pillar")
        )
        months = labelled.group_by("platform", "month").agg(pl.col("pillar").str.join(", ")).sort("platform", "month")
        shown = months.group_by("platform", maintain_order=True).tail(DRIFT_MONTHS).sort("platform", "month")
        left = months.height - shown.height
        caption = "Months with drift" + (
            f" (the last {DRIFT_MONTHS} per network; {left} earlier months with drift are not listed)" if left else ""
        )
        s.tables.append(
            Table(["network", "month", "pillars off target (posts off)"], [list(r) for r in shown.iter_rows()], caption)
        )
    return s


def build_sections(a: Analysis, proposal_text: str = "", extra: Sequence[Section] = ()) -> list[Section]:
    """The report's sections, in reading order (``extra`` sections, e.g. the audience's, before the schedule)."""
    metric = a.slot_metric
    sections = [
        _kpi_section(a),
        _summary_section(a),
        _pillar_section(a),
        _groups_section(
            "Performance per pillar", a.pillar_performance, metric, "Mean engagement of each pillar's posts."
        ),
        _timing_section(a),
        _frequency_section(a),
        _groups_section("Formats", a.formats, metric, "Photo, video, link, text…: mean engagement with intervals."),
        _groups_section(
            "Paid vs organic", a.paid, metric, "Promoted posts against organic ones (unknown = not reported)."
        ),
        *extra,
    ]
    rec = Section("Recommended schedule change")
    if proposal_text:
        rec.text.append("The proposed change to strategy.yaml; apply it with `signalboost recommend --apply`.")
        rec.pre = proposal_text
    else:
        rec.text.append("No strategy schedule to re-tune (add schedule.networks to strategy.yaml).")
    sections.append(rec)
    sections.append(glossary_section())
    return sections


#: the technical names the report's tables and notes use, in plain words (the appendix)
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("er_reach", "engagement rate by reach: (likes + comments + shares) ÷ people reached, per post"),
    ("er_impressions", "engagement rate by impressions: interactions ÷ times the post was shown"),
    ("er_followers", "engagement rate by followers: interactions ÷ followers when the post went out"),
    ("interactions", "likes + comments + shares, as far as the export reports them"),
    ("metric auto", "each network is ranked on the first engagement rate most of its posts report"),
    ("_z", "a score within one account (its posts' mean 0, spread 1), so accounts of different size compare"),
    ("95% interval", "the range the true figure lies in with 95% confidence, given the posts seen"),
    (
        "shrunk / expected",
        "a slot's figure pulled toward the network's average in proportion to how few posts it "
        "has (empirical Bayes), so a slot with three lucky posts does not win",
    ),
    (
        "winsorised",
        "the most extreme 5% of posts at each end counted as the 5th/95th percentile, so a few viral "
        "posts do not decide the best hours",
    ),
    ("top-3 share", "how much of a slot's gain over the average comes from its three best posts"),
    ("not distinguishable", "the interval includes the average (or 0): the data cannot tell it apart"),
    ("Wilson interval", "the interval of a share (e.g. 26% of posts), valid also for 0% and small numbers"),
    ("Welch interval", "the interval of a difference of two means with different spreads"),
    ("effect (SD)", "a difference expressed in standard deviations of the metric over the network's posts"),
    ("mean per post / rate / total", "how a KPI turns its window into one figure (its `aggregation`)"),
)


def glossary_section() -> Section:
    """Appendix: the technical names used above, in plain words."""
    s = Section("Appendix: glossary")
    s.tables.append(Table(["term", "meaning"], [[t, m] for t, m in GLOSSARY]))
    return s


# ------------------------------------------------------------------------------------------------ rendering


def _env() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _template(name: str) -> str:
    return resources.files("signalboost.report").joinpath("templates", name).read_text(encoding="utf-8")


def _context(a: Analysis, strategy: Strategy | None) -> dict[str, Any]:
    eng = a.engagement
    times: list[dt.datetime] = eng["created_at"].drop_nulls().to_list()
    period = f"{min(times):%Y-%m-%d} to {max(times):%Y-%m-%d}" if times else "no dated posts"
    return {
        "brand": strategy.brand.name if strategy else "Signalboost workspace",
        "period": period,
        "n_posts": eng.height,
        "networks": ", ".join(sorted(set(eng["platform"].to_list()))),
        "tz": a.tz,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "notes": [plain_note(n) for n in a.notes],
    }


def render_html(
    a: Analysis, strategy: Strategy | None, *, proposal_text: str = "", extra: Sequence[Section] = ()
) -> str:
    """The report as one self-contained HTML page (charts embedded as PNG data URIs; text escaped)."""
    sections = build_sections(a, proposal_text, extra)
    images = [[(alt, base64.b64encode(png).decode("ascii")) for alt, png in s.charts] for s in sections]
    return (
        _env()
        .from_string(_template("analytics_report.html.j2"))
        .render(sections=list(zip(sections, images, strict=True)), **_context(a, strategy))
    )


def render_markdown(
    a: Analysis, strategy: Strategy | None, target: Path, *, proposal_text: str = "", extra: Sequence[Section] = ()
) -> str:
    """The report as Markdown; chart PNGs are written to ``<target stem>_files/`` beside it."""
    sections = build_sections(a, proposal_text, extra)
    folder = target.parent / f"{target.stem}_files"
    images: list[list[tuple[str, str]]] = []
    for i, s in enumerate(sections):
        names = []
        for j, (alt, png) in enumerate(s.charts):
            path = write_output(folder / f"chart-{i:02d}-{j}.png", png, what="a chart")
            names.append((alt, f"{folder.name}/{path.name}"))
        images.append(names)
    env = Environment(autoescape=False, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["cell"] = md_escape
    return env.from_string(_template("analytics_report.md.j2")).render(
        sections=list(zip(sections, images, strict=True)), **_context(a, strategy)
    )


def write_report(
    a: Analysis,
    strategy: Strategy | None,
    target: Path,
    *,
    fmt: str = "html",
    proposal_text: str | None = None,
    extra: Sequence[Section] = (),
) -> Path:
    """Write the report as ``html``, ``pdf`` or ``md`` to ``target``; return the path written.

    With a strategy that has a schedule, the recommended change (a strategy.yaml diff with evidence) is included
    unless ``proposal_text`` is given.
    """
    if fmt not in ("html", "pdf", "md"):
        raise ReportError(f"unknown report format {fmt!r}", where="--format", hint="Use html, pdf or md")
    if proposal_text is None:
        proposal_text = _proposal(a, strategy)
    check_target(target)
    if fmt == "md":
        return write_output(
            target, render_markdown(a, strategy, target, proposal_text=proposal_text, extra=extra), what="the report"
        )
    html = render_html(a, strategy, proposal_text=proposal_text, extra=extra)
    if fmt == "html":
        return write_output(target, html, what="the report")
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # not installed, or its Pango/HarfBuzz libraries missing
        raise ReportError(
            f"WeasyPrint cannot start: {exc}",
            where="--format pdf",
            hint="Install its system libraries (`bash scripts/system-deps.sh demo`), or use --format html",
        ) from exc
    return write_output(target, HTML(string=html, base_url=str(target.parent)).write_pdf(), what="the report")


def _proposal(a: Analysis, strategy: Strategy | None) -> str:
    if strategy is None or not strategy.schedule.networks:
        return ""
    from signalboost.analytics.recommend import propose_schedule

    proposal = propose_schedule(strategy, a)
    lines: list[str] = []
    for n in proposal.networks:
        lines.append(f"{n.network}: min_posts_per_week {n.old_per_week} -> {n.new_per_week}")
        lines.append(f"    why: {n.per_week_evidence}")
        for day, times in n.new_slots().items():
            lines.append(f"    {day}: {', '.join(times)}")
            for s in sorted((s for s in n.slots if s.weekday == day), key=lambda c: c.time):
                lines.append(f"        {s.kind}: {s.evidence}")
    for net, why in proposal.skipped.items():
        lines.append(f"{net}: {why}")
    for f in proposal.formats:
        lines.append(f"{f['network']}: format {f['format']}: {f['advice']} — {f['evidence']}")
    return "\n".join(lines)
