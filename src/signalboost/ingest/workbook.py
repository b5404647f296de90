"""Spreadsheet workbooks (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``): one sheet read as the CSV it would be saved as.

A person can read a workbook, so Signalboost reads it too (python-calamine: Excel 2007+, Excel 97-2003 and
OpenDocument). One sheet is chosen — ``--sheet NAME``, else the first visible sheet whose header row a format
recognises, so a workbook that opens on a summary sheet is read from its sheet of posts — and its cells are
written to a temporary UTF-8 CSV that goes through the very path a CSV takes (detection, mapping, date and number
reading, rejects, summary rows, the sanity summary, one transaction). Cells become text as Excel's "Save as CSV"
would write them, from their stored values, not their display:

- a number is written without float artefacts: a whole number as an integer (``12``, never ``12.0``), other
  numbers to Excel's 15 significant digits (``0.3``, never ``0.30000000000000004``);
- a date or time cell (a number with a date format) is an ISO date (``2024-05-08``, a date-only value) or date
  and time (``2024-05-08 14:30:00``, a wall time in the import's time zone);
- in a column whose header names a date (``Date``, ``Posted``, ``Publish time``, ``Datum`` …) or holds dates in
  most of its cells, a plain number between 1
  and 2,958,465 is an Excel serial date (days since 1899-12-30, the 1900 date system; a fraction is the time of
  day) — a date column that lost its format. A workbook saved in the 1904 date system (old Excel for Mac; an
  ``.xlsx`` whose ``xl/workbook.xml`` says ``<workbookPr date1904="1"/>``) counts from 1904-01-01 instead, 1,462
  days later (ECMA-376 Part 1, §18.17.4.1), as does an ``.xls`` whose DATEMODE record says 1 ([MS-XLS]
  2.4.77), and an ``.ods`` from its ``table:null-date``; the summary says so.
  (Date *cells* are converted by python-calamine, which reads the flag itself; it does not expose it, hence the
  look into the zip);
- TRUE/FALSE as ``true``/``false``, durations as ``H:MM:SS``, empty cells and formulas without a cached value as
  empty.

Whole numbers of more than 15 digits (ids typed into Excel) may have lost their last digits in the workbook
itself: the import warns and names the column.
"""

from __future__ import annotations

import csv
import math
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from signalboost.errors import IngestError, SignalboostError, UsageError
from signalboost.i18n import L_
from signalboost.ingest.base import ReadOptions

#: Suffixes of spreadsheet workbooks; ``.numbers`` (Apple Numbers) cannot be read and is refused with what to do.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls (Excel 97-2003) compound file
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 = 1900-01-01 in Excel's 1900 date system (with its leap bug)
_EPOCH_1904 = datetime(1904, 1, 1)  # serial 0 in the 1904 date system = 1,462 days after the 1900 system's
_MAX_SERIAL = 2958465  # 9999-12-31
_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*?\bdate1904\s*=\s*[\"'](?:1|true)[\"']")
#: an OpenDocument spreadsheet's day 0 (ODF 1.2 Part 1, §9.4.2 ``<table:null-date>``; default 1899-12-30)
_NULL_DATE = re.compile(rb"<table:null-date\b[^>]*?\btable:date-value\s*=\s*[\"'](\d{4}-\d{2}-\d{2})")
#: An .xls's DATEMODE record (BIFF 0x0022, 2 bytes: 1 = the 1904 date system) and the CALCPRECISION record
#: (0x000E) that follows it in the workbook globals ([MS-XLS] 2.4.77 Date1904, 2.1.7.20.1 globals substream).
_DATEMODE = re.compile(rb"\x22\x00\x02\x00([\x00\x01])\x00\x0e\x00\x02\x00")
_XLS_HEAD = 1 << 20  # bytes of an .xls searched for its DATEMODE record (the globals precede the sheets)
_ODS_HEAD = 8 << 20  # bytes of content.xml read for its calculation settings (they precede the first table)
_EXACT = 2**53  # whole numbers past this are not all representable in a double (Excel keeps 15 digits)
#: Words in a header that say the column holds dates (besides the headers mapped to a date field).
_DATE_WORDS = ("date", "published", "publish", "posted", "created", "timestamp", "datum", "fecha", "dato")
HEAD_ROWS = 12  # rows of each sheet written to recognise its header


def is_workbook(path: Path, head: bytes) -> bool:
    """An Excel or OpenDocument workbook, by its name or its content (an ``.xlsx`` renamed ``.csv`` too)."""
    if not path.is_file():
        return False
    if path.suffix.lower() in WORKBOOK_SUFFIXES or head.startswith(_OLE):
        return True
    return head.startswith(b"PK\x03\x04") and _workbook_zip(path)


def _workbook_zip(path: Path) -> bool:
    """A zip holding ``xl/workbook.xml`` or an OpenDocument spreadsheet (its ``mimetype``)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist()[:200])
            if "xl/workbook.xml" in names:
                return True
            if "mimetype" in names and "content.xml" in names:
                return zf.read("mimetype")[:64].startswith(b"application/vnd.oasis.opendocument.spreadsheet")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return False
    return False


def cell_text(value: Any, *, date_column: bool = False, epoch: datetime = _EXCEL_EPOCH) -> str:
    """A cell as the text of a CSV cell (see the module docstring for the rules)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return str(value)
        if date_column and 1 <= number <= _MAX_SERIAL - (epoch - _EXCEL_EPOCH).days:  # to 9999-12-31
            return serial_text(number, epoch=epoch)
        if number.is_integer():
            return str(int(number))
        return format(number, ".15g")
    return str(value)


def serial_text(serial: float, *, epoch: datetime = _EXCEL_EPOCH) -> str:
    """An Excel serial date (1900 date system) as ISO text: ``45420`` -> ``2024-05-08``, ``45420.5`` ->
    ``2024-05-08 12:00:00`` (to the second). Days counted from 1899-12-30, which is right from 1900-03-01 on
    (Excel counts a 29 February 1900 that did not exist; earlier dates are implausible for posts anyway).
    ``epoch``: the workbook's day 0 (:func:`date_epoch`; 1904-01-01 in the 1904 date system)."""
    if float(serial).is_integer():
        return (epoch + timedelta(days=int(serial))).date().isoformat()
    moment = epoch + timedelta(seconds=round(serial * 86400))
    return moment.isoformat(sep=" ")


def date_epoch(path: Path) -> datetime:
    """Day 0 of the workbook's serial dates: 1904-01-01 for an ``.xlsx``/``.xlsm`` in the 1904 date system
    (``<workbookPr date1904="1"/>`` or ``"true"`` in ``xl/workbook.xml``); an ``.ods``'s
    ``<table:null-date table:date-value="…"/>`` (LibreOffice offers 1899-12-30, 1900-01-01 and 1904-01-01);
    else 1899-12-30 (the 1900 system). An ``.xls`` counts from 1904-01-01 when its DATEMODE record says 1
    (:func:`_xls_1904`)."""
    if _xls_1904(path):
        return _EPOCH_1904
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names:
                return _EPOCH_1904 if _DATE1904.search(zf.read("xl/workbook.xml")) else _EXCEL_EPOCH
            if "content.xml" in names:
                return _ods_null_date(zf)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        pass
    return _EXCEL_EPOCH


def _xls_1904(path: Path) -> bool:
    """Whether an ``.xls`` (an OLE2 compound file) is in the 1904 date system: the first DATEMODE record followed
    by CALCPRECISION, as Excel writes the workbook globals, in the first MiB of the file, says 1. The compound
    file's sector chains are not followed (the globals' first records lie in one sector in the files Excel,
    LibreOffice and xlwt write); no such pair found reads as the 1900 system, as before."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_XLS_HEAD)
    except OSError:
        return False
    if not head.startswith(_OLE):
        return False
    found = _DATEMODE.search(head)
    return found is not None and found.group(1) == b"\x01"


def _ods_null_date(zf: zipfile.ZipFile) -> datetime:
    """The ``table:null-date`` of an OpenDocument spreadsheet's ``content.xml`` (read up to its first table)."""
    head = b""
    with zf.open("content.xml") as fh:
        while len(head) < _ODS_HEAD and b"<table:table " not in head and b"<table:table>" not in head:
            chunk = fh.read(1 << 16)
            if not chunk:
                break
            head += chunk
    found = _NULL_DATE.search(head)
    return datetime.fromisoformat(found.group(1).decode()) if found else _EXCEL_EPOCH


def header_row(rows: Sequence[Sequence[Any]]) -> int:
    """The index of the header: the first of the first four rows with at least two filled cells (title lines
    above it, as LinkedIn's sheets have, are kept and skipped later like a CSV's)."""
    for i, row in enumerate(rows[:4]):
        if sum(1 for v in row if v not in (None, "")) >= 2:
            return i
    return 0


def date_columns(rows: Sequence[Sequence[Any]], is_date_header: Callable[[str], bool]) -> set[int]:
    """Columns read as dates: the header names a date, or most of the column's filled cells are dates."""
    if not rows:
        return set()
    h = header_row(rows)
    width = max(len(r) for r in rows)
    out: set[int] = set()
    for j in range(width):
        name = str(rows[h][j]) if j < len(rows[h]) and rows[h][j] is not None else ""
        cells = [r[j] for r in rows[h + 1 :] if j < len(r) and r[j] not in (None, "")]
        dated = sum(1 for v in cells if isinstance(v, date | datetime))
        if (name and is_date_header(name)) or (cells and dated * 2 > len(cells)):
            out.add(j)
    return out


def looks_like_date_header(name: str, field: str | None) -> bool:
    """A header naming a date: mapped to a date field, or holding a date word (``Date``, ``Publish time``)."""
    if field in ("created_at", "occurred_at", "observed_at"):
        return True
    words = "".join(c if c.isalnum() else " " for c in name.lower()).split()
    return any(w in _DATE_WORDS for w in words) and "per" not in words


def sheet_text(
    rows: Sequence[Sequence[Any]], is_date_header: Callable[[str], bool], *, epoch: datetime = _EXCEL_EPOCH
) -> tuple[list[list[str]], list[str]]:
    """``(text rows, columns with whole numbers past 2^53)`` of a sheet's cells (see :func:`cell_text`; serial
    dates counted from ``epoch``)."""
    dated = date_columns(rows, is_date_header)
    h = header_row(rows)
    inexact: list[str] = []
    out: list[list[str]] = []
    for i, row in enumerate(rows):
        text = []
        for j, v in enumerate(row):
            text.append(cell_text(v, date_column=j in dated and i > h, epoch=epoch))
            if i > h and isinstance(v, float) and abs(v) >= _EXACT and v.is_integer():
                name = str(rows[h][j]) if j < len(rows[h]) else str(j + 1)
                if name not in inexact:
                    inexact.append(name)
        out.append(text)
    return out, inexact


def write_csv(rows: Sequence[Sequence[str]], target: Path) -> None:
    """Write text rows as a UTF-8 CSV (comma, minimal quoting, ``\\n`` lines), trailing empty cells trimmed."""
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            writer.writerow(list(row) + [""] * (width - len(row)))


def _open(path: Path) -> Any:
    """The calamine workbook, or a clear error (a damaged or protected file, a budget past the limit)."""
    from python_calamine import CalamineWorkbook

    from signalboost.ingest.limits import current_budget

    if path.suffix.lower() == ".numbers":
        raise _cannot(path, L_("an Apple Numbers file"))
    if zipfile.is_zipfile(path):  # .xlsx / .ods: bounded like any zip (ratio, total) and charged to the budget
        from signalboost.ingest.archive import _zip_names

        _zip_names(path)
        with zipfile.ZipFile(path) as zf:
            current_budget().charge(sum(i.file_size for i in zf.infolist()), str(path))
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's errors (CalamineError, PasswordError, ZipError, XmlError …)
        raise _cannot(path, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc


def _cannot(path: Path, reason: str) -> IngestError:
    return IngestError(
        L_("cannot read the spreadsheet workbook ({reason})", reason=reason),
        where=str(path),
        hint=L_(
            "Open it and save the sheet of posts as 'CSV UTF-8', then import the CSV (a password-protected "
            "workbook must be saved without its password)"
        ),
    )


def sheet_rows(book: Any, name: str, path: Path, nrows: int | None = None) -> list[list[Any]]:
    """The cells of one sheet (from its first filled row), or a clear error."""
    try:
        rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(nrows=nrows)
    except Exception as exc:
        raise _cannot(path, f"{name}: {type(exc).__name__}") from exc
    while rows and not any(v not in (None, "") for v in rows[-1]):
        rows.pop()
    return rows


def visible_sheets(book: Any) -> tuple[list[str], list[str]]:
    """``(visible worksheets, hidden ones)`` in the workbook's order (chart sheets are neither)."""
    shown: list[str] = []
    hidden: list[str] = []
    for meta in book.sheets_metadata:
        if "WorkSheet" not in str(meta.typ):
            continue
        (shown if "Visible" in str(meta.visible) and "Hidden" not in str(meta.visible) else hidden).append(meta.name)
    return shown, hidden


@contextmanager
def as_csv(
    path: Path,
    options: ReadOptions,
    *,
    sheet: str | None,
    recognises: Callable[[Path], bool],
    is_date_header: Callable[[str], bool],
) -> Iterator[tuple[Path, str]]:
    """Yield ``(csv path, label)``: the chosen sheet written as a temporary UTF-8 CSV named after the workbook,
    and ``workbook!Sheet`` to record and show in its place. ``recognises(csv)`` says whether a format knows a
    sheet's header (tried on each sheet's first rows). Errors raised inside name ``workbook!Sheet``, never the
    temporary file."""
    book = _open(path)
    epoch = date_epoch(path)
    options.workbook = True
    shown, hidden = visible_sheets(book)
    with tempfile.TemporaryDirectory(prefix="signalboost-sheet-") as tmp:
        target = Path(tmp) / f"{path.stem}.csv"
        try:
            chosen = sheet if sheet is not None else None
            if chosen is not None and chosen not in shown + hidden:
                raise UsageError(
                    L_("the workbook has no sheet {sheet!r}", sheet=sheet),
                    where=f"{path} (--sheet)",
                    hint=L_("Its sheets: {names}", names=", ".join(repr(s) for s in shown + hidden)),
                )
            if chosen is None:
                for name in shown:
                    head, _ = sheet_text(sheet_rows(book, name, path, HEAD_ROWS), is_date_header, epoch=epoch)
                    if head:
                        write_csv(head, target)
                        if recognises(target):
                            chosen = name
                            break
            if chosen is None:
                raise IngestError(
                    L_("no sheet of the workbook has a header row Signalboost recognises"),
                    where=str(path),
                    hint=L_(
                        "Choose the sheet with --sheet NAME and map its columns with --map (sheets: {names})",
                        names=", ".join(repr(s) for s in shown + hidden),
                    ),
                )
            rows, inexact = sheet_text(sheet_rows(book, chosen, path), is_date_header, epoch=epoch)
            write_csv(rows, target)
            others = [s for s in shown + hidden if s != chosen]
            how = L_("--sheet") if sheet is not None else L_("the first sheet with a header a format recognises")
            options.note(L_("workbook: read sheet {sheet!r} ({how})", sheet=chosen, how=how))
            if epoch == _EPOCH_1904:
                options.note(L_("workbook: the 1904 date system (Excel for Mac): serial dates counted from 1904-01-01"))
            elif epoch != _EXCEL_EPOCH:
                options.note(
                    L_("workbook: serial dates counted from {day} (the workbook's null date)", day=epoch.date())
                )
            if others:
                options.note(L_("workbook: other sheets not read: {names}", names=", ".join(repr(s) for s in others)))
            for column in inexact:
                options.warn(
                    L_(
                        "{column}: whole numbers of more than 15 digits; Excel keeps 15 significant digits, so ids "
                        "like these may have lost their last digits in the workbook (export them as text)",
                        column=column,
                    )
                )
            label = f"{path}!{chosen}"
        finally:
            book.close()
        try:
            yield target, label
        except SignalboostError as exc:
            if exc.where and str(target) in exc.where:
                exc.where = exc.where.replace(str(target), label)
            raise
