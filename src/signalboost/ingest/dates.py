"""Dates as people write them, the time zone naive times are read in, and the plausible-date window.

One place decides, for every importer:

- **The window.** A social post, interaction or metric dated before :data:`EARLIEST` (2004-01-01: no social
  network of this project existed before) or more than :data:`FUTURE_SLACK` (one day) after the import is not
  stored: it is a reject with its reason (:func:`implausible`). A wrong date is never stored silently; the
  classic case is a two-digit year read with ``%Y`` ("8/1/12" read as the year 0012).
- **Per-column inference** (:func:`infer_plan`). Values are read one by one among ISO 8601, Unix seconds
  (9-10 digits) or milliseconds (12-13 digits), ``M/D/YY``, ``M/D/YYYY``, ``D/M/YYYY``, ``D.M.YYYY``,
  ``MM-DD-YYYY``, ``YYYY/MM/DD``, ``YYYY.MM.DD``, English month names ("May 8, 2020", "8 May 2020",
  "Friday, May 8, 2020 at 10:00 AM"), with or without seconds, 12- or 24-hour. Day-first vs month-first is
  decided per separator (``/``, ``.``, ``-``) from the evidence of the whole column: a value whose first part is
  above 12 can only be day-first, one whose second part is above 12 only month-first. With no evidence, ``/`` and
  ``-`` are read month-first (US) and ``.`` day-first (European), and the summary says so; with evidence both
  ways the column mixes orders, and each value is read where it is unambiguous (the others are rejects).
  Two-digit years map into 1970-2069.
- **Date-only values** ("2020-05-08", "5/8/2020") are stored at 00:00 in the import's time zone with
  ``date_only = TRUE`` (posts, interactions): analytics must not read an hour or weekday-hour from them.
- **Time zone.** Naive times are in the brand's time zone (``brand.timezone`` of strategy.yaml) unless
  ``--timezone`` says otherwise, else UTC; values with an offset (``Z``, ``+02:00``) keep it.

The SQL that applies a plan to a column is :func:`signalboost.store.ingest_dates_sql.date_sql`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from signalboost.i18n import L_, N_, L_join, LazyText

#: Nothing social is dated before this (Facebook, the oldest network here, opened in February 2004).
EARLIEST = datetime(2004, 1, 1, tzinfo=UTC)
#: How far after the import a date may lie (a time zone or clock off by hours, not a wrong year).
FUTURE_SLACK = timedelta(days=1)

#: The time fields checked against the window, per canonical table.
WINDOW_FIELDS: dict[str, tuple[str, ...]] = {
    "posts": ("created_at",),
    "interactions": ("occurred_at",),
    "post_metrics": ("observed_at",),
    "account_snapshots": ("observed_at",),
}


def latest(now: datetime | None = None) -> datetime:
    """The latest plausible time: now + :data:`FUTURE_SLACK`."""
    return (now or datetime.now(UTC)) + FUTURE_SLACK


def implausible(field_name: str, value: datetime | None, *, now: datetime | None = None) -> str | None:
    """The reject reason when ``value`` lies outside the plausible window, else ``None`` (``None`` passes)."""
    if value is None:
        return None
    when = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if when < EARLIEST:
        return (
            f"{field_name} {when:%Y-%m-%d} is before {EARLIEST:%Y-%m-%d}: not a plausible date (check the date format)"
        )
    if when > latest(now):
        return f"{field_name} {when:%Y-%m-%d %H:%M} is in the future: not a plausible date (check the date format)"
    return None


# ------------------------------------------------------------------------------------------------ inference
TIME = r"(?:(?:,?\s+(?:at\s+)?|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
ISO = r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|[+-]\d{2}(?::?\d{2})?|UTC))?)?"
NUMERIC = r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})" + TIME
YMD = r"\d{4}[/.]\d{1,2}[/.]\d{1,2}" + TIME
MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = r"(?:" + "|".join(MONTH_NAMES) + r")[a-z]*\.?"
NAMED = (
    r"(?:[a-z]+,?\s+)?(?:" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+\d{4})" + TIME
)
#: X / Twitter API dates, as tweet CSVs copy them: "Wed Oct 10 20:19:24 +0000 2018".
XDATE = r"[a-z]{3} [a-z]{3} \d{1,2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}"
EPOCH_S = r"\d{9,10}(?:\.\d+)?"
EPOCH_MS = r"\d{12,13}"
#: Every shape a value may have, in the order they are tried.
SHAPES: dict[str, str] = {
    "iso": ISO,
    "epoch_s": EPOCH_S,
    "epoch_ms": EPOCH_MS,
    "numeric": NUMERIC,
    "ymd": YMD,
    "named": NAMED,
    "xdate": XDATE,
}
_COMPILED = {name: re.compile(rx, re.IGNORECASE) for name, rx in SHAPES.items()}
_NUM_PARTS = re.compile(r"(\d{1,2})([/.-])(\d{1,2})[/.-]")
SEPARATORS = {"/": "slash", ".": "dot", "-": "dash"}
#: Default order of each separator when the column gives no evidence.
DEFAULT_ORDER = {"/": "mdy", "-": "mdy", ".": "dmy"}


def shape_of(value: str) -> str | None:
    """Which of :data:`SHAPES` a (trimmed) value has, or ``None``."""
    for name, rx in _COMPILED.items():
        if rx.fullmatch(value):
            return name
    return None


@dataclass
class DatePlan:
    """How a column's dates are read: explicit formats, or the order of each numeric separator.

    ``orders`` maps ``/``, ``.``, ``-`` to ``mdy``, ``dmy`` or ``mixed`` (each value by its own evidence).
    """

    timezone: str = "UTC"
    formats: tuple[str, ...] = ()
    orders: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ORDER))
    statement: str = ""
    shapes: tuple[str, ...] = ()


@dataclass
class Evidence:
    """Counts over a column's numeric dates, per separator: values whose first part is > 12 (day-first only),
    whose second part is > 12 (month-first only), and all of them."""

    day_first: dict[str, int] = field(default_factory=dict)
    month_first: dict[str, int] = field(default_factory=dict)
    numeric: dict[str, int] = field(default_factory=dict)

    def add(self, value: str) -> None:
        m = _NUM_PARTS.match(value)
        if m is None or not _COMPILED["numeric"].fullmatch(value):
            return
        a, sep, b = int(m[1]), m[2], int(m[3])
        self.numeric[sep] = self.numeric.get(sep, 0) + 1
        if a > 12:
            self.day_first[sep] = self.day_first.get(sep, 0) + 1
        if b > 12:
            self.month_first[sep] = self.month_first.get(sep, 0) + 1

    @classmethod
    def of(cls, values: Sequence[str]) -> Evidence:
        ev = cls()
        for v in values:
            ev.add(v.strip())
        return ev


_EXAMPLE = {"/": "M/D/YYYY", "-": "MM-DD-YYYY", ".": "D.M.YYYY"}


def infer_plan(
    column: str,
    shape_counts: dict[str, int],
    evidence: Evidence,
    *,
    timezone: str,
    formats: Sequence[str] = (),
) -> DatePlan:
    """The plan for one column: ``formats`` when given (``--date-format``), else the shapes seen and the day/month
    order of each numeric separator from ``evidence`` (see the module docstring). ``statement`` says it all in
    one line for the import summary."""
    if formats:
        return DatePlan(
            timezone=timezone,
            formats=tuple(formats),
            statement=L_(
                "{column}: dates read with --date-format {formats}", column=column, formats=" | ".join(formats)
            ),
        )
    shapes = tuple(s for s in SHAPES if shape_counts.get(s))
    orders = {sep: DEFAULT_ORDER[sep] for sep in evidence.numeric}
    said: list[LazyText] = []
    for sep, total in evidence.numeric.items():
        day, month = evidence.day_first.get(sep, 0), evidence.month_first.get(sep, 0)
        if day and month:
            orders[sep] = "mixed"
            said.append(
                L_(
                    "'{sep}' dates mix day-first ({day} with a first part > 12) and month-first ({month} with a "
                    "second part > 12): each value read by its own evidence, ambiguous ones rejected (pass "
                    "--date-format)",
                    sep=sep,
                    day=day,
                    month=month,
                )
            )
        elif day:
            orders[sep] = "dmy"
            said.append(
                L_(
                    "'{sep}' dates are day-first ({day} of {total} have a first part > 12)",
                    sep=sep,
                    day=day,
                    total=total,
                )
            )
        elif month:
            orders[sep] = "mdy"
            said.append(
                L_(
                    "'{sep}' dates are month-first ({month} of {total} have a second part > 12)",
                    sep=sep,
                    month=month,
                    total=total,
                )
            )
        else:
            first = L_("month-first") if DEFAULT_ORDER[sep] == "mdy" else L_("day-first")
            said.append(
                L_(
                    "'{sep}' dates could be day-first or month-first (no part above 12 in {total} values): read "
                    "{first} as {example} (pass --date-format to say otherwise)",
                    sep=sep,
                    total=total,
                    first=first,
                    example=_EXAMPLE[sep],
                )
            )
    kinds = (
        L_join(", ", [L_("{shape} ({n})", shape=L_(_SHAPE_WORDS[s]), n=shape_counts[s]) for s in shapes])
        if shapes
        else L_("no readable dates")
    )
    statement = L_join("; ", [L_("{column}: {kinds}", column=column, kinds=kinds), *said])
    return DatePlan(timezone=timezone, orders=orders, statement=statement, shapes=shapes)


def ambiguous_default(evidence: Evidence) -> bool:
    """Whether a separator's order was taken by default (no value above 12 either way)."""
    return any(not evidence.day_first.get(s) and not evidence.month_first.get(s) for s in evidence.numeric)


_SHAPE_WORDS = {
    "iso": N_("ISO 8601"),
    "epoch_s": N_("Unix seconds"),
    "epoch_ms": N_("Unix milliseconds"),
    "numeric": N_("numeric day/month dates"),
    "ymd": "YYYY/MM/DD",
    "named": N_("English month names"),
    "xdate": N_("X API dates (Wed Oct 10 20:19:24 +0000 2018)"),
}


def resolve_timezone(option: str | None, workspace: Any = None) -> tuple[str, str]:
    """``(zone, why)``: ``--timezone``, else the brand's (strategy.yaml), else UTC. Raises on an unknown zone."""
    from signalboost.errors import UsageError
    from signalboost.model.strategy import check_timezone

    if option:
        try:
            return check_timezone(option), "--timezone"
        except ValueError as exc:
            raise UsageError(
                str(exc), where="--timezone", hint=L_("Use an IANA name, e.g. Europe/Madrid or UTC")
            ) from None
    if workspace is not None:
        try:
            if workspace.has_strategy():
                return workspace.strategy().brand.timezone, L_("the brand's time zone in strategy.yaml")
        except Exception:  # a broken strategy must not block an import: say UTC and why
            return "UTC", L_("UTC (strategy.yaml could not be read)")
    return "UTC", L_("UTC (no strategy.yaml and no --timezone)")


def screen_rows(table: str, rows: Any, now: datetime) -> tuple[Any, list[tuple[dict[str, Any], str]]]:
    """Split a batch of canonical rows (dicts or an Arrow table) into the plausible ones and ``(row, reason)`` for
    each row with a time of :data:`WINDOW_FIELDS` outside the window. Used by the pipeline for every importer."""
    fields = WINDOW_FIELDS.get(table, ())
    if not fields:
        return rows, []
    if isinstance(rows, list):
        kept, bad = [], []
        for row in rows:
            reason = next((r for f in fields if (r := implausible(f, row.get(f), now=now))), None)
            if reason is None:
                kept.append(row)
            else:
                bad.append((row, reason))
        return kept, bad
    import pyarrow as pa
    import pyarrow.compute as pc

    present = [f for f in fields if f in rows.column_names]
    if not present or rows.num_rows == 0:
        return rows, []
    early, late = (
        pa.scalar(EARLIEST, pa.timestamp("us", tz="UTC")),
        pa.scalar(latest(now), pa.timestamp("us", tz="UTC")),
    )
    out = None
    for f in present:
        col = rows.column(f).cast(pa.timestamp("us", tz="UTC"))
        mask = pc.fill_null(pc.or_(pc.less(col, early), pc.greater(col, late)), False)
        out = mask if out is None else pc.or_(out, mask)
    if out is None or not pc.any(out).as_py():
        return rows, []
    bad_rows = rows.filter(out).to_pylist()
    return rows.filter(pc.invert(out)), [
        (row, next(r for f in present if (r := implausible(f, row.get(f), now=now)))) for row in bad_rows
    ]
