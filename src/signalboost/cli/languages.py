"""``signalboost languages``: the language of every post, detected offline and stored, and the languages each
account posts in (see docs/analytics.md#text-in-several-languages)."""

from __future__ import annotations

from pathlib import Path

import typer

from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, emit_rows, err_console, open_ws
from signalboost.i18n import _, ngettext

COLUMNS = ("platform", "handle", "account_id", "language", "posts", "share", "mixed_posts", "source")
TABLE_COLUMNS = ("platform", "account", "language", "posts", "share", "mixed", "source")


def register(app: typer.Typer) -> None:
    app.command("languages")(languages)


def languages(
    platform: str = typer.Option(None, "--platform", "-p", help="Only this network (default: all)."),
    redetect: bool = typer.Option(False, "--redetect", help="Detect every post again, not only new ones."),
    fmt: OutputFormat = FormatOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """Detect the language of each post (offline) and show the languages each account posts in.

    Posts imported since the last run get their language detected and stored (the network's own language tag,
    when it has one, is kept and wins). Each account is listed with its posts and share per language, and how
    many posts mix languages; pillar classification and audience keywords read each post in its own language.
    Posts with too little text (emoji, a link, one word) stay "unknown" rather than guessed.

    Example: signalboost languages
    Example: signalboost languages -p instagram --format csv > languages.csv
    """
    from signalboost.text.job import account_languages, detect_stored_languages

    ws = open_ws(workspace, existing=True)
    with err_console.status(_("Detecting the language of posts…")) as status:
        run = detect_stored_languages(
            ws,
            platform=platform,
            redetect=redetect,
            progress=lambda n, total: status.update(_("Detected {n}/{total}").format(n=n, total=total)),
        )
    mix = account_languages(ws, platform=platform)
    rows = mix.to_dicts()
    columns: tuple[str, ...] = COLUMNS
    if fmt is OutputFormat.table:  # fits 80 columns: one account column, short headers
        rows = [
            {
                "platform": r["platform"],
                "account": f"@{r['handle']}" if r["handle"] else r["account_id"],
                "language": r["language"] or "unknown",
                "posts": r["posts"],
                "share": f"{r['share']:.0%}",
                "mixed": r["mixed_posts"],
                "source": r["source"],
            }
            for r in rows
        ]
        columns = TABLE_COLUMNS
    emit_rows(
        rows,
        fmt,
        title=_("Languages per account"),
        columns=columns,
        document={
            "detected": {"posts": run.posts, "with_language": run.detected, "unknown": run.unknown, "mixed": run.mixed},
            "rows": rows,
        },
        empty=_("No posts with text yet: import some with `signalboost import FILE`."),
    )
    if fmt is OutputFormat.table:
        err_console.print(
            ngettext(
                "Detected now: {n} post ({detected} with a language, {unknown} unknown, {mixed} mixing languages).",
                "Detected now: {n} posts ({detected} with a language, {unknown} unknown, {mixed} mixing languages).",
                run.posts,
            ).format(n=run.posts, detected=run.detected, unknown=run.unknown, mixed=run.mixed)
        )
