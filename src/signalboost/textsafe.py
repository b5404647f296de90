"""Untrusted text made safe for the files we write: CSV cells (formula injection) and Markdown (no raw HTML).

Text from social networks (post captions, drafts, handles, bios) is untrusted. A CSV cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets
(``=HYPERLINK("http://evil")``, ``=cmd|' /C calc'!A0``). Every CSV writer of the package passes its cells
through :func:`csv_safe`. Source: OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection).

Markdown we write (reports, calendar grids) goes through :func:`md_escape`: no raw HTML, no accidental
headings, lists, links or table breaks. HTML is escaped by the templates themselves (Jinja2
``autoescape=True``, ``html.escape`` in hand-built pages).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

#: First characters that make a spreadsheet treat a cell as a formula (OWASP "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: A signed decimal number and nothing else ("-12", "+3.5", "-1e-3"): a spreadsheet reads it as a number.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formula injection: prefix text cells starting with = + - @ tab CR with a quote.

    Only where needed: numbers, and text that is one signed number ("-12", "+3.5"), are left alone (a number is
    not a formula, and the quote would turn it into text). Source: OWASP "CSV Injection".
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Any]], *, header: Sequence[str] | None = None) -> str:
    """Rows as CSV text (RFC 4180: quoted as needed, CRLF line ends), every cell passed through :func:`csv_safe`.

    ``None`` becomes an empty cell. The header, written by us, is not altered.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else csv_safe(v) for v in row])
    return buf.getvalue()


def md_escape(value: Any) -> str:
    """Markdown-safe inline text: backslash-escape the characters Markdown gives meaning to; no raw HTML."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    text = re.sub(r"([\\`*_\[\]|<>~])", r"\\\1", text)
    text = re.sub(r"^([#+=-])", r"\\\1", text)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
