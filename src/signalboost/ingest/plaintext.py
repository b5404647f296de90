"""Hand DuckDB a plain UTF-8 file: gzip is decompressed and legacy encodings transcoded, in 1 MiB chunks.

DuckDB's ``read_csv`` parses in parallel only an uncompressed file, and reads UTF-8 only; copying through a
temporary file keeps memory flat (one chunk at a time) and lets the progress bar follow the bytes. A ``.gz`` stream
is charged to the import's decompression budget as it expands, and refused once it expands more than
:data:`~signalboost.ingest.limits.MAX_STREAM_RATIO` times past 64 MiB (:mod:`signalboost.ingest.limits`).
"""

from __future__ import annotations

import codecs
import gzip
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from signalboost.errors import IngestError
from signalboost.i18n import L_
from signalboost.ingest.base import ReadOptions
from signalboost.ingest.limits import MAX_STREAM_RATIO, STREAM_RATIO_FLOOR, Budget, current_budget
from signalboost.ingest.textio import detect_encoding, read_head

CHUNK = 1 << 20


class _Counting:
    """Wrap a raw file so progress follows the bytes read from disk."""

    def __init__(self, fh: BinaryIO, options: ReadOptions) -> None:
        self.fh = fh
        self.options = options
        self.consumed = 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.consumed += len(data)
        self.options.advance(len(data))
        return data


class _Inflating:
    """Wrap a gzip stream: charge what it expands to against the budget, refuse a bomb's ratio early."""

    def __init__(self, gz: Any, raw: _Counting, budget: Budget, where: str) -> None:
        self.gz, self.raw, self.budget, self.where = gz, raw, budget, where
        self.produced = 0

    def read(self, n: int = -1) -> bytes:
        data: bytes = self.gz.read(n)
        self.produced += len(data)
        self.budget.charge(len(data), self.where)
        if self.produced > STREAM_RATIO_FLOOR and self.produced > MAX_STREAM_RATIO * max(self.raw.consumed, 1):
            raise IngestError(
                L_(
                    "the compressed file expands {ratio:,.0f}x (a decompression bomb?)",
                    ratio=self.produced / max(self.raw.consumed, 1),
                ),
                where=self.where,
                hint=L_("This is not a genuine export; nothing was imported"),
            )
        return data


@contextmanager
def plain_utf8(path: Path, options: ReadOptions) -> Iterator[Path]:
    """Yield a path DuckDB can read as UTF-8: ``path`` itself when it already is, else a temporary copy."""
    head = read_head(path)
    if options.encoding:
        encoding, warning = options.encoding, None
        options.note(L_("encoding: {encoding} (--encoding)", encoding=encoding))
    else:
        encoding, warning = detect_encoding(head)
        if not options.workbook:  # a workbook's cells were written as UTF-8 by us: the workbook has no encoding
            options.note(L_("encoding: {encoding} (detected)", encoding=encoding))
    if warning:
        options.warn(warning)
    with path.open("rb") as raw:
        gz = raw.read(2) == b"\x1f\x8b"
    if not gz and encoding in ("utf-8", "utf-8-sig", "utf_8"):
        options.advance(path.stat().st_size)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="signalboost-import-") as tmp:
        out_path = Path(tmp) / (path.name.removesuffix(".gz") or "data.txt")
        try:
            with path.open("rb") as raw, out_path.open("wb") as out:
                counted = _Counting(raw, options)
                src: Any = counted
                if gz:
                    inflate = gzip.GzipFile(fileobj=counted, mode="rb")  # type: ignore[call-overload]
                    src = _Inflating(inflate, counted, current_budget(), str(path))
                if encoding in ("utf-8", "utf-8-sig", "utf_8"):
                    shutil.copyfileobj(src, out, CHUNK)
                else:
                    _transcode(src, out, encoding)
        except (OSError, EOFError) as exc:
            raise IngestError(
                L_("the compressed file is damaged ({reason})", reason=str(exc)),
                where=str(path),
                hint=L_("Re-download it"),
            ) from exc
        except UnicodeDecodeError as exc:
            raise IngestError(
                L_("cannot decode the text as {encoding} ({reason})", encoding=encoding, reason=exc.reason),
                where=str(path),
                hint=L_("Save the file as UTF-8 (e.g. a spreadsheet's 'CSV UTF-8') and import it again"),
            ) from exc
        yield out_path


def _transcode(src: BinaryIO, out: BinaryIO, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    first = True
    while True:
        chunk = src.read(CHUNK)
        if not chunk:
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
            return
        text = decoder.decode(chunk)
        if first:
            text = text.removeprefix("\ufeff")
            first = False
        out.write(text.encode("utf-8"))
