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
from signalboost.errors import ReportError
from signalboost.i18n import L_, N_, _, format_number, format_percent, format_significant, ngettext
from signalboost.model.strategy import Strategy
from signalboost.outfiles import check_target, write_output
from signalboost.report import analytics_charts as charts
from signalboost.report.analysis_words import (
    PILLAR_METHODS,
    UNITS,
    backtest_words,
    basis_words,
    drift_sentence,
    evidence_words,
    formula_words,
    found_by,
    kpi_figure_label,
    month_words,
    no_chart_sentence,
    partial_words,
    plain_note,
    reposts_left_out_words,
    status_words,
    tactic_verdict,
)
from signalboost.report.words import (
    PillarNames,
    kpi_is_percent,
    metric_words,
    pillar_names,
    pillar_word,
    word,
)
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
    """A cell's number in the report's language: three significant digits below 1,000, whole numbers above."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    if isinstance(v, float):
        return format_significant(v, digits=3)
    if isinstance(v, int):
        return format_number(v)
    return word(str(v))


def _signed(v: Any) -> str:
    return "—" if v is None else ("+" if v > 0 else "−" if round(v) < 0 else "") + format_number(abs(round(v)))


def _pct(v: Any) -> str:
    return format_percent(v, digits=2)


def _metric_fmt(metric: str) -> Fmt:
    return _pct if metric.startswith("er_") and not metric.endswith("_z") else _num


def _interval(lo: Any, hi: Any, f: Fmt) -> str:
    return "—" if lo is None or hi is None else f"{f(lo)} – {f(hi)}"


def _trend_cell(r: dict[str, Any], f: Fmt) -> str:
    """A KPI's trend, with the previous window's figure and, for a total or a follower figure, the 95 % interval of
    the change (:func:`signalboost.analytics.kpis.change_interval`)."""
    if r["previous"] is None:
        return _text(r["trend"])
    if r.get("change_low") is not None and r.get("change_high") is not None:
        return _("{trend} (was {previous}; change {change}, 95% interval {low} – {high})").format(
            trend=_text(r["trend"]),
            previous=f(r["previous"]),
            change=f(r["change"]),
            low=f(r["change_low"]),
            high=f(r["change_high"]),
        )
    return _("{trend} (was {previous})").format(trend=_text(r["trend"]), previous=f(r["previous"]))


def _text(v: Any) -> str:
    """A text cell: vocabulary translated, anything else as written."""
    return "—" if v is None else word(str(v))


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


def _kpi_section(a: Analysis) -> Section:
    s = Section(_("KPIs against their targets"))
    if a.kpis.height == 0:
        s.text.append(_("The strategy names no KPIs."))
        return s
    s.text.append(
        _(
            "Each KPI over its window ending at the last post on its network, computed as the KPI says (a total, a "
            "mean or median per post, or a rate of the window's totals), with the window before it for the trend. A "
            "mean, median or rate is judged on its 95% interval: when the interval holds the target it is too early "
            "to tell."
        )
    )
    rows = []
    for r in a.kpis.iter_rows(named=True):
        f = _pct if kpi_is_percent(str(r["metric"])) else _num
        rows.append(
            [
                r["kpi"],
                r["network"],
                f"{f(r['value'])} {kpi_figure_label(r['aggregation'])}" if r["value"] is not None else "—",
                _interval(r.get("low"), r.get("high"), f),
                f"{'≥' if r['direction'] == 'at_least' else '≤'} {f(r['target'])}",
                _text(r.get("verdict")),
                format_number(r["n"]),
                _trend_cell(r, f),
                "; ".join(
                    w
                    for w in (
                        "" if r["status"] == "ok" else status_words(str(r["status"])),
                        reposts_left_out_words(r.get("reposts_left_out")),
                    )
                    if w
                ),
            ]
        )
    s.tables.append(
        Table(
            [
                _("KPI"),
                _("network"),
                _("figure compared"),
                _("95% interval"),
                _("target"),
                _("verdict"),
                "n",
                _("trend"),
                _("note"),
            ],
            rows,
            _("n = posts (or follower snapshots) in the window"),
        )
    )
    if a.tactics.height:
        trows = []
        for r in a.tactics.iter_rows(named=True):
            f = _pct if kpi_is_percent(str(r["metric"])) else _num
            trows.append(
                [
                    r["tactic"],
                    r["kpi"],
                    f"{_(UNITS.get(str(r['unit']), str(r['unit'])))} ({found_by(str(r['found_by']))})",
                    _num(r["n_with"]),
                    _num(r["n_without"]),
                    f(r["mean_with"]),
                    f(r["mean_without"]),
                    f(r["diff"]),
                    _interval(r["diff_low"], r["diff_high"], f),
                    tactic_verdict(str(r["verdict"]), str(r["unit"])),
                ]
            )
        s.tables.append(
            Table(
                [
                    _("tactic"),
                    _("KPI"),
                    _("compared"),
                    _("with"),
                    _("without"),
                    _("mean with"),
                    _("mean without"),
                    _("difference"),
                    _("95% interval"),
                    _("verdict"),
                ],
                trows,
                _(
                    "Periods with the tactic vs the others on the KPI it serves (Welch interval); days are compared "
                    "when every week has the tactic."
                ),
            )
        )
    return s


def _summary_section(a: Analysis) -> Section:
    s = Section(_("Engagement, defined once"))
    for d in DEFINITIONS.values():
        s.text.append(
            _("{label}: {formula} — counted when {needs}.").format(
                label=_(d.label), formula=_(d.formula), needs=_(d.needs)
            )
        )
    s.text.extend(_basis_lines(a))
    rows = []
    for r in a.summary.iter_rows(named=True):
        f = _metric_fmt(r["metric"])
        rows.append(
            [
                r["platform"],
                _(r["label"]),
                f(r["value"]),
                _interval(r["ci_low"], r["ci_high"], f),
                format_number(r["n_used"]),
                format_number(r["n_excluded"]),
                _num(r.get("n_missing_denominator")),
            ]
        )
    s.tables.append(
        Table(
            [
                _("network"),
                _("metric"),
                _("mean per post"),
                _("95% interval"),
                _("posts used"),
                _("posts excluded"),
                _("of which no denominator"),
            ],
            rows,
            _(
                "Excluded: the post did not report the metric or its denominator (never counted as 0); "
                "'no denominator' counts posts without reach, impressions or a follower snapshot."
            ),
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
            lines.append(
                _("On {platform}, interactions are not reported by the export: no engagement figures.").format(
                    platform=platform
                )
            )
        elif partial:
            lines.append(
                _(
                    "On {platform}, interactions = {basis} — a partial sum ({partial}); its figures are not comparable "
                    "with networks that report the full likes + comments + shares."
                ).format(platform=platform, basis=basis_words(basis), partial=partial_words(partial))
            )
        else:
            lines.append(
                _("On {platform}, interactions = {basis}.").format(platform=platform, basis=basis_words(basis))
            )
    return lines


def _definitions_caption(frame: pl.DataFrame) -> str:
    """``metric: definition`` once per distinct definition (per network when they differ)."""
    if "definition" not in frame.columns:
        return ""
    seen = frame.select("platform", "metric", "definition").unique(maintain_order=True)
    pairs = sorted({(m, d) for m, d in seen.select("metric", "definition").iter_rows() if d})
    pairs = sorted((m, formula_words(d)) for m, d in pairs)
    if len(pairs) <= 1:
        return f"{seen['metric'][0]}: {pairs[0][1] if pairs else ''}"
    per = seen.group_by("metric", "definition", maintain_order=True).agg(
        pl.col("platform").unique().sort().str.join(", ")
    )
    return "; ".join(f"{nets}: {m} = {formula_words(d)}" for m, d, nets in per.iter_rows())


def _timing_section(a: Analysis) -> Section:
    s = Section(_("Best times to post"))
    s.text.append(
        _(
            "Engagement ({metric}) by weekday and hour in {tz}, pulled toward each network's average in proportion "
            "to how few posts a slot has, with the few most extreme posts capped (see 'shrunk' and 'winsorised' in "
            "the glossary): a slot with a few lucky or viral posts cannot win. A slot is recommended only when its "
            "95% interval lies above the average. Slots with fewer than {min_posts} posts are marked 'not enough "
            "data'; a few, in daytime hours or hours you already post in, are kept as exploration slots."
        ).format(metric=metric_words(a.slot_metric), tz=a.tz, min_posts=a.options.min_posts)
    )
    s.text += [backtest_words(choice) for _p, choice in sorted(a.slot_choices.items())]
    partial = {p: (b, n) for p, b, n in group_bases(a.engagement) if b is not None and n}
    for (platform,), slots in a.slots.group_by(["platform"], maintain_order=True):
        title = _("{platform}: expected engagement by slot").format(platform=platform)
        metric = a.slot_metrics.get(str(platform), a.slot_metric)
        if platform in partial and metric.removesuffix("_z") in INTERACTION_METRICS:
            title += "\n" + _("(interactions = {basis}; partial: {partial})").format(
                basis=basis_words(partial[platform][0]), partial=partial_words(partial[platform][1])
            )
        s.charts.append(
            (_("Best-time heatmap, {platform}").format(platform=platform), charts.heatmap(slots, title=title))
        )
    f = by_metric
    s.tables.append(
        table(
            a.recommended_slots,
            [
                ("platform", _("network"), str),
                ("kind", _("kind"), _text),
                ("weekday_name", _("day"), _text),
                ("slot_hour", _("hour"), lambda h: f"{h:02d}:00"),
                ("n_posts", _("posts"), _num),
                ("raw_mean", _("raw mean"), f),
                ("expected", _("expected"), f),
                ("ci_low", _("95% low"), f),
                ("ci_high", _("95% high"), f),
            ],
            _("Recommended and exploration slots (expected = shrunk estimate)"),
        )
    )
    return s


def _frequency_section(a: Analysis) -> Section:
    s = Section(_("How many posts a day"))
    s.text.append(
        _(
            "Engagement ({metric}) per post and total engagement per day by the number of posts that day. A change "
            "is proposed only when its 95% interval lies wholly above zero."
        ).format(metric=word(a.options.frequency_metric))
    )
    if a.options.frequency_metric == "interactions":
        s.text.extend(_basis_lines(a))
    for (platform,), curve in a.frequency_curve.group_by(["platform"], maintain_order=True):
        if curve["per_post"].drop_nulls().len() == 0:  # nothing to draw: say what the export lacks
            s.text.append(no_chart_sentence(str(platform), a.options.frequency_metric))
            continue
        s.charts.append(
            (_("Posts per day, {platform}").format(platform=platform), charts.posts_per_day(curve, title=str(platform)))
        )
    if a.frequency.height:
        # only a supported change of posts per day proposes a new weekly count (as `signalboost recommend` does);
        # otherwise the strategy's own number stands, whatever the history's habit
        freq = a.frequency.with_columns(
            pl.when(pl.col("changed"))
            .then(pl.col("recommended_per_week").cast(pl.String))
            .otherwise(pl.lit(_("no change")))
            .alias("_proposed")
        )
        s.tables.append(
            table(
                freq,
                [
                    ("platform", _("network"), str),
                    ("current_per_week", _("history / week"), _num),
                    ("current_per_day", _("history / posting day"), _num),
                    ("_proposed", _("proposed / week"), str),
                    ("recommended_per_day", _("per posting day"), _num),
                    ("evidence", _("evidence"), evidence_words),
                ],
                _("history = the imported posts; 'no change' keeps strategy.yaml's min_posts_per_week"),
            )
        )
    return s


def _groups_section(
    title: str, frame: pl.DataFrame, metric: str, text: str, names: PillarNames | None = None
) -> Section:
    """Mean engagement per group (``names``: the strategy's pillar names when the groups are pillars)."""
    s = Section(_(title), [_(text)])
    if frame.height == 0:
        return s
    f = by_metric
    for (platform,), g in frame.group_by(["platform"], maintain_order=True):
        m = str(g["metric"][0]) if "metric" in g.columns else metric
        if int(g["n_used"].sum()) == 0:  # an export without engagement counts: a sentence, not an empty chart
            s.text.append(no_chart_sentence(str(platform), m))
            continue
        s.charts.append(
            (
                f"{_(title)}, {platform}",
                charts.group_bars(g, title=f"{platform}: {_(title).lower()}", metric=m, names=names),
            )
        )
    s.tables.append(
        table(
            frame,
            [
                ("platform", _("network"), str),
                ("group", _("group"), lambda v: pillar_word(v, names)),
                ("n_used", _("posts"), _num),
                ("n_excluded", _("excluded"), _num),
                ("mean", _("mean"), f),
                ("ci_low", _("95% low"), f),
                ("ci_high", _("95% high"), f),
                ("diff_vs_rest", _("vs rest"), f),
                ("diff_ci_low", _("95% low"), f),
                ("diff_ci_high", _("95% high"), f),
            ],
            _("{definitions}; intervals: Student t (means), Welch (differences)").format(
                definitions=_definitions_caption(frame)
            ),
        )
    )
    return s


def _pillar_section(a: Analysis, names: PillarNames | None) -> Section:
    s = Section(_("Pillar mix against the strategy"))
    methods = a.pillar_assignments.group_by("method").len().sort("method")
    how = ", ".join(
        ngettext("{method}: {n} post", "{method}: {n} posts", n).format(
            method=_(PILLAR_METHODS.get(str(m), str(m))), n=format_number(n)
        )
        for m, n in methods.iter_rows()
    )
    s.text.append(
        _(
            "How each post got its pillar: {how}. A pillar drifts when its target lies outside the 95% interval of "
            "its actual share (Wilson, over the network's posts) or it has no post where 2 or more were due; 'posts "
            "off' says by how many posts it is over (+) or under (−) its weight."
        ).format(how=how)
    )
    for (platform,), mix in a.pillar_mix.group_by(["platform"], maintain_order=True):
        s.charts.append(
            (
                _("Pillar mix, {platform}").format(platform=platform),
                charts.pillar_mix(mix, title=_("{platform}: actual vs target").format(platform=platform), names=names),
            )
        )
    s.tables.append(
        table(
            a.pillar_mix,
            [
                ("platform", _("network"), str),
                ("pillar", _("pillar"), lambda v: pillar_word(v, names)),
                ("posts", _("posts"), _num),
                ("share", _("share"), _pct),
                ("share_low", _("95% low"), _pct),
                ("share_high", _("95% high"), _pct),
                ("target", _("target"), _pct),
                ("posts_off", _("posts off"), _signed),
                ("drift", _("drifting"), _num),
            ],
        )
    )
    for r in a.pillar_mix.filter(pl.col("drift")).iter_rows(named=True):
        s.text.append(
            _("Drifting on {platform}: {words}.").format(platform=r["platform"], words=drift_sentence(r, names))
        )
    drifting = a.pillar_mix_monthly.filter(pl.col("drift"))
    if drifting.height:
        said = {p: pillar_word(p, names) for p in drifting["pillar"].unique().to_list()}
        labelled = drifting.with_columns(
            pl.format("{} ({})", pl.col("pillar").replace(said), pl.col("posts_off").round(0).cast(pl.Int64)).alias(
                "pillar"
            )
        )
        months = labelled.group_by("platform", "month").agg(pl.col("pillar").str.join(", ")).sort("platform", "month")
        shown = months.group_by("platform", maintain_order=True).tail(DRIFT_MONTHS).sort("platform", "month")
        left = months.height - shown.height
        caption = (
            _(
                "Months with drift (the last {shown} per network; {left} earlier months with drift are not listed)"
            ).format(shown=DRIFT_MONTHS, left=left)
            if left
            else _("Months with drift")
        )
        s.tables.append(
            Table(
                [_("network"), _("month"), _("pillars off target (posts off)")],
                [[net, month_words(month), pillars] for net, month, pillars in shown.iter_rows()],
                caption,
            )
        )
    return s


def build_sections(
    a: Analysis, proposal_text: str = "", extra: Sequence[Section] = (), names: PillarNames | None = None
) -> list[Section]:
    """The report's sections, in reading order (``extra`` sections, e.g. the audience's, before the schedule);
    pillars are shown by the strategy's names (``names``, :func:`pillar_names`), ids without one as they are."""
    metric = a.slot_metric
    sections = [
        _kpi_section(a),
        _summary_section(a),
        _pillar_section(a, names),
        _groups_section(
            N_("Performance per pillar"),
            a.pillar_performance,
            metric,
            N_("Mean engagement of each pillar's posts."),
            names,
        ),
        _timing_section(a),
        _frequency_section(a),
        _groups_section(
            N_("Formats"), a.formats, metric, N_("Photo, video, link, text…: mean engagement with intervals.")
        ),
        _groups_section(
            N_("Paid vs organic"), a.paid, metric, N_("Promoted posts against organic ones (unknown = not reported).")
        ),
        *extra,
    ]
    rec = Section(_("Recommended schedule change"))
    if proposal_text:
        rec.text.append(_("The proposed change to strategy.yaml; apply it with `signalboost recommend --apply`."))
        rec.pre = proposal_text
    else:
        rec.text.append(_("No strategy schedule to re-tune (add schedule.networks to strategy.yaml)."))
    sections.append(rec)
    sections.append(glossary_section())
    return sections


#: the technical names the report's tables and notes use, in plain words (the appendix)
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("er_reach", N_("engagement rate by reach: (likes + comments + shares) ÷ people reached, per post")),
    ("er_impressions", N_("engagement rate by impressions: interactions ÷ times the post was shown")),
    ("er_followers", N_("engagement rate by followers: interactions ÷ followers when the post went out")),
    ("interactions", N_("likes + comments + shares, as far as the export reports them")),
    ("metric auto", N_("each network is ranked on the first engagement rate most of its posts report")),
    ("_z", N_("a score within one account (its posts' mean 0, spread 1), so accounts of different size compare")),
    (N_("95% interval"), N_("the range the true figure lies in with 95% confidence, given the posts seen")),
    (
        N_("shrunk / expected"),
        N_(
            "a slot's figure pulled toward the network's average in proportion to how few posts it "
            "has (empirical Bayes), so a slot with three lucky posts does not win"
        ),
    ),
    (
        N_("winsorised"),
        N_(
            "the most extreme 5% of posts at each end counted as the 5th/95th percentile, so a few viral "
            "posts do not decide the best hours"
        ),
    ),
    (N_("top-3 share"), N_("how much of a slot's gain over the average comes from its three best posts")),
    (
        N_("backtest"),
        N_(
            "the advice fitted on an account's earlier posts and judged on its later ones, which the fit never saw; "
            "the grouping of hours and the scale of the best times are chosen this way per account"
        ),
    ),
    (
        N_("percentile points"),
        N_("how much higher posts rank among all posts (0 = the weakest, 100 = the best), on average"),
    ),
    (N_("not distinguishable"), N_("the interval includes the average (or 0): the data cannot tell it apart")),
    (N_("Wilson interval"), N_("the interval of a share (e.g. 26% of posts), valid also for 0% and small numbers")),
    (N_("Welch interval"), N_("the interval of a difference of two means with different spreads")),
    (N_("effect (SD)"), N_("a difference expressed in standard deviations of the metric over the network's posts")),
    (N_("mean per post / rate / total"), N_("how a KPI turns its window into one figure (its `aggregation`)")),
)


def glossary_section() -> Section:
    """Appendix: the technical names used above, in plain words."""
    s = Section(_("Appendix: glossary"))
    s.tables.append(Table([_("term"), _("meaning")], [[_(t), _(m)] for t, m in GLOSSARY]))
    return s


# ------------------------------------------------------------------------------------------------ rendering


def report_env(*, html: bool = True) -> Environment:
    """The reports' Jinja environment: autoescaped for HTML, strict about missing names, gettext installed."""
    from signalboost.i18n import jinja_install

    env = Environment(autoescape=html, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return jinja_install(env)  # type: ignore[no-any-return]


def report_template(name: str) -> str:
    """The text of a packaged report template (``signalboost/report/templates/NAME``)."""
    return resources.files("signalboost.report").joinpath("templates", name).read_text(encoding="utf-8")


def _context(a: Analysis, strategy: Strategy | None) -> dict[str, Any]:
    eng = a.engagement
    times: list[dt.datetime] = eng["created_at"].drop_nulls().to_list()
    from signalboost.i18n import format_date, format_datetime

    period = (
        _("{first} to {last}").format(first=format_date(min(times)), last=format_date(max(times)))
        if times
        else _("no dated posts")
    )
    return {
        "brand": strategy.brand.name if strategy else _("Signalboost workspace"),
        "period": period,
        "n_posts": eng.height,
        "networks": ", ".join(sorted(set(eng["platform"].to_list()))),
        "tz": a.tz,
        "generated": format_datetime(dt.datetime.now(dt.UTC), "medium") + " UTC",
        # the best-times backtest is said (in the report's language) in its own section, not twice
        "notes": [plain_note(n) for n in a.notes if n not in {c.sentence() for c in a.slot_choices.values()}],
    }


def report_language(strategy: Strategy | None, lang: str | None = None) -> str:
    """The report's language: ``lang`` if given, else ``--lang``/the dashboard's choice, else the strategy's
    ``brand.language``, else English."""
    from signalboost.i18n import check_language, resolve

    return check_language(lang, where="lang") if lang else resolve(strategy.brand.language if strategy else None)


def render_html(
    a: Analysis,
    strategy: Strategy | None,
    *,
    proposal_text: str = "",
    extra: Sequence[Section] = (),
    lang: str | None = None,
) -> str:
    """The report as one self-contained HTML page (charts embedded as PNG data URIs; text escaped), in
    :func:`report_language`."""
    from signalboost.i18n import use_language

    with use_language(report_language(strategy, lang)):
        sections = build_sections(a, proposal_text, extra, pillar_names(strategy))
        images = [[(alt, base64.b64encode(png).decode("ascii")) for alt, png in s.charts] for s in sections]
        return (
            report_env()
            .from_string(report_template("analytics_report.html.j2"))
            .render(sections=list(zip(sections, images, strict=True)), **_context(a, strategy))
        )


def render_markdown(
    a: Analysis,
    strategy: Strategy | None,
    target: Path,
    *,
    proposal_text: str = "",
    extra: Sequence[Section] = (),
    lang: str | None = None,
) -> str:
    """The report as Markdown in :func:`report_language`; chart PNGs are written to ``<target stem>_files/``."""
    from signalboost.i18n import use_language

    with use_language(report_language(strategy, lang)):
        return _render_markdown(a, strategy, target, proposal_text=proposal_text, extra=extra)


def _render_markdown(
    a: Analysis, strategy: Strategy | None, target: Path, *, proposal_text: str, extra: Sequence[Section]
) -> str:
    sections = build_sections(a, proposal_text, extra, pillar_names(strategy))
    folder = target.parent / f"{target.stem}_files"
    images: list[list[tuple[str, str]]] = []
    for i, s in enumerate(sections):
        names = []
        for j, (alt, png) in enumerate(s.charts):
            path = write_output(folder / f"chart-{i:02d}-{j}.png", png, what=L_("a chart"))
            names.append((alt, f"{folder.name}/{path.name}"))
        images.append(names)
    env = report_env(html=False)
    env.filters["cell"] = md_escape
    return env.from_string(report_template("analytics_report.md.j2")).render(
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
    lang: str | None = None,
) -> Path:
    """Write the report as ``html``, ``pdf`` or ``md`` to ``target`` in :func:`report_language`; return the path.

    With a strategy that has a schedule, the recommended change (a strategy.yaml diff with evidence) is included
    unless ``proposal_text`` is given.
    """
    from signalboost.i18n import use_language

    if fmt not in ("html", "pdf", "md"):
        raise ReportError(
            L_("unknown report format {fmt!r}", fmt=fmt), where="--format", hint=L_("Use html, pdf or md")
        )
    lang = report_language(strategy, lang)
    if proposal_text is None:
        with use_language(lang):
            proposal_text = _proposal(a, strategy)
    check_target(target)
    if fmt == "md":
        return write_output(
            target,
            render_markdown(a, strategy, target, proposal_text=proposal_text, extra=extra, lang=lang),
            what=L_("the report"),
        )
    html = render_html(a, strategy, proposal_text=proposal_text, extra=extra, lang=lang)
    if fmt == "html":
        return write_output(target, html, what=L_("the report"))
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # not installed, or its Pango/HarfBuzz libraries missing
        raise ReportError(
            L_("WeasyPrint cannot start: {exc}", exc=exc),
            where="--format pdf",
            hint=L_("Install its system libraries (`bash scripts/system-deps.sh demo`), or use --format html"),
        ) from exc
    return write_output(target, HTML(string=html, base_url=str(target.parent)).write_pdf(), what=L_("the report"))


def _proposal(a: Analysis, strategy: Strategy | None) -> str:
    if strategy is None or not strategy.schedule.networks:
        return ""
    from signalboost.analytics.recommend import propose_schedule

    proposal = propose_schedule(strategy, a)
    lines: list[str] = []
    for n in proposal.networks:
        lines.append(f"{n.network}: min_posts_per_week {n.old_per_week} -> {n.new_per_week}")
        lines.append("    " + _("why:") + f" {n.per_week_evidence}")
        for day, times in n.new_slots().items():
            lines.append(f"    {word(day)}: {', '.join(times)}")
            for s in sorted((s for s in n.slots if s.weekday == day), key=lambda c: c.time):
                lines.append(f"        {word(str(s.kind))}: {s.evidence}")
    for net, why in proposal.skipped.items():
        lines.append(f"{net}: {why}")
    for f in proposal.formats:
        lines.append(
            _("{network}: format {format}: {advice} — {evidence}").format(
                network=f["network"],
                format=word(str(f["format"])),
                advice=word(str(f["advice"])),
                evidence=f["evidence"],
            )
        )
    return "\n".join(lines)
