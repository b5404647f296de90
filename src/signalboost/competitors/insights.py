"""Plain-language findings from the page profiles (cadence trend, share of voice, best days and hours, hashtags
owned, follower growth), each with its n and interval, never a claim the interval does not support.

A trend is called rising or falling only when its interval excludes 0; a share of voice is called above the
page's share of posts only when its whole interval is; a day or hour is named best only when the slot model's
interval lies above the page's mean (:func:`signalboost.competitors.profile.best_times`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from signalboost.competitors.benchmark import Benchmark

MAX_TREND_FINDINGS = 3
"""Competitors whose clear cadence trend is told as a finding (the table has every page's)."""


def profile_findings(b: Benchmark) -> list[dict[str, Any]]:
    """The findings of ``b``'s profile tables, per network (module docstring: when a claim is made)."""
    out: list[dict[str, Any]] = []
    pct = f"{b.confidence:.0%}"
    for (platform,), group in b.accounts.group_by(["platform"], maintain_order=True):
        p = str(platform)
        rows = group.to_dicts()
        brand = next((r for r in rows if r["role"] == "brand"), None)
        out.extend(_trends(p, rows, brand, pct))
        if brand is not None:
            out.extend(_voice(p, brand, pct))
            out.extend(_times(p, brand, b.best_times.filter(pl.col("platform") == p), pct))
        out.extend(_tags(p, rows, brand, b.hashtags.filter(pl.col("platform") == p)))
        out.extend(_growth(p, rows, brand))
    return out


def _f(
    platform: str, figure: str, text: str, n: Any = None, value: Any = None, low: Any = None, high: Any = None
) -> dict[str, Any]:
    return {
        "platform": platform,
        "figure": figure,
        "text": f"{platform}: {text}",
        "n": n,
        "value": value,
        "low": low,
        "high": high,
    }


def _signed(x: float) -> str:
    return f"{x:+.2g}"


def _trends(p: str, rows: list[dict[str, Any]], brand: dict[str, Any] | None, pct: str) -> list[dict[str, Any]]:
    """The brand's cadence trend (or why it has none), the clearest competitor trends (at most
    :data:`MAX_TREND_FINDINGS`, by |slope| / half-width), and how many pages have no trend because their posts
    cover only part of the period."""
    out: list[dict[str, Any]] = []
    clear = [r for r in rows if r["trend"] is not None and (r["trend_low"] > 0 or r["trend_high"] < 0)]
    strength = {id(r): abs(r["trend"]) / max(r["trend_high"] - r["trend_low"], 1e-12) for r in clear}
    shown = sorted((r for r in clear if r is not brand), key=lambda r: -strength[id(r)])[:MAX_TREND_FINDINGS]
    for r in ([brand] if brand is not None else []) + shown:
        who = "your" if r is brand else f"{r['account']}'s"
        if r["trend"] is None:
            if r["trend_note"]:
                out.append(_f(p, "trend", f"no trend of {who} posting is estimated: {r['trend_note']}."))
            continue
        weeks = r["trend_weeks"]
        ci = f"{pct} CI {_signed(r['trend_low'])} to {_signed(r['trend_high'])}, n={weeks} weeks"
        if r in clear:
            way = "rising" if r["trend"] > 0 else "falling"
            text = f"{who} posting is {way}: {_signed(r['trend'])} posts a week, each week ({ci})."
        else:
            text = f"{who} posting shows no clear trend: {_signed(r['trend'])} posts a week, each week ({ci})."
        out.append(_f(p, "trend", text, weeks, r["trend"], r["trend_low"], r["trend_high"]))
    partial = [
        r for r in rows if r is not brand and r["trend"] is None and r["trend_note"] and "cover only" in r["trend_note"]
    ]
    if partial:
        out.append(
            _f(
                p,
                "trend",
                f"{len(partial)} of {len(rows) - (brand is not None)} competitors have no trend: their imported posts "
                "cover only part of the period (a sample of recent posts, or a page that started or stopped), so "
                "weeks without them may be weeks not imported.",
                len(partial),
            )
        )
    return out


def _voice(p: str, brand: dict[str, Any], pct: str) -> list[dict[str, Any]]:
    sov, lo, hi, sop = brand["share_of_voice"], brand["sov_low"], brand["sov_high"], brand["share_of_posts"]
    if sov is None or lo is None:
        return []
    base = (
        f"your share of voice is {100 * sov:.3g} % ({pct} CI {100 * lo:.3g}–{100 * hi:.3g} %, "
        f"n={brand['n_engagement']} posts) with {100 * sop:.3g} % of the group's posts"
    )
    if lo > sop:
        text = base + ": your posts draw more than their share of the group's engagement."
    elif hi < sop:
        text = base + ": your posts draw less than their share of the group's engagement."
    else:
        text = base + ": in line with your share of posts (the interval includes it)."
    return [_f(p, "share_of_voice", text, brand["n_engagement"], sov, lo, hi)]


def _times(p: str, brand: dict[str, Any], best: pl.DataFrame, pct: str) -> list[dict[str, Any]]:
    mine = best.filter(pl.col("account") == brand["account"])
    if mine.height == 0:
        return []
    out = []
    for dim, words in (("day", "day"), ("hour", "hour")):
        slots = mine.filter(pl.col("dimension") == dim)
        top = slots.filter(pl.col("best"))
        n = int(slots["n_posts"].sum())
        if top.height:
            r = top.row(0, named=True)
            text = (
                f"your best {words} is {r['label']}: {r['expected']:,.0f} interactions expected per post "
                f"({pct} CI {r['low']:,.0f}–{r['high']:,.0f}, n={r['n_posts']} posts), above your average."
            )
            out.append(_f(p, f"best_{dim}", text, r["n_posts"], r["expected"], r["low"], r["high"]))
        else:
            text = f"no {words} stands out for you: every {words}'s interval includes your average (n={n} posts)."
            out.append(_f(p, f"best_{dim}", text, n))
    return out


def _tags(p: str, rows: list[dict[str, Any]], brand: dict[str, Any] | None, tags: pl.DataFrame) -> list[dict[str, Any]]:
    if tags.height == 0:
        return []
    out = []
    if brand is not None:
        mine = tags.filter(pl.col("account") == brand["account"])
        if mine.height:
            listed = ", ".join(
                f"#{t} ({u} uses, z={z:.1f})" for t, u, z in mine.select("term", "uses", "z").iter_rows()
            )
            out.append(_f(p, "hashtags", f"hashtags you own against the group: {listed}.", int(mine["uses"].sum())))
    others = tags.filter(pl.col("account") != (brand["account"] if brand else ""))
    if others.height:
        top = others.sort("z", descending=True).head(5)
        listed = ", ".join(
            f"#{t} ({a}, {u} uses, z={z:.1f})" for t, a, u, z in top.select("term", "account", "uses", "z").iter_rows()
        )
        out.append(_f(p, "hashtags", f"hashtags competitors own: {listed}.", int(top["uses"].sum())))
    return out


def _growth(p: str, rows: list[dict[str, Any]], brand: dict[str, Any] | None) -> list[dict[str, Any]]:
    known = [r for r in rows if r["growth_pct"] is not None]
    if not known:
        return []
    out = []
    top = max(known, key=lambda r: r["growth_pct"])

    def say(r: dict[str, Any]) -> str:
        return (
            f"{100 * r['growth_pct']:+.3g} % ({r['followers_first']:,} → {r['followers_last']:,} followers, "
            f"n={r['n_snapshots']} snapshots)"
        )

    if len(known) > 1:
        out.append(
            _f(
                p,
                "growth",
                f"{top['account']} grew fastest in followers: {say(top)}.",
                top["n_snapshots"],
                top["growth_pct"],
            )
        )
    if brand is not None and brand["growth_pct"] is not None and brand is not top:
        out.append(
            _f(p, "growth", f"your followers changed by {say(brand)}.", brand["n_snapshots"], brand["growth_pct"])
        )
    return out
