"""Charts of the analytics report, drawn offline with matplotlib (Agg) into PNG bytes, sized for A4 paper.

Colours are the colour-blind-safe Okabe–Ito palette and every chart also carries its numbers or intervals, so it
reads in black and white too.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import polars as pl

from signalboost.analytics.timing import NOT_ENOUGH, WEEKDAY_NAMES
from signalboost.i18n import _, format_percent, weekday_name
from signalboost.report.words import metric_words, pillar_word

BLUE, ORANGE, GREEN, GREY, VERMILION = "#0072B2", "#E69F00", "#009E73", "#999999", "#D55E00"
plt.rcParams.update(
    {"font.size": 9, "axes.spines.top": False, "axes.spines.right": False, "font.family": "DejaVu Sans"}
)


def _local_numbers(fig: Any) -> None:
    """Tick labels of the numeric axes in the report's language (``0,5`` in Norwegian; Babel's CLDR form).

    Axes whose ticks carry text (weekdays, hours, groups) keep their labels: only the default number formatter
    (a ``ScalarFormatter``) is replaced."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    from signalboost.i18n import DEFAULT, format_number, language

    if language() == DEFAULT:
        return
    local = FuncFormatter(lambda x, _pos: format_number(x))
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(local)


def figure_png(fig: Any) -> bytes:
    """A Matplotlib figure as PNG bytes (160 dpi, numbers in the reader's language); closes the figure."""
    _local_numbers(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=160, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _pct(metric: str) -> bool:
    return metric.startswith("er_") and not metric.endswith("_z")


def heatmap(slots: pl.DataFrame, *, title: str) -> bytes:
    """Weekday × hour heatmap of the shrunk expectation; slots with too little data are hatched grey."""
    hours = sorted(set(slots["slot_hour"].to_list()))
    metric = str(slots["metric"][0])
    grid = np.full((7, len(hours)), np.nan)
    thin = np.zeros((7, len(hours)), dtype=bool)
    counts = np.zeros((7, len(hours)), dtype=int)
    for r in slots.iter_rows(named=True):
        j = hours.index(r["slot_hour"])
        grid[r["weekday"], j] = r["expected"] * (100 if _pct(metric) else 1)
        thin[r["weekday"], j] = r["status"] == NOT_ENOUGH
        counts[r["weekday"], j] = r["n_posts"]
    fig, ax = plt.subplots(figsize=(7.2, 2.9))
    shown = np.where(thin, np.nan, grid)
    im = ax.imshow(shown, aspect="auto", cmap="viridis")
    ax.imshow(np.where(thin, 1.0, np.nan), aspect="auto", cmap="Greys", vmin=0, vmax=4, alpha=0.6)
    for i in range(7):
        for j in range(len(hours)):
            if counts[i, j]:
                ax.text(
                    j,
                    i,
                    str(counts[i, j]),
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="white" if not thin[i, j] else "black",
                )
    ax.set_yticks(range(7), [weekday_name(i, "abbreviated").capitalize() for i in range(len(WEEKDAY_NAMES))])
    ax.set_xticks(range(len(hours)), [f"{h:02d}" for h in hours], fontsize=7)
    ax.set_xlabel(_("local hour (numbers in cells: posts; grey: not enough data)"))
    bar = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.01)
    bar.set_label(_("expected {metric}").format(metric=metric_words(metric)) + (" (%)" if _pct(metric) else ""))
    ax.set_title(title, loc="left", fontsize=10)
    return figure_png(fig)


def _errbars(ax: Any, x: np.ndarray, mean: list[Any], lo: list[Any], hi: list[Any], color: str, label: str) -> None:
    m = np.array([np.nan if v is None else v for v in mean], dtype=float)
    low = np.array([np.nan if v is None else v for v in lo], dtype=float)
    high = np.array([np.nan if v is None else v for v in hi], dtype=float)
    err = np.vstack([np.nan_to_num(m - low), np.nan_to_num(high - m)])
    ax.errorbar(x, m, yerr=err, fmt="o-", color=color, capsize=4, label=label)


def posts_per_day(curve: pl.DataFrame, *, title: str) -> bytes:
    """Engagement per post and per day against posts that day, with 95% intervals and the number of days."""
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(7.2, 2.6))
    x = np.arange(curve.height)
    _errbars(
        a1,
        x,
        curve["per_post"].to_list(),
        curve["per_post_low"].to_list(),
        curve["per_post_high"].to_list(),
        BLUE,
        _("per post"),
    )
    _errbars(
        a2,
        x,
        curve["per_day"].to_list(),
        curve["per_day_low"].to_list(),
        curve["per_day_high"].to_list(),
        ORANGE,
        _("per day"),
    )
    labels = [
        f"{lbl}\n" + _("({n} d)").format(n=n) for lbl, n in zip(curve["label"], curve["n_days_used"], strict=True)
    ]
    metric = _vocab(str(curve["metric"][0]))
    per_post = _("{title}: {metric} per post").format(title=title, metric=metric)
    for ax, what in ((a1, per_post), (a2, _("{metric} per day").format(metric=metric))):
        ax.set_xticks(x, labels)
        ax.set_xlabel(_("posts that day (days)"))
        ax.set_title(what, loc="left", fontsize=9)
    fig.tight_layout()
    return figure_png(fig)


def group_bars(frame: pl.DataFrame, *, title: str, metric: str, names: Mapping[str, str] | None = None) -> bytes:
    """Horizontal bars of the group means with their 95% intervals and sample sizes (``names``: the strategy's
    pillar names when the groups are pillars)."""
    scale = 100 if _pct(metric) else 1
    data = frame.filter(pl.col("mean").is_not_null())
    fig, ax = plt.subplots(figsize=(7.2, 0.45 * max(data.height, 2) + 0.8))
    y = np.arange(data.height)
    means = data["mean"].to_numpy() * scale
    lo = data["ci_low"].fill_null(np.nan).to_numpy() * scale
    hi = data["ci_high"].fill_null(np.nan).to_numpy() * scale
    ax.barh(y, means, color=BLUE, alpha=0.8)
    ax.errorbar(
        means,
        y,
        xerr=np.vstack([np.nan_to_num(means - lo), np.nan_to_num(hi - means)]),
        fmt="none",
        ecolor="black",
        capsize=3,
    )
    ax.set_yticks(y, [f"{_vocab(str(g), names)} (n={n})" for g, n in zip(data["group"], data["n_used"], strict=True)])
    ax.invert_yaxis()
    ax.set_xlabel(
        _("mean {metric} with 95% interval").format(metric=metric_words(metric) + (" (%)" if scale == 100 else ""))
    )
    ax.set_title(title, loc="left", fontsize=10)
    return figure_png(fig)


def pillar_mix(mix: pl.DataFrame, *, title: str, names: Mapping[str, str] | None = None) -> bytes:
    """Actual share vs target weight per pillar (drifting pillars in vermilion), named as the strategy names them."""
    fig, ax = plt.subplots(figsize=(7.2, 2.6))
    x = np.arange(mix.height)
    colors = [VERMILION if d else BLUE for d in mix["drift"].to_list()]
    ax.bar(x - 0.2, mix["share"].to_numpy() * 100, width=0.4, color=colors, label=_("actual"))
    ax.bar(x + 0.2, mix["target"].to_numpy() * 100, width=0.4, color=GREY, label=_("target"))
    for xi, s in zip(x, mix["share"].to_list(), strict=True):
        ax.text(xi - 0.2, s * 100 + 1, format_percent(s), ha="center", fontsize=7)
    ax.set_xticks(x, [_vocab(str(p), names) for p in mix["pillar"].to_list()])
    ax.set_ylabel(_("% of posts"))
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title, loc="left", fontsize=10)
    return figure_png(fig)


def _vocab(value: str, names: Mapping[str, str] | None = None) -> str:
    """An analytics value (``unclassified``, ``photo``…) in the report's language; a pillar id by its name in
    ``names`` (:func:`signalboost.report.words.pillar_word`)."""
    return pillar_word(value, names)
