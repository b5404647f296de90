"""Validity on labelled real data (../shared/data; skipped when absent). Figures: docs/validation.md."""

from __future__ import annotations

import numpy as np
import pytest

from tests.audience import validity_report as report

pytestmark = pytest.mark.shared


def test_facebook_segments_agree_with_circles_far_above_random(shared_data: object) -> None:
    rows = report.facebook_rows()
    mean = report._mean_row(rows, "mean")
    # McAuley & Leskovec's matching scores; random = the same segment sizes shuffled
    assert mean["F1"] > mean["random F1"] + 0.2
    assert mean["1-BER"] > mean["random 1-BER"] + 0.1
    assert sum(r["F1"] > r["random F1"] for r in rows) == 10  # better than chance on every ego


@pytest.mark.slow
def test_facebook_same_seed_same_segments_and_halves_agree(shared_data: object) -> None:
    stab = report.combined_stability(seeds=3)
    assert stab["accounts"] == 4039 and stab["edges"] == 88234  # SNAP's published size
    assert stab["same seed identical"] and stab["other seed identical"]
    assert stab["split-half ARI min"] >= 0.5  # the stated level (docs/validation.md)


@pytest.mark.slow
def test_instagram_captions_cluster_by_category_above_random(shared_data: object) -> None:
    ig = report.instagram(limit=5000)
    assert ig["ours"]["nmi"] > 10 * max(ig["random"]["nmi"], 1e-3)
    assert ig["ours"]["nmi"] > 0.03
    assert np.isfinite(ig["ours"]["ari"]) and ig["ours"]["ari"] > 5 * abs(ig["random"]["ari"])
