"""What the two generated backtest sections of docs/validation.md share: the calibrate-or-refuse step, the table of
predictors, the best-baseline column of the selection cuts, number formatting and the write into the page.

Used by :mod:`signalboost.influence.backtest_report` (Higgs interactions) and
:mod:`signalboost.influence.backtest_posts_report` (Instagram influencers' posts); each keeps its own data, cuts
and wording of the cut's headline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

import polars as pl

from signalboost.errors import InfluenceError
from signalboost.i18n import L_
from signalboost.influence.backtest import SCORE, Cut
from signalboost.influence.calibrate import MIN_INTERACTIONS, MIN_RECEIVING, fit_weights, thin_reason

METRICS = ("ndcg", "spearman")


def ci(point: float, lo: float, hi: float, signed: bool = False) -> str:
    """``point [lo, hi]`` to three decimals (with a sign when ``signed``)."""
    fmt = "{:+.3f}" if signed else "{:.3f}"
    return f"{fmt.format(point)} [{fmt.format(lo)}, {fmt.format(hi)}]"


def verdict(lo: float, hi: float) -> str:
    """``win`` when a paired interval of ``default − predictor`` lies above 0, ``loss`` below 0, else ``tie``."""
    return "win" if lo > 0 else "loss" if hi < 0 else "tie"


def calibrate_or_refuse(
    val: Cut, default: Mapping[str, float], *, rule: str, refused: str
) -> tuple[dict[str, float] | None, str]:
    """Weights fitted on the validation cut ``val`` (:func:`~signalboost.influence.calibrate.fit_weights`), or
    ``None`` and the refusal note when ``val`` is too thin — the same thresholds as ``signalboost influencers
    calibrate`` (:func:`~signalboost.influence.calibrate.thin_reason`).

    ``refused`` words the note for the report; it may use ``{before}`` (:attr:`Cut.interactions_before`),
    ``{receiving}``, ``{need_before}`` and ``{need_receiving}``.
    """
    if thin_reason(val, "validation") is None:
        weights, _ = fit_weights(val, default, rule=rule)
        return weights, ""
    return None, " " + refused.format(
        before=val.interactions_before,
        receiving=val.receiving,
        need_before=MIN_INTERACTIONS,
        need_receiving=MIN_RECEIVING,
    )


def weights_used(cut: Cut, weights: Mapping[str, float]) -> dict[str, float]:
    """The weights of ``cut``'s available components, renormalised to sum to 1 (those of weight > 0)."""
    total = sum(float(weights.get(c, 0.0)) for c in cut.pcts) or 1.0
    return {c: float(weights.get(c, 0.0)) / total for c in sorted(cut.pcts) if weights.get(c, 0.0) > 0}


def weights_text(weights: Mapping[str, float] | None) -> str:
    """``reach 55%, topic 20%`` (sorted; weights of 0 left out)."""
    return ", ".join(f"{c} {w:.0%}" for c, w in sorted((weights or {}).items()) if w > 0)


REFUSED = "refused (see above)"


def predictor_table(
    res: pl.DataFrame, *, spearman: str = "Spearman", missing: Mapping[str, str] | None = None
) -> list[str]:
    """The markdown table of one cut: a row per :func:`~signalboost.influence.backtest.evaluate` row (the default
    as reference: its difference columns are dashes), then a row ``n/a: reason`` per predictor of ``missing``
    (name → reason; e.g. the calibrated score when it was refused: :data:`REFUSED`)."""
    lines = [
        f"| predictor | NDCG@100 [95 % CI] | {spearman} [95 % CI] | default − it, NDCG | default − it, Spearman |",
        "|---|---|---|---|---|",
    ]
    for row in res.iter_rows(named=True):
        diff = (
            ("—", "—")
            if row["predictor"] == SCORE
            else tuple(ci(row[f"d_{m}"], row[f"d_{m}_lo"], row[f"d_{m}_hi"], True) for m in METRICS)
        )
        lines.append(
            f"| {row['predictor']} | {ci(row['ndcg'], row['ndcg_lo'], row['ndcg_hi'])} | "
            f"{ci(row['spearman'], row['spearman_lo'], row['spearman_hi'])} | {diff[0]} | {diff[1]} |"
        )
    lines += [f"| {name} | n/a: {why} | | | |" for name, why in (missing or {}).items()]
    return lines


def selection_row(rows: Mapping[str, Mapping[str, Any]], baselines: Sequence[str]) -> tuple[str, str, str, str]:
    """One selection cut's cells: the point NDCG@100 and Spearman of the default and each of ``baselines``
    (`` · ``-separated), and per metric the paired difference default − the best baseline by that metric."""
    names = (SCORE, *baselines)
    diffs = []
    for metric in METRICS:
        best = max((rows[b] for b in baselines), key=itemgetter(metric))
        diffs.append(ci(best[f"d_{metric}"], best[f"d_{metric}_lo"], best[f"d_{metric}_hi"], True))
    nd = " · ".join(f"{rows[b]['ndcg']:.3f}" for b in names)
    rho = " · ".join(f"{rows[b]['spearman']:.3f}" for b in names)
    return nd, rho, diffs[0], diffs[1]


def write_section(path: Path, section: str, *, begin: str, end: str) -> None:
    """Replace the text between the markers ``begin`` and ``end`` in ``path`` with ``section``."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise InfluenceError(
            L_("the generated-table markers are missing"),
            where=str(path),
            hint=L_("Put the lines {begin} and {end} where the table belongs", begin=begin, end=end),
        )
    path.write_text(pattern.sub(lambda _m: f"{begin}\n\n{section}\n\n{end}", text), encoding="utf-8")
