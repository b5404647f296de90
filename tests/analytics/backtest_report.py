"""Print the tables of docs/validation.md "Analytics backtest": ``python -m tests.analytics.backtest_report``."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path

import polars as pl

from signalboost.analytics.backtest import BacktestResult, backtest
from signalboost.analytics.metrics import post_engagement
from signalboost.store.workspace import Workspace

from .conftest import import_uci


def _f(v: object, pct: bool) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    assert isinstance(v, (int, float))
    return f"{100 * v:+.2f} pp" if pct else f"{v:+.1f}"


def _m(v: object, pct: bool) -> str:
    if v is None:
        return "—"
    assert isinstance(v, (int, float))
    return f"{100 * v:.2f}%" if pct else f"{v:.1f}"


def table(r: BacktestResult, pct: bool) -> str:
    lines = [
        "| recommendation (fitted on training months) | advice | n match / other | mean match | mean other "
        "| difference | 95% Welch | 95% bootstrap |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in r.comparisons.iter_rows(named=True):
        lines.append(
            f"| {row['recommendation']} | {row['advice']} | {row['n_match']} / {row['n_other']} | "
            f"{_m(row['mean_match'], pct)} | {_m(row['mean_other'], pct)} | {_f(row['diff'], pct)} | "
            f"{_f(row['welch_low'], pct)} … {_f(row['welch_high'], pct)} | "
            f"{_f(row['boot_low'], pct)} … {_f(row['boot_high'], pct)} |"
        )
    lines.append("")
    lines.append("| matched recommendations | posts | mean | 95% t interval |")
    lines.append("|---|---|---|---|")
    for row in r.by_matches.iter_rows(named=True):
        lines.append(
            f"| {row['matches']} | {row['n']} | {_m(row['mean'], pct)} | "
            f"{_m(row['ci_low'], pct)} … {_m(row['ci_high'], pct)} |"
        )
    lines.append("")
    lines.append("| predictor of a held-out slot's mean | weighted MSE | slots | test posts |")
    lines.append("|---|---|---|---|")
    for row in r.shrinkage.iter_rows(named=True):
        lines.append(f"| {row['predictor']} | {row['weighted_mse']:.3g} | {row['slots']} | {row['test_posts']} |")
    rho, p, n = r.rank_correlation
    lines.append("")
    lines.append(
        f"Spearman ρ between a held-out post's {'rate' if pct else 'value'} and its slot's shrunk "
        f"training expectation: {rho:.3f} (p = {p:.2g}, n = {n})."
    )
    return "\n".join(lines)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "ws", create=True)
        import_uci(ws)
        eng = post_engagement(ws.posts(), ws.post_metrics(), ws.table("account_snapshots"))
    runs = [
        ("months 1–9 → 10–12, 3-hour slots, er_reach", dt.datetime(2014, 10, 1), 3, "er_reach"),
        ("months 1–9 → 10–12, 1-hour slots, er_reach", dt.datetime(2014, 10, 1), 1, "er_reach"),
        ("months 1–6 → 7–12, 3-hour slots, er_reach", dt.datetime(2014, 7, 1), 3, "er_reach"),
        ("months 1–9 → 10–12, 3-hour slots, interactions", dt.datetime(2014, 10, 1), 3, "interactions"),
    ]
    for title, split, block, metric in runs:
        for method, label in (("plain", "former rule"), ("robust", "robust rule (now)")):
            r = backtest(eng, split=split, tz="Europe/Lisbon", hour_block=block, metric=metric, method=method)
            print(f"#### {title}, {label} (train {r.n_train} posts, test {r.n_test})\n")
            print(table(r, metric.startswith("er_")))
            print()
    organic = eng.filter(pl.col("paid") == False)  # noqa: E712
    for method, label in (("plain", "former rule"), ("robust", "robust rule (now)")):
        r = backtest(organic, split=dt.datetime(2014, 10, 1), tz="Europe/Lisbon", hour_block=3, method=method)
        print(
            f"#### organic posts only, months 1–9 → 10–12, 3-hour slots, {label} (train {r.n_train}, test {r.n_test})\n"
        )
        print(table(r, True))
        print()


def choice_table(frame: pl.DataFrame, platform: str, metric: str, tz: str) -> str:
    """The per-account choice of the slot model (:mod:`signalboost.analytics.slot_choice`) with every candidate and
    the former rule judged on the same rolling folds, as a Markdown table."""
    from signalboost.analytics.slot_choice import backtest_candidates, choose_slot_model
    from signalboost.analytics.timing import GRAINS

    choice = choose_slot_model(frame, platform, metric=metric, tz=tz)
    rows, n = backtest_candidates(frame, metric=metric, tz=tz, former=True)
    lines = [
        f"{n} posts with a known time; {rows['n_test'][0] if rows.height else 0} held out over the five folds.",
        "",
        "| rule | grain | scale | advised held-out posts | gain (percentile points) "
        "| interval (Bonferroni 1 − 0.05/12) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows.iter_rows(named=True):
        gain = "no slot advised" if r["gain"] is None else f"{r['gain']:+.1f}"
        ci = "—" if r["low"] is None else f"{r['low']:+.1f} … {r['high']:+.1f}"
        rule = "former (top 5 whatever the interval)" if r["rule"] == "former" else "candidate"
        lines.append(f"| {rule} | {GRAINS[r['grain']]} | {r['scale']} | {r['n_match']} | {gain} | {ci} |")
    lines += ["", f"Chosen: {choice.grain} on {choice.scale}; backed: {choice.backed}. Said: “{choice.sentence()}”"]
    return "\n".join(lines)


def choices() -> None:
    """The slot-model choice on the bundled UCI page (rate by reach, interactions) and, where ../shared/data is
    present, on the real X archive (read in place, never copied: likes + reposts per post)."""
    import os

    from signalboost.analytics.analysis import own_posts
    from signalboost.ingest.pipeline import import_files

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "ws", create=True)
        import_uci(ws)
        eng = post_engagement(ws.posts(), ws.post_metrics(), ws.table("account_snapshots"))
        for metric in ("er_reach", "interactions"):
            print(f"#### UCI page, {metric}\n")
            print(choice_table(eng, "facebook", metric, "Europe/Lisbon"))
            print()
        shared = Path(os.environ.get("SIGNALBOOST_SHARED_DATA") or Path(__file__).parents[3] / "shared" / "data")
        archive = shared / "x-archive-andreruffert"
        if archive.exists():
            xs = Workspace.open(Path(tmp) / "x", create=True)
            import_files(xs, [archive], progress=False)
            posts, _ = own_posts(xs.posts(), xs.table("accounts"))
            eng = post_engagement(posts, xs.post_metrics(), xs.table("account_snapshots"))
            print("#### X archive (one real account), interactions = likes + reposts\n")
            print(choice_table(eng, "x", "interactions", "UTC"))
            print()


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["choices"]:
        choices()
    else:
        main()
