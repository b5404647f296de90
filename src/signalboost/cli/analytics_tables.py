"""The ``analyze`` tables for people, in 80 columns: each figure beside its 95 % interval in one cell, plain
column names, rates and shares as %, hours as HH:00, and the network in the title when the table holds one.

Headers, values and verdicts are in the active language (``--lang``, ``brand.language``), numbers through Babel
(CLDR): ``2.42% [2.27%, 2.57%]`` in English, ``2,42 % [2,27 %; 2,57 %]`` in Norwegian. The words come from the
analytics report (:mod:`signalboost.report.analytics_report`: ``word``, ``tactic_verdict``, ``status_words``), so
the terminal and the report say the same.

JSON and CSV keep the field names and raw numbers (:mod:`signalboost.cli.analytics`); only the terminal tables are
built here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from signalboost.i18n import N_, _, day_word, format_number, format_percent, format_significant
from signalboost.report.words import PillarNames, kpi_is_percent, pillar_word, word

if TYPE_CHECKING:
    import polars as pl

_RATE_PREFIXES = ("er_", "engagement_rate", "click_through", "follower_growth")
MINUS = "\u2212"


def is_rate(metric: object) -> bool:
    """Whether a metric is a rate (shown as %); within-account z-scores are not."""
    text = str(metric or "")
    return (text.startswith(_RATE_PREFIXES) or kpi_is_percent(text)) and not text.endswith("_z")


def num(value: Any, rate: bool, *, signed: bool = False) -> str:
    """A figure for people in the active language: rates as % with two decimals, counts of 100 and more whole with
    the locale's thousands separator, smaller figures to three significant digits; a sign where a difference is
    shown (``+``/``−``)."""
    if value is None:
        return "—"
    sign = MINUS if value < 0 else "+" if signed else ""
    size = abs(value)
    if rate:
        return sign + format_percent(size, digits=2)
    return sign + (format_number(size, digits=0) if size >= 100 else format_significant(size, digits=3))


def with_interval(value: Any, low: Any, high: Any, rate: bool, *, signed: bool = False) -> str:
    """``figure [low, high]`` (the figure alone when there is no interval)."""
    text = num(value, rate, signed=signed)
    if low is None or high is None:
        return text
    # TRANSLATORS: a figure and its 95% interval in a table cell; where the decimal mark is a comma, separate
    # the two ends with a semicolon
    return _("{figure} [{low}, {high}]").format(
        figure=text, low=num(low, rate, signed=signed), high=num(high, rate, signed=signed)
    )


def hour(value: Any) -> str:
    """A slot's hour as ``HH:00`` (24-hour clock in both languages)."""
    return f"{int(value):02d}:00"


def _rate(row: dict[str, Any]) -> bool:
    return is_rate(row.get("metric") or row.get("slot_metric"))


def _word(value: Any) -> str:
    return "—" if value is None else word(str(value))


def network_key() -> str:
    """The header of the network column (also the key :func:`one_network` drops)."""
    return _("network")


def summary_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            network_key(): r["platform"],
            _("measure"): _(r["label"]),
            _("per post [95%]"): with_interval(r["value"], r["ci_low"], r["ci_high"], _rate(r)),
            _("posts used"): format_number(r["n_used"]),
            _("left out"): format_number(r["n_excluded"]),
        }
        for r in frame.iter_rows(named=True)
    ]


def slot_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in frame.iter_rows(named=True):
        rate = _rate(r)
        row = {
            network_key(): r["platform"],
            _("day"): day_word(r["weekday_name"]),
            _("hour"): hour(r["slot_hour"]),
            _("posts"): format_number(r["n_posts"]),
            _("raw mean"): num(r["raw_mean"], rate),
            _("expected [95%]"): with_interval(r["expected"], r["ci_low"], r["ci_high"], rate),
        }
        if "kind" in r:
            kind = _("explore (try it)") if r["kind"] == "explore" else _word(r["kind"])
            row = {network_key(): r["platform"], _("advice"): kind} | row
        elif "status" in r:
            row[_("status")] = _word(r["status"])
        out.append(row)
    return out


def frequency_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            network_key(): r["platform"],
            _("posts a day"): r["label"],
            _("days"): format_number(r["n_days_used"]),
            _("left out"): format_number(r["n_days_incomplete"]),
            _("per post [95%]"): with_interval(r["per_post"], r["per_post_low"], r["per_post_high"], _rate(r)),
            _("per day [95%]"): with_interval(r["per_day"], r["per_day_low"], r["per_day_high"], _rate(r)),
        }
        for r in frame.iter_rows(named=True)
    ]


def _effect(value: float | None, low: float | None, high: float | None) -> str:
    """An effect in standard deviations with its interval: ``+0.83 [+0.68, +0.98]``."""
    if value is None:
        return "—"

    def signed(x: float | None) -> str:
        return "—" if x is None else (MINUS if x < 0 else "+") + format_number(abs(x), digits=2)

    if low is None or high is None:
        return signed(value)
    return _("{figure} [{low}, {high}]").format(figure=signed(value), low=signed(low), high=signed(high))


def format_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            network_key(): r["platform"],
            _("format"): _word(r["group"]),
            _("posts"): format_number(r["n_used"]),
            _("mean"): num(r["mean"], _rate(r)),
            _("effect in SD [95%]"): _effect(r.get("effect"), r.get("effect_low"), r.get("effect_high")),
            _("advice"): _word(r.get("advice")),
        }
        for r in frame.iter_rows(named=True)
    ]


def group_rows(frame: pl.DataFrame, name: str, names: PillarNames | None = None) -> list[dict[str, Any]]:
    """Paid vs organic and pillars: the group's mean and its difference from the other posts, each with 95 %.

    ``name``: the header of the group column (already in the active language); ``names``: the strategy's pillar
    names when the groups are pillars."""
    return [
        {
            network_key(): r["platform"],
            name: pillar_word(r["group"], names),
            _("posts"): format_number(r["n_used"]),
            _("mean [95%]"): with_interval(r["mean"], r["ci_low"], r["ci_high"], _rate(r)),
            _("vs the rest [95%]"): with_interval(
                r["diff_vs_rest"], r["diff_ci_low"], r["diff_ci_high"], _rate(r), signed=True
            ),
        }
        for r in frame.iter_rows(named=True)
    ]


def tactic_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    from signalboost.report.analysis_words import UNITS, tactic_verdict

    return [
        {
            _("tactic"): r["tactic"],
            _("KPI"): r["kpi"],
            _("with / without"): _("{n_with} / {n_without} {units}").format(
                n_with=format_number(r["n_with"]),
                n_without=format_number(r["n_without"]),
                units=_(UNITS.get(str(r["unit"]), str(r["unit"]))),
            ),
            _("difference [95%]"): with_interval(r["diff"], r["diff_low"], r["diff_high"], _rate(r), signed=True),
            _("verdict"): tactic_verdict(str(r["verdict"]), str(r["unit"])),
        }
        for r in frame.iter_rows(named=True)
    ]


def kpi_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The KPI table for people, in 80 columns: figure with its interval, how it is computed, target with its
    direction, verdict (with the reason when there is no figure)."""
    from signalboost.report.analysis_words import (
        kpi_figure_label,
        reposts_left_out_words,
        status_words,
        under_count_words,
    )

    out = []
    for r in frame.iter_rows(named=True):
        rate = _rate(r)
        figure = with_interval(r["value"], r.get("low"), r.get("high"), rate)
        how = kpi_figure_label(r["aggregation"]) or str(r["aggregation"] or "").replace("_", " ")
        verdict = _word(r["verdict"])
        if not str(r["status"]).startswith("ok"):
            verdict = _("{verdict}: {why}").format(verdict=verdict, why=status_words(str(r["status"])))
        elif basis := under_count_words(str(r["status"])):  # a partial count: said beside the verdict it limits
            verdict = _("{verdict} ({basis})").format(verdict=verdict, basis=basis)
        if r.get("reposts_left_out"):  # a posts KPI of the brand's own posts
            verdict = _("{verdict}; {left_out}").format(
                verdict=verdict, left_out=reposts_left_out_words(r["reposts_left_out"])
            )
        out.append(
            {
                _("KPI"): r["kpi"],
                network_key(): r["network"],
                _("figure [95%]"): figure,
                _("computed as"): how or "—",
                _("target"): f"{'≥' if r['direction'] == 'at_least' else '≤'} {num(r['target'], rate)}",
                _("verdict"): verdict,
                "n": format_number(r["n"]),
            }
        )
    return out


def mix_rows(frame: pl.DataFrame, names: PillarNames | None = None) -> list[dict[str, Any]]:
    """The pillar mix for people, in 80 columns: share with its Wilson interval, target, posts off, drifting; each
    pillar by the strategy's name for it (``names``)."""
    out = []
    for r in frame.iter_rows(named=True):
        off = round(float(r["posts_off"]))
        out.append(
            {
                network_key(): r["platform"],
                _("pillar"): pillar_word(r["pillar"], names),
                _("posts"): format_number(round(float(r["posts"]))),
                # TRANSLATORS: a pillar's share of the posts and its 95% interval, e.g. "43% (39–47%)"
                _("share (95%)"): _("{share} ({low}–{high})").format(
                    share=format_percent(r["share"]),
                    low=format_number(round(100 * r["share_low"])),
                    high=format_percent(r["share_high"]),
                ),
                _("target"): format_percent(r["target"]),
                _("posts off"): (MINUS if off < 0 else "+") + format_number(abs(off)),
                # a network whose posts mostly match no pillar: its flags are withheld (pillars.pillar_mix)
                _("drifting"): _("not judged") if r.get("drift_withheld") else _("yes") if r["drift"] else _("no"),
            }
        )
    return out


#: the kinds of ``recommend``'s evidence rows in words (JSON and CSV keep the identifiers)
KIND_WORDS: dict[str, str] = {
    "frequency": N_("frequency"),
    "recommended": N_("recommended"),
    "explore": N_("explore"),
    "kept": N_("kept"),
    "skipped": N_("skipped"),
    "format": N_("format"),
    "market": N_("from the market"),
    "window": N_("history read"),
}


def _what(what: str) -> str:
    """``slot mon`` → ``slot Mon``/``tidspunkt man.``; ``format photo`` → ``format photo``/``format bilde``;
    strategy.yaml keys (``min_posts_per_week``) stay as written, since they are what the diff shows."""
    head, _sep, rest = what.partition(" ")
    if head == "slot" and rest:
        return _("slot {day}").format(day=day_word(rest))
    if head == "format" and rest:
        return _("format {name}").format(name=_word(rest))
    if what == "(none)":
        return _("(none)")
    if what == "history":
        return _("history")
    return what


def _value(row: dict[str, Any]) -> str:
    """A proposed value for people; the history's ISO interval (``2021-11-04/2022-11-03``) as the reader's dates."""
    value = row.get("value")
    if not value:
        return ""
    if row.get("kind") == "window" and "/" in str(value):
        from signalboost.i18n import format_day

        first, last = str(value).split("/", 1)
        return _("{first} – {last}").format(first=format_day(first), last=format_day(last))
    return _word(value)


def evidence_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``recommend``'s evidence for people: network, what, value, kind and evidence with translated headers."""
    return [
        {
            network_key(): r["network"],
            _("what"): _what(str(r["what"])),
            _("value"): _value(r),
            _("kind"): _(KIND_WORDS[str(r["kind"])]) if str(r["kind"]) in KIND_WORDS else str(r["kind"]),
            _("evidence"): r["evidence"],
        }
        for r in rows
    ]


#: section → its rows for people (the frame, and the strategy's pillar names for the sections that show pillars)
BUILDERS: dict[str, Callable[[pl.DataFrame, PillarNames | None], list[dict[str, Any]]]] = {
    "summary": lambda f, _names: summary_rows(f),
    "best": lambda f, _names: slot_rows(f),
    "slots": lambda f, _names: slot_rows(f),
    "frequency": lambda f, _names: frequency_rows(f),
    "formats": lambda f, _names: format_rows(f),
    "paid": lambda f, _names: group_rows(f, _("group")),
    "pillars": lambda f, names: group_rows(f, _("pillar"), names),
    "tactics": lambda f, _names: tactic_rows(f),
    "kpis": lambda f, _names: kpi_rows(f),
    "mix": mix_rows,
}


#: the width a column of words gets at least before figures go two lines (its longest word, at most this)
WORD_ROOM = 12
_LETTER = re.compile(r"[^\W\d_]")


def _numeric(cells: list[str]) -> bool:
    """A column of figures (numbers, %, intervals, signs; no words)."""
    return all(not _LETTER.search(c) for c in cells) and any(any(ch.isdigit() for ch in c) for c in cells)


def print_table(rows: list[dict[str, Any]], title: str, *, width: int | None = None) -> None:
    """Print ``rows`` as a table whose figures never break inside a number.

    Babel's Norwegian numbers group thousands with a no-break space (``12 969``), which Rich would wrap at like any
    space; columns of figures are therefore not wrapped, and when they are too wide for the terminal each
    interval goes to its own line under its figure (``9 766`` / ``[6 562; 12 969]``). Columns of words wrap."""
    from rich.markup import escape
    from rich.table import Table

    from signalboost.cli.common import console

    if not rows:
        return
    columns = list(rows[0])
    cells = {c: ["—" if r.get(c) is None else str(r.get(c)) for r in rows] for c in columns}
    numeric = {c for c in columns if _numeric(cells[c])}
    room = width or console.width

    def needed() -> int:
        figures = sum(max(len(line) for cell in cells[c] for line in cell.splitlines()) for c in numeric)
        texts = [c for c in columns if c not in numeric]
        words = sum(min(WORD_ROOM, max(len(w) for cell in cells[c] for w in [*cell.split(), ""])) for c in texts)
        return figures + words + 3 * len(columns) + 1

    if needed() > room:
        for c in numeric:
            cells[c] = [cell.replace(" [", "\n[") for cell in cells[c]]
    table = Table(title=title)
    for c in columns:
        if c in numeric:
            table.add_column(c, no_wrap=True)
        else:
            table.add_column(c, overflow="fold")
    for i in range(len(rows)):
        table.add_row(*[escape(cells[c][i]) for c in columns])
    console.print(table)


def one_network(rows: list[dict[str, Any]], title: str) -> tuple[list[dict[str, Any]], str]:
    """When every row is on the same network, the column goes and the title names it (80 columns)."""
    key = network_key()
    nets = {r.get(key) for r in rows}
    if len(nets) != 1 or None in nets:
        return rows, title
    return [{k: v for k, v in r.items() if k != key} for r in rows], f"{title} — {nets.pop()}"
