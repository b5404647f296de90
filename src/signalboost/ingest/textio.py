"""Text helpers shared by the importers: encodings, JSON with a JavaScript prefix, dates, numbers, HTML, mojibake."""

from __future__ import annotations

import codecs
import gzip
import html
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from signalboost.errors import IngestError

HEAD_BYTES = 64 * 1024


def read_head(path: Path, n: int = HEAD_BYTES) -> bytes:
    """The first ``n`` bytes of a file (decompressed when it is gzip); ``b""`` for a folder."""
    if path.is_dir():
        return b""
    with path.open("rb") as fh:
        head = fh.read(n)
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.open(path, "rb") as gz:
                return gz.read(n)
        except (OSError, EOFError) as exc:
            raise IngestError(f"damaged gzip file ({exc})", where=str(path), hint="Re-download the file") from exc
    return head


def looks_binary(head: bytes) -> bool:
    """NUL bytes outside UTF-16 text, or many control characters: not a text file."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head[:4096] if b < 32 and b not in (9, 10, 13, 12))
    return ctrl > 0.05 * min(len(head), 4096)


def detect_encoding(head: bytes) -> tuple[str, str | None]:
    """``(encoding, warning)`` for a text file from its head.

    BOMs decide first (UTF-8-sig, UTF-16 LE/BE); then UTF-8 if the head decodes (allowing a character cut at the
    end); otherwise a legacy single-byte code page, with a warning: mac_roman when accented letters sit in
    0x80-0x9F and the 0xC0-0xFF range is rare (Mac Excel), else cp1252 (Windows Excel).
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    try:
        head.decode("utf-8")
        return "utf-8", None
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason.startswith("unexpected end"):
            return "utf-8", None
    high_low = sum(1 for b in head if 0x80 <= b <= 0x9F)
    high_high = sum(1 for b in head if b >= 0xC0)
    enc = "mac_roman" if high_low > 2 * high_high else "cp1252"
    return enc, f"the file is not UTF-8; read it as {enc} (check accented letters; save as UTF-8 to be sure)"


def decode_text(data: bytes, where: str) -> tuple[str, str | None]:
    """Decode bytes with :func:`detect_encoding` (whole content)."""
    enc, warning = detect_encoding(data[:HEAD_BYTES])
    try:
        return data.decode(enc), warning
    except UnicodeDecodeError as exc:
        if enc == "utf-8":
            enc = "cp1252"
            return data.decode(
                enc, errors="replace"
            ), f"the file is not valid UTF-8 past byte {exc.start}; read as cp1252"
        raise IngestError(
            f"cannot decode the text as {enc} ({exc.reason})",
            where=f"{where} (byte {exc.start + 1})",
            hint="Save the file as UTF-8 (e.g. a spreadsheet's 'CSV UTF-8') and import it again",
        ) from exc


_JS_PREFIX = re.compile(rb"^\s*window\.[A-Za-z0-9_.$\[\]\"']+\s*=\s*")


def load_js_json(data: bytes, where: str) -> Any:
    """Parse an X archive part (``window.YTD.tweets.part0 = [...]``) or plain JSON; clear error when truncated."""
    m = _JS_PREFIX.match(data)
    body = data[m.end() :] if m else data
    text = body.decode("utf-8-sig", errors="strict").strip().rstrip(";")
    return loads_json(text, where)


def loads_json(text: str, where: str, *, pairs_hook: Any = None) -> Any:
    """Parse JSON text; a located :class:`IngestError` when it is invalid, truncated or nested too deeply (Python's
    parser recurses per level and stops near 1,000 levels; real exports nest fewer than 20)."""
    try:
        return json.loads(text, object_pairs_hook=pairs_hook)
    except RecursionError as exc:
        raise too_deep(where) from exc
    except json.JSONDecodeError as exc:
        what = "the JSON ends too early (truncated file?)" if exc.pos >= len(text) - 1 else f"invalid JSON: {exc.msg}"
        raise IngestError(
            what, where=f"{where}:{exc.lineno}:{exc.colno}", hint="Re-download the export; the file looks damaged"
        ) from exc


def too_deep(where: str) -> IngestError:
    """The error for a document nested deeper than the parser (or the code walking it) can follow."""
    return IngestError(
        "the data is nested too deeply (hundreds of levels; a genuine export nests fewer than 20)",
        where=where,
        hint="This is not a genuine export; nothing was imported",
    )


# ------------------------------------------------------------------------------------------------- dates
X_DATE = "%a %b %d %H:%M:%S %z %Y"  # "Wed Oct 10 20:19:24 +0000 2018"


def parse_x_date(value: str) -> datetime:
    """X's date format ``Wed Oct 10 20:19:24 +0000 2018`` to an aware UTC datetime (locale-independent)."""
    return datetime.strptime(value, X_DATE).astimezone(UTC)


def parse_iso(value: str) -> datetime:
    """ISO 8601 (``Z`` accepted) to aware UTC; naive times are taken as UTC."""
    dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def from_unix(value: float) -> datetime:
    """Unix seconds to aware UTC; ``ValueError`` for NaN, infinite or out-of-range times (not a traceback)."""
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"{value!r} is not a Unix time in range") from exc


# ------------------------------------------------------------------------------------------------- numbers
MAX_COUNT = 2**63 - 1  # the largest value the BIGINT metric columns hold
_DIGITS = re.compile(r"^\+?\d{1,19}$")


def to_count(value: Any) -> int | None:
    """A count field (likes, shares …) to ``int``: X-style strings (``"12"``), ints and whole floats (``1.0``,
    ``"1e3"``); empty or missing -> ``None`` (unreported, never 0).

    Raises ``ValueError`` with the reason for anything else: negative, fractional (``1.5`` is not rounded),
    NaN, infinite, beyond :data:`MAX_COUNT`, a boolean or text.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a count (a whole number from 0)")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _DIGITS.match(text):
            n = int(text)
        else:
            try:
                f = float(text) if len(text) <= 64 else float("nan")
            except ValueError:
                raise ValueError(f"{text[:40]!r} is not a count (a whole number from 0)") from None
            n = _whole(f, text)
    elif isinstance(value, int):
        n = value
    elif isinstance(value, float):
        n = _whole(value, repr(value))
    else:
        raise ValueError(f"{str(value)[:40]!r} is not a count (a whole number from 0)")
    if n < 0:
        raise ValueError(f"{n} is negative (a count is a whole number from 0)")
    if n > MAX_COUNT:
        raise ValueError(f"{str(value)[:40]} is too large for a count (at most {MAX_COUNT:,})")
    return n


def _whole(f: float, shown: str) -> int:
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError(f"{shown[:40]!r} is not a count (a whole number from 0)")
    if not f.is_integer():
        raise ValueError(f"{shown[:40]!r} is not a whole number (a count is not rounded)")
    return int(f)


# ------------------------------------------------------------------------------------------------- html
class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str | None) -> str | None:
    """Mastodon's HTML ``content`` to plain text: paragraphs to blank lines, ``<br>`` to newlines, entities decoded;
    links keep their full URL (Mastodon hides parts of it in ``invisible`` spans, which we keep)."""
    if markup is None:
        return None
    if "<" not in markup:
        return html.unescape(markup)
    parser = _Text()
    parser.feed(markup)
    parser.close()
    spans = "".join(parser.parts)
    return re.sub(r"[ \t]+\n", "\n", spans).strip()


def fix_mojibake(text: str | None) -> str | None:
    """Repair Meta's double-encoded UTF-8 (``"cafÃ©"`` -> ``"café"``; emoji written as ``\\u00f0\\u009f...``).

    Meta's "Download your information" JSON writes each UTF-8 *byte* as a code point U+0000-U+00FF. When every
    character is below U+0100, re-encode as Latin-1 and decode as UTF-8; if that fails the text was fine.
    """
    if text is None or text.isascii() or any(ord(c) > 0xFF for c in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return text


HASHTAG = re.compile(r"(?<![\w&])#(\w{1,100})", re.UNICODE)
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{1,64})")


def hashtags_in(text: str | None) -> list[str]:
    return [h.lower() for h in HASHTAG.findall(text or "")]


def mentions_in(text: str | None) -> list[str]:
    return [m.lower().rstrip(".") for m in MENTION.findall(text or "")]
