"""Tables for people: the rows of a command's table with headers and values in the reader's language.

JSON and CSV keep the field names and raw values (identifiers a script reads); a table is for a person, so its
headers are words in the active language and its values are formatted by Babel (``1 234,5``, ``4. des. 2026``,
``ja``/``nei``). Used by the influence, outreach, audience and competitors commands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from signalboost.i18n import _, format_date, format_datetime, format_number, format_significant

Cell = Callable[[Any], str]


def value_words(value: Any) -> Any:
    """A word value (a stage, a mode, a trend, a role) in the active language; anything else as it is."""
    from signalboost.outreach.words import value_words as words

    return words(value)


def cell(value: Any) -> str:
    """A value for a person: numbers by Babel (three significant digits for fractions), dates and times in the
    locale's form, yes/no, lists joined, ``—`` for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        return format_number(round(value)) if abs(value) >= 1000 else format_significant(value, digits=3)
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return format_date(value)
        return format_datetime(value, "short")
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(cell(v)) for v in value) or "—"
    return str(value_words(value))


def table_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    labels: Mapping[str, str],
    cells: Mapping[str, Cell] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """``rows`` for a table: each of ``columns`` under its label (``labels``: column → msgid, translated here;
    a column without one keeps its name) with its value through ``cells[column]`` or :func:`cell`. Returns the
    rows and the headers (the ``columns=`` of ``emit_rows``)."""
    fns = cells or {}
    heads = [_(labels[c]) if c in labels else c for c in columns]
    out = [{h: fns.get(c, cell)(r.get(c)) for c, h in zip(columns, heads, strict=True)} for r in rows]
    return out, heads
