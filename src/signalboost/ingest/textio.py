"""Text helpers shared by the importers: encodings, JSON with a JavaScript prefix, dates, numbers, HTML, mojibake."""

from __future__ import annotations

import codecs
import gzip
import html
import json
import re
import unicodedata
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from signalboost.errors import IngestError
from signalboost.i18n import L_

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
            raise IngestError(
                L_("damaged gzip file ({reason})", reason=str(exc)),
                where=str(path),
                hint=L_("Re-download the file"),
            ) from exc
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


#: The encodings ``--encoding`` accepts (Python codec names; common aliases are accepted too).
ENCODINGS = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "cp1252",
    "latin-1",
    "mac_roman",
)
#: Legacy single-byte code pages tried when a file is not UTF-8, best guess first on a tie.
LEGACY = ("cp1252", "mac_roman", "latin-1")
#: Non-ASCII characters common in real text written in these code pages (Western European letters and
#: typographic punctuation): each counts for a decoding.
_COMMON = set("éèêëàâäáãåçñóòôöõúùûüíìîïœæßøÉÈÊÀÂÄÁÇÑÓÔÖÚÜÍØÅ’‘“”–—…€«»°¿¡·£§©®™•")


def check_encoding(name: str) -> str:
    """The Python codec for ``--encoding NAME`` (``UTF8``, ``windows-1252``, ``macroman``, ``latin1`` …)."""
    from signalboost.errors import UsageError

    try:
        codec = codecs.lookup(name.strip()).name
        codec = {"mac-roman": "mac_roman", "iso8859-1": "latin-1"}.get(codec, codec)
    except LookupError:
        raise UsageError(
            L_("unknown encoding {name!r}", name=name),
            where="--encoding",
            hint=L_("Use one of: {choices}", choices=", ".join(ENCODINGS)),
        ) from None
    return codec


_OPENING = set("¿¡«“‘")
_CLOSING = set("»”")
#: marks that may stand right before a letter: opening quotes, the apostrophe (``’tis``), degrees (``20°C``), dashes
_BEFORE_LETTER = _OPENING | set("’°–—")


def _score(text: str) -> float:
    """How much a decoding looks like text: +2 per common accented letter or typographic mark, +0.5 per other
    letter inside a word, -1 per other symbol, -10 per control character or unmapped byte (U+FFFD); an upper-case
    letter right after a lower-case one (``cafŽ``) counts as a symbol, and so does a mark that is not a letter
    standing right before one (``…a``, ``na•ve``, ``h™tel``: Mac Roman's ``Öa``, ``naïve``, ``hôtel`` read as cp1252)
    unless it is an opening quote, the apostrophe, a degree sign or a dash."""
    score = 0.0
    prev = ""
    for i, ch in enumerate(text):
        if ch.isascii():
            prev = ch
            continue
        cat = unicodedata.category(ch)
        after = text[i + 1] if i + 1 < len(text) else ""
        if cat[0] == "C" or ch == "\ufffd":
            score -= 10
        elif (ch in _OPENING and prev.isalpha()) or (ch in _CLOSING and after.isalpha()):
            score -= 1  # "a¿", "»b": an opening mark after a letter, a closing one before
        elif not ch.isalpha() and after.isalpha() and ch not in _BEFORE_LETTER:
            score -= 1  # "…a", "•v": a mark that ends or separates words, glued to the next word
        elif ch in _COMMON and not (ch.isupper() and prev.islower()):
            score += 2
        elif cat[0] == "L" and prev.isalpha() and not (ch.isupper() and prev.islower()):
            score += 0.5
        else:
            score -= 1
        prev = ch
    return score


def detect_encoding(head: bytes) -> tuple[str, str | None]:
    """``(encoding, warning)`` for a text file from its head, by evidence.

    A BOM decides first (UTF-8-sig, UTF-16 LE/BE); NUL bytes in every other position mean UTF-16 without a BOM;
    then UTF-8 when the head decodes (a character cut at the end allowed); otherwise each legacy code page
    (cp1252, Mac Roman, Latin-1) decodes the head and the one whose text looks most like text wins
    (:func:`_score`: control characters and unmapped bytes lose), with a warning naming it.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) > len(sample) // 4:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd > 0.4 * (len(sample) // 2) and even == 0:
            return "utf-16-le", None
        if even > 0.4 * (len(sample) // 2) and odd == 0:
            return "utf-16-be", None
    try:
        head.decode("utf-8")
        return "utf-8", None
    except UnicodeDecodeError as exc:
        cut = len(head) >= HEAD_BYTES  # only a head cut from a longer file may end inside a character
        if cut and exc.start >= len(head) - 3 and exc.reason.startswith("unexpected end"):
            return "utf-8", None
    scored = [(_score(head.decode(enc, errors="replace")), -i, enc) for i, enc in enumerate(LEGACY)]
    enc = max(scored)[2]
    return enc, L_(
        "the file is not UTF-8; read it as {encoding} (check accented letters; --encoding to say otherwise)",
        encoding=enc,
    )


def decode_text(data: bytes, where: str, encoding: str | None = None) -> tuple[str, str | None]:
    """Decode bytes with ``encoding`` or :func:`detect_encoding` (whole content); a leading BOM is dropped."""
    enc, warning = (encoding, None) if encoding else detect_encoding(data[:HEAD_BYTES])
    try:
        return data.decode(enc).lstrip("\ufeff"), warning
    except UnicodeDecodeError as exc:
        if enc == "utf-8" and not encoding:
            guess, _ = detect_encoding(data[exc.start : exc.start + HEAD_BYTES])
            guess = guess if guess in LEGACY else "cp1252"
            return data.decode(guess, errors="replace"), L_(
                "the file is not valid UTF-8 past byte {byte!s}; read as {encoding}",
                byte=exc.start,
                encoding=guess,
            )
        raise IngestError(
            L_(
                "cannot decode the text as {encoding} ({reason})",
                encoding=enc,
                reason=exc.reason,
            ),
            where=f"{where} (byte {exc.start + 1})",
            hint=L_("Save the file as UTF-8, or pass the right --encoding (utf-8, cp1252, mac_roman, latin-1, utf-16)"),
        ) from exc


#: ``window.YTD.tweets.part0 = `` (2019+), ``Grailbird.data.tweets_2014_01 = `` and ``var user_details = ``
#: (2012-2018 archives): the prefix before the JSON.
_JS_PREFIX = re.compile(rb"^\s*(?:var\s+)?(?:window|Grailbird|[A-Za-z_$][A-Za-z0-9_$]*)[A-Za-z0-9_.$\[\]\"']*\s*=\s*")


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
        what = (
            L_("the JSON ends too early (truncated file?)")
            if exc.pos >= len(text) - 1
            else L_("invalid JSON: {msg}", msg=exc.msg)
        )
        raise IngestError(
            what,
            where=f"{where}:{exc.lineno}:{exc.colno}",
            hint=L_("Re-download the export; the file looks damaged"),
        ) from exc


def too_deep(where: str) -> IngestError:
    """The error for a document nested deeper than the parser (or the code walking it) can follow."""
    return IngestError(
        L_("the data is nested too deeply (hundreds of levels; a genuine export nests fewer than 20)"),
        where=where,
        hint=L_("This is not a genuine export; nothing was imported"),
    )


# ------------------------------------------------------------------------------------------------- dates
X_DATE = "%a %b %d %H:%M:%S %z %Y"  # "Wed Oct 10 20:19:24 +0000 2018"


def parse_x_date(value: str) -> datetime:
    """X's date format ``Wed Oct 10 20:19:24 +0000 2018`` to an aware UTC datetime (locale-independent)."""
    try:
        return datetime.strptime(value, X_DATE).astimezone(UTC)
    except ValueError:  # the 2012-2018 archive writes "2014-01-02 10:00:00 +0000"
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S %z").astimezone(UTC)


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


_CP1252_BYTE = {}
for _b in range(0x80, 0x100):
    try:
        _CP1252_BYTE[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:
        _CP1252_BYTE[chr(_b)] = _b  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: left as Latin-1 code points by most tools
for _b in range(0x80, 0xA0):
    _CP1252_BYTE.setdefault(chr(_b), _b)  # C1 controls: UTF-8 bytes read as Latin-1 (Meta's JSON)
_BYTE_CHARS = "".join(sorted(_CP1252_BYTE))
_LEAD2 = "".join(c for c, b in _CP1252_BYTE.items() if 0xC2 <= b <= 0xDF)
_LEAD3 = "".join(c for c, b in _CP1252_BYTE.items() if 0xE0 <= b <= 0xEF)
_LEAD4 = "".join(c for c, b in _CP1252_BYTE.items() if 0xF0 <= b <= 0xF4)
_CONT = "".join(c for c, b in _CP1252_BYTE.items() if 0x80 <= b <= 0xBF)
#: One UTF-8 character written as its bytes read in cp1252 / Latin-1 ("Ã©" for "é", "â€™" for "’", "ðŸ˜€").
_MOJIBAKE = re.compile(
    f"[{re.escape(_LEAD2)}][{re.escape(_CONT)}]|[{re.escape(_LEAD3)}][{re.escape(_CONT)}]{{2}}"
    f"|[{re.escape(_LEAD4)}][{re.escape(_CONT)}]{{3}}"
)


def _re2_class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):X}}}" for c in sorted(set(chars))) + "]"


#: A cheap RE2 (DuckDB) pre-test: a lead character followed by a continuation one; only such values are passed
#: to :func:`fix_mojibake`.
MOJIBAKE_HINT = _re2_class(_LEAD2 + _LEAD3 + _LEAD4) + _re2_class(_CONT)


def _undo(seq: str) -> str:
    """One mojibake sequence back to its character (unchanged when its bytes are not one UTF-8 character)."""
    try:
        return bytes(_CP1252_BYTE[c] for c in seq).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return seq


def fix_mojibake(text: str | None) -> str | None:
    """Repair double-encoded UTF-8 in any text (``"cafÃ©"`` -> ``"café"``, ``"itâ€™s"`` -> ``"it’s"``, emoji
    written as ``"ðŸ˜€"`` or Meta's ``\\u00f0\\u009f...``).

    A UTF-8 character whose bytes were read as cp1252 (or Latin-1) becomes a lead character (Â-ô) followed by 1-3
    characters of the continuation set (€ ‚ … ¿). Each such sequence is replaced by the character its bytes
    encode, but only when the text holds **no** sequence that is not one (so "Ãš" in an otherwise correct text
    stays) and at least one of them is a sequence no real word writes (:func:`_telltale`: ``Ã©``, ``â€™``,
    ``ðŸ˜€``). Correct text of any script is unchanged: its characters above U+00FF never match, and pairs of
    Latin letters like "Ãš" fail the telltale test (property-tested in tests/ingest/test_encodings.py).
    """
    if text is None or text.isascii():
        return text
    found = _MOJIBAKE.findall(text)
    if not found:
        return text
    if not any(_telltale(seq) for seq in found):
        return text
    fixed = _MOJIBAKE.sub(lambda m: _repair(m.group(0)), text)
    return fixed if "\ufffd" not in fixed or "\ufffd" in text else text


def _repair(seq: str) -> str:
    """The character a mojibake sequence encodes, or the sequence itself when that is a control character: no
    text writes U+0080-U+009F, so ``Âœ`` (French "Â" + "œ", bytes C2 9C) is letters, not a damaged U+009C."""
    fixed = _undo(seq)
    return seq if any(unicodedata.category(ch) == "Cc" for ch in fixed) else fixed


#: Continuation characters that real Latin words write after a capital (Czech "Úš…", French "Œ").
_WORD_LETTERS = set("ŠŒŽšœžŸ")
#: Continuation characters that follow a word ending in a capital (Danish "Æ" in quotes: "Æ”", "CAFÉ’s", "ÉTÉ…",
#: "CRÈME®"): closing quotes, ellipsis, dashes, bullet, trademark signs. As the second of a 2-byte sequence they are
#: no telltale (Cyrillic and Greek mojibake keeps others: "Ð°", "Ð¸", "Î±").
_WORD_CLOSERS = set("’”»›…–—•™®")


def _telltale(seq: str) -> bool:
    """A sequence no correct text writes: a 4-byte one (an emoji: ``ðŸ˜€``), one led by ``Ã`` or ``Â`` (``Ã©``,
    ``Ãº``), or one whose continuation characters are all non-letters (2 bytes: ``Ð¸``) or hold one (3 bytes:
    ``â€™``)."""
    if _repair(seq) == seq:
        return False
    if len(seq) == 4 or seq[0] in "ÃÂ":  # no word writes Ã or Â before one of € ‚ … ¿ š œ ž ª º
        return True
    tail = [ch not in _WORD_LETTERS and not unicodedata.category(ch).startswith("L") for ch in seq[1:]]
    if len(seq) == 2:  # every 2-byte lead is a capital (À-ß): a capital then ª º µ ƒ ˆ or a symbol is no word,
        # a capital then a closing quote, dash or ellipsis is a word's end
        return seq[1] not in _WORD_LETTERS and seq[1] not in _WORD_CLOSERS
    return any(tail)


HASHTAG = re.compile(r"(?<![\w&])#(\w{1,100})", re.UNICODE)
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{1,64})")


def hashtags_in(text: str | None) -> list[str]:
    return [h.lower() for h in HASHTAG.findall(text or "")]


def mentions_in(text: str | None) -> list[str]:
    return [m.lower().rstrip(".") for m in MENTION.findall(text or "")]


#: Free-text fields of the canonical tables, repaired by :func:`repair_rows` whatever the importer.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "posts": ("text",),
    "accounts": ("name", "bio"),
}


def repair_rows(table: str, rows: Any) -> Any:
    """:func:`fix_mojibake` on the free-text fields of a batch (a list of dicts, changed in place, or an Arrow
    table, returned anew)."""
    fields = TEXT_FIELDS.get(table, ())
    if not fields:
        return rows
    if isinstance(rows, list):
        for row in rows:
            for f in fields:
                value = row.get(f)
                if isinstance(value, str) and not value.isascii():
                    row[f] = fix_mojibake(value)
        return rows
    for f in fields:
        if f in rows.column_names:
            idx = rows.column_names.index(f)
            values = [fix_mojibake(v) for v in rows.column(f).to_pylist()]
            rows = rows.set_column(idx, rows.schema.field(idx), [values])
    return rows
