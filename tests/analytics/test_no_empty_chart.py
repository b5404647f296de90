"""No empty chart: a network whose export has no engagement counts gets a sentence saying what it lacks."""

from __future__ import annotations

from signalboost.analytics.analysis import analyze
from signalboost.report.analytics_report import build_sections

from .test_robustness import _mixed


def test_a_network_without_counts_gets_a_sentence_not_a_chart() -> None:
    p, m = _mixed()  # x posts with likes and reach; mastodon posts with no metrics at all
    a = analyze(None, p, m)
    sections = {s.title: s for s in build_sections(a)}
    text = " ".join(t for s in sections.values() for t in s.text)
    charts = [alt for s in sections.values() for alt, _ in s.charts]
    # the pillar mix counts posts, so mastodon keeps it; every engagement chart of mastodon is replaced
    assert "Pillar mix, mastodon" in charts
    assert not any("mastodon" in alt for alt in charts if not alt.startswith("Pillar mix")), charts
    assert "No chart for mastodon: its export reports no interactions" in text
    assert any("x" in alt for alt in charts)  # the network with counts keeps its charts


def test_report_headlines_are_plain() -> None:
    from signalboost.report.analysis_words import plain_note

    assert plain_note("metric auto = er_reach") == (
        "Posts are compared by engagement rate by reach (er_reach), the figure most of the posts report."
    )
    assert plain_note("something else") == "something else"
    p, m = _mixed()
    pillar = next(s for s in build_sections(analyze(None, p, m)) if s.title == "Pillar mix against the strategy")
    assert pillar.text[0].startswith("How each post got its pillar: no pillar found: ")
    timing = next(s for s in build_sections(analyze(None, p, m)) if s.title == "Best times to post")
    assert "normal–normal" not in timing.text[0] and "glossary" in timing.text[0]
