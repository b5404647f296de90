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
