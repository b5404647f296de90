"""The strategy as a document a team reads and prints: Markdown, HTML (Jinja2, CSS embedded) and PDF (WeasyPrint).

Sections follow the method: a completeness checklist per factor, then the seven factors and the KPIs, with the
examples matrix (every pillar on every network, every tactic) and its gaps marked. All user text is escaped (HTML
autoescaping; Markdown table cells have ``|`` and line breaks neutralised). Nothing is fetched from the network:
the CSS is inlined and fonts come from the system (DejaVu Sans via fontconfig).

Library use::

    from signalboost.report.strategy_doc import render_html, write_document
    html = render_html(strategy)
    write_document(strategy, Path("exports/strategy.pdf"), fmt="pdf")
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from signalboost.errors import ReportError
from signalboost.i18n import L_, N_, _, format_list, format_percent, language, weekday_name
from signalboost.model.completeness import ExamplesMatrix, FactorChecklist, checklist, examples_matrix
from signalboost.model.strategy import Strategy, Tactic
from signalboost.model.vocab import WEEKDAYS
from signalboost.outfiles import write_output
from signalboost.report.words import kpi_measure_words, kpi_target_words, pillar_names, pillar_word
from signalboost.textsafe import md_escape

DOC_FORMATS = ("md", "html", "pdf")
#: RFC 5545 weekday codes in weekday order (0 = Monday); their names come from CLDR (Babel)
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: RFC 5545 FREQ -> the cadence in words, once and every n periods
_EVERY: dict[str, tuple[str, str]] = {
    "YEARLY": (N_("every year"), N_("every {n} years")),
    "MONTHLY": (N_("every month"), N_("every {n} months")),
    "WEEKLY": (N_("every week"), N_("every {n} weeks")),
    "DAILY": (N_("every day"), N_("every {n} days")),
    "HOURLY": (N_("every hour"), N_("every {n} hours")),
}
#: words of the strategy's vocabulary (goals, closeness, formats) the document shows in the reader's language
VOCABULARY = (
    N_("awareness"),
    N_("reach"),
    N_("engagement"),
    N_("traffic"),
    N_("conversions"),
    N_("community"),
    N_("loyalty"),
    N_("leads"),
    N_("formal"),
    N_("neutral"),
    N_("friendly"),
    N_("intimate"),
    N_("text"),
    N_("photo"),
    N_("video"),
    N_("link"),
    N_("carousel"),
    N_("story"),
    N_("reel"),
    N_("short"),
    N_("live"),
    N_("infographic"),
    N_("poll"),
    N_("article"),
    N_("newsletter"),
    N_("podcast"),
)
_VOCABULARY_SET = frozenset(VOCABULARY)


def word(value: Any) -> str:
    """A vocabulary word (goal, closeness, format) in the active language; anything else as written."""
    text = str(value)
    return _(text) if text in _VOCABULARY_SET else text


def weekday_names() -> dict[str, str]:
    """``mon`` -> ``Mon``/``man.``: the schedule's weekday keys with their CLDR abbreviations."""
    return {key: weekday_name(i, "abbreviated") for i, key in enumerate(WEEKDAYS)}


# ------------------------------------------------------------------------------------------------- context


@dataclass(frozen=True)
class TacticView:
    """A tactic with its cadence in words and its next dates."""

    tactic: Tactic
    cadence: str
    next_dates: list[dt.date]


@dataclass(frozen=True)
class DocContext:
    """Everything the templates render (computed once, shared by the three formats)."""

    strategy: Strategy
    today: dt.date
    checklist: list[FactorChecklist]
    matrix: ExamplesMatrix
    tactics: list[TacticView]
    weekdays: tuple[str, ...]
    weekday_names: dict[str, str]

    @property
    def checks_done(self) -> int:
        return sum(f.done for f in self.checklist)

    @property
    def checks_total(self) -> int:
        return sum(f.total for f in self.checklist)

    @property
    def percent_complete(self) -> int:
        """Share of checklist items done, rounded down to a whole percent."""
        return (100 * self.checks_done) // self.checks_total if self.checks_total else 0


def _ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``last``, ``2nd to last`` in English; ``1.``, ``siste``, ``2. siste`` in Norwegian."""
    if n == -1:
        return _("last")
    if n < 0:
        return _("{ordinal} to last").format(ordinal=_ordinal(-n))
    if language() != "en":
        return f"{n}."  # Norwegian (and most European languages) write an ordinal as the number and a full stop
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe_rrule(rule: str) -> str:
    """An RRULE in words in the active language, e.g. ``FREQ=MONTHLY;BYDAY=1FR`` -> ``every month on the 1st
    Friday`` (``1. fredag hver måned`` in Norwegian; weekday names from CLDR).

    Covers FREQ, INTERVAL and BYDAY (RFC 5545 §3.3.10); other parts are appended as they are written.
    """
    parts = dict(p.split("=", 1) for p in rule.upper().removeprefix("RRULE:").split(";") if "=" in p)
    once, every_n = _EVERY.get(parts.pop("FREQ", ""), (N_("every period"), N_("every {n} periods")))
    interval = int(parts.pop("INTERVAL", "1") or 1)
    text = _(once) if interval == 1 else _(every_n).format(n=interval)
    byday = parts.pop("BYDAY", "")
    days = []
    for token in filter(None, byday.split(",")):
        m = re.fullmatch(r"([+-]?\d+)?([A-Z]{2})", token)
        if not m or m.group(2) not in _DAY_CODES:
            days.append(token)
            continue
        day = weekday_name(_DAY_CODES.index(m.group(2)))
        days.append(_("the {ordinal} {day}").format(ordinal=_ordinal(int(m.group(1))), day=day) if m.group(1) else day)
    if days:
        text = _("{every} on {days}").format(
            every=text, days=format_list(days) if language() != "en" else ", ".join(days)
        )
    rest = ";".join(f"{k}={v}" for k, v in parts.items())
    return f"{text} ({rest})" if rest else text


def next_occurrences(rule: str, after: dt.date, count: int = 3) -> list[dt.date]:
    """The next ``count`` dates of ``rule`` on or after ``after`` (dateutil's RFC 5545 implementation)."""
    from dateutil.rrule import rrulestr

    start = dt.datetime.combine(after, dt.time())
    body = rule.removeprefix("RRULE:")
    out: list[dt.date] = []
    for occurrence in rrulestr(body, dtstart=start):
        out.append(occurrence.date())
        if len(out) >= count:
            break
    return out


def build_context(strategy: Strategy, *, today: dt.date | None = None) -> DocContext:
    """The data every format renders."""
    day = today or dt.date.today()
    tactics = [TacticView(t, describe_rrule(t.rrule), next_occurrences(t.rrule, day)) for t in strategy.tactics]
    return DocContext(
        strategy=strategy,
        today=day,
        checklist=checklist(strategy, today=day),
        matrix=examples_matrix(strategy),
        tactics=tactics,
        weekdays=WEEKDAYS,
        weekday_names=weekday_names(),
    )


# ------------------------------------------------------------------------------------------------ rendering


def _env(*, html: bool) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("signalboost.report", "templates"),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    from signalboost.i18n import jinja_install

    jinja_install(env)
    env.filters["md"] = md_escape
    env.filters["md_cell"] = md_cell
    env.filters["join_or_dash"] = lambda items: ", ".join(str(i) for i in items) if items else "—"
    env.filters["pct"] = weight_percent
    env.filters["share"] = lambda ratio: format_percent(ratio)
    env.filters["word"] = word
    env.filters["words"] = lambda items: [word(i) for i in items]
    env.filters["sentence"] = sentence  # "Sunn hud." stays one sentence: no second full stop after a person's own
    env.filters["kpi_measure"] = kpi_measure_words  # engagement_rate_reach -> "engagement rate by reach (…)"
    env.filters["kpi_target"] = kpi_target_words  # "≥ 5.00%" for a rate, "≥ 15,000" for a count
    # a tactic's pillar ids by the strategy's names: {{ t.pillars|pillar_names(s) }}
    env.filters["pillar_names"] = lambda ids, strategy: [pillar_word(i, pillar_names(strategy)) for i in ids]
    return env


def sentence(text: str) -> str:
    """``text`` ending as a sentence: a full stop added unless it already ends with one (or ``!``, ``?``, ``…``)."""
    return text if text.rstrip().endswith((".", "!", "?", "…")) else f"{text}."


def weight_percent(weight: float) -> str:
    """A pillar weight (``40``, ``12.5``) as a percentage: ``40 %`` in English as before, CLDR's form otherwise
    (``40 %`` with a no-break space in Norwegian, ``12,5 %``)."""
    if language() == "en":
        return f"{weight:g} %"
    return format_percent(weight / 100, digits=0 if float(weight).is_integer() else 1)


def md_cell(value: Any) -> str:
    """Text for a Markdown table cell (escaped, one line)."""
    return md_escape(value) if str(value) else "—"


def doc_language(strategy: Strategy, lang: str | None = None) -> str:
    """The document's language: ``lang`` if given, else ``--lang``/the dashboard's choice, else the strategy's
    ``brand.language``."""
    from signalboost.i18n import check_language, resolve

    return check_language(lang, where="lang") if lang else resolve(strategy.brand.language)


def render_markdown(strategy: Strategy, *, today: dt.date | None = None, lang: str | None = None) -> str:
    """The strategy document as Markdown, in :func:`doc_language`."""
    from signalboost.i18n import use_language

    with use_language(doc_language(strategy, lang)):
        ctx = build_context(strategy, today=today)
        return str(_env(html=False).get_template("strategy_doc.md.j2").render(ctx=ctx, s=strategy))


def render_html(
    strategy: Strategy, *, today: dt.date | None = None, for_print: bool = False, lang: str | None = None
) -> str:
    """The strategy document as one self-contained HTML page (CSS embedded, no external resource), in
    :func:`doc_language`."""
    from signalboost.i18n import use_language

    with use_language(doc_language(strategy, lang)):
        ctx = build_context(strategy, today=today)
        css = resources.files("signalboost.report").joinpath("templates/strategy_doc.css").read_text(encoding="utf-8")
        template = _env(html=True).get_template("strategy_doc.html.j2")
        return str(template.render(ctx=ctx, s=strategy, css=css, for_print=for_print))


def _no_network(url: str, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint URL fetcher that refuses everything: the document must not reach the network."""
    raise ReportError(
        L_("the strategy document tried to load {url!r}", url=url), hint=L_("Documents embed every asset")
    )


def render_pdf(strategy: Strategy, *, today: dt.date | None = None, lang: str | None = None) -> bytes:
    """The strategy document as PDF bytes (WeasyPrint; fonts from the system, nothing from the network)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango/HarfBuzz system libraries missing
        raise ReportError(
            L_("the PDF engine is not available ({exc})", exc=exc),
            where="--format pdf",
            hint=L_("Install the system libraries with `bash scripts/system-deps.sh demo`, or use --format html"),
        ) from exc
    html = render_html(strategy, today=today, for_print=True, lang=lang)
    pdf = HTML(string=html, url_fetcher=_no_network).write_pdf()
    if not isinstance(pdf, bytes):
        raise ReportError(L_("the PDF engine returned no document"))
    return pdf


def write_document(
    strategy: Strategy, path: Path, *, fmt: str = "md", today: dt.date | None = None, lang: str | None = None
) -> Path:
    """Write the document in ``fmt`` (``md``, ``html`` or ``pdf``) to ``path`` atomically, in
    :func:`doc_language`; return ``path``."""
    if fmt not in DOC_FORMATS:
        raise ReportError(
            L_("unknown document format {fmt!r}", fmt=fmt),
            where="--format",
            hint=L_("Use one of: {choices}", choices=", ".join(DOC_FORMATS)),
        )
    data: bytes
    if fmt == "pdf":
        data = render_pdf(strategy, today=today, lang=lang)
    elif fmt == "html":
        data = render_html(strategy, today=today, lang=lang).encode("utf-8")
    else:
        data = render_markdown(strategy, today=today, lang=lang).encode("utf-8")
    write_output(path, data, what=L_("the document"))
    return path
