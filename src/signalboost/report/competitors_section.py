"""The report's Competitors section, from a benchmark run (``signalboost benchmark``): the findings in plain words,
four charts per network (engagement per post with intervals, engagement per post by month per page, format mix,
posting hours per page) and the tables behind them (side by side, hashtags owned, best days and hours, top posts).

The same data is the JSON of ``signalboost benchmark --format json`` and of the dashboard's ``/competitors.json``
(the section's twins). :func:`write_benchmark_report` writes the section alone as HTML or PDF
(``signalboost benchmark --output``); ``signalboost report`` adds it when competitors are registered.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from signalboost.competitors.benchmark import confidence_words, figure_words, format_words, rank_label
from signalboost.errors import ReportError
from signalboost.i18n import L_, _, format_date, format_datetime, format_number, format_percent, format_significant
from signalboost.outfiles import check_target, write_output
from signalboost.report.analytics_report import Section, Table

if TYPE_CHECKING:
    from signalboost.competitors.job import BenchmarkRun

MAX_LINES = 8
"""Pages drawn on the engagement-over-time chart: the brand and the pages with most posts (the tables list all)."""
MAX_ROWS = 20
"""Pages drawn on the bar, mix and hours charts (the most posts first; the brand always)."""


def _n(v: Any) -> str:
    """Three significant digits (whole numbers from 1,000) in the active locale."""
    return "—" if v is None else format_significant(float(v), digits=3)


def _p(v: Any) -> str:
    return "—" if v is None else format_percent(float(v), significant=3)


def _signed(v: float) -> str:
    return ("+" if v > 0 else "") + format_significant(v, digits=2)


def _ci(lo: Any, hi: Any, fmt: Any = _n) -> str:
    return "" if lo is None or hi is None else f" ({fmt(lo)}–{fmt(hi)})"


def _pages(accounts: list[dict[str, Any]], limit: int) -> list[str]:
    """The brand first, then the pages with most posts, at most ``limit``."""
    order = sorted(accounts, key=lambda r: (r["role"] != "brand", -int(r["n_posts"]), str(r["account"])))
    return [str(r["account"]) for r in order[:limit]]


# ------------------------------------------------------------------------------------------------- charts


def engagement_png(accounts: list[dict[str, Any]]) -> bytes:
    """Horizontal bars of engagement per post with the 95 % interval as a whisker and n beside each bar."""
    import matplotlib.pyplot as plt
    import numpy as np

    from signalboost.report.analytics_charts import BLUE, ORANGE, figure_png

    rows = sorted(
        (r for r in accounts if r["engagement_per_post"] is not None), key=lambda r: -r["engagement_per_post"]
    )[:MAX_ROWS]
    fig, ax = plt.subplots(figsize=(7.0, 0.6 + 0.32 * max(1, len(rows))))
    y = np.arange(len(rows))
    positive = [r["engagement_per_post"] for r in rows if r["engagement_per_post"] > 0]
    log = bool(positive) and max(positive) / min(positive) > 50  # pages of very different size: a log axis
    floor = min(positive) / 2 if positive else 0.0
    for i, r in enumerate(rows):
        colour = ORANGE if r["role"] == "brand" else BLUE
        ax.barh(i, r["engagement_per_post"], color=colour, height=0.6)
        if r["ep_low"] is not None:
            low = max(r["ep_low"], floor) if log else r["ep_low"]
            ax.plot([low, r["ep_high"]], [i, i], color="#222", linewidth=1.2)
        ax.text(
            max(r["ep_high"] or 0, r["engagement_per_post"]) * 1.01,
            i,
            f" n={format_number(r['n_engagement'])}",
            va="center",
            fontsize=7,
        )
    ax.set_yticks(y, [str(r["account"])[:30] for r in rows])
    ax.invert_yaxis()
    if log:
        ax.set_xscale("log")
    ax.set_xlabel(
        _("interactions per post (mean, 95 % interval; the brand in orange, log scale)")
        if log
        else _("interactions per post (mean, 95 % interval; the brand in orange)")
    )
    return figure_png(fig)


def timeline_png(timeline: list[dict[str, Any]], accounts: list[dict[str, Any]]) -> bytes:
    """Engagement per post by month, one line per page (the brand thick), the busiest :data:`MAX_LINES` pages."""
    import matplotlib.pyplot as plt

    from signalboost.report.analytics_charts import figure_png

    shown = _pages(accounts, MAX_LINES)
    brand = {str(r["account"]) for r in accounts if r["role"] == "brand"}
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    for name in shown:
        pts = sorted((r["month"], r["engagement_per_post"]) for r in timeline if r["account"] == name)
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.plot(xs, ys, marker="o", markersize=3, linewidth=2.6 if name in brand else 1.2, label=name[:28])
    ax.set_ylabel(_("interactions per post"))
    title = (
        _("Engagement per post by month ({shown} of {total} pages)").format(
            shown=format_number(len(shown)), total=format_number(len(accounts))
        )
        if len(accounts) > len(shown)
        else _("Engagement per post by month")
    )
    ax.set_title(title, fontsize=9)
    _month_ticks(ax)
    ax.legend(fontsize=6.5, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.autofmt_xdate()
    return figure_png(fig)


def formats_png(formats: list[dict[str, Any]], accounts: list[dict[str, Any]]) -> bytes:
    """100 % bars: each page's share of posts per format."""
    import matplotlib.pyplot as plt
    import numpy as np

    from signalboost.report.analytics_charts import figure_png

    pages = _pages(accounts, MAX_ROWS)
    names = sorted({str(r["format"]) for r in formats})
    colours = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999", "#F0E442"]
    fig, ax = plt.subplots(figsize=(7.0, 0.7 + 0.3 * len(pages)))
    left = np.zeros(len(pages))
    for k, fmt in enumerate(names):
        share = {str(r["account"]): float(r["share"]) for r in formats if r["format"] == fmt}
        vals = np.array([100 * share.get(p, 0.0) for p in pages])
        colour = colours[k % len(colours)]
        ax.barh(range(len(pages)), vals, left=left, color=colour, label=format_words(fmt), height=0.6)
        left += vals
    ax.set_yticks(range(len(pages)), [p[:30] for p in pages])
    ax.invert_yaxis()
    ax.set_xlabel(_("% of the page's posts"))
    ax.legend(fontsize=7, frameon=False, ncol=min(4, len(names)), loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return figure_png(fig)


def hours_png(hours: list[dict[str, Any]], accounts: list[dict[str, Any]], tz: str) -> bytes:
    """Page × hour heatmap: the share of each page's posts by hour of day, the counts written in."""
    import matplotlib.pyplot as plt
    import numpy as np

    from signalboost.report.analytics_charts import figure_png

    pages = _pages(accounts, MAX_ROWS)
    counts = np.zeros((len(pages), 24), dtype=int)
    for r in hours:
        if r["account"] in pages:
            counts[pages.index(r["account"]), int(r["hour"])] += int(r["n_posts"])
    totals = counts.sum(axis=1, keepdims=True)
    share = np.where(totals > 0, counts / np.maximum(totals, 1), np.nan)
    fig, ax = plt.subplots(figsize=(7.2, 0.7 + 0.3 * len(pages)))
    ax.imshow(np.where(counts > 0, share, np.nan), aspect="auto", cmap="Blues", vmin=0)
    for i in range(len(pages)):
        for j in range(24):
            if counts[i, j]:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=6)
    ax.set_yticks(range(len(pages)), [p[:30] for p in pages])
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel(_("hour of day ({zone}); number = posts, shade = share of the page's posts").format(zone=tz))
    return figure_png(fig)


def _month_ticks(ax: Any) -> None:
    """Date ticks of a monthly axis as CLDR month and year (``jan. 2024``) in the active language."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    to_date: Any = mdates.num2date  # untyped in matplotlib's stubs
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_date(to_date(x), "MMM y")))


# ------------------------------------------------------------------------------------------------ section


def competitors_section(run: BenchmarkRun) -> Section:
    """The Competitors section of ``run`` (module docstring)."""
    b = run.result
    sec = Section(_("Competitors: the market"))
    sec.text.append(
        _(
            "Your account against the pages you compete with, per network ({period}; days and hours in {zone}). "
            "Intervals are {level}; a page with fewer than {n} posts behind a figure is too thin and not ranked. A "
            "page is said to lead only when its interval lies wholly above the next one's."
        ).format(
            period=_asked_period(run),
            zone=b.timezone,
            level=confidence_words(b.confidence),
            n=format_number(b.min_posts),
        )
    )
    sec.text.extend(_("Note: {note}").format(note=n) for n in run.notes)
    if b.findings:  # a table, not paragraphs: it can break across pages
        sec.tables.append(
            Table(
                ["n", _("finding")],
                [["—" if f.get("n") is None else format_number(f["n"]), str(f["text"])] for f in b.findings],
                _("Each finding with its sample size; a claim is made only where the interval supports it."),
            )
        )
    from signalboost.competitors.advice import market_advice, what_words

    advice = market_advice(b)
    if advice:
        sec.tables.append(
            Table(
                [_("network"), _("what"), _("suggestion"), _("evidence")],
                [[r["network"], what_words(r["what"]), r["value"], r["evidence"]] for r in advice],
                _("Suggestions from the competitors' results, not from yours (also in `signalboost recommend`)."),
            )
        )
    for (platform,), acc in b.accounts.group_by(["platform"], maintain_order=True):
        p = str(platform)
        rows = acc.to_dicts()

        def of(frame: pl.DataFrame, p: str = p) -> list[dict[str, Any]]:
            return frame.filter(pl.col("platform") == p).to_dicts() if frame.height else []

        sec.charts.append(
            (_("{network}: engagement per post by page, with 95 % intervals").format(network=p), engagement_png(rows))
        )
        if of(b.timeline):
            sec.charts.append(
                (
                    _("{network}: engagement per post by month, per page").format(network=p),
                    timeline_png(of(b.timeline), rows),
                )
            )
        sec.charts.append((_("{network}: format mix per page").format(network=p), formats_png(of(b.formats), rows)))
        if of(b.hours):
            sec.charts.append(
                (_("{network}: posting hours per page").format(network=p), hours_png(of(b.hours), rows, b.timezone))
            )
        sec.tables.extend(_tables(p, rows, b))
    return sec


def _tables(p: str, rows: list[dict[str, Any]], b: Any) -> list[Table]:
    no_data = _("no data")
    side = [
        [
            str(r["account"]),
            format_number(r["n_posts"]),
            _n(r["posts_per_week"]),
            "—" if r["trend"] is None else f"{_signed(r['trend'])}{_ci(r['trend_low'], r['trend_high'], _signed)}",
            f"{_n(r['engagement_per_post'])}{_ci(r['ep_low'], r['ep_high'])} n={format_number(r['n_engagement'])}",
            no_data
            if r["engagement_per_follower"] is None
            else f"{_p(r['engagement_per_follower'])}{_ci(r['ef_low'], r['ef_high'], _p)} "
            f"n={format_number(r['n_per_follower'])}",
            f"{_p(r['share_of_voice'])}{_ci(r['sov_low'], r['sov_high'], _p)}",
            _p(r["share_of_posts"]),
            no_data
            if r["growth_pct"] is None
            else _("{change} ({n} snapshots)").format(change=_p(r["growth_pct"]), n=format_number(r["n_snapshots"])),
        ]
        for r in sorted(rows, key=lambda r: (r["role"] != "brand", str(r["account"])))
    ]
    headers = [
        _("page"),
        _("posts"),
        _("per week"),
        _("trend/week"),
        _("engagement/post"),
        _("per follower"),
        _("share of voice"),
        _("share of posts"),
        _("follower growth"),
    ]
    out = [Table(headers, side, _("{network}: side by side (95 % intervals, n).").format(network=p))]
    ranks = b.rankings.filter(pl.col("platform") == p)
    rank_rows = []
    for fig in ("engagement_per_post", "engagement_per_follower", "share_of_voice", "posts_per_week"):
        sub = ranks.filter(pl.col("figure") == fig)
        ranked = "; ".join(
            f"{k}. {a}" for a, k in sub.filter(pl.col("rank").is_not_null()).select("account", "rank").iter_rows()
        )
        unranked = "; ".join(
            f"{a} ({rank_label(lab, n, b.min_posts)})"
            for a, lab, n in sub.filter(pl.col("rank").is_null()).select("account", "label", "n").iter_rows()
        )
        rank_rows.append([figure_words(fig), ranked or "—", unranked or "—"])
    out.append(
        Table(
            [_("figure"), _("ranking"), _("not ranked")],
            rank_rows,
            _("{network}: rankings (thin pages are not ranked).").format(network=p),
        )
    )
    tags = b.hashtags.filter(pl.col("platform") == p) if b.hashtags.height else b.hashtags
    if tags.height:
        tag_rows = [
            [
                str(a),
                ", ".join(
                    f"#{t} ({format_number(u)}, z={format_number(z, digits=1)})"
                    for t, u, z in g.select("term", "uses", "z").iter_rows()
                ),
            ]
            for (a,), g in tags.group_by(["account"], maintain_order=True)
        ]
        out.append(
            Table(
                [_("page"), _("hashtags it owns (uses, z)")],
                tag_rows,
                _("{network}: weighted log-odds against the rest of the group.").format(network=p),
            )
        )
    best = b.best_times.filter((pl.col("platform") == p) & pl.col("best")) if b.best_times.height else b.best_times
    if best.height:
        from signalboost.competitors.insights import slot_label

        best_rows = [
            [
                str(r["account"]),
                _("day") if r["dimension"] == "day" else _("hour"),
                slot_label(r["dimension"], r["label"]),
                f"{_n(r['expected'])}{_ci(r['low'], r['high'])}",
                format_number(r["n_posts"]),
            ]
            for r in best.to_dicts()
        ]
        out.append(
            Table(
                [_("page"), _("best"), _("when"), _("expected interactions"), _("posts")],
                best_rows,
                _("{network}: only days and hours whose interval lies above the page's own mean.").format(network=p),
            )
        )
    from signalboost.competitors.profile import clip_text

    tops = b.top_posts.filter(pl.col("platform") == p) if b.top_posts.height else b.top_posts
    if tops.height:
        top_rows = [
            [
                str(r["account"]),
                str(r["rank"]),
                _n(r["interactions"]),
                format_words(str(r["format"])),
                format_date(r["created_at"]) if isinstance(r["created_at"], dt.date) else str(r["created_at"])[:10],
                clip_text(r["text"], 70) or str(r["post_id"] or ""),
            ]
            for r in tops.to_dicts()
        ]
        out.append(
            Table(
                [_("page"), "#", _("interactions"), _("format"), _("posted"), _("text")],
                top_rows,
                _("{network}: top posts.").format(network=p),
            )
        )
    return out


# ------------------------------------------------------------------------------------------ standalone


def render_benchmark_html(run: BenchmarkRun, brand: str | None = None) -> str:
    """The Competitors section alone as one self-contained HTML page (the analytics report's template and styles;
    charts embedded; every text escaped by the template)."""
    from signalboost.report.analytics_report import report_env, report_template

    sec = competitors_section(run)
    images = [(alt, base64.b64encode(png).decode("ascii")) for alt, png in sec.charts]
    accounts = run.result.accounts
    return (
        report_env()
        .from_string(report_template("analytics_report.html.j2"))
        .render(
            sections=[(sec, images)],
            brand=brand or _("Signalboost workspace"),
            period=_period(run),
            n_posts=int(accounts["n_posts"].sum()) if accounts.height else 0,
            networks=", ".join(sorted(set(accounts["platform"].to_list()))),
            tz=run.result.timezone,
            generated=format_datetime(dt.datetime.now(dt.UTC), "medium") + " UTC",
            notes=[],
        )
    )


def _asked_period(run: BenchmarkRun) -> str:
    """The period asked for (``--since``/``--until``) in words, or "all posts imported"."""
    if not (run.since or run.until):
        return _("all posts imported")
    first = format_date(run.since) if run.since else _("first post")
    last = format_date(run.until) if run.until else _("last post")
    return _("{first} to {last}").format(first=first, last=last)


def _period(run: BenchmarkRun) -> str:
    """``Apr 2015 to May 2019``: the period asked for, else the months of the posts benchmarked."""
    months = sorted(run.result.timeline["month"].to_list()) if run.result.timeline.height else []

    def month(m: Any) -> str:
        return format_date(m, "MMM y") if isinstance(m, dt.date) else str(m)[:7]

    first = format_date(run.since) if run.since else (month(months[0]) if months else _("first post"))
    last = format_date(run.until) if run.until else (month(months[-1]) if months else _("last post"))
    return _("{first} to {last}").format(first=first, last=last)


def write_benchmark_report(run: BenchmarkRun, target: Path, *, brand: str | None = None) -> Path:
    """Write :func:`render_benchmark_html` to ``target``: ``.pdf`` (WeasyPrint) or ``.html``; return the path."""
    suffix = target.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise ReportError(
            L_("cannot tell the format of {name}", name=target.name),
            where="--output",
            hint=L_("End it in .html or .pdf"),
        )
    check_target(target)
    html = render_benchmark_html(run, brand)
    if suffix != ".pdf":
        return write_output(target, html, what=L_("the benchmark report"))
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise ReportError(
            L_("WeasyPrint cannot start: {exc}", exc=exc),
            where="--output",
            hint=L_("Install its system libraries (`bash scripts/system-deps.sh demo`), or write .html"),
        ) from exc
    pdf = HTML(string=html, base_url=str(target.parent)).write_pdf()
    return write_output(target, pdf, what=L_("the benchmark report"))
