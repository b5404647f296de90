"""Plain-language findings from the page profiles (cadence trend, share of voice, best days and hours, hashtags
owned, follower growth), each with its n and interval, never a claim the interval does not support.

A trend is called rising or falling only when its interval excludes 0; a share of voice is called above the
page's share of posts only when its whole interval is; a day or hour is named best only when the slot model's
interval lies above the page's mean (:func:`signalboost.competitors.profile.best_times`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from signalboost.competitors.benchmark import ci_words, confidence_words
from signalboost.competitors.profile import is_partial_note
from signalboost.i18n import _, format_number, format_percent, format_significant

if TYPE_CHECKING:
    from signalboost.competitors.benchmark import Benchmark

MAX_TREND_FINDINGS = 3
"""Competitors whose clear cadence trend is told as a finding (the table has every page's)."""


def profile_findings(b: Benchmark) -> list[dict[str, Any]]:
    """The findings of ``b``'s profile tables, per network (module docstring: when a claim is made)."""
    out: list[dict[str, Any]] = []
    pct = confidence_words(b.confidence)
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
    """``+0.52`` / ``−1.3``: two significant digits with the sign, in the active locale."""
    return ("+" if x > 0 else "") + format_significant(x, digits=2)


def _trends(p: str, rows: list[dict[str, Any]], brand: dict[str, Any] | None, pct: str) -> list[dict[str, Any]]:
    """The brand's cadence trend (or why it has none), the clearest competitor trends (at most
    :data:`MAX_TREND_FINDINGS`, by |slope| / half-width), and how many pages have no trend because their posts
    cover only part of the period."""
    out: list[dict[str, Any]] = []
    clear = [r for r in rows if r["trend"] is not None and (r["trend_low"] > 0 or r["trend_high"] < 0)]
    strength = {id(r): abs(r["trend"]) / max(r["trend_high"] - r["trend_low"], 1e-12) for r in clear}
    shown = sorted((r for r in clear if r is not brand), key=lambda r: -strength[id(r)])[:MAX_TREND_FINDINGS]
    for r in ([brand] if brand is not None else []) + shown:
        if r["trend"] is None:
            if r["trend_note"]:
                text = (
                    _("no trend of your posting is estimated: {why}.")
                    if r is brand
                    else _("no trend of {page}'s posting is estimated: {why}.")
                )
                out.append(_f(p, "trend", text.format(page=r["account"], why=r["trend_note"])))
            continue
        weeks = r["trend_weeks"]
        ci = _("{level} CI {low} to {high}, n={n} weeks").format(
            level=pct, low=_signed(r["trend_low"]), high=_signed(r["trend_high"]), n=format_number(weeks)
        )
        if r in clear and r["trend"] > 0:
            text = (
                _("your posting is rising: {slope} posts a week, each week ({ci}).")
                if r is brand
                else _("{page}'s posting is rising: {slope} posts a week, each week ({ci}).")
            )
        elif r in clear:
            text = (
                _("your posting is falling: {slope} posts a week, each week ({ci}).")
                if r is brand
                else _("{page}'s posting is falling: {slope} posts a week, each week ({ci}).")
            )
        else:
            text = (
                _("your posting shows no clear trend: {slope} posts a week, each week ({ci}).")
                if r is brand
                else _("{page}'s posting shows no clear trend: {slope} posts a week, each week ({ci}).")
            )
        text = text.format(page=r["account"], slope=_signed(r["trend"]), ci=ci)
        out.append(_f(p, "trend", text, weeks, r["trend"], r["trend_low"], r["trend_high"]))
    partial = [r for r in rows if r is not brand and r["trend"] is None and is_partial_note(r["trend_note"])]
    if partial:
        text = _(
            "{n} of {total} competitors have no trend: their imported posts cover only part of the period (a sample "
            "of recent posts, or a page that started or stopped), so weeks without them may be weeks not imported."
        ).format(n=format_number(len(partial)), total=format_number(len(rows) - (brand is not None)))
        out.append(_f(p, "trend", text, len(partial)))
    return out


def _voice(p: str, brand: dict[str, Any], pct: str) -> list[dict[str, Any]]:
    sov, lo, hi, sop = brand["share_of_voice"], brand["sov_low"], brand["sov_high"], brand["share_of_posts"]
    if sov is None or lo is None:
        return []
    base = _("your share of voice is {share} ({ci} posts) with {posts_share} of the group's posts").format(
        share=format_percent(sov, significant=3),
        ci=ci_words(
            pct,
            format_percent(lo, significant=3),
            format_percent(hi, significant=3),
            format_number(brand["n_engagement"]),
        ),
        posts_share=format_percent(sop, significant=3),
    )
    if lo > sop:
        text = base + _(": your posts draw more than their share of the group's engagement.")
    elif hi < sop:
        text = base + _(": your posts draw less than their share of the group's engagement.")
    else:
        text = base + _(": in line with your share of posts (the interval includes it).")
    return [_f(p, "share_of_voice", text, brand["n_engagement"], sov, lo, hi)]


def _times(p: str, brand: dict[str, Any], best: pl.DataFrame, pct: str) -> list[dict[str, Any]]:
    mine = best.filter(pl.col("account") == brand["account"])
    if mine.height == 0:
        return []
    out = []
    for dim in ("day", "hour"):
        slots = mine.filter(pl.col("dimension") == dim)
        top = slots.filter(pl.col("best"))
        n = int(slots["n_posts"].sum())
        if top.height:
            r = top.row(0, named=True)
            text = (
                _(
                    "your best day is {when}: {expected} interactions expected per post ({ci} posts), above your "
                    "average."
                )
                if dim == "day"
                else _(
                    "your best hour is {when}: {expected} interactions expected per post ({ci} posts), above your "
                    "average."
                )
            ).format(
                when=slot_label(dim, r["label"]),
                expected=format_number(round(r["expected"])),
                ci=ci_words(
                    pct, format_number(round(r["low"])), format_number(round(r["high"])), format_number(r["n_posts"])
                ),
            )
            out.append(_f(p, f"best_{dim}", text, r["n_posts"], r["expected"], r["low"], r["high"]))
        else:
            text = (
                _("no day stands out for you: every day's interval includes your average (n={n} posts).")
                if dim == "day"
                else _("no hour stands out for you: every hour's interval includes your average (n={n} posts).")
            ).format(n=format_number(n))
            out.append(_f(p, f"best_{dim}", text, n))
    return out


def slot_label(dimension: str, label: Any) -> str:
    """A best-time label (``Tue``, ``19:00``) in the active language: weekday names from CLDR, hours as they are."""
    from signalboost.i18n import day_word

    return day_word(label, "wide") if dimension == "day" else str(label)


def _tags(p: str, rows: list[dict[str, Any]], brand: dict[str, Any] | None, tags: pl.DataFrame) -> list[dict[str, Any]]:
    if tags.height == 0:
        return []
    out = []
    if brand is not None:
        mine = tags.filter(pl.col("account") == brand["account"])
        if mine.height:
            listed = ", ".join(
                _("#{tag} ({uses} uses, z={z})").format(tag=t, uses=format_number(u), z=format_number(z, digits=1))
                for t, u, z in mine.select("term", "uses", "z").iter_rows()
            )
            text = _("hashtags you own against the group: {tags}.").format(tags=listed)
            out.append(_f(p, "hashtags", text, int(mine["uses"].sum())))
    others = tags.filter(pl.col("account") != (brand["account"] if brand else ""))
    if others.height:
        top = others.sort("z", descending=True).head(5)
        listed = ", ".join(
            _("#{tag} ({page}, {uses} uses, z={z})").format(
                tag=t, page=a, uses=format_number(u), z=format_number(z, digits=1)
            )
            for t, a, u, z in top.select("term", "account", "uses", "z").iter_rows()
        )
        text = _("hashtags competitors own: {tags}.").format(tags=listed)
        out.append(_f(p, "hashtags", text, int(top["uses"].sum())))
    return out


def _growth(p: str, rows: list[dict[str, Any]], brand: dict[str, Any] | None) -> list[dict[str, Any]]:
    known = [r for r in rows if r["growth_pct"] is not None]
    if not known:
        return []
    out = []
    top = max(known, key=lambda r: r["growth_pct"])

    def say(r: dict[str, Any]) -> str:
        return _("{change} ({first} → {last} followers, n={n} snapshots)").format(
            change=("+" if r["growth_pct"] > 0 else "") + format_percent(r["growth_pct"], significant=3),
            first=format_number(r["followers_first"]),
            last=format_number(r["followers_last"]),
            n=format_number(r["n_snapshots"]),
        )

    if len(known) > 1:
        text = _("{page} grew fastest in followers: {change}.").format(page=top["account"], change=say(top))
        out.append(_f(p, "growth", text, top["n_snapshots"], top["growth_pct"]))
    if brand is not None and brand["growth_pct"] is not None and brand is not top:
        text = _("your followers changed by {change}.").format(change=say(brand))
        out.append(_f(p, "growth", text, brand["n_snapshots"], brand["growth_pct"]))
    return out
