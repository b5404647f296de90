"""UCI "Facebook metrics" (Moro, Rita & Vala 2016): 500 posts of a cosmetics brand page in 2014, semicolon CSV.

Loads (platform "facebook", author "uci-cosmetics-page", an ``accounts`` row with ``is_brand`` TRUE):

- ``posts``: id ``uci-<data row number>`` (row 1 = the first data row, the newest post; stable across imports);
  ``format`` from Type (Photo->photo, Status->text, Link->link, Video->video); ``paid`` from Paid (NULL when
  empty); ``pillars`` = [action | product | inspiration] from Category 1/2/3 (the paper's labels).
- ``post_metrics``: reach, impressions, engaged_users, likes, comments, shares (the "Lifetime" figures; an empty
  cell is NULL, never 0), observed at :data:`OBSERVED_AT` (2015-01-01 00:00 UTC: after the last post of 2014;
  the file carries no export time, so this fixed, content-derived time keeps re-imports idempotent).
- ``account_snapshots``: "Page total likes" as ``followers`` at each post's time.

**Dates are reconstructed.** The file has only month, weekday and hour (of 2014, local page time), rows newest
first. We walk the rows oldest -> newest and give each the earliest date in its month, on its weekday (1 = Monday
… 7 = Sunday, ISO), at its hour, not before the previous post; if the month has no such day left, the last such
day of the month. Local time is Europe/Lisbon (the authors' page), converted to UTC. Deterministic, so ids,
times and re-imports agree. Only weekday × hour is real information; the day of the month is an estimate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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

#: Title lines a spreadsheet may hold above the header (a user's own workbook: "Facebook page posts, 2014").
MAX_TITLE_LINES = 3


def find_header(text: str) -> tuple[str, int] | None:
    """``(separator, title lines above the header)`` of the UCI layout, or None.

    The published file is ``;``-separated with the header first; the same table saved from a spreadsheet (an
    ``.xlsx`` sheet, which the importer reads as a comma CSV, or Excel's "CSV") is ``,``-separated and may have
    up to :data:`MAX_TITLE_LINES` title lines above its header. Copies made by other tools keep the columns but
    not their form: quoted header cells (R's ``write.csv``, which also adds a first column of row names), tabs,
    other column orders. So a header is a line whose cells, read as CSV with ``;``, ``,`` or tab, include every
    column the importer reads (:data:`REQUIRED`), in any order."""
    lines = text.lstrip("\ufeff").split("\n", MAX_TITLE_LINES + 1)[: MAX_TITLE_LINES + 1]
    for skip, line in enumerate(lines):
        for sep in (";", ",", "\t"):
            if sep not in line:
                continue
            try:
                cells = {c.strip() for c in next(csv.reader([line.rstrip("\r")], delimiter=sep), [])}
            except csv.Error:  # not text of a table (a binary head, a stray carriage return)
                continue
            if cells >= REQUIRED:
                return sep, skip
    return None


def sniff(head: bytes, path: Path) -> float:
    if path.is_dir():
        return 0.0
    return 0.99 if find_header(head.decode("utf-8", "replace")) else 0.0


def assign_date(month: int, weekday: int, hour: int, previous: datetime | None) -> datetime:
    """Earliest local time in ``month`` of 2014 on ``weekday`` (1 = Monday) at ``hour``, not before ``previous``.

    When the month has no such time left, the last such day of the month. Returns an aware local datetime.
    """
    first = date(YEAR, month, 1)
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
    if rec["Category"].strip() not in PILLARS:
        return f"Category {rec['Category']!r} is not 1, 2 or 3"
    for col in [*METRICS.values(), "Page total likes"]:
        value = rec[col].strip()
        if value and not value.isdigit():
            return f"{col} must be a whole number, found {value!r}"
    if rec["Paid"].strip() not in ("", "0", "1"):
        return f"Paid must be 0, 1 or empty, found {rec['Paid']!r}"
    return None


def _num(value: str) -> int | None:
    value = value.strip()
    return int(value) if value else None


def to_canonical(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Pure: parsed rows -> canonical rows per table, with reconstructed ``created_at`` (see module doc)."""
    out: dict[str, list[dict[str, Any]]] = {"posts": [], "post_metrics": [], "account_snapshots": []}
    previous: datetime | None = None
    for rec in sorted(rows, key=lambda r: -int(r["row"])):  # oldest first
        local = assign_date(int(rec["Post Month"]), int(rec["Post Weekday"]), int(rec["Post Hour"]), previous)
        previous = local
        created = local.astimezone(UTC)
        post_id = f"uci-{rec['row']}"
        paid = rec["Paid"].strip()
        out["posts"].append(
            {
                "platform": "facebook",
                "post_id": post_id,
                "author_id": PAGE_ID,
                "created_at": created,
                "format": FORMATS[rec["Type"].strip().lower()],
                "paid": None if paid == "" else paid == "1",
                "pillars": [PILLARS[rec["Category"].strip()]],
            }
        )
        metrics = {k: _num(rec[col]) for k, col in METRICS.items()}
        out["post_metrics"].append({"platform": "facebook", "post_id": post_id, "observed_at": OBSERVED_AT, **metrics})
        likes = _num(rec["Page total likes"])
        if likes is not None:
            out["account_snapshots"].append(
                {"platform": "facebook", "account_id": PAGE_ID, "observed_at": created, "followers": likes}
            )
    return out


def read_uci(path: Path, options: ReadOptions) -> Iterator[Item]:
    data = path.read_bytes()
    options.advance(len(data))
    text, warning = decode_text(data, str(path), options.encoding)
    if warning:
        options.warn(warning)
    found = find_header(text)
    if found is None:
        raise malformed(path, L_("this is not the UCI Facebook metrics layout (header differs)"), line=1)
    delimiter, skip = found
    if skip:
        options.skip(N_("title lines above the header"), skip)
    rows, rejects = parse_uci(text.lstrip("\ufeff"), delimiter=delimiter, skip=skip)
    yield from rejects
    canon = to_canonical(rows)
    newest = max((p["created_at"] for p in canon["posts"]), default=None)
    latest_likes = canon["account_snapshots"][-1]["followers"] if canon["account_snapshots"] else None
    account = {
        "platform": "facebook",
        "account_id": PAGE_ID,
        "name": "Cosmetics brand page (UCI Facebook metrics, 2014)",
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
