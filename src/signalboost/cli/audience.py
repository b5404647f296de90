"""``signalboost audience segments|personas``: segments of the real audience as persona cards, held against the
personas of strategy.yaml (see docs/audience.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, emit_rows, err_console, open_ws
from signalboost.i18n import L_, N_, _, format_number, format_percent

audience_app = typer.Typer(
    help=(
        "Segments of the real audience (communities of the follow/interaction graph, what they say, how they "
        "behave) as persona cards, held against strategy.yaml's personas.\n\n"
        "Start with:  signalboost audience segments  then  signalboost audience personas"
    ),
    no_args_is_help=True,
)

SEGMENT_COLUMNS = ("segment", "name", "size", "share", "engagement_share", "keywords", "handles", "active_hours")
PlatformOption = typer.Option(None, "--platform", "-p", help="Network (default: the one with most data).")

SEGMENT_LABELS = {
    "segment": N_("segment"),
    "name": N_("name"),
    "size": N_("accounts"),
    "share": N_("share"),
    "engagement_share": N_("engagement share"),
    "keywords": N_("keywords"),
    "handles": N_("handles"),
    "active_hours": N_("active hours"),
}
"""Column → header of the segments table (msgids; JSON and CSV keep the column names)."""
PERSONA_LABELS = {"persona": N_("persona"), "segment": N_("segment"), "score": N_("score"), "verdict": N_("verdict")}


def _pct(x: float | None) -> str | None:
    return None if x is None else format_percent(x)


def _card_rows(cards: list[dict[str, Any]], fmt: OutputFormat) -> list[dict[str, Any]]:
    from signalboost.audience.personas import card_name

    rows = []
    for c in cards:
        row = dict(c)
        row["segment"] = c["segment"] + 1
        if fmt is OutputFormat.table:  # JSON and CSV keep the stored name (a keyword-less segment's is English)
            row["name"] = card_name(c["name"])
            row["share"], row["engagement_share"] = _pct(c["share"]), _pct(c["engagement_share"])
            row["keywords"] = c["keywords"][:6]
            row["handles"] = c["handles"][:3]
            row["active_hours"] = (
                ", ".join(f"{h:02d}" for h in c["active_hours"]) if c["active_hours"] else _("not enough data")
            )
        rows.append(row)
    return rows


def _explain(summary: dict[str, Any], platform: str) -> None:
    from rich.markup import escape

    from signalboost.cli.common import console
    from signalboost.report.audience_section import notes_words, summary_words

    console.print(escape(summary_words(summary, platform)), highlight=False)
    ev = summary.get("evidence", {})
    console.print(
        _(
            "Evidence: {links} follows/interactions among the audience, {pairs} shared-followee pairs, {texts} "
            "accounts with bios or posts."
        ).format(
            links=format_number(ev.get("links", 0)),
            pairs=format_number(ev.get("shared_followees", 0)),
            texts=format_number(ev.get("accounts_with_text", 0)),
        ),
        highlight=False,
    )
    for note in notes_words(summary):
        console.print("[yellow]" + escape(_("Note")) + f"[/]: {escape(note)}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(audience_app, name="audience")


@audience_app.command("segments")
def segments(
    platform: str = PlatformOption,
    brand: str = typer.Option(None, "--brand", help="The brand's handle or id (default: from the workspace)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the community search (same seed, same segments)."),
    resolution: float = typer.Option(
        None, "--resolution", min=0.01, help="Fix the modularity resolution (default: chosen by stability)."
    ),
    min_share: float = typer.Option(
        0.02, "--min-share", min=0.0, max=0.5, help="Segments below this share of the audience fold into other."
    ),
    stored: bool = typer.Option(False, "--stored", help="Show the last stored run instead of recomputing."),
    fmt: OutputFormat = FormatOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """Segment the brand's audience and show each segment as a persona card.

    The audience is the brand's followers (else the accounts that interacted with it). Segments are communities
    (Leiden) of one graph joining follows and interactions among the audience, accounts followed in common, and
    similar bios and posts; small segments fold into "other". The number of segments is chosen by the data:
    the resolution whose segments agree most across seeds and across two disjoint halves of the audience.

    Example: signalboost audience segments -p mastodon
    Example: signalboost audience segments --format json > segments.json
    """
    from signalboost.audience import job

    ws = open_ws(workspace, read_only=stored, existing=True)
    if stored:
        run = job.stored_run(ws, platform)
        if run is None:
            from signalboost.errors import AudienceError

            raise AudienceError(
                L_("no stored segments"), where=str(ws.db_path), hint=L_("Run `signalboost audience segments` first")
            )
        summary, cards, plat = run["summary"], run["cards"], run["platform"]
    else:
        with err_console.status(_("Segmenting the audience…")):
            result = job.run_segments(
                ws, platform=platform, brand=brand, seed=seed, resolution=resolution, min_share=min_share
            )
        summary, cards, plat = result.summary(), [c.to_dict() for c in result.cards], result.platform
    rows = _card_rows(cards, fmt)
    cols: Sequence[str] = SEGMENT_COLUMNS
    if fmt is OutputFormat.csv:
        cols = (*SEGMENT_COLUMNS, "id", "description", "engagement")
    shown: list[dict[str, Any]] = rows
    if fmt is OutputFormat.table:
        from signalboost.cli.people import table_rows

        shown, cols = table_rows(rows, cols, SEGMENT_LABELS)
    emit_rows(
        shown,
        fmt,
        title=_("Audience segments"),
        columns=cols,
        document={"summary": summary, "rows": rows},
        empty=_("No segments: the audience has too few connections or texts to split (see the notes)."),
    )
    if fmt is OutputFormat.table:
        _explain(summary, plat)


@audience_app.command("personas")
def personas(
    platform: str = PlatformOption,
    apply: bool = typer.Option(False, "--apply", help="Add drafts for unmatched segments to strategy.yaml."),
    force: bool = typer.Option(False, "--force", help="With --apply: also refresh personas a person wrote."),
    review_days: int = typer.Option(90, "--review-days", min=1, max=3660, help="Review interval of new drafts."),
    fmt: OutputFormat = FormatOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """Hold strategy.yaml's personas against the stored segments, and propose large unmatched segments.

    Each persona is matched to the segment whose keywords its name, summary and interests cover best (and on
    its networks): "matches a segment of N% of the audience" or "no segment matches: review it". With --apply,
    unmatched large segments become draft personas (draft: true, last_reviewed today) and drafts are refreshed;
    personas you wrote are kept unless --force.

    Example: signalboost audience personas
    Example: signalboost audience personas --apply
    """
    from signalboost.audience import job
    from signalboost.errors import AudienceError, UsageError

    if force and not apply:
        raise UsageError(L_("--force only changes something with --apply"), where="--force", hint=L_("Add --apply"))
    ws = open_ws(workspace, read_only=not apply, existing=True)
    run = job.stored_run(ws, platform)
    if run is None:
        raise AudienceError(
            L_("no stored segments"), where=str(ws.db_path), hint=L_("Run `signalboost audience segments`")
        )
    cards = job.cards_from(run)
    verdicts, proposed = job.hold_strategy(ws, cards)
    rows: list[dict[str, Any]] = [
        {
            "persona": v.persona,
            "segment": None if v.segment is None else v.segment + 1,
            "score": v.score,
            "verdict": v.verdict,
        }
        for v in verdicts
    ]
    from signalboost.audience.personas import proposal_words

    rows += [
        {
            "persona": _("(proposed) {id}").format(id=c.id),
            "segment": c.segment + 1,
            "score": None,
            "verdict": proposal_words(c),
        }
        for c in proposed
    ]
    actions: list[dict[str, Any]] = []
    if apply:
        actions = _apply(ws, cards, verdicts, proposed, force, review_days)
    cols: tuple[str, ...] | list[str] = ("persona", "segment", "score", "verdict")
    shown = rows
    if fmt is OutputFormat.table:
        from signalboost.cli.people import table_rows

        shown, cols = table_rows(rows, cols, PERSONA_LABELS)
    emit_rows(
        shown,
        fmt,
        title=_("Personas held against the audience"),
        columns=cols,
        document={"computed_at": run["computed_at"], "rows": rows, "applied": actions},
        empty=_("No personas in strategy.yaml and no large segment to propose."),
    )
    if fmt is OutputFormat.table:
        from signalboost.audience.apply import ACTION_WORDS

        for a in actions:
            said = _(ACTION_WORDS[a["action"]]) if a["action"] in ACTION_WORDS else a["action"]
            err_console.print(f"{said}: {a['persona']} — {a['detail']}", highlight=False)


def _apply(ws: Any, cards: Any, verdicts: Any, proposed: Any, force: bool, review_days: int) -> list[dict[str, Any]]:
    from dataclasses import asdict

    from signalboost.audience.apply import apply_personas
    from signalboost.errors import StrategyError
    from signalboost.model.io import StrategyDocument

    if not ws.has_strategy():
        raise StrategyError(
            L_("no strategy.yaml to add personas to"),
            where=str(ws.strategy_path),
            hint=L_("Run `signalboost init` first, or drop --apply"),
        )
    doc = StrategyDocument.load(ws.strategy_path)
    actions = apply_personas(
        doc,
        cards=cards,
        verdicts=verdicts,
        proposed=proposed,
        today=dt.date.today(),
        force=force,
        review_every_days=review_days,
    )
    doc.strategy()  # the result must still load: refuse to save a document the model rejects
    doc.save()
    return [asdict(a) for a in actions]
