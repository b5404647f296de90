"""The strategy document in Norwegian: every heading, label and checklist item in bokmål, dates and cadences in
Norwegian form (CLDR), the person's own words as written."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from signalboost import i18n
from signalboost.model.strategy import Strategy
from signalboost.model.templates import render_template
from signalboost.model.validate import validate_text
from signalboost.report.strategy_doc import describe_rrule, render_html, render_markdown

TODAY = dt.date(2026, 3, 1)  # a Sunday


@pytest.fixture(scope="module")
def strategy() -> Strategy:
    report = validate_text(render_template("clothing-store", today=TODAY), today=TODAY)
    assert report.strategy is not None
    return report.strategy


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S))


def test_the_strategy_document_in_norwegian(strategy: Strategy) -> None:
    html = render_html(strategy, today=TODAY, lang="nb")
    text = _text(html)
    assert '<html lang="nb"' in html
    for words in (
        "Strategi for sosiale medier",
        "Sjekkliste",
        "1. Målgruppe",
        "2. Personlighet",
        "3. Digitalt økosystem",
        "4. Frekvens og publiseringsplan",
        "5. Kommunikasjonssøyler",
        "6. Taktikker",
        "7. Eksempler",
        "Laget 1. mars 2026 av Signalboost",
        "Minst én persona",
    ):
        assert words in text, words
    for english in (
        "Completeness checklist",
        "Audience",
        "Digital ecosystem",
        "Generated",
        "At least one",
        "Words to use",
        "How people take part",
        "every month",
        "GAP",
    ):
        assert english not in text, english
    assert "side " in html and '" av "' in html  # the page footer's words (CSS content)


def test_cadence_and_weekdays_in_norwegian() -> None:
    with i18n.use_language("nb"):
        # first Friday of every month; Thursdays every week; every second week on Monday and Wednesday
        assert describe_rrule("FREQ=MONTHLY;BYDAY=1FR") == "1. fredag hver måned"
        assert describe_rrule("FREQ=WEEKLY;BYDAY=TH") == "torsdag hver uke"
        assert describe_rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE") == "mandag og onsdag hver 2. uke"
        assert describe_rrule("FREQ=MONTHLY;BYDAY=-1SA") == "siste lørdag hver måned"
    # English is unchanged
    assert describe_rrule("FREQ=MONTHLY;BYDAY=1FR") == "every month on the 1st Friday"


def test_the_markdown_document_in_norwegian(strategy: Strategy) -> None:
    md = render_markdown(strategy, today=TODAY, lang="nb")
    assert md.splitlines()[0].endswith("– strategi for sosiale medier")
    assert "## 1. Målgruppe" in md and "| Søyle |" in md
    assert "Completeness" not in md and "Audience" not in md


def test_the_document_follows_brand_language(strategy: Strategy) -> None:
    nb = strategy.model_copy(update={"brand": strategy.brand.model_copy(update={"language": "nb"})})
    assert "Sjekkliste" in render_html(nb, today=TODAY)
    assert "Completeness checklist" in render_html(strategy, today=TODAY)
