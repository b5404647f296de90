"""The calendar exports' labels per language: month and weekday names from CLDR, the title from the catalog."""

from __future__ import annotations

import datetime as dt

from signalboost import i18n
from signalboost.plan.export import to_html_month, to_markdown

DECEMBER = (dt.date(2026, 12, 1), dt.date(2027, 1, 1))


def test_the_html_month_in_norwegian() -> None:
    with i18n.use_language("nb"):
        page = to_html_month([], period=DECEMBER)
    assert '<html lang="nb">' in page and "<h1>Publiseringskalender</h1>" in page
    assert "<h2>Desember 2026</h2>" in page
    assert [f"<th>{d}</th>" in page for d in ("man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn.")] == [True] * 7
    assert "curated" not in page and "kuratert" in page


def test_the_markdown_month_in_norwegian_and_english() -> None:
    with i18n.use_language("nb"):
        md = to_markdown([], period=DECEMBER)
    assert md.startswith("# Publiseringskalender") and "## Desember 2026" in md
    assert "| man. | tir. | ons. | tor. | fre. | lør. | søn. |" in md
    en = to_markdown([], period=DECEMBER)
    assert en.startswith("# Publishing calendar") and "## December 2026" in en
    assert "| Mon | Tue | Wed | Thu | Fri | Sat | Sun |" in en
