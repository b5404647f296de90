"""The Competitors report section (HTML/PDF): charts embedded, findings as a table, hostile text escaped, the
file format checked; and `signalboost report` / `benchmark --output` on an imported market."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import polars as pl
import pytest

from signalboost.competitors.benchmark import benchmark
from signalboost.competitors.job import BenchmarkRun
from signalboost.errors import ReportError
from signalboost.report.competitors_section import competitors_section, render_benchmark_html, write_benchmark_report

EVIL = "<script>alert(1)</script>"
START = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)


def _run() -> BenchmarkRun:
    rows = []
    for account, n, value, brand in (
        ("you", 20, 10.0, True),
        (f"Acme {EVIL}", 20, 30.0, False),
        ("Tiny", 3, 900.0, False),
    ):
        for i in range(n):
            rows.append(
                {
                    "platform": "instagram",
                    "account": account,
                    "created_at": START + dt.timedelta(days=3 * i, hours=i % 4),
                    "format": "video" if i % 2 else "photo",
                    "interactions": value + i % 3,
                    "is_brand": brand,
                    "post_id": f"{account}-{i}",
                    "text": f"{EVIL} post" if i == 0 else f"post {i}",
                    "hashtags": ["acme"] if account.startswith("Acme") else None,
                }
            )
    frame = pl.DataFrame(rows, schema_overrides={"hashtags": pl.List(pl.String)})
    return BenchmarkRun(benchmark(frame), notes=[f"note with {EVIL}"])


def test_section_has_four_charts_per_network_and_the_findings_as_a_table() -> None:
    sec = competitors_section(_run())
    assert [alt.split(": ", 1)[1] for alt, _ in sec.charts] == [
        "engagement per post by page, with 95 % intervals",
        "engagement per post by month, per page",
        "format mix per page",
        "posting hours per page",
    ]
    assert all(png.startswith(b"\x89PNG") for _, png in sec.charts)
    findings = sec.tables[0]
    assert findings.headers == ["n", "finding"]
    assert any("Tiny (n=3)" in row[1] for row in findings.rows)  # the thin page is named, not ranked
    ranks = next(t for t in sec.tables if t.headers == ["figure", "ranking", "not ranked"])
    eng = next(r for r in ranks.rows if r[0] == "engagement per post")
    assert eng[1] == f"1. Acme {EVIL}; 2. you" and "Tiny (too thin (n=3 < 10))" in eng[2]


def test_html_escapes_untrusted_text() -> None:
    page = render_benchmark_html(_run(), brand=f"Brand {EVIL}")
    assert EVIL not in page
    assert html.escape(EVIL) in page  # names, post texts, notes and the brand drawn as text
    assert page.count("data:image/png;base64,") == 4


def test_write_report_html_pdf_and_a_wrong_suffix(tmp_path: Path) -> None:
    run = _run()
    with pytest.raises(ReportError, match="cannot tell the format"):
        write_benchmark_report(run, tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()
    out = write_benchmark_report(run, tmp_path / "out.html")
    assert "Competitors: the market" in out.read_text(encoding="utf-8")
    pytest.importorskip("weasyprint")
    pdf = write_benchmark_report(run, tmp_path / "out.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
