"""UCI "Facebook metrics" (Moro, Rita & Vala 2016): 500 posts of a cosmetics brand page in 2014, semicolon CSV.

Loads (platform "facebook", author "uci-cosmetics-page", an ``accounts`` row with ``is_brand`` TRUE):

- ``posts``: id ``uci-<data row number>`` (row 1 = the first data row, the newest post; stable across imports);
  ``format`` from Type (Photo->photo, Status->text, Link->link, Video->video); ``paid`` from Paid (NULL when
  empty); ``pillars`` = [action | product | inspiration] from Category 1/2/3 (the paper's labels).
- ``post_metrics``: reach, impressions, engaged_users, likes, comments, shares (the "Lifetime" figures; an empty
  cell is NULL, never 0), observed at :data:`OBSERVED_AT` (2015-01-01 00:00 UTC: after the last post of 2014; for
  another year 1 January after it, or the newest post's time for this year's table; the file carries no export
  time, so this content-derived time keeps re-imports idempotent).
- ``account_snapshots``: "Page total likes" as ``followers`` at each post's time.

**A copy with columns reordered or missing** loads: only Type and the month, weekday and hour are needed; a missing
metric, Paid or Category column is NULL in every row (never 0), a missing "Page total likes" gives no snapshots;
the summary names the missing columns.

**Dates are reconstructed.** The file has only month, weekday and hour (local page time), rows newest first, and no
year: the year is ``--year``, else the one year a file name holds (``page_2016.csv``), else 2014 (the UCI
dataset's), and the summary says which and why. Ids of another year than 2014 carry it (``uci-2016-<row>``), so
tables of two years do not overwrite each other.
We walk the rows oldest -> newest and give each the earliest date in its month, on its weekday (1 = Monday
… 7 = Sunday, ISO), at its hour, not before the previous post; if the month has no such day left, the last such
day of the month. Local time is Europe/Lisbon (the authors' page), converted to UTC. Deterministic, so ids,
times and re-imports agree. Only weekday × hour is real information; the day of the month is an estimate.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from signalboost.errors import UsageError
from signalboost.i18n import L_, N_
from signalboost.ingest.base import Batch, Format, Item, ReadOptions, Reject, malformed
from signalboost.ingest.registry import register
from signalboost.ingest.textio import decode_text

PAGE_ID = "uci-cosmetics-page"
YEAR = 2014
LOCAL_TZ = ZoneInfo("Europe/Lisbon")
OBSERVED_AT = datetime(2015, 1, 1, tzinfo=UTC)
HEADER_START = "Page total likes;Type;Category;Post Month;Post Weekday;Post Hour;Paid"
FORMATS = {"photo": "photo", "status": "text", "link": "link", "video": "video"}
PILLARS = {"1": "action", "2": "product", "3": "inspiration"}
METRICS = {
    "reach": "Lifetime Post Total Reach",
    "impressions": "Lifetime Post Total Impressions",
    "engaged_users": "Lifetime Engaged Users",
    "likes": "like",
    "comments": "comment",
    "shares": "share",
}


#: The columns the importer reads: a header holding them all (in any order) is this layout.
REQUIRED = frozenset([*HEADER_START.split(";"), *METRICS.values()])
#: The columns without which a row is no post of this layout (its type and time); the others may be missing.
CORE = frozenset(["Type", "Post Month", "Post Weekday", "Post Hour"])
#: Years read from a file name: 2004 (the plausible window's start) to 2099, as a whole number of four digits.
_YEAR_IN_NAME = re.compile(r"(?<![0-9])(20[0-9]{2})(?![0-9])")

#: Title lines a spreadsheet may hold above the header (a user's own workbook: "Facebook page posts, 2014").
MAX_TITLE_LINES = 3


def find_header(text: str) -> tuple[str, int] | None:
    """``(separator, title lines above the header)`` of the UCI layout, or None.

    The published file is ``;``-separated with the header first; the same table saved from a spreadsheet (an
    ``.xlsx`` sheet, which the importer reads as a comma CSV, or Excel's "CSV") is ``,``-separated and may have
    up to :data:`MAX_TITLE_LINES` title lines above its header. Copies made by other tools keep the columns but
    not their form: quoted header cells (R's ``write.csv``, which also adds a first column of row names), tabs,
    other column orders. So a header is a line whose cells, read as CSV with ``;``, ``,`` or tab, include every
    column the importer needs (:data:`CORE`) and at least one other it reads (:data:`REQUIRED`), in any order: a
    copy that dropped a metric column is still this layout (the column is NULL, see :func:`missing_columns`)."""
    lines = text.lstrip("\ufeff").split("\n", MAX_TITLE_LINES + 1)[: MAX_TITLE_LINES + 1]
    for skip, line in enumerate(lines):
        for sep in (";", ",", "\t"):
            if sep not in line:
                continue
            try:
                cells = {c.strip() for c in next(csv.reader([line.rstrip("\r")], delimiter=sep), [])}
            except csv.Error:  # not text of a table (a binary head, a stray carriage return)
                continue
            if cells >= CORE and len(cells & REQUIRED) > len(CORE):
                return sep, skip
    return None


def sniff(head: bytes, path: Path) -> float:
    if path.is_dir():
        return 0.0
    return 0.99 if find_header(head.decode("utf-8", "replace")) else 0.0


def assign_date(month: int, weekday: int, hour: int, previous: datetime | None, year: int = YEAR) -> datetime:
    """Earliest local time in ``month`` of ``year`` on ``weekday`` (1 = Monday) at ``hour``, not before ``previous``.

    When the month has no such time left, the last such day of the month. Returns an aware local datetime.
    """
    first = date(year, month, 1)
    offset = (weekday - 1 - first.weekday()) % 7
    day = first + timedelta(days=offset)
    last_ok = None
    while day.month == month:
        candidate = datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)
        last_ok = candidate
        if previous is None or candidate >= previous:
            return candidate
        day += timedelta(days=7)
    assert last_ok is not None
    return last_ok


def parse_uci(
    text: str, *, member: str | None = None, delimiter: str = ";", skip: int = 0
) -> tuple[list[dict[str, Any]], list[Reject]]:
    """Pure: the CSV text -> one dict per valid row (raw fields + ``line``, ``row``), and rejects.

    ``skip`` title lines above the header are passed over (line numbers stay those of the file)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for _ in range(skip):
            next(reader)
        header = next(reader)
    except StopIteration:
        return [], []
    rows: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    for row_number, fields in enumerate(reader, start=1):
        line = row_number + 1 + skip
        if not fields or all(not f.strip() for f in fields):
            continue
        raw = delimiter.join(fields)
        if len(fields) != len(header):
            rejects.append(Reject(line, raw, f"expected {len(header)} fields, found {len(fields)}", member))
            continue
        rec: dict[str, Any] = dict(zip(header, fields, strict=True))
        problem = _check(rec)
        if problem:
            rejects.append(Reject(line, raw, problem, member))
            continue
        rec["row"], rec["line"] = row_number, line
        rows.append(rec)
    return rows, rejects


def _check(rec: dict[str, str]) -> str | None:
    for col, lo, hi in (("Post Month", 1, 12), ("Post Weekday", 1, 7), ("Post Hour", 0, 23)):
        value = rec[col].strip()
        if not value.isdigit() or not lo <= int(value) <= hi:
            return f"{col} must be a whole number {lo}-{hi}, found {value!r}"
    if rec["Type"].strip().lower() not in FORMATS:
        return f"Type {rec['Type']!r} is not Photo, Status, Link or Video"
    if "Category" in rec and rec["Category"].strip() not in PILLARS:
        return f"Category {rec['Category']!r} is not 1, 2 or 3"
    for col in [*METRICS.values(), "Page total likes"]:
        value = rec.get(col, "").strip()
        if value and not value.isdigit():
            return f"{col} must be a whole number, found {value!r}"
    if rec.get("Paid", "").strip() not in ("", "0", "1"):
        return f"Paid must be 0, 1 or empty, found {rec['Paid']!r}"
    return None


def _num(value: str | None) -> int | None:
    """A count cell: empty, or a column the file does not have (None), is NULL, never 0."""
    value = (value or "").strip()
    return int(value) if value else None


def missing_columns(header: list[str]) -> list[str]:
    """The columns the importer reads that ``header`` lacks (stored as NULL), in the published file's order."""
    cells = {c.strip() for c in header}
    order = [*HEADER_START.split(";"), *METRICS.values()]
    return [c for c in order if c not in cells]


def observed_time(year: int, newest: datetime | None, now: datetime) -> datetime:
    """When the metrics were read, derived from the content (so re-imports agree): 1 January after ``year``
    (:data:`OBSERVED_AT` for 2014), or the newest post's time when that day has not come yet (a table of this year)."""
    after = datetime(year + 1, 1, 1, tzinfo=UTC)
    return after if after <= now or newest is None else newest


def to_canonical(
    rows: list[dict[str, Any]], year: int = YEAR, now: datetime | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Pure: parsed rows -> canonical rows per table, with reconstructed ``created_at`` in ``year`` (module doc)."""
    out: dict[str, list[dict[str, Any]]] = {"posts": [], "post_metrics": [], "account_snapshots": []}
    previous: datetime | None = None
    prefix = "uci-" if year == YEAR else f"uci-{year}-"  # 2014's ids stay those of every earlier import
    for rec in sorted(rows, key=lambda r: -int(r["row"])):  # oldest first
        local = assign_date(int(rec["Post Month"]), int(rec["Post Weekday"]), int(rec["Post Hour"]), previous, year)
        previous = local
        created = local.astimezone(UTC)
        post_id = f"{prefix}{rec['row']}"
        paid = rec.get("Paid", "").strip()
        category = rec.get("Category")
        out["posts"].append(
            {
                "platform": "facebook",
                "post_id": post_id,
                "author_id": PAGE_ID,
                "created_at": created,
                "format": FORMATS[rec["Type"].strip().lower()],
                "paid": None if paid == "" else paid == "1",
                "pillars": None if category is None else [PILLARS[category.strip()]],
            }
        )
        metrics = {k: _num(rec.get(col)) for k, col in METRICS.items()}
        out["post_metrics"].append({"platform": "facebook", "post_id": post_id, **metrics})
        likes = _num(rec.get("Page total likes"))
        if likes is not None:
            out["account_snapshots"].append(
                {"platform": "facebook", "account_id": PAGE_ID, "observed_at": created, "followers": likes}
            )
    newest = previous.astimezone(UTC) if previous is not None else None
    when = observed_time(year, newest, now or datetime.now(UTC))
    for m in out["post_metrics"]:
        m["observed_at"] = when
    return out


def table_year(path: Path, options: ReadOptions) -> int:
    """The year of the table's dates: ``--year``, else the one year the file name holds, else 2014; stated in the
    summary. A file name with several years is refused (which one is meant cannot be told)."""
    if options.year is not None:
        options.year_used = True
        if not 2004 <= options.year <= options.now.year:
            raise UsageError(
                L_("--year {year} is not a year of social posts (2004 to this year)", year=str(options.year)),
                where=f"{path} (--year)",
                hint=L_("Give the year the table's posts were published, e.g. --year 2016"),
            )
        options.note(L_("dates placed in {year} (--year)", year=str(options.year)))
        return options.year
    named = sorted({int(y) for y in _YEAR_IN_NAME.findall(path.name) if 2004 <= int(y) <= options.now.year})
    if len(named) > 1:
        raise UsageError(
            L_(
                "the file name names several years ({years}): the table's dates have no year of their own",
                years=", ".join(map(str, named)),
            ),
            where=str(path),
            hint=L_("Say which with --year, e.g. --year {year}", year=str(named[-1])),
        )
    if named:
        options.note(L_("dates placed in {year} (the year in the file name; --year to change)", year=str(named[0])))
        return named[0]
    options.note(
        L_(
            "dates placed in {year}: the table has no year and its file name names none (--year to change)",
            year=str(YEAR),
        )
    )
    return YEAR


def read_uci(path: Path, options: ReadOptions) -> Iterator[Item]:
    data = path.read_bytes()
    options.advance(len(data))
    text, warning = decode_text(data, str(path), options.encoding)
    if warning:
        options.warn(warning)
    found = find_header(text)
    if found is None:
        raise malformed(
            path,
            L_(
                "this is not the UCI Facebook metrics layout (header differs: it needs {columns} and a metric)",
                columns=", ".join(sorted(CORE)),
            ),
            line=1,
        )
    delimiter, skip = found
    if skip:
        options.skip(N_("title lines above the header"), skip)
    year = table_year(path, options)
    body = text.lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(body.split("\n", skip + 1)[skip]), delimiter=delimiter), [])
    missing = missing_columns(header)
    if missing:
        options.note(L_("columns not in the file, stored as NULL: {columns}", columns=", ".join(missing)))
    rows, rejects = parse_uci(body, delimiter=delimiter, skip=skip)
    yield from rejects
    canon = to_canonical(rows, year, options.now)
    newest = max((p["created_at"] for p in canon["posts"]), default=None)
    latest_likes = canon["account_snapshots"][-1]["followers"] if canon["account_snapshots"] else None
    account = {
        "platform": "facebook",
        "account_id": PAGE_ID,
        "name": (
            "Cosmetics brand page (UCI Facebook metrics, 2014)"
            if year == YEAR
            else f"Facebook page (UCI Facebook metrics layout, {year})"
        ),
        "followers": latest_likes,
        "is_brand": True,
        "observed_at": newest,
    }
    yield Batch("accounts", [account])
    yield Batch("posts", canon["posts"], rows_read=len(rows))
    yield Batch("post_metrics", canon["post_metrics"])
    yield Batch("account_snapshots", canon["account_snapshots"])


FORMAT = register(
    Format(
        name="facebook-uci",
        description=N_(
            "UCI 'Facebook metrics' semicolon CSV (cosmetics brand page, 2014; or its table saved from a "
            "spreadsheet). Dates reconstructed from "
            "month/weekday/hour: rows oldest->newest, earliest matching day not before the previous post, "
            "Europe/Lisbon time converted to UTC"
        ),
        loads=N_("posts (format, paid, pillars), post_metrics, account_snapshots (page likes), accounts"),
        sniff=sniff,
        read=read_uci,
        platform="facebook",
        extensions=(".csv",),
    )
)
