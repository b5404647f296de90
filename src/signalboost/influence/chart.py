"""The quadrant chart: influence score × engagement with the brand, thresholds drawn, segments coloured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

COLOURS = {
    "advocate": "#1b9e77",
    "untapped": "#d95f02",
    "fan": "#7570b3",
    "thought_leader": "#e7298a",
    "other": "#bbbbbb",
}


def quadrant_chart(
    table: pl.DataFrame,
    path: Path,
    run: dict[str, Any] | None = None,
    *,
    influence_threshold: float | None = None,
    engagement_threshold: float | None = None,
    max_points: int = 20_000,
) -> Path:
    """Write the chart to ``path`` (format from the suffix). ``run``: stored run metadata (for thresholds).

    At most ``max_points`` segmented accounts and half as many ``other`` ones are drawn (an even, deterministic
    sample when there are more); the legend gives the full counts.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    settings = (run or {}).get("settings", {})
    it = influence_threshold if influence_threshold is not None else settings.get("influence_threshold", 70.0)
    et = engagement_threshold if engagement_threshold is not None else settings.get("engagement_threshold", 1.0)
    t = table.filter(pl.col("score").is_not_null())
    named = t.filter(pl.col("segment") != "other")
    named = named.gather_every(max(1, -(-named.height // max_points)))  # every k-th: at most max_points
    others = t.filter(pl.col("segment") == "other").sort("account_id")
    others = others.gather_every(max(1, -(-others.height // (max_points // 2))))
    keep = pl.concat([named, others])
    fig, ax = plt.subplots(figsize=(8, 6), dpi=110)
    totals = dict(t.group_by("segment").len().iter_rows())
    for seg, colour in COLOURS.items():
        part = keep.filter(pl.col("segment") == seg)
        if part.height:
            eng = part["interactions_with_brand"].cast(pl.Float64).fill_null(0.0).to_numpy()
            ax.scatter(
                part["score"].to_numpy(), eng + 0.5, s=8, c=colour, label=f"{seg} ({totals.get(seg, 0):,})", alpha=0.7
            )
    ax.set_yscale("log")
    ax.axvline(it, color="black", lw=0.8, ls="--")
    ax.axhline(et + 0.5, color="black", lw=0.8, ls="--")
    ax.set_xlabel("influence score (0–100)")
    ax.set_ylabel("interactions with the brand in the engagement window (log; +0.5)")
    ax.set_title("Influence × engagement")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
