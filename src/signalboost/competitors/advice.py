"""Suggestions from the market for ``signalboost recommend``: cadence and format mix, labelled as coming from the
competitors' results, not the brand's own, and made only where the group's evidence supports them.

- **Cadence.** The brand's posting rate gets the exact Poisson (Garwood 1936) interval
  ``[χ²_{α/2}(2n)/2, χ²_{1−α/2}(2n+2)/2] / weeks`` for its ``n`` posts; the market's cadence is the median posts
  per week of the competitors with at least ``min_posts`` posts (at least :data:`MIN_PEERS` of them). Only when
  the brand's whole interval lies below (or above) that median is the gap stated, with the strategy's
  ``min_posts_per_week`` beside it. That competitors post more is not evidence that posting more pays: the text
  says so, and the brand's own frequency analysis (``recommend``'s diff) is what changes strategy.yaml — unless
  ``recommend --market`` is asked for: then, where the brand's own data proposes no change, the market's median
  (rounded, at least 1) becomes the proposed ``min_posts_per_week``, its evidence starting "from the market:".
- **Format mix.** A format whose effect within accounts across the group (``x / the account's mean``, see
  :mod:`signalboost.competitors.benchmark`) has an interval wholly above 1 while the brand posts less of it than
  the average competitor gives "more of it"; wholly below 1 while the brand posts more of it gives "less of it".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from signalboost.competitors.benchmark import Benchmark, ci_words, confidence_words, format_words
from signalboost.i18n import _, format_number, format_percent, format_significant

MIN_PEERS = 2
"""Competitors with enough posts needed before the market's cadence is quoted."""


def poisson_rate_interval(n: int, weeks: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval of a rate of ``n`` events in ``weeks`` weeks: ``[χ²(α/2; 2n)/2,
    χ²(1−α/2; 2n+2)/2] / weeks`` (lower bound 0 when n = 0)."""
    alpha = 1 - confidence
    lo = 0.0 if n == 0 else float(stats.chi2.ppf(alpha / 2, 2 * n)) / 2
    hi = float(stats.chi2.ppf(1 - alpha / 2, 2 * n + 2)) / 2
    return lo / weeks, hi / weeks


def market_advice(b: Benchmark, per_week: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Rows ``network, what, value, kind="market", evidence`` (the shape of ``recommend``'s evidence rows).

    ``per_week``: the strategy's ``min_posts_per_week`` per network, quoted beside the market's cadence.
    """
    out: list[dict[str, Any]] = []
    plans = per_week or {}
    for (platform,), group in b.accounts.group_by(["platform"], maintain_order=True):
        p = str(platform)
        rows = group.to_dicts()
        brand = next((r for r in rows if r["role"] == "brand"), None)
        if brand is None:
            continue
        out.extend(_cadence(p, brand, rows, b.min_posts, b.confidence, plans.get(p)))
        out.extend(_formats(p, brand, b))
    return out


def market_per_week(rows: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """``network -> (posts per week, why)`` from the cadence rows of :func:`market_advice` whose market median
    lies outside the brand's interval (``recommend --market`` folds these into the strategy.yaml diff where the
    brand's own data proposes no change)."""
    out: dict[str, tuple[int, str]] = {}
    for r in rows:
        if r["what"] == "cadence" and r.get("suggested_per_week") is not None:
            out[str(r["network"])] = (int(r["suggested_per_week"]), str(r["evidence"]))
    return out


def _row(network: str, what: str, value: str, evidence: str) -> dict[str, Any]:
    """An advice row: ``what`` stays an identifier (``cadence``, ``format video``; :func:`what_words` says it in
    words), ``value`` and ``evidence`` are prose in the active language."""
    return {
        "network": network,
        "what": what,
        "value": value,
        "kind": "market",
        "evidence": _("from the market: {evidence}").format(evidence=evidence),
    }


def what_words(what: str) -> str:
    """An advice row's ``what`` (``cadence``, ``format video``) in words in the active language."""
    if what == "cadence":
        return _("cadence")
    if what.startswith("format "):
        return _("format {format}").format(format=format_words(what.removeprefix("format ")))
    return what


def _cadence(
    p: str, brand: dict[str, Any], rows: list[dict[str, Any]], min_posts: int, confidence: float, plan: int | None
) -> list[dict[str, Any]]:
    peers = [r for r in rows if r["role"] != "brand" and r["n_posts"] >= min_posts]
    if len(peers) < MIN_PEERS or not brand["weeks"]:
        return []
    median = float(np.median([r["posts_per_week"] for r in peers]))
    lo, hi = poisson_rate_interval(int(brand["n_posts"]), float(brand["weeks"]), confidence)

    def g2(x: float) -> str:
        return format_significant(x, digits=2)

    n_posts = _("{n} posts").format(n=format_number(brand["n_posts"]))
    ci = ci_words(confidence_words(confidence), g2(lo), g2(hi), n_posts)
    you = _("you post {rate} a week ({ci})").format(rate=g2(brand["posts_per_week"]), ci=ci)
    market = _("the median of {n} competitors with {min}+ posts is {median} a week").format(
        n=format_number(len(peers)), min=format_number(min_posts), median=g2(median)
    )
    plan_words = _("; your strategy asks for at least {n}").format(n=format_number(plan)) if plan is not None else ""
    if hi < median:
        value, verdict = _("competitors post more"), _("below the market")
    elif lo > median:
        value, verdict = _("competitors post less"), _("above the market")
    else:
        value, verdict = _("in line"), _("in line with the market (the interval includes its median)")
    caveat = (
        _(
            ". That they post more does not show that posting more pays: your own frequency analysis decides "
            "min_posts_per_week"
        )
        if hi < median
        else ""
    )
    evidence = _("{you}, {verdict}: {market}{plan}{caveat}.").format(
        you=you, verdict=verdict, market=market, plan=plan_words, caveat=caveat
    )
    row = _row(p, "cadence", value, evidence)
    row["suggested_per_week"] = max(1, round(median)) if hi < median or lo > median else None
    return [row]


def _formats(p: str, brand: dict[str, Any], b: Benchmark) -> list[dict[str, Any]]:
    out = []
    mix = b.formats.filter(pl.col("platform") == p)
    accounts = mix.select("account").unique()
    for f in b.findings:
        if f["platform"] != p or f["figure"] != "format":
            continue
        fmt = str(f["format"])
        share = accounts.join(
            mix.filter(pl.col("format") == fmt).select("account", "share"), on="account", how="left"
        ).fill_null(0.0)
        mine = share.filter(pl.col("account") == brand["account"])["share"]
        others = share.filter(pl.col("account") != brand["account"])["share"]
        if mine.len() == 0 or others.len() == 0:
            continue
        yours, theirs = float(mine[0]), float(others.mean())  # type: ignore[arg-type]
        g2 = format_significant
        ci = _("{low}–{high}×, n={n} posts").format(
            low=g2(f["low"], digits=2), high=g2(f["high"], digits=2), n=format_number(f["n"])
        )
        effect = _("{format} posts get {times}× an account's average engagement across the group ({ci})").format(
            format=format_words(fmt), times=g2(f["value"], digits=2), ci=ci
        )
        gap = _("you post {yours} {format}, the average competitor {theirs}").format(
            yours=format_percent(yours), format=format_words(fmt), theirs=format_percent(theirs)
        )
        if f["low"] > 1 and yours < theirs:
            out.append(_row(p, f"format {fmt}", _("more of it"), f"{effect}; {gap}."))
        elif f["high"] < 1 and yours > theirs:
            out.append(_row(p, f"format {fmt}", _("less of it"), f"{effect}; {gap}."))
    return out
