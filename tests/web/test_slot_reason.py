"""The "Why" of a recommended or explored slot on the Analytics page: figures written like the table's cells
(3 significant digits), not Babel's default of up to three decimals ("could reach 596.754" on the Instagram
sample of Kim et al., beside "353 – 597" in the interval column)."""

from __future__ import annotations

from signalboost.web.views.analytics import slot_reason


def test_an_exploration_slot_says_its_upper_bound_like_the_table() -> None:
    row = {"kind": "explore", "n_posts": 0, "ci_high": 596.754}
    assert slot_reason(row, "interactions") == "exploration: only 0 posts so far; could reach 597"
    row = {"kind": "explore", "n_posts": 1, "ci_high": 12.3456}
    assert slot_reason(row, "interactions") == "exploration: only 1 post so far; could reach 12.3"


def test_a_recommended_slot_says_its_expected_figure_like_the_table() -> None:
    row = {"kind": "recommended", "n_posts": 14, "expected": 213.776, "shrink_weight": 0.75}
    assert slot_reason(row, "interactions") == "expected 214 (14 posts; shrunk 25% toward the network mean)"
    rate = {"kind": "recommended", "n_posts": 14, "expected": 0.029183, "shrink_weight": 0.75}
    assert slot_reason(rate, "er_reach") == "expected 2.92% (14 posts; shrunk 25% toward the network mean)"
