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


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_report_names_pillars_as_the_strategy_does(analysis: tuple[Analysis, object], lang: str) -> None:
    """Pillars appear by the strategy's names (not their ids) in the mix table, the drift sentences, the months
    with drift and the per-pillar results; an id the strategy does not name keeps its translated word."""
    from signalboost.report.analytics_report import build_sections, pillar_names, pillar_word

    a, strategy = analysis
    named = strategy.model_copy(  # type: ignore[attr-defined]
        update={"pillars": [p.model_copy(update={"name": f"Søyle {p.id.upper()}"}) for p in strategy.pillars]}  # type: ignore[attr-defined]
    )
    names = pillar_names(named)
    ids = set(names)
    assert ids >= {"product", "inspiration", "action"}
    with i18n.use_language(lang):
        sections = build_sections(a, names=names)
        unclassified = pillar_word("unclassified", names)
    mix_section, per_pillar = sections[2], sections[3]
    assert mix_section.tables[0].headers[1] in {"pillar", "søyle"} and per_pillar.title in {
        "Performance per pillar",
        i18n.translations("nb").gettext("Performance per pillar"),
    }
    cells = [c for t in mix_section.tables + per_pillar.tables for row in t.rows for c in row]
    words = " ".join(cells + mix_section.text)
    for pid in ids:
        assert f"Søyle {pid.upper()}" in words
        assert pid not in cells  # no bare id left in a table
    drift = [t for t in mix_section.text if t.startswith(("Drifting on", "Driver av"))]
    assert drift and all("Søyle " in t for t in drift)
    assert not any(re.search(rf"\b{pid}\b", t) for t in drift for pid in ids)
    months = mix_section.tables[-1].rows
    assert months and all("Søyle " in r[2] and not any(re.search(rf"\b{p}\b", r[2]) for p in ids) for r in months)
    # an id without a name: its word in the report's language, as before
    assert unclassified == ("unclassified" if lang == "en" else "uklassifisert")
    assert pillar_word("made_up", names) == "made_up" and pillar_word(None, names) == "—"
