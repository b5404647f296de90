"""The analytics report in Norwegian: headings, tables and numbers in bokmål, nothing left from the catalog in
English; the English report is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from signalboost import i18n
from signalboost.analytics.analysis import Analysis, analyze
from signalboost.store.workspace import Workspace

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> tuple[Analysis, object]:
    from signalboost.demo_data import UCI_FACEBOOK, demo_file
    from signalboost.ingest.pipeline import import_files
    from signalboost.model.templates import write_template
    from signalboost.store.analytics_sql import read_analytics_frames

    root = tmp_path_factory.mktemp("ws")
    ws = Workspace.open(root, create=True)
    write_template("cosmetics", ws.strategy_path, force=True)
    import_files(ws, [demo_file(*UCI_FACEBOOK)], progress=False)
    strategy = ws.strategy()
    f = read_analytics_frames(ws)
    return analyze(strategy, f.posts, f.post_metrics, f.account_snapshots, accounts=f.accounts), strategy


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>|src=\"data:[^\"]+\"", "", html, flags=re.S))


def test_the_report_in_norwegian(analysis: tuple[Analysis, object]) -> None:
    from signalboost.report.analytics_report import render_html

    a, strategy = analysis
    html = render_html(a, strategy, lang="nb")  # type: ignore[arg-type]
    text = _text(html)
    assert '<html lang="nb">' in html
    for heading in (
        "KPI-er mot målene",
        "Søylefordeling mot strategien",
        "Beste tidspunkter å publisere",
        "Hvor mange innlegg om dagen",
        "Vedlegg: ordliste",
    ):
        assert heading in text
    for english in ("KPIs against their targets", "Best times to post", "posts used", "95% interval", "Appendix"):
        assert english not in text
    # 500 UCI posts, dated 2014-01-01 .. 2014-12-31 in the data: the period in Norwegian CLDR form
    assert "500 innlegg på facebook" in text
    assert re.search(r"\d+\. jan\. 2014 til \d+\. des\. 2014", text)
    assert re.search(rf"\d+,\d\d{NBSP}%", text)  # percentages: decimal comma, no-break space before %
    assert "side " in html and " av " in html  # the page footer


def test_the_report_language_comes_from_the_strategy_unless_overridden(analysis: tuple[Analysis, object]) -> None:
    from signalboost.report.analytics_report import render_html

    a, strategy = analysis
    nb_strategy = strategy.model_copy(update={"brand": strategy.brand.model_copy(update={"language": "nb"})})  # type: ignore[attr-defined]
    assert "KPI-er mot målene" in render_html(a, nb_strategy)
    i18n.set_override("en")
    try:
        assert "KPIs against their targets" in render_html(a, nb_strategy)
    finally:
        i18n.set_override(None)


def test_the_english_report_keeps_its_words(analysis: tuple[Analysis, object]) -> None:
    from signalboost.report.analytics_report import render_html

    a, strategy = analysis
    text = _text(render_html(a, strategy, lang="en"))  # type: ignore[arg-type]
    assert "KPIs against their targets" in text and "KPI-er" not in text
    assert "500 posts on facebook" in text
    assert i18n.language() == "en"  # rendering in a language does not leave it active


def test_the_markdown_report_in_norwegian(analysis: tuple[Analysis, object], tmp_path: Path) -> None:
    from signalboost.report.analytics_report import write_report

    a, strategy = analysis
    text = write_report(a, strategy, tmp_path / "r.md", fmt="md", lang="nb").read_text(encoding="utf-8")  # type: ignore[arg-type]
    assert text.startswith("# ") and "resultatrapport" in text.splitlines()[0]
    assert "## KPI-er mot målene" in text
