"""``signalboost influencers`` and ``signalboost influencer HANDLE``: rank, segment and profile influencers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, emit_rows, err_console, open_ws

LIST_COLUMNS = (
    "account",
    "segment",
    "score",
    "reach",
    "authority",
    "amplification",
    "topic",
    "activity",
    "engagement",
    "follows_brand",
    "top_topics",
)


def visible_columns(run: dict[str, Any] | None) -> list[str]:
    """The table's columns without the components the run could not compute (they would be all "—")."""
    if not run:
        return list(LIST_COLUMNS)
    hidden = set(run.get("unavailable", {}))
    if "topic" in hidden:
        hidden.add("top_topics")
    if not run.get("brand_account_id"):
        hidden |= {"engagement", "follows_brand"}
    return [c for c in LIST_COLUMNS if c not in hidden]


def _rows(frame: Any) -> list[dict[str, Any]]:
    out = []
    for row in frame.iter_rows(named=True):
        row["account"] = f"@{row['handle']}" if row.get("handle") else row["account_id"]
        for key in ("score", "reach", "authority", "amplification", "topic", "activity", "reach_in_band"):
            if row.get(key) is not None:
                row[key] = round(float(row[key]), 1)
        if row.get("engagement") is not None:
            row["engagement"] = round(float(row["engagement"]), 3)
        out.append(row)
    return out


def register(app: typer.Typer) -> None:
    @app.command("influencers")
    def influencers(
        segment: str = typer.Option(
            None, "--segment", "-s", help="Only one segment: advocate, untapped, fan, thought_leader or other."
        ),
        top: int = typer.Option(20, "--top", "-n", min=1, help="How many rows to show."),
        platform: str = typer.Option(None, "--platform", "-p", help="Network (default: the one with most data)."),
        brand: str = typer.Option(None, "--brand", help="The brand's handle or id (default: from the workspace)."),
        stored: bool = typer.Option(False, "--stored", help="Show the last stored run instead of recomputing."),
        chart: Path = typer.Option(None, "--chart", help="Also write the influence × engagement chart (PNG/SVG)."),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Score every account's influence (0–100) and list the accounts by segment, untapped followers first.

        Influence is crossed with engagement with the brand to give the segments: advocates, untapped influential
        followers, fans, thought leaders.

        The score combines the percentiles of reach, authority, amplification, topic leadership and activity
        (weights in strategy.yaml `influence.weights`; rule `influence.combine`, default tail: one minus the
        weighted geometric mean of the shares of accounts ranking above); components the data cannot give are
        reported.

        Example: signalboost influencers --segment untapped --top 10
        Example: signalboost influencers --format csv > influencers.csv
        """
        from signalboost.influence import job

        job.check_segment(segment)
        ws = open_ws(workspace, read_only=stored, existing=True)  # --stored only reads
        err = err_console
        if not stored:
            with err.status("Scoring influencers…") as status:
                job.run_influence(ws, platform=platform, brand=brand, progress=lambda m: status.update(f"Scoring: {m}"))
        frame, run = job.stored_influencers(ws, platform=platform, segment=segment, top=top)
        rows = _rows(frame)
        if chart is not None:
            from signalboost.influence.chart import quadrant_chart

            full, _ = job.stored_influencers(ws, platform=platform)
            err.print(f"Chart written to {quadrant_chart(full, chart, run)}")
        title = f"Influencers on {run['platform']}" if run else "Influencers"
        cols = visible_columns(run) if fmt is OutputFormat.table else [*LIST_COLUMNS, "account_id", "reach_in_band"]
        emit_rows(rows, fmt, title=title, columns=cols, document={"run": run, "rows": rows})
        if fmt is OutputFormat.table and run:
            _explain(run)

    @app.command("influencer")
    def influencer(
        handle: str = typer.Argument(..., help="Handle (with or without @) or account id."),
        platform: str = typer.Option(None, "--platform", "-p", help="Network, when the handle is on several."),
        every: str = typer.Option("1w", "--every", help="Period of the engagement-over-time table (1d, 1w, 1mo)."),
        fmt: OutputFormat = FormatOption,
        workspace: Path = WorkspaceOption,
    ) -> None:
        """Profile one influencer: what they share, when, their engagement with you, and what content reaches them.

        What they share: formats, topics, hashtags; when: weekday × hour; their engagement with you over time.

        Example: signalboost influencer @someone
        """
        from signalboost.influence import job

        prof = job.influencer_profile(open_ws(workspace, read_only=True), handle, platform=platform, every=every)
        doc = prof.to_dict()
        if fmt is OutputFormat.json:
            emit_rows([], fmt, document=doc)
            return
        if fmt is OutputFormat.csv:
            rows: list[dict[str, Any]] = [{"section": "advice", "item": a, "n": None} for a in prof.advice]
            rows += [{"section": "format", "item": f, "n": n} for f, n in prof.formats]
            rows += [{"section": "hashtag", "item": t, "n": n} for t, n in prof.hashtags]
            emit_rows(rows, fmt, columns=("section", "item", "n"))
            return
        _print_profile(doc)


def _explain(run: dict[str, Any]) -> None:
    from rich.markup import escape

    from signalboost.cli.common import console

    used = ", ".join(f"{c} {w:.0%}" for c, w in run["weights"].items() if w > 0)
    rule = (run.get("settings") or {}).get("combine", "mean")  # runs stored before the setting used the mean
    how = "1 − weighted geometric mean of the shares ranking above" if rule == "tail" else "weighted mean"
    console.print(f"Score = percentiles combined by {how} (influence.combine: {rule}); weights {used}.")
    for comp, why in run["unavailable"].items():
        console.print(f"[yellow]{comp} unavailable[/]: {escape(why)}")
    if run.get("brand_account_id"):
        console.print(
            f"Brand account {escape(str(run['brand_account_id']))}; follows the brand from: "
            f"{escape(str(run.get('follows_brand_from')))}."
        )
    else:
        console.print(
            "[yellow]No brand account[/]: engagement and segments not computed "
            "(set brand.handles in strategy.yaml or pass --brand)."
        )


def _print_profile(doc: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    from signalboost.cli.common import console

    who = f"@{doc['handle']}" if doc.get("handle") else doc["account_id"]
    console.rule(f"[bold]{escape(who)}[/] on {escape(doc['platform'])}")
    score = doc.get("score") or {}
    if score:
        parts = ", ".join(
            f"{k} {score[k]:.0f}" if score.get(k) is not None else f"{k} —"
            for k in ("reach", "authority", "amplification", "topic", "activity")
        )
        console.print(f"Score {score.get('score') or 0:.1f} ({parts}); segment {score.get('segment')}")
    else:
        console.print("Not scored yet: run `signalboost influencers` first.")
    console.print(f"Posts observed: {doc['posts_observed']} (from {doc['posts_source']})")
    for key, label in (("formats", "Formats"), ("shared_formats", "Shares"), ("hashtags", "Hashtags")):
        items = doc[key]
        if items:
            console.print(f"{label}: " + escape(", ".join(f"{next(iter(i.values()))} ({i['posts']})" for i in items)))
    grid = Table(title=f"Posts by weekday × hour ({doc['timezone']})", show_lines=False)
    grid.add_column("")
    for h in range(0, 24, 3):
        grid.add_column(f"{h:02d}-{h + 2:02d}")
    for d, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        row = doc["weekday_hour"][d]
        grid.add_row(name, *[str(sum(row[h : h + 3]) or "·") for h in range(0, 24, 3)])
    console.print(grid)
    if doc["engagement_over_time"]:
        emit_rows(doc["engagement_over_time"], OutputFormat.table, title="Engagement with the brand")
    for line in doc["advice"]:
        console.print(f"• {escape(line)}")
