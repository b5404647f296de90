"""`influencers calibrate` says whether the fitted weights beat the current ones on the later cut, from the paired
lift intervals (the s9 walk on three days of Higgs: lift NDCG −0.011 [−0.055, +0.076], Spearman −0.004 [−0.012,
+0.007] was printed without a verdict, above "add --apply to write these weights")."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from signalboost.influence.backtest import CALIBRATED, SCORE
from signalboost.influence.calibrate import Calibration

T = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)


def _cal(lift: tuple[float, float, float, float]) -> Calibration:
    """A calibration whose current score's row has lift NDCG [lo, hi] and lift Spearman [lo, hi] = ``lift``."""
    lo_n, hi_n, lo_s, hi_s = lift
    report = pl.DataFrame(
        {
            "predictor": [CALIBRATED, SCORE],
            "d_ndcg_lo": [None, lo_n],
            "d_ndcg_hi": [None, hi_n],
            "d_spearman_lo": [None, lo_s],
            "d_spearman_hi": [None, hi_s],
        }
    )
    return Calibration(T, T, {"reach": 1.0}, {"reach": 1.0}, 0.5, 0.5, report, 100, 60, 50)


@pytest.mark.parametrize(
    ("lift", "verdict"),
    [
        ((-0.055, 0.076, -0.012, 0.007), "cannot tell"),  # the walk's Higgs figures: both intervals hold 0
        ((0.01, 0.2, 0.002, 0.03), "better"),  # both lifts above 0
        ((0.01, 0.2, -0.01, 0.03), "cannot tell"),  # one holds 0
        ((-0.2, -0.01, -0.01, 0.03), "worse"),  # NDCG below 0 whatever Spearman says
        ((0.01, 0.2, -0.03, -0.001), "worse"),
        ((0.0, 0.2, 0.01, 0.03), "cannot tell"),  # a bound at 0 is not above it
    ],
)
def test_the_verdict_reads_the_lift_intervals_of_the_current_score(
    lift: tuple[float, float, float, float], verdict: str
) -> None:
    assert _cal(lift).verdict() == verdict


def test_the_cli_prints_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    from signalboost.cli.influence import _print_calibration

    report = _cal((-0.055, 0.076, -0.012, 0.007)).report
    full = report.with_columns(
        *(pl.lit(0.5).alias(c) for c in ("ndcg", "ndcg_lo", "ndcg_hi", "spearman", "spearman_lo", "spearman_hi")),
        pl.lit(0.0).alias("d_ndcg"),
        pl.lit(0.0).alias("d_spearman"),
    )
    cal = Calibration(T, T, {"reach": 1.0}, {"reach": 1.0}, 0.5, 0.5, full, 100, 60, 50)
    _print_calibration("x", cal, None)
    out = " ".join(capsys.readouterr().out.split())
    assert "Verdict: cannot tell — on the later cut the calibrated weights are not distinguishable" in out
