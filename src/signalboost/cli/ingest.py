"""``signalboost import``, ``formats``, ``rejects``, ``stats``: load exports and see what the workspace holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, emit_rows, open_ws
from signalboost.errors import UsageError
from signalboost.i18n import L_, N_, _, format_number, ngettext, tr

if TYPE_CHECKING:
    from signalboost.ingest.base import ImportResult

_IMPORT_HELP = """Import exports and CSV files into the workspace database.

Each PATH is a file, a zip or an unpacked export folder; its format is detected from its content
(`signalboost formats` lists them) unless --format is given. Importing the same file twice changes
nothing; rows that cannot be loaded are kept with file, line and reason (`signalboost rejects`).

Examples:

  signalboost import twitter-2024-05-01.zip

  signalboost import archive-mastodon/ --workspace my-brand

  signalboost import posts.csv --platform instagram --map post_id=ID,created_at=Date,likes=Likes

  signalboost import higgs-retweet_network.edgelist.gz --kind repost

  signalboost import following_accounts.csv --map follower_id==@me

  signalboost import page.csv -p facebook --map "post_id=status_id|after:_" --dry-run

  signalboost import insights.xlsx --sheet "Key Metrics" --dry-run

--map grammar: field=Column (a column), field==text (a constant), field==@me (the brand's own
account on the platform, from strategy.yaml), field=Column|before:SEP or field=Column|after:SEP
(the part of a column before/after the first SEP). A --mapping FILE holds the same as YAML
(field: VALUE). Dates are read value by value (ISO, Unix times, M/D/Y or D/M/Y by the column's
evidence, month names); times without a zone are in the brand's time zone unless --timezone.
A posts CSV without an id column (Buffer, Later) gets ids derived from each post's time and text
(auto:…), so overlapping exports do not duplicate posts.
Spreadsheet workbooks (.xlsx, .xls, .ods) are read like the CSV of one sheet: the first sheet whose
header a format recognises, or --sheet NAME; the summary says which sheet was read and names the others.
Every import prints what it detected and a sanity summary; see docs/INGEST.md.
The workspace must exist: create it first with `signalboost init DIR` (a mistyped -w is refused).
An account list with follower counts (Username, Followers, …: an influencer list) loads into accounts,
e.g. signalboost import influencers.txt -p instagram; --platform is never overridden by a file's name.
"""


def parse_map(items: list[str] | None, mapping_file: Path | None) -> dict[str, str] | None:
    """``--map field=Column`` (repeatable, or comma-separated) and ``--mapping FILE`` (YAML/JSON or lines)."""
    mapping: dict[str, str] = {}
    if mapping_file is not None:
        from signalboost.ingest.formats.generic import load_mapping_file

        mapping.update(load_mapping_file(mapping_file))
    for item in items or []:
        for part in item.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise UsageError(
                    L_("--map expects field=Column, got {part!r}", part=part),
                    where="--map",
                    hint=L_("Example: --map created_at=Date,likes=Likes"),
                )
            field, column = part.split("=", 1)
            mapping[field.strip()] = column.strip()
    return mapping or None


@contextmanager
def undo_new_workspace(folder: Path, kept: Callable[[], bool]) -> Iterator[None]:
    """A failed (or interrupted) first import leaves the folder as it was: no database, no lock, no new folder.

    Only what the import created is removed, and only when the folder had no database before and nothing was
    ``kept`` (an earlier file of the same command that was imported stays)."""
    from signalboost.store.lock import LOCK_NAME
    from signalboost.store.workspace import DATABASE_FILE

    root = folder.expanduser().resolve()
    existed = root.exists()
    before = {p.name for p in root.iterdir()} if root.is_dir() else set()
    try:
        yield
    except BaseException:
        if root.is_dir() and DATABASE_FILE not in before and not kept():
            for name in (DATABASE_FILE, f"{DATABASE_FILE}.wal", LOCK_NAME):
                if name not in before:
                    (root / name).unlink(missing_ok=True)
            if not existed:
                with suppress(OSError):
                    root.rmdir()  # only when empty
        raise


def register(app: typer.Typer) -> None:
    @app.command("import", help=_IMPORT_HELP)
    def import_(
        paths: list[Path] = typer.Argument(..., help="Files, zips or export folders to import."),
        workspace: Path = WorkspaceOption,
        format_name: str | None = typer.Option(
            None, "--format", help="Input format (see `signalboost formats`); detected when omitted."
        ),
        platform: str | None = typer.Option(
            None, "--platform", "-p", help="Platform id (x, mastodon, instagram, facebook, youtube, …)."
        ),
        map_: list[str] | None = typer.Option(
            None,
            "--map",
            "-m",
            help="Column mapping: field=Column, field==constant, field==@me, field=Column|before:SEP or "
            "|after:SEP (repeatable).",
        ),
        mapping_file: Path | None = typer.Option(None, "--mapping", help="Mapping file (YAML/JSON: field: Column)."),
        kind: str | None = typer.Option(
            None,
            "--kind",
            help="Edge lists and CSVs: follows, interactions or like/reply/repost/quote/mention (refused where it "
            "does not apply); friendships: an undirected edge list (SNAP ego-Facebook), a follow each way.",
        ),
        date_format: list[str] | None = typer.Option(
            None,
            "--date-format",
            help="strftime format of dates in a CSV, e.g. '%d/%m/%Y %H:%M' (repeatable: each value is read by the "
            "first that fits). Default: inferred per column and stated in the summary.",
        ),
        timezone: str | None = typer.Option(
            None, "--timezone", help="IANA zone of times without one (default: the brand's in strategy.yaml, else UTC)."
        ),
        encoding: str | None = typer.Option(
            None, "--encoding", help="Text encoding (utf-8, utf-16, cp1252, latin-1, mac_roman); detected when omitted."
        ),
        year: int | None = typer.Option(
            None,
            "--year",
            min=2004,
            help="The year of a table whose dates have none (UCI Facebook metrics layout: month, weekday, hour). "
            "Default: a year in the file name, else 2014 (stated in the summary).",
        ),
        observed_at: datetime | None = typer.Option(
            None, "--observed-at", help="When the export was taken (metrics snapshots); UTC unless an offset."
        ),
        output: OutputFormat = typer.Option(OutputFormat.table, "--output", "-o", help="Summary: table, json, csv."),
        no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar."),
        dry_run: bool = typer.Option(
            False,
            "--dry-run",
            help="Show the detected format, encoding, mapping and date format, and 5 rows as they would be "
            "stored; write nothing.",
        ),
        wait: float = typer.Option(60.0, "--wait", min=0, help="Seconds to wait for another import to finish."),
        sheet: str | None = typer.Option(
            None,
            "--sheet",
            help="Workbooks (.xlsx, .xls, .ods): the sheet to read. Default: the first sheet whose header a format "
            "recognises (the summary names it and the others).",
        ),
    ) -> None:
        from signalboost.ingest import import_files
        from signalboost.ingest.pipeline import check_paths

        check_paths(paths)  # a mistyped file must not leave a new empty workspace folder behind
        mapping = parse_map(map_, mapping_file)
        when = observed_at.replace(tzinfo=UTC) if observed_at and observed_at.tzinfo is None else observed_at
        if dry_run:
            _dry_run(
                paths,
                workspace,
                format=format_name,
                mapping=mapping,
                platform=platform,
                kind=kind,
                date_format=date_format or None,
                observed_at=when,
                timezone=timezone,
                encoding=encoding,
                sheet=sheet,
                year=year,
            )
            return
        # A mistyped -w must not silently start a new workspace: like every other command, import asks for
        # `signalboost init` where the folder is missing or holds neither strategy.yaml nor the database.
        open_ws(workspace, existing=True)
        results: list[ImportResult] = []
        with undo_new_workspace(workspace, lambda: bool(results)):
            ws = open_ws(workspace, existing=True)
            for path in paths:  # one by one: whether anything was kept is known when a later file fails
                done = import_files(
                    ws,
                    [path],
                    format=format_name,
                    mapping=mapping,
                    platform=platform,
                    progress=not no_progress,
                    kind=kind,
                    date_format=date_format or None,
                    observed_at=when,
                    lock_timeout=wait,
                    timezone=timezone,
                    encoding=encoding,
                    sheet=sheet,
                    year=year,
                )
                results += done
                if output is OutputFormat.table:
                    _print_summary(done)  # as each file is done: a later file's error does not hide it
        if output is not OutputFormat.table:
            rows = [
                {k: v for k, v in r.as_dict().items() if k not in ("tables", "warnings")}
                | {"warnings": "; ".join(r.warnings)}
                for r in results
            ]
            emit_rows(rows, output, document={"imports": [r.as_dict() for r in results]})

    @app.command("formats")
    def formats(fmt: OutputFormat = FormatOption) -> None:
        """List the import formats, what each loads and how it is detected.

        Example: signalboost formats
        """
        from signalboost.ingest import all_formats

        rows = [
            {"format": f.name, "platform": f.platform, "description": f.description, "loads": f.loads}
            for f in all_formats()
        ]
        if fmt is OutputFormat.table:  # json and csv: no platform (null, empty cell) when --platform gives it
            rows = [
                {
                    _("format"): r["format"],
                    _("platform"): r["platform"] or _("any (--platform)"),
                    _("description"): _(str(r["description"])) if r["description"] else "",
                    _("loads"): _(str(r["loads"])) if r["loads"] else "",
                }
                for r in rows
            ]
        emit_rows(rows, fmt, title=_("Import formats"))

    @app.command("rejects")
    def rejects(
        workspace: Path = WorkspaceOption,
        import_id: int | None = typer.Option(
            None, "--import", min=1, help="One import (default: the latest import of every file)."
        ),
        limit: int = typer.Option(1000, "--limit", min=1, help="At most this many rows."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """List rows that could not be imported, with file, line and reason.

        The table shows file names; --format json or csv gives the full paths.

        Example: signalboost rejects --import 3 --format csv > rejects.csv
        """
        from signalboost.ingest.queries import list_rejects

        rows = list_rejects(open_ws(workspace, read_only=True), import_id=import_id, limit=limit)
        if not rows and fmt is OutputFormat.table:
            from signalboost.cli.common import console

            console.print(_("No rejected rows."), highlight=False)
            return
        columns = ["import_id", "file", "line", "reason", "raw"]
        if fmt is not OutputFormat.table:
            emit_rows(rows, fmt, columns=columns)
            return
        _print_table(
            _("Rejected rows (see `signalboost imports` for the full paths)"),
            [(_(header), right, wraps) for header, right, wraps in _REJECT_COLUMNS],
            [
                [str(r["import_id"]), _name(r["file"]), _count(r["line"]), str(r["reason"]), _text(r["raw"])]
                for r in rows
            ],
        )

    @app.command("imports")
    def imports(
        workspace: Path = WorkspaceOption,
        limit: int = typer.Option(100, "--limit", min=1, help="At most this many imports, newest first."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """List past imports: file, format, platform and the rows read, loaded, already there, merged and rejected.

        The table shows file names; --format json or csv gives the full paths and every column.

        Example: signalboost imports --limit 10
        """
        from signalboost.ingest.queries import list_imports

        rows = list_imports(open_ws(workspace, read_only=True), limit=limit)
        if fmt is not OutputFormat.table:
            emit_rows(rows, fmt)
        elif not rows:
            from signalboost.cli.common import console

            console.print(_("No imports yet: import an export with `signalboost import FILE`."), highlight=False)
        else:
            _print_imports(rows)

    @app.command("stats")
    def stats(workspace: Path = WorkspaceOption, fmt: OutputFormat = FormatOption) -> None:
        """What the workspace holds: rows per platform and table, with the time span covered.

        Example: signalboost stats --workspace my-brand
        """
        from signalboost.ingest.queries import workspace_stats

        rows = workspace_stats(open_ws(workspace, read_only=True))
        columns = ["platform", "table", "rows", "first", "last"]
        if fmt is not OutputFormat.table:
            emit_rows(rows, fmt, columns=columns)
            return
        if not rows:
            from signalboost.cli.common import console

            console.print(
                _("The workspace is empty: import something with `signalboost import FILE`."), highlight=False
            )
            return
        headers = [_("platform"), _("table"), _("rows"), _("first"), _("last")]
        shown = [
            dict(
                zip(
                    headers,
                    [r["platform"], r["table"], format_number(r["rows"]), _when(r["first"]), _when(r["last"])],
                    strict=True,
                )
            )
            for r in rows
        ]
        emit_rows(shown, fmt, title=_("Workspace contents (times UTC)"), columns=headers)


#: The rejects table: (header, right-aligned, may wrap); headers translated when shown.
_REJECT_COLUMNS = [(N_("import"), True, False), (N_("file"), False, True), (N_("line"), True, False)]
_REJECT_COLUMNS += [(N_("reason"), False, True), (N_("raw"), False, True)]

#: The imports table: (header, key, right-aligned); the file comes last so a long name wraps there.
_IMPORT_COLUMNS = (
    ("id", "import_id", True),
    (N_("finished"), "finished_at", False),
    (N_("format"), "format", False),
    (N_("read"), "rows_read", True),
    (N_("loaded"), "rows_loaded", True),
    (N_("already"), "rows_duplicate", True),
    (N_("merged"), "rows_merged", True),
    (N_("rejected"), "rows_rejected", True),
    (N_("file"), "file", False),
)


def import_table_row(row: dict[str, object], default_platform: dict[str, str | None]) -> dict[str, str]:
    """One import as the table shows it: the file's name (not its path), the platform only when the format does
    not imply it, counts with thousands separators, the finishing time to the minute (UTC)."""
    fmt, platform = str(row.get("format") or "?"), row.get("platform")
    shown = {
        "import_id": str(row["import_id"]),
        "finished_at": str(_when(row.get("finished_at")) or "—"),
        "format": fmt if not platform or default_platform.get(fmt) == platform else f"{fmt} ({platform})",
        "file": _name(row["file"]),
    }
    for key in ("rows_read", "rows_loaded", "rows_duplicate", "rows_merged", "rows_rejected"):
        value = row.get(key)
        shown[key] = "—" if value is None else format_number(value)  # type: ignore[arg-type]
    if row.get("status") not in (None, "done"):
        shown["format"] += f" [{row['status']}]"
    return shown


def _print_imports(rows: list[dict[str, object]]) -> None:
    from signalboost.cli.common import console
    from signalboost.ingest import all_formats

    defaults = {f.name: f.platform for f in all_formats()}
    shown = [import_table_row(row, defaults) for row in rows]
    if console.width < NARROW:  # too narrow for nine columns: two lines per import, nothing cut off
        _print_import_lines(shown)
        return
    # long names wrap (nothing cut off); counts and times never do
    columns = [(_(header), right, key in ("file", "format")) for header, key, right in _IMPORT_COLUMNS]
    _print_table(
        _("Imports (times UTC)"),
        columns,
        [[s[key] for _h, key, _r in _IMPORT_COLUMNS] for s in shown],
        caption=_("already: rows already in the workspace (skipped); merged: rows that updated a stored one"),
    )


#: Below this width the imports are listed as lines, not as a table.
NARROW = 90
_LINE_COUNTS = [(N_("read"), "rows_read"), (N_("loaded"), "rows_loaded"), (N_("already there"), "rows_duplicate")]
_LINE_COUNTS += [(N_("merged"), "rows_merged"), (N_("rejected"), "rows_rejected")]


def _print_import_lines(shown: list[dict[str, str]]) -> None:
    from rich.markup import escape

    from signalboost.cli.common import console

    console.print(f"[bold]{escape(_('Imports (times UTC)'))}[/]", highlight=False)
    for s in shown:
        line = f"#{s['import_id']} {escape(s['file'])} ({escape(s['format'])}, {s['finished_at']})"
        console.print(line, highlight=False)
        console.print(
            "    " + ", ".join(f"{escape(_(label))} {s[key]}" for label, key in _LINE_COUNTS), highlight=False
        )


def _print_table(
    title: str, columns: list[tuple[str, bool, bool]], cells: list[list[str]], caption: str | None = None
) -> None:
    """A compact table (no vertical rules): ``columns`` are (header, right-aligned, may wrap); cells are text."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from signalboost.cli.common import console

    table = Table(
        title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, caption=caption
    )
    for header, right, wraps in columns:
        if wraps:
            table.add_column(header, overflow="fold", min_width=8)
        else:
            table.add_column(header, justify="right" if right else "left", no_wrap=True)
    for row in cells:
        table.add_row(*[escape(c) for c in row])
    console.print(table)


def _name(path: object) -> str:
    """A file's name, not its folders (json and csv keep the path)."""
    return Path(str(path)).name or str(path)


def _count(value: object) -> str:
    return "—" if value is None else format_number(value) if isinstance(value, int) else str(value)


def _text(value: object, limit: int = 200) -> str:
    """Untrusted row text on one line, at most ``limit`` characters (json and csv keep all of it)."""
    text = " ".join(str(value or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(value: object) -> object:
    """A time span end for a table: minutes, UTC."""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value


def _dry_run(paths: list[Path], workspace: Path, **options: object) -> None:
    """``import --dry-run``: each file imported into a scratch workspace, its summary and 5 rows per table shown."""
    from rich.markup import escape

    from signalboost.cli.common import console
    from signalboost.ingest.pipeline import dry_run
    from signalboost.store.workspace import Workspace

    root = workspace.expanduser()
    ws = Workspace.open(root) if root.is_dir() else None
    ws = ws if ws is not None and ws.is_workspace() else None
    for path in paths:
        result, shown = dry_run(ws, path, **options)  # type: ignore[arg-type]
        head = escape(_("Dry run — nothing written."))
        said = escape(_("{file} would be read as:").format(file=path.name))
        console.print(f"[bold]{head}[/] {said}", highlight=False)
        _print_summary([result], dry=True)
        for table, rows in shown.items():
            title = (
                _("{table}: first {n} rows as they would be stored").format(table=table, n=len(rows))
                if table != "rejects"
                else _("rejects: first {n}").format(n=len(rows))
            )
            cols = [c for c in rows[0] if any(r[c] not in (None, "", []) for r in rows)]
            _print_table(title, [(c, False, True) for c in cols], [[_cell(r[c]) for c in cols] for r in rows])


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return str(value)
    return "" if value is None else _text(value, 80)


def _print_summary(results: list[ImportResult], *, dry: bool = False) -> None:
    """Per file: read / loaded / already there / merged / rejected, the tables, warnings and where rejects are.

    Every line in the reader's language (the import's notes, sanity lines and warnings are ``L_()`` texts)."""
    from rich.markup import escape

    from signalboost.cli.common import console
    from signalboost.ingest import describe
    from signalboost.ingest.pipeline import describe_tables

    verb = escape(_("Would import") if dry else _("Imported"))
    read, check, warning = escape(_("read:")), escape(_("check:")), escape(_("warning:"))
    for r in results:
        console.print(f"[bold]{verb}[/] {escape(tr(describe(r)))}", highlight=False)
        for line in describe_tables(r):
            console.print(f"    {escape(tr(line))}", highlight=False)
        for what, n in r.skipped.items():
            skipped = _("skipped {n} {what} (not data: neither loaded nor rejected)").format(
                n=format_number(n), what=_(what)
            )
            console.print(f"    {escape(skipped)}", highlight=False)
        for note in r.notes:
            console.print(f"    [dim]{read}[/] {escape(tr(note))}", highlight=False)
        for line in r.sanity:
            console.print(f"    [cyan]{check}[/] {escape(tr(line))}", highlight=False)
        for w in r.warnings:
            console.print(f"    [yellow]{warning}[/] {escape(tr(w))}", highlight=False)
        if r.rows_rejected and not dry:
            rejected = ngettext(
                "{n} row rejected: see `signalboost rejects --import {id}`",
                "{n} rows rejected: see `signalboost rejects --import {id}`",
                r.rows_rejected,
            ).format(n=format_number(r.rows_rejected), id=r.import_id)
            console.print(f"    {escape(rejected)}", highlight=False)
