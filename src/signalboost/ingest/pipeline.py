"""detect -> stream -> validate -> load: one import per file, in one transaction under the workspace lock.

The whole import of a file is atomic: rows are staged in temporary tables and merged at the end, and the
``imports`` row is written in the same transaction. An error, Ctrl-C or ``kill -9`` before COMMIT leaves the
database as it was (DuckDB discards an uncommitted transaction, WAL included). A second import on the same
workspace waits for the lock (``lock_timeout`` seconds), then refuses with a clear message.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from signalboost.errors import IngestError, SignalboostError, UsageError
from signalboost.i18n import L_, Ln_
from signalboost.ingest import sanity
from signalboost.ingest.base import (
    LOAD_TABLES,
    Batch,
    FollowSnapshot,
    Format,
    ImportResult,
    ReadOptions,
    Reject,
    SqlStage,
)
from signalboost.ingest.dates import resolve_timezone, screen_rows
from signalboost.ingest.limits import ENV_IMPORT_MEMORY, Limits, fixed_import_memory, import_budget, import_memory
from signalboost.ingest.registry import detect_format, get_format, refuse_empty
from signalboost.ingest.textio import check_encoding, repair_rows, too_deep
from signalboost.store import ingest_sql as q
from signalboost.store.workspace import Workspace

_REJECT_FLUSH = 5000


def import_files(
    workspace: Workspace,
    paths: Sequence[str | Path],
    *,
    format: str | None = None,
    mapping: dict[str, str] | None = None,
    platform: str | None = None,
    progress: bool = True,
    kind: str | None = None,
    date_format: str | Sequence[str] | None = None,
    observed_at: datetime | None = None,
    lock_timeout: float = 60.0,
    console: Console | None = None,
    timezone: str | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
    sheet: str | None = None,
    year: int | None = None,
) -> list[ImportResult]:
    """Import each file (or export folder / zip) into ``workspace``; one transaction per file.

    ``format`` overrides detection; ``mapping`` maps canonical fields to source columns for generic files
    (``{"created_at": "Date", "likes": "Likes"}``); ``platform`` overrides the platform id; ``kind`` says what an
    edge list holds (``follows``, ``interactions`` or one interaction kind); ``date_format`` one or several
    strftime formats; ``timezone`` the zone of naive times (default: the brand's, else UTC); ``encoding`` of
    text files (default: detected); ``sheet`` the sheet of a spreadsheet workbook (default: the first whose header
    a format recognises); ``year`` the year of a table whose dates name none (the UCI Facebook metrics layout;
    refused by every other format). Returns one :class:`ImportResult` per path. Raises
    :class:`~signalboost.errors.IngestError` (nothing of that file is kept) on a bad file.
    ``limits`` bound what one import decompresses and how many rejects it keeps (default: ``Limits.from_env()``,
    see :mod:`signalboost.ingest.limits`).
    """
    check_paths(paths)
    limits = limits or Limits.from_env()
    results = []
    for raw in paths:
        path = Path(raw).expanduser()
        options = make_options(
            workspace,
            platform=platform,
            mapping=mapping,
            kind=kind,
            date_format=date_format,
            observed_at=observed_at,
            timezone=timezone,
            encoding=encoding,
            year=year,
        )
        with import_budget(limits), readable(path, options, sheet=sheet, format=format) as (source, label):
            fmt = get_format(format) if format else detect_format(source, options.platform, options.notes)
            if format:
                refuse_empty(source)  # as detection does: an empty file is not an import of 0 rows
            results.append(
                _import_one(workspace, source, fmt, options, progress, lock_timeout, console, limits, label=label)
            )
    return results


@contextmanager
def readable(
    path: Path, options: ReadOptions, *, sheet: str | None = None, format: str | None = None
) -> Iterator[tuple[Path, str | None]]:
    """``(file to read, label)``: a spreadsheet workbook's chosen sheet as a temporary CSV and ``book!Sheet``
    (:mod:`signalboost.ingest.workbook`); any other path as it is (label None). ``--sheet`` on a file that is not
    a workbook is refused, never ignored."""
    from signalboost.ingest import workbook
    from signalboost.ingest.textio import read_head

    head = read_head(path) if path.is_file() else b""
    if not workbook.is_workbook(path, head):
        if sheet is not None:
            raise UsageError(
                L_("--sheet applies to spreadsheet workbooks (.xlsx, .xls, .ods), not to this file"),
                where=f"{path} (--sheet)",
                hint=L_("Leave --sheet out"),
            )
        yield path, None
        return
    from signalboost.ingest.formats import generic

    if options.encoding:  # honoured or refused, never ignored: a workbook's cells are already text
        raise UsageError(
            L_("--encoding applies to text files, not to a spreadsheet workbook"),
            where=f"{path} (--encoding)",
            hint=L_("Leave --encoding out"),
        )

    def recognises(csv_path: Path) -> bool:
        return generic.header_recognised(csv_path, options.mapping, format)

    def is_date_header(name: str) -> bool:
        mapped = {column: field for field, column in (options.mapping or {}).items()}
        return workbook.looks_like_date_header(name, mapped.get(name) or generic.field_of(name))

    with workbook.as_csv(path, options, sheet=sheet, recognises=recognises, is_date_header=is_date_header) as pair:
        yield pair


def dry_run(
    workspace: Workspace | None,
    path: str | Path,
    *,
    format: str | None = None,
    samples: int = 5,
    timezone: str | None = None,
    limits: Limits | None = None,
    sheet: str | None = None,
    **kwargs: Any,
) -> tuple[ImportResult, dict[str, list[dict[str, Any]]]]:
    """Import ``path`` into a scratch workspace that is then deleted: what the import would do, and the first
    ``samples`` rows of each table as they would be stored. ``workspace`` (may be None) only lends its strategy
    (time zone, the brand's accounts); nothing is written to it, nor created."""
    import tempfile

    file = Path(path).expanduser()
    check_paths([file])
    limits = limits or Limits.from_env()
    options = make_options(workspace, timezone=timezone, **kwargs)
    with tempfile.TemporaryDirectory(prefix="signalboost-dry-run-") as tmp:
        scratch = Workspace.open(tmp, create=True)
        with import_budget(limits), readable(file, options, sheet=sheet, format=format) as (source, label):
            fmt = get_format(format) if format else detect_format(source, options.platform, options.notes)
            if format:
                refuse_empty(source)
            result = _import_one(scratch, source, fmt, options, False, 60.0, None, limits, label=label)
        shown: dict[str, list[dict[str, Any]]] = {}
        with scratch.connect(purpose="dry run") as con:
            for table in [*result.per_table, "rejects"]:
                cols = "line, reason, raw" if table == "rejects" else "* EXCLUDE (source)"
                cur = con.execute(f"SELECT {cols} FROM {table} LIMIT {int(samples)}")
                names = [d[0] for d in cur.description]
                rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
                if rows:
                    shown[table] = rows
    return result, shown


def make_options(workspace: Workspace | None, *, timezone: str | None = None, **kwargs: Any) -> ReadOptions:
    """The :class:`ReadOptions` of one file: the user's flags, the time zone (``--timezone``, else the brand's,
    else UTC, and why) and the brand's own accounts (``@me`` in ``--map``) from strategy.yaml."""
    zone, why = resolve_timezone(timezone, workspace)
    options = ReadOptions(timezone=zone, me=brand_handles(workspace), **kwargs)
    if options.encoding:
        options.encoding = check_encoding(options.encoding)
    options.zone_note = L_("times without a zone read as {zone} ({why})", zone=zone, why=why)
    options.note(options.zone_note)
    return options


def brand_handles(workspace: Workspace | None) -> dict[str, str]:
    """The brand's account per platform from strategy.yaml (``brand.handles`` and each network's ``handle``)."""
    if workspace is None or not workspace.has_strategy():
        return {}
    try:
        strategy = workspace.strategy()
    except SignalboostError:
        return {}
    handles = {k: v for k, v in strategy.brand.handles.items() if v}
    for role in strategy.ecosystem:
        if role.handle:
            handles.setdefault(role.network, role.handle)
    return {k: v.lstrip("@") for k, v in handles.items()}


def check_paths(paths: Sequence[str | Path]) -> None:
    """Raise ``IngestError`` for the first path that does not exist (before anything is opened or created)."""
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise IngestError(L_("no such file or folder"), where=str(path), hint=L_("Check the path"))


def _import_one(
    ws: Workspace,
    path: Path,
    fmt: Format,
    options: ReadOptions,
    show_progress: bool,
    lock_timeout: float,
    console: Console | None,
    limits: Limits,
    *,
    label: str | None = None,
) -> ImportResult:
    """Import one file; ``label`` is what to record and show in its place (``book.xlsx!Posts`` for a workbook's
    sheet read from a temporary CSV: the file hashed is the workbook)."""
    started = datetime.now(UTC)
    stop = threading.Event()
    hashing = _HASHER.submit(
        _sha256, Path(label.rsplit("!", 1)[0]) if label else path, stop
    )  # in a thread, overlapping the load (hashlib releases the GIL)
    pristine = _fresh(options)
    try:
        try:
            return _load(
                ws, path, fmt, options, show_progress, lock_timeout, console, started, hashing, limits, label=label
            )
        except (IngestError, duckdb.OutOfMemoryException) as exc:
            if not _out_of_memory(exc) or os.environ.get(ENV_IMPORT_MEMORY, "").strip():
                raise
        # The cap sized to the file (and to the keys' index) was too small for this file: the transaction was
        # rolled back, nothing is stored; the same import runs once more under the fixed cap.
        options = _fresh(pristine)
        options.note(L_("ran out of memory under a cap sized to the file: imported again under the fixed cap"))
        return _load(
            ws,
            path,
            fmt,
            options,
            show_progress,
            lock_timeout,
            console,
            started,
            hashing,
            limits,
            fixed_memory=True,
            label=label,
        )
    except RecursionError as exc:  # a structure nested past what Python follows (the transaction was rolled back)
        raise too_deep(str(path)) from exc
    finally:
        stop.set()  # an import that failed does not wait for (or keep reading) a large file


def _fresh(options: ReadOptions) -> ReadOptions:
    """A copy of ``options`` whose collections (notes, warnings, counts a reader fills in) are its own."""
    return dataclasses.replace(
        options,
        mapping=dict(options.mapping) if options.mapping is not None else None,
        warnings=list(options.warnings),
        notes=list(options.notes),
        skipped=dict(options.skipped),
        virtual=dict(options.virtual),
        sql_constants=dict(options.sql_constants),
        mapped=set(options.mapped),
        me=dict(options.me),
    )


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is (or was raised from) DuckDB running out of its memory cap."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, duckdb.OutOfMemoryException):
            return True
        seen = seen.__cause__
    return False


def _load(
    ws: Workspace,
    path: Path,
    fmt: Format,
    options: ReadOptions,
    show_progress: bool,
    lock_timeout: float,
    console: Console | None,
    started: datetime,
    hashing: Future[str | None],
    limits: Limits,
    *,
    fixed_memory: bool = False,
    label: str | None = None,
) -> ImportResult:
    with (
        _progress(path, show_progress, console) as advance,
        ws.transaction(timeout=lock_timeout, purpose=f"import {path.name}") as con,
    ):
        options.progress = advance
        q.create_stages(con, memory=fixed_import_memory() if fixed_memory else import_memory(path))
        import_id = q.new_import_id(con)
        result = ImportResult(import_id=import_id, file=label or str(path), format=fmt.name)
        try:
            _run(con, path, fmt, options, result, limits.max_rejects, label=label)
        except duckdb.Error as exc:
            raise IngestError(
                L_(
                    "the file could not be read as {name}: {reason}",
                    name=fmt.name,
                    reason=str(exc).splitlines()[0],
                ),
                where=str(path),
                hint=L_("Check the file and the --format / --map options; nothing was imported"),
            ) from exc
        except Exception as exc:  # a value of the wrong JSON type where the export has another
            if not _structure_error(exc):
                raise
            raise IngestError(
                L_(
                    "the file does not have the structure of {name} ({kind}: {reason})",
                    name=fmt.name,
                    kind=type(exc).__name__,
                    reason=str(exc).splitlines()[0][:200] if str(exc) else L_("unexpected value"),
                ),
                where=str(path),
                hint=L_("Is it an unmodified export? Re-download it, or pass --format; nothing was imported"),
            ) from exc
        finally:
            with suppress(duckdb.Error):
                q.drop_stages(con)
        if release_worth_it(result):
            q.release_stages(con)  # their memory, held until the commit, is not needed for the summary nor the commit
        result.warnings = list(options.warnings)
        result.notes = options.shown_notes()
        result.mapped = set(options.mapped)
        result.sanity = sanity.summary(con, result)
        for what, n in options.skipped.items():
            result.skipped[what] = result.skipped.get(what, 0) + n
        result.platform = options.platform or fmt.platform
        q.record_import(
            con,
            {
                "import_id": import_id,
                "file": result.file,
                "sha256": hashing.result(),
                "format": fmt.name,
                "platform": result.platform,
                "started_at": started,
                "finished_at": datetime.now(UTC),
                "rows_read": result.rows_read,
                "rows_loaded": result.rows_loaded,
                "rows_duplicate": result.rows_duplicate,
                "rows_merged": result.rows_merged,
                "rows_rejected": result.rows_rejected,
                "status": "done",
            },
        )
        q.prepare_commit(con)  # room for merging the keys' index at the commit (it must not run out of memory)
    return result


def release_worth_it(result: ImportResult) -> bool:
    """Whether the dropped staging tables should leave memory before the summary and the commit
    (:func:`~signalboost.store.ingest_sql.release_stages`): only when a table with a PRIMARY KEY was loaded, whose
    commit merges the keys' index on top of what is held (2M posts: the commit is the peak). Without one the
    merge stays the peak, and writing the stage out costs CPU for nothing (5M interactions: 0.4 CPU-s of ~7.5;
    the summary then peaks at 437 MB, under the repeat check's 450 MB)."""
    return any(table in q.INDEXED for table in result.per_table)


#: What a reader raises when a field holds a value of an unexpected type (a number where the export has a list,
#: a list where it has text …): a hostile or altered file, refused whole (the transaction is rolled back) with the
#: exception named, never a traceback. Readers turn the errors they expect into per-row rejects first.
_STRUCTURE_ERRORS = (TypeError, AttributeError, KeyError, IndexError, ValueError)


def _structure_error(exc: BaseException) -> bool:
    """Whether ``exc`` is one of :data:`_STRUCTURE_ERRORS`, or an Arrow error (only possible once pyarrow was
    imported: it is not imported for a file DuckDB reads, ~36 MB saved)."""
    arrow = sys.modules.get("pyarrow")
    return isinstance(exc, _STRUCTURE_ERRORS) or (arrow is not None and isinstance(exc, arrow.ArrowException))


def _add(result: ImportResult, table: str, loaded: int, dup: int, merged: int) -> None:
    if loaded or dup or merged:
        lo, du, me = result.per_table.get(table, (0, 0, 0))
        result.per_table[table] = (lo + loaded, du + dup, me + merged)
        result.rows_loaded += loaded
        result.rows_duplicate += dup
        result.rows_merged += merged


class _Rejects:
    """The rejects of one import: all counted, the first ``cap`` kept (staged in batches of ``_REJECT_FLUSH``)."""

    def __init__(self, con: Any, cap: int) -> None:
        self.con, self.cap = con, cap
        self.kept = self.total = 0
        self.pending: list[Reject] = []

    def room(self) -> int:
        return max(self.cap - self.kept, 0)

    def add(self, item: Reject) -> None:
        self.total += 1
        if self.kept < self.cap:
            self.kept += 1
            self.pending.append(item)
            if len(self.pending) >= _REJECT_FLUSH:
                self.flush()

    def counted(self, total: int, kept: int) -> None:
        """Rejects staged by SQL: ``total`` found, ``kept`` of them stored."""
        self.total += total
        self.kept += kept

    def flush(self) -> None:
        q.append_rejects(self.con, self.pending)
        self.pending.clear()


def _run(
    con: Any,
    path: Path,
    fmt: Format,
    options: ReadOptions,
    result: ImportResult,
    max_rejects: int,
    *,
    label: str | None = None,
) -> None:
    rejects = _Rejects(con, max_rejects)
    snapshots: list[FollowSnapshot] = []
    for item in fmt.read(path, options):
        if isinstance(item, Batch):
            result.rows_read += item.rows_read
            kept, implausible_rows = screen_rows(item.table, item.rows, options.now)
            for row, reason in implausible_rows:  # outside the plausible window: a reject, never a stored row
                rejects.add(Reject(None, _raw(row), reason))
                result.rows_read += 0 if item.rows_read else 1
            item = Batch(item.table, repair_rows(item.table, kept), item.rows_read)
            data = item.to_arrow()
            if data.num_rows:
                q.append_arrow(con, item.table, data)
        elif isinstance(item, Reject):
            result.rows_read += 1
            rejects.add(item)
        elif isinstance(item, SqlStage):
            read, bad, kept = q.stage_sql(
                con, item.sql, item.line_sql, keep=rejects.room(), fixed=item.fixed, table=item.table
            )
            rejects.counted(bad, kept)
            from signalboost.store.ingest_repeats_sql import mark_conflicting_repeats  # here: a cycle at the top

            conflicts, kept, ready = mark_conflicting_repeats(
                con,
                item.table,
                item.line_offset,
                keep=rejects.room(),
                restage=partial(q.restage_in_file_order, con, item.sql, fixed=item.fixed, table=item.table),
            )
            rejects.counted(conflicts, kept)
            if conflicts:
                options.warn(
                    L_(
                        "{n} rows repeat an earlier row's key with other values: the first row is kept, the others are "
                        "rejects naming the line they conflict with (signalboost rejects)",
                        n=conflicts,
                    )
                )
            moved, kept = q.duckdb_rejects(con, keep=rejects.room())  # 0 on a second scan of the same file
            rejects.counted(moved, kept)
            skips = q.stage_skips(con)
            for what, n in skips.items():
                result.skipped[what] = result.skipped.get(what, 0) + n
            if item.count_read:
                result.rows_read += read + moved
            staged = read - bad - conflicts - sum(skips.values())
            if item.clock_observed:
                q.keep_seen_times(con)
            if item.table == "accounts" and (changing := q.accounts_changing(con, q.SQL_STAGE)):
                options.note(
                    L_(
                        "accounts: {n} accounts already stored have other counts in this newer list: their counts are "
                        "updated (the earlier ones stay in account_snapshots)",
                        n=changing,
                    )
                )
            _add(
                result,
                item.table,
                *q.merge(
                    con,
                    item.table,
                    str(result.import_id),
                    q.SQL_STAGE,
                    staged,
                    key_hash=q.STAGE_HASH,
                    repeats_ready=ready,
                ),
            )
            for table, select in item.also:  # other tables of the same rows (a posts file's metrics)
                _add(result, table, *q.merge(con, table, str(result.import_id), f"({select})"))
        elif isinstance(item, FollowSnapshot):
            snapshots.append(item)
    rejects.flush()
    if options.kind and not options.kind_used:  # honoured or refused, never ignored (nothing is committed)
        raise UsageError(
            L_(
                "--kind {kind} does not apply to a {name} file: its rows say what they are",
                kind=options.kind,
                name=fmt.name,
            ),
            where=f"{path} (--kind)",
            hint=L_(
                "Leave --kind out, or use it with an edge list or a CSV (--format generic) whose rows are all one kind"
            ),
        )
    if options.year is not None and not options.year_used:  # honoured or refused, never ignored
        raise UsageError(
            L_(
                "--year {year} does not apply to a {name} file: its dates name their year",
                year=str(options.year),
                name=fmt.name,
            ),
            where=f"{path} (--year)",
            hint=L_("Leave --year out; it is for tables whose dates have no year (the UCI Facebook metrics layout)"),
        )
    source = str(result.import_id)
    for table in LOAD_TABLES:
        _add(result, table, *q.merge(con, table, source))
    for snap in snapshots:
        q.mark_unfollows(con, snap)
    sep = "/" if path.is_dir() else "!"
    q.flush_rejects(con, result.import_id, label or str(path), sep)
    result.rows_rejected = rejects.total
    if rejects.total > rejects.kept:
        options.warn(
            L_(
                "{total} rows rejected; the first {kept} are kept in `signalboost rejects` (raise "
                "SIGNALBOOST_MAX_REJECTS to keep more)",
                total=rejects.total,
                kept=rejects.kept,
            )
        )


def _raw(row: dict[str, Any]) -> str:
    """A canonical row as the raw text of its reject: its non-empty fields, ``field=value`` joined by commas."""
    return ", ".join(f"{k}={v}" for k, v in row.items() if v not in (None, "", []))[:2000]


_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="signalboost-sha256")


def _sha256(path: Path, stop: threading.Event | None = None) -> str | None:
    """SHA-256 of the file, read once in 4 MiB blocks into one reused buffer (no copy per block); None for a
    folder, or when ``stop`` is set (the import failed)."""
    if not path.is_file():
        return None
    h = hashlib.sha256()
    buf = bytearray(1 << 22)
    view = memoryview(buf)
    with path.open("rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            if stop is not None and stop.is_set():
                return None
            h.update(view[:n])
    return h.hexdigest()


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@contextmanager
def _progress(path: Path, enabled: bool, console: Console | None) -> Iterator[Any]:
    out = console or Console(stderr=True)
    if not enabled or not out.is_terminal:  # no bar in a pipe or a log: it would leave an empty line behind
        yield None
        return
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=out,
        transient=True,
    )
    task = bar.add_task(f"importing {path.name}", total=_size(path) or None)
    with bar:

        def advance(n: int) -> None:
            bar.advance(task, n)

        yield advance


def describe(result: ImportResult) -> str:
    """One line for a person: ``file (format): read N, loaded N, already in the workspace N[, merged N (same
    key within the file)], rejected N``. Merged rows are not a problem (e.g. two snapshots in the same hour)."""
    counts = {
        "file": result.file,
        "format": result.format,
        "read": result.rows_read,
        "loaded": result.rows_loaded,
        "already": result.rows_duplicate,
        "rejected": result.rows_rejected,
    }
    if result.rows_merged:
        return L_(
            "{file} ({format}): read {read}, loaded {loaded}, already in the workspace {already}, merged {merged} "
            "(same key within the file), rejected {rejected}",
            merged=result.rows_merged,
            **counts,
        )
    return L_(
        "{file} ({format}): read {read}, loaded {loaded}, already in the workspace {already}, rejected {rejected}",
        **counts,
    )


def describe_tables(result: ImportResult) -> list[str]:
    """One line per table touched: ``posts: 500 new, 0 already there[, 16 merged (same key within the file)]``."""
    lines: list[str] = []
    for table, (loaded, dup, merged) in result.per_table.items():
        if merged:
            lines.append(
                Ln_(
                    "{table}: {n} new, {dup} already there, {merged} merged (same key within the file)",
                    "{table}: {n} new, {dup} already there, {merged} merged (same key within the file)",
                    loaded,
                    table=table,
                    dup=dup,
                    merged=merged,
                )
            )
        else:
            lines.append(
                Ln_(
                    "{table}: {n} new, {dup} already there",
                    "{table}: {n} new, {dup} already there",
                    loaded,
                    table=table,
                    dup=dup,
                )
            )
    return lines


__all__ = ["SignalboostError", "describe", "describe_tables", "import_files"]
