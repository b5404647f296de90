"""The ``analyze`` tables for people, in 80 columns: each figure beside its 95 % interval in one cell, plain
column names, rates and shares as %, hours as HH:00, and the network in the title when the table holds one.

JSON and CSV keep the field names and raw numbers (:mod:`signalboost.cli.analytics`); only the terminal tables are
built here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

_RATE_PREFIXES = ("er_", "engagement_rate", "click_through", "follower_growth")


def is_rate(metric: object) -> bool:
    """Whether a metric is a rate (shown as %); within-account z-scores are not."""
    text = str(metric or "")
    return text.startswith(_RATE_PREFIXES) and not text.endswith("_z")


def num(value: Any, rate: bool, *, signed: bool = False) -> str:
    """A figure for people: rates as %, counts with thousands separators, a sign where a difference is shown."""
    if value is None:
        return "—"
    sign = "+" if signed else ""
    if rate:
        return f"{100 * value:{sign}.2f}%".replace("-", "−")
    text = f"{value:{sign},.0f}" if abs(value) >= 100 else f"{value:{sign}.3g}"
    return text.replace("-", "−")


def with_interval(value: Any, low: Any, high: Any, rate: bool, *, signed: bool = False) -> str:
    """``figure [low, high]`` (the figure alone when there is no interval)."""
    text = num(value, rate, signed=signed)
    if low is None or high is None:
        return text
    return f"{text} [{num(low, rate, signed=signed)}, {num(high, rate, signed=signed)}]"


def _rate(row: dict[str, Any]) -> bool:
    return is_rate(row.get("metric") or row.get("slot_metric"))


def summary_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "network": r["platform"],
            "measure": r["label"],
            "per post [95%]": with_interval(r["value"], r["ci_low"], r["ci_high"], _rate(r)),
            "posts used": r["n_used"],
            "left out": r["n_excluded"],
        }
        for r in frame.iter_rows(named=True)
    ]


def slot_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in frame.iter_rows(named=True):
        rate = _rate(r)
        row = {
            "network": r["platform"],
            "day": r["weekday_name"],
            "hour": f"{int(r['slot_hour']):02d}:00",
            "posts": r["n_posts"],
            "raw mean": num(r["raw_mean"], rate),
            "expected [95%]": with_interval(r["expected"], r["ci_low"], r["ci_high"], rate),
        }
        if "kind" in r:
            row = {"network": r["platform"], "advice": str(r["kind"]).replace("explore", "explore (try it)")} | row
        elif "status" in r:
            row["status"] = r["status"]
        out.append(row)
    return out


def frequency_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "network": r["platform"],
            "posts a day": r["label"],
            "days": r["n_days"],
            "per post [95%]": with_interval(r["per_post"], r["per_post_low"], r["per_post_high"], _rate(r)),
            "per day [95%]": with_interval(r["per_day"], r["per_day_low"], r["per_day_high"], _rate(r)),
        }
        for r in frame.iter_rows(named=True)
    ]


def format_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in frame.iter_rows(named=True):
        effect = r.get("effect")
        out.append(
            {
                "network": r["platform"],
                "format": r["group"],
                "posts": r["n_used"],
                "mean": num(r["mean"], _rate(r)),
                "effect in SD [95%]": "—"
                if effect is None
                else f"{effect:+.2f} [{r['effect_low']:+.2f}, {r['effect_high']:+.2f}]".replace("-", "−"),
                "advice": r.get("advice") or "—",
            }
        )
    return out


def group_rows(frame: pl.DataFrame, name: str) -> list[dict[str, Any]]:
    """Paid vs organic and pillars: the group's mean and its difference from the other posts, each with 95 %."""
    return [
        {
            "network": r["platform"],
            name: r["group"],
            "posts": r["n_used"],
            "mean [95%]": with_interval(r["mean"], r["ci_low"], r["ci_high"], _rate(r)),
            "vs the rest [95%]": with_interval(
                r["diff_vs_rest"], r["diff_ci_low"], r["diff_ci_high"], _rate(r), signed=True
            ),
        }
        for r in frame.iter_rows(named=True)
    ]


def tactic_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "tactic": r["tactic"],
            "KPI": r["kpi"],
            "with / without": f"{r['n_with']} / {r['n_without']} {r['unit']}s",
            "difference [95%]": with_interval(r["diff"], r["diff_low"], r["diff_high"], _rate(r), signed=True),
            "verdict": r["verdict"],
        }
        for r in frame.iter_rows(named=True)
    ]


BUILDERS: dict[str, Callable[[pl.DataFrame], list[dict[str, Any]]]] = {
    "summary": summary_rows,
    "best": slot_rows,
    "slots": slot_rows,
    "frequency": frequency_rows,
    "formats": format_rows,
    "paid": lambda f: group_rows(f, "group"),
    "pillars": lambda f: group_rows(f, "pillar"),
    "tactics": tactic_rows,
}


def one_network(rows: list[dict[str, Any]], title: str) -> tuple[list[dict[str, Any]], str]:
    """When every row is on the same network, the column goes and the title names it (80 columns)."""
    nets = {r.get("network") for r in rows}
    if len(nets) != 1 or None in nets:
        return rows, title
    return [{k: v for k, v in r.items() if k != "network"} for r in rows], f"{title} — {nets.pop()}"
