"""The strategy document in Markdown, HTML and PDF."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from signalboost.errors import ReportError
from signalboost.model.io import StrategyDocument
from signalboost.model.strategy import Strategy
from signalboost.model.templates import template_text
from signalboost.report.strategy_doc import (
    describe_rrule,
    md_escape,
    next_occurrences,
    render_html,
    render_markdown,
    render_pdf,
    write_document,
)

TODAY = dt.date(2026, 3, 2)


def strategy(name: str = "clothing-store", **edits: object) -> Strategy:
    doc = StrategyDocument.loads(template_text(name))
    for dotted, value in edits.items():
        doc.set(tuple(int(k) if k.isdigit() else k for k in dotted.split("__")), value)
    return doc.strategy(today=dt.date(2026, 1, 2))


def with_gap() -> Strategy:
    """clothing-store without the facebook example of the brand pillar and without the giveaway example."""
    doc = StrategyDocument.loads(template_text("clothing-store"))
    examples = doc.get(("examples",))
    drop = [
        i
        for i, e in enumerate(examples)
        if (e.get("pillar") == "brand" and e["network"] == "facebook") or e.get("tactic") == "monthly-giveaway"
    ]
    for i in reversed(drop):
        del examples[i]
    return doc.strategy(today=dt.date(2026, 1, 2))


def test_describe_rrule() -> None:
    assert describe_rrule("FREQ=MONTHLY;BYDAY=1FR") == "every month on the 1st Friday"
    assert describe_rrule("FREQ=MONTHLY;BYDAY=-1SA") == "every month on the last Saturday"
    assert describe_rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH") == "every 2 weeks on Tuesday, Thursday"
    assert describe_rrule("RRULE:FREQ=DAILY;COUNT=3") == "every day (COUNT=3)"


def test_next_occurrences_first_friday() -> None:
    # 1 March 2026 is a Sunday: first Fridays are 6 March, 3 April, 1 May.
    assert next_occurrences("FREQ=MONTHLY;BYDAY=1FR", TODAY) == [
        dt.date(2026, 3, 6),
        dt.date(2026, 4, 3),
        dt.date(2026, 5, 1),
    ]


def test_markdown_sections_and_gaps() -> None:
    md = render_markdown(with_gap(), today=TODAY)
    assert md.startswith("# Threadline — social-media strategy\n")
    for heading in (
        "## Completeness checklist",
        "## 1. Audience",
        "## 2. Personality",
        "## 3. Digital ecosystem",
        "## 4. Frequency & schedule",
        "## 5. Communication pillars",
        "## 6. Tactics",
        "## 7. Examples",
        "## KPIs",
    ):
        assert f"\n{heading}\n" in md
    assert "12 of 14 cells filled" in md
    assert "- [ ] An example for every pillar on every network (11/12) — missing: brand on facebook" in md
    brand_row = next(line for line in md.splitlines() if line.startswith("| **Brand** |"))
    cells = [c.strip() for c in brand_row.strip("|").split("|")]
    assert cells[2] == "**GAP**"  # columns: pillar, instagram, facebook, tiktok
    assert cells[1].startswith("*carousel:* New in")
    assert "| **Monthly giveaway** | **GAP** |" in md
    assert "every month on the 1st Friday at 12:00" in md


def test_markdown_escapes_user_text() -> None:
    s = strategy(pillars__0__description="a | b <img src=x> *bold*")
    md = render_markdown(s, today=TODAY)
    assert r"a \| b \<img src=x\> \*bold\*" in md
    assert re.search(r"(?<!\\)<img", md) is None  # only the escaped form
    assert md_escape("# not a heading") == r"\# not a heading"
    assert md_escape("1. not a list\nsecond") == r"1\. not a list second"


def test_html_escapes_user_text() -> None:
    s = strategy(brand__name='Evil <script>alert("x")</script> & Co')
    html = render_html(s, today=TODAY)
    assert "<script>" not in html
    assert "Evil &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    assert "http://" not in html and "https://" not in html  # nothing to fetch
    assert "<style>" in html


def test_html_marks_gaps() -> None:
    html = render_html(with_gap(), today=TODAY)
    assert html.count('class="gap"') == 2
    assert "12/14" in html


def test_pdf_renders_with_brand_name(tmp_path: Path) -> None:
    pdf = render_pdf(strategy("cosmetics"), today=TODAY)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    path = tmp_path / "s.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Lumina Cosmetics" in text
    assert "Completeness checklist" in text
    assert "7. Examples" in text


def test_write_document_formats(tmp_path: Path) -> None:
    s = strategy("cafe")
    md = write_document(s, tmp_path / "out" / "s.md", fmt="md", today=TODAY)
    assert md.read_text(encoding="utf-8").startswith("# Corner Roast")
    html = write_document(s, tmp_path / "s.html", fmt="html", today=TODAY)
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(ReportError, match="unknown document format 'docx'"):
        write_document(s, tmp_path / "s.docx", fmt="docx")
    assert not (tmp_path / "s.docx").exists()
