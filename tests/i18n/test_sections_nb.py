"""The report's Audience and Competitors sections, and the sentences the core builds for them, in bokmål: Norwegian
words, no English sentence left, numbers in the form Babel (CLDR) gives for ``nb`` — compared with Babel itself,
never with our own output."""

from __future__ import annotations

import math
import re

import pytest
from babel.numbers import format_decimal, format_percent

from signalboost.audience.job import run_segments, stored_run
from signalboost.audience.personas import describe
from signalboost.competitors.advice import market_advice
from signalboost.i18n import use_language
from signalboost.report.analytics_report import Section
from signalboost.report.audience_section import audience_section
from signalboost.report.competitors_section import competitors_section
from signalboost.store.workspace import Workspace
from tests.audience.test_job_cli import STRATEGY, fill
from tests.competitors.test_report import _run

#: sentences and words the English sections are made of; none may be left in the Norwegian ones
ENGLISH = re.compile(
    r"\b(the|and|of|with|posts?|accounts?|leads|share of voice|interval|competitors?|segments|"
    r"engagement|audience|finding|page|not ranked|too thin|no data|best|hour|week|followers?|matches|review)\b",
    re.IGNORECASE,
)


def _words(sec: Section) -> str:
    """Everything a reader of the section reads: title, text, chart captions, table headers, cells and captions."""
    parts = [sec.title, *sec.text, *(alt for alt, _ in sec.charts)]
    for t in sec.tables:
        parts += [*t.headers, t.caption, *(cell for row in t.rows for cell in row)]
    return "\n".join(parts)


def _english_left(text: str, allowed: set[str]) -> list[str]:
    """English words in ``text`` outside names the data itself holds (``allowed``: handles, page names)."""
    for name in allowed:
        text = text.replace(name, " ")
    return sorted({m.group(0).lower() for m in ENGLISH.finditer(text)})


def test_competitors_section_in_norwegian() -> None:
    with use_language("nb"):
        sec = competitors_section(_run())
    text = _words(sec)
    assert sec.title == "Konkurrenter: markedet"
    assert "Kontoen deres mot sidene dere konkurrerer med" in text
    assert [alt.split(": ", 1)[1] for alt, _ in sec.charts] == [
        "engasjement per innlegg per side, med 95 %-intervaller",
        "engasjement per innlegg per måned, per side",
        "formatmiks per side",
        "publiseringstidspunkter per side",
    ]
    findings = sec.tables[0]
    assert findings.headers == ["n", "funn"]
    # the thin page is named, not ranked; its label in Norwegian with n from the data (3 posts < 10)
    ranks = next(t for t in sec.tables if t.headers == ["tall", "rangering", "ikke rangert"])
    assert any("for tynt (n=3 < 10)" in row[2] for row in ranks.rows)
    assert "engasjement per innlegg" in [row[0] for row in ranks.rows]
    # the data's own names (a hostile one among them) are the only non-Norwegian words left
    pages = {"Acme <script>alert(1)</script>", "<script>alert(1)</script>", "instagram", "Tiny", "you"}
    pages |= {"note with", *(f"post {i}" for i in range(20, 0, -1)), " post"}  # the test data's own texts
    assert _english_left(text, pages) == []
    for english in ("Competitors: the market", "side by side", "Each finding", "leads on", "no data", "too thin"):
        assert english not in text


def test_competitor_numbers_are_cldr_nb() -> None:
    """Shares and decimals as Babel writes them for nb: decimal comma, the locale's space before %."""
    run = _run()
    acc = {r["account"]: r for r in run.result.accounts.to_dicts()}
    with use_language("nb"):
        sec = competitors_section(run)
    side = next(t for t in sec.tables if t.headers[:2] == ["side", "innlegg"])
    row = next(r for r in side.rows if r[0] == "you")
    pct = 100 * acc["you"]["share_of_voice"]  # three significant digits of the percentage
    digits = 3 - 1 - math.floor(math.log10(pct))
    percent_sign = format_percent(0.5, locale="nb").removeprefix("50")  # Babel's "\u00a0%" for nb
    assert row[6].startswith(format_decimal(round(pct, digits), locale="nb") + percent_sign)
    per_week = acc["you"]["posts_per_week"]
    assert row[2] == format_decimal(float(f"{per_week:.3g}"), locale="nb")
    assert re.search(r"\d,\d+\u00a0%", _words(sec))


def test_market_advice_in_norwegian() -> None:
    with use_language("nb"):
        rows = market_advice(_run().result)
    for r in rows:
        assert r["evidence"].startswith("fra markedet: ")
        assert r["what"] == "cadence" or r["what"].startswith("format ")  # identifiers stay English


def test_audience_section_in_norwegian(workspace: Workspace) -> None:
    fill(workspace)
    workspace.strategy_path.write_text(STRATEGY)
    run_segments(workspace, min_share=0.0)  # stored in English (the workspace's language)
    run = stored_run(workspace)
    assert run is not None
    from signalboost.audience.job import cards_from, hold_strategy

    with use_language("nb"):
        verdicts, _ = hold_strategy(workspace, cards_from(run))
        sec = audience_section(run, verdicts)
        lines = [describe(c) for c in run["cards"]]
    text = _words(sec)
    assert sec.title == "Publikumssegmenter"
    # 12 accounts, 2 segments of 6 (hand-planted in fill()): the figures in Norwegian form
    assert sec.text[0].startswith("12 kontoer i publikummet (følgergrafen) på x, delt inn i 2 segmenter")
    table = sec.tables[0]
    assert table.headers[1:5] == ["foreslått navn", "kontoer", "publikum", "engasjement"]
    assert [r[3] for r in table.rows] == [format_percent(0.5, locale="nb")] * 2  # '50 %' with a no-break space
    assert lines[0].startswith("6 kontoer (" + format_percent(0.5, locale="nb") + " av publikummet); snakker om ")
    verdict = dict(next(t for t in sec.tables if t.headers == ["persona", "vurdering"]).rows)
    assert verdict["gamers"] == "ingen segmenter passer: se over personaen"
    assert verdict["home-bakers"].startswith("passer med et segment på " + format_percent(0.5, locale="nb"))
    keywords = {w for c in run["cards"] for w in c["keywords"]} | {"home-bakers", "gamers", "=cmd"}
    names = {c["name"] for c in run["cards"]}
    assert _english_left(text, keywords | names) == []


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_stored_english_notes_read_in_either_language(lang: str) -> None:
    from signalboost.influence.words import stored_words

    with use_language(lang):
        said = stored_words("brand account: 88 (accounts.is_brand)")
        reach = stored_words("reach from follower counts")
        unknown = stored_words("a sentence a newer version wrote")
    assert unknown == "a sentence a newer version wrote"
    if lang == "en":
        assert (said, reach) == ("brand account: 88 (accounts.is_brand)", "reach from follower counts")
    else:
        assert (said, reach) == ("merkevarekonto: 88 (accounts.is_brand)", "rekkevidde fra følgertall")
