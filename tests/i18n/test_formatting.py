"""Numbers, percentages, dates and weekday names per language, against Babel's CLDR data and by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from signalboost import i18n
from signalboost.errors import UsageError

NBSP = "\u00a0"  # CLDR's group separator in nb, and the space before %


def test_norwegian_numbers_by_hand() -> None:
    with i18n.use_language("nb"):
        assert i18n.format_number(1234.5) == f"1{NBSP}234,5"
        assert i18n.format_number(1234567) == f"1{NBSP}234{NBSP}567"
        assert i18n.format_number(3, digits=2) == "3,00"
        assert i18n.format_percent(0.264) == f"26{NBSP}%"
        assert i18n.format_percent(0.2645, digits=2) == f"26,45{NBSP}%"
        assert i18n.format_significant(0.012345) == "0,0123"
        assert i18n.format_significant(1234.6) == f"1{NBSP}235"
        assert i18n.format_number(None) == "—"


def test_english_numbers_by_hand() -> None:
    with i18n.use_language("en"):
        assert i18n.format_number(1234.5) == "1,234.5"
        assert i18n.format_percent(0.2645, digits=2) == "26.45%"
        assert i18n.format_significant(0.012345) == "0.0123"


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("value", [0, 7, 1234.5, -98765.25, 1e9])
def test_numbers_are_babels_cldr_output(lang: str, value: float) -> None:
    with i18n.use_language(lang):
        assert i18n.format_number(value) == babel_numbers.format_decimal(value, locale=lang)
        assert i18n.format_percent(value / 1e6) == babel_numbers.format_percent(value / 1e6, locale=lang)


def test_norwegian_dates_by_hand() -> None:
    day = dt.date(2026, 12, 4)
    with i18n.use_language("nb"):
        assert i18n.format_date(day) == "4. des. 2026"
        assert i18n.format_date(day, "long") == "4. desember 2026"
        assert i18n.weekday_name(0) == "mandag"
        assert i18n.weekday_name(4) == "fredag"
        assert i18n.weekday_name(6, "abbreviated") == "søn."
        assert i18n.month_name(12) == "desember"
        assert i18n.format_timedelta(dt.timedelta(days=3), add_direction=True) == "om 3 døgn"
        assert i18n.format_list(["a", "b", "c"]) == "a, b og c"


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize("form", ["short", "medium", "long", "full", "EEEE d. MMMM y"])
def test_dates_are_babels_cldr_output(lang: str, form: str) -> None:
    day = dt.date(2026, 3, 2)
    with i18n.use_language(lang):
        assert i18n.format_date(day, form) == babel_dates.format_date(day, format=form, locale=lang)
        names = babel_dates.get_day_names("wide", locale=lang)
        assert [i18n.weekday_name(i) for i in range(7)] == [names[i] for i in range(7)]


def test_english_dates_by_hand() -> None:
    with i18n.use_language("en"):
        assert i18n.format_date(dt.date(2026, 12, 4)) == "Dec 4, 2026"
        assert i18n.weekday_name(0) == "Monday"


def test_the_language_is_per_context_and_restored() -> None:
    i18n.set_override(None)
    assert i18n.language() == "en"
    with i18n.use_language("nb"):
        assert i18n._("KPIs against their targets") == "KPI-er mot målene"
        assert i18n.ngettext("{n} post too many", "{n} posts too many", 2) == "{n} innlegg for mye"
    assert i18n._("KPIs against their targets") == "KPIs against their targets"


def test_override_beats_the_strategy_and_the_strategy_beats_english() -> None:
    try:
        i18n.set_override(None)
        assert i18n.resolve(None) == "en"
        assert i18n.resolve("nb") == "nb"
        i18n.set_override("en")
        assert i18n.resolve("nb") == "en"
    finally:
        i18n.set_override(None)


@pytest.mark.parametrize(("given", "code"), [("nb", "nb"), ("NO", "nb"), ("nb-NO", "nb"), ("en_GB", "en")])
def test_language_codes_people_write_are_accepted(given: str, code: str) -> None:
    assert i18n.check_language(given) == code


@pytest.mark.parametrize("given", ["de", "", "nn", "norsk"])
def test_an_unknown_language_is_refused_with_the_choices(given: str) -> None:
    with pytest.raises(UsageError) as info:
        i18n.check_language(given, where="--lang")
    assert "--lang" in info.value.message() and "en, nb" in info.value.message()
