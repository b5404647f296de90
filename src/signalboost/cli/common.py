"""Options and helpers shared by the command modules (output format, workspace, printing)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from signalboost.errors import UsageError, WorkspaceError
from signalboost.i18n import L_, NP_, format_significant, pgettext
from signalboost.textsafe import FORMULA_PREFIXES, csv_safe, csv_text

if TYPE_CHECKING:
    from signalboost.store.workspace import Workspace

__all__ = [
    "FORMULA_PREFIXES",
    "FormatOption",
    "OutputFormat",
    "WorkspaceOption",
    "console",
    "csv_safe",
    "emit_rows",
    "err_console",
    "open_ws",
    "parse_date",
    "parse_datetime",
]

# Lines are not re-wrapped at the terminal width (a piped or captured output has no width, and a path
# must stay on one line to be copied); tables still fit the width.
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


class OutputFormat(StrEnum):
    """``--format`` of commands that print results."""

    table = "table"
    json = "json"
    csv = "csv"


WorkspaceOption = typer.Option(
    Path("."),
    "--workspace",
    "-w",
    help="Workspace folder (default: the current folder).",
    envvar="SIGNALBOOST_WORKSPACE",
    show_default=False,
)

FormatOption = typer.Option(OutputFormat.table, "--format", "-f", help="Output: table, json or csv.")


def parse_date(value: str | None, option: str) -> dt.date | None:
    """``--option YYYY-MM-DD`` as a date (``None`` when not given); ``UsageError`` naming the option otherwise."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            L_("{value!r} is not a date", value=value), where=option, hint=L_("Use YYYY-MM-DD, e.g. 2026-03-02")
        ) from None


def parse_datetime(value: str, option: str) -> dt.datetime:
    """``--option YYYY-MM-DDTHH:MM`` as a (naive) datetime; ``UsageError`` naming the option otherwise."""
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            L_("{value!r} is not a date-time", value=value), where=option, hint=L_("Use YYYY-MM-DDTHH:MM")
        ) from None


def open_ws(path: Path, *, create: bool = False, read_only: bool = False, existing: bool = False) -> Workspace:
    """Open the workspace given by ``--workspace``.

    ``read_only``: a command that shows what is there (or changes rows that must already exist). A folder
    holding neither strategy.yaml nor the database is not a workspace: a ``WorkspaceError``, and nothing is
    created there; in a workspace without a database yet, nothing is created either (the command reads empty
    tables). ``existing``: the folder must be a workspace, but the database may be created (the dashboard)."""
    from signalboost.store.workspace import Workspace

    ws = Workspace.open(path, create=create, read_only=read_only)
    adopt_language(ws.strategy_path)
    if (read_only or existing) and not ws.is_workspace():
        raise not_a_workspace(ws)
    return ws


def adopt_language(strategy_path: Path) -> str:
    """Speak the strategy's ``brand.language`` from now on, unless ``--lang`` chose one; return the language."""
    from signalboost import i18n
    from signalboost.model.io import peek_language

    return i18n.activate(None if i18n.override() else peek_language(strategy_path))


def not_a_workspace(ws: Workspace) -> WorkspaceError:
    """The error of a command run outside a workspace (says where, and how to get one)."""
    return WorkspaceError(
        L_(
            "not a Signalboost workspace (no {strategy} and no {database})",
            strategy=ws.strategy_path.name,
            database=ws.db_path.name,
        ),
        where=str(ws.root),
        hint=L_("Run `signalboost init DIR` to create one, or pass -w/--workspace with your workspace folder"),
    )


#: Table headers with a word of their own in some language. A table's columns are the JSON field names (the same
#: identifiers in every language); a table shows ``pgettext("column", name)``, so a field marked here (or with
#: ``NP_("column", …)`` in any module) reads in the reader's language in tables, never in JSON or CSV.
COLUMN_WORDS: tuple[str, ...] = (
    NP_("column", "platform"),
    NP_("column", "network"),
    NP_("column", "handle"),
    NP_("column", "account"),
    NP_("column", "account_id"),
    NP_("column", "name"),
    NP_("column", "language"),
    NP_("column", "posts"),
    NP_("column", "share"),
    NP_("column", "mixed"),
    NP_("column", "source"),
    NP_("column", "followers"),
    NP_("column", "follows"),
    NP_("column", "notifications"),
    NP_("column", "profiles"),
    NP_("column", "rows"),
    NP_("column", "rows_loaded"),
    NP_("column", "requests"),
    NP_("column", "resumed"),
    NP_("column", "import_id"),
    NP_("column", "file"),
    NP_("column", "table"),
    NP_("column", "status"),
    NP_("column", "step"),
    NP_("column", "ok"),
    NP_("column", "detail"),
    NP_("column", "action"),
    NP_("column", "error"),
    NP_("column", "text"),
    NP_("column", "plan_id"),
    NP_("column", "scheduled_at"),
    NP_("column", "url"),
    NP_("column", "complete"),
    NP_("column", "followers_reported"),
    NP_("column", "followers_fetched"),
    NP_("column", "username"),
    NP_("column", "created_at"),
    NP_("column", "last_login_at"),
    NP_("column", "last_sync"),
    NP_("column", "connected_at"),
    NP_("column", "score"),
    NP_("column", "rank"),
    NP_("column", "segment"),
    NP_("column", "audience"),
    NP_("column", "our_audience"),
    NP_("column", "shared"),
    NP_("column", "unique_reach"),
    NP_("column", "date"),
    NP_("column", "week"),
    NP_("column", "weekday"),
    NP_("column", "hour"),
    NP_("column", "format"),
    NP_("column", "pillar"),
    NP_("column", "kind"),
    NP_("column", "reason"),
    NP_("column", "line"),
    NP_("column", "field"),
    NP_("column", "value"),
)


def column_header(name: str) -> str:
    """The header a table shows for the field ``name``: the reader's word for it, else the field name itself."""
    return pgettext("column", name)


def emit_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: OutputFormat,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    document: Mapping[str, Any] | None = None,
    empty: str | None = None,
    to: Console | None = None,
) -> None:
    """Print ``rows`` as a Rich table, one JSON document, or CSV (formula-safe) on stdout.

    ``empty``: what to print instead of an empty table (say why it is empty and what to do); JSON and CSV stay
    machine-readable (an empty list, a header line). ``to``: the console of a table (default: the CLI's stdout).
    """
    out = to or console
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt is OutputFormat.json:
        payload = dict(document) if document is not None else {"rows": list(rows)}
        if document is not None and "rows" not in payload:
            payload["rows"] = list(rows)
        sys.stdout.write(json.dumps(payload, default=str, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is OutputFormat.csv:
        sys.stdout.write(csv_text(([_plain(row.get(c)) for c in cols] for row in rows), header=cols))
        return
    if not rows and empty:
        out.print(empty, highlight=False)
        return
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(column_header(c), overflow="fold")  # a word too long for its column breaks; nothing is cut off
    for row in rows:
        table.add_row(*[_cell(row.get(c)) for c in cols])
    out.print(table)


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return value


def _cell(value: Any) -> str:
    from rich.markup import escape

    if value is None:
        return "—"
    if isinstance(value, bool):
        return pgettext("cell", "True") if value else pgettext("cell", "False")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return format_significant(value, digits=3)  # 0.0123, 12.3, 1,235 (en) / 0,0123, 12,3, 1 235 (nb)
    if isinstance(value, (list, tuple)):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))


def iter_chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    """Yield lists of at most ``size`` items."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
