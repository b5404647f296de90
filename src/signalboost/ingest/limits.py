"""The limits of one import: how much may be decompressed, and how many rejected rows are kept.

A small zip or ``.gz`` can expand to gigabytes (CWE-409, "decompression bomb"); a file of junk can yield millions
of rejects. Both are bounded per import:

- **decompressed bytes** (:data:`DEFAULT_MAX_UNCOMPRESSED`, 512 MiB): the sum of the zip members an importer reads
  (checked against each member's declared size *before* inflating it, and the read never goes past that size) and
  of the bytes a ``.gz`` file expands to (counted while it is streamed to a temporary file, so it stops at the
  cap). Media inside an export (photos, videos) are never read and do not count; plain files and unpacked folders
  are not decompressed and do not count either. Change it with the environment variable
  ``SIGNALBOOST_MAX_UNCOMPRESSED`` (``2GiB``, ``800MB``, ``1073741824``);
- **a ``.gz`` stream's ratio**: past 64 MiB of output, a stream expanding more than :data:`MAX_STREAM_RATIO` times
  its compressed size is refused (real text compresses 3-10x; a bomb 1000x);
- **rejects kept** (:data:`DEFAULT_MAX_REJECTS`, 10,000 rows): every rejected row is counted in the import's
  ``rows_rejected``, only the first ones are stored in ``rejects`` (``SIGNALBOOST_MAX_REJECTS``);
- **working memory** (:func:`import_memory`): DuckDB's ``memory_limit`` for the import, for a CSV 1.5x the
  file's size from 256 MB to 1 GB, else 1 GB (``SIGNALBOOST_IMPORT_MEMORY`` sets it outright). Past it DuckDB
  spills its staging tables and hash tables to ``<workspace>/signalboost.duckdb.tmp``: slower, never wrong, so a
  large file does not take a fixed gigabyte and a small one is not slowed down. A first merge into a table with
  a primary key (posts, metrics, accounts: DuckDB keeps their ART indexes in memory, it cannot spill them) raises
  it by what the index will need (:func:`keyed_merge_memory`); a merge into a table that already holds rows of
  the platform (updates and anti-joins grow with the table) raises it to the fixed cap. An import that runs out
  of memory under a cap sized this way is rolled back and run once more under the fixed cap (nothing is lost).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from signalboost.errors import IngestError, UsageError
from signalboost.i18n import L_

DEFAULT_MAX_UNCOMPRESSED = 512 * 1024**2
DEFAULT_MAX_REJECTS = 10_000
MAX_STREAM_RATIO = 200
STREAM_RATIO_FLOOR = 64 * 1024**2
ENV_MAX_UNCOMPRESSED = "SIGNALBOOST_MAX_UNCOMPRESSED"
ENV_MAX_REJECTS = "SIGNALBOOST_MAX_REJECTS"
ENV_IMPORT_MEMORY = "SIGNALBOOST_IMPORT_MEMORY"
IMPORT_MEMORY_PER_BYTE = 1.5
MIN_IMPORT_MEMORY = 256 * 1000**2
MAX_IMPORT_MEMORY = 1000**3

_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "kib": 1024, "mib": 1024**2, "gib": 1024**3}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$", re.IGNORECASE)


def parse_size(text: str, *, where: str) -> int:
    """``"512MiB"`` -> 536870912; units B, KB/MB/GB (powers of 1000) and KiB/MiB/GiB (powers of 1024)."""
    m = _SIZE.match(text)
    if not m:
        raise UsageError(
            L_("{text!r} is not a size", text=text),
            where=where,
            hint=L_("Write a number of bytes with an optional unit: 2GiB, 800MB"),
        )
    value = float(m.group(1)) * _UNITS[(m.group(2) or "").lower()]
    if value < 1 or value > 2**62:
        raise UsageError(
            L_("{text!r} is out of range", text=text), where=where, hint=L_("Give a size from 1 byte to a few TiB")
        )
    return int(value)


def _env_int(name: str, default: int, *, size: bool) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if size:
        return parse_size(raw, where=name)
    if not raw.isdigit() or int(raw) < 1:
        raise UsageError(L_("{raw!r} is not a positive whole number", raw=raw), where=name, hint=L_("e.g. 100000"))
    return int(raw)


@dataclass(frozen=True)
class Limits:
    """``max_uncompressed``: bytes decompressed per import; ``max_rejects``: rejected rows stored per import."""

    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED
    max_rejects: int = DEFAULT_MAX_REJECTS

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, overridden by ``SIGNALBOOST_MAX_UNCOMPRESSED`` and ``SIGNALBOOST_MAX_REJECTS``."""
        return cls(
            max_uncompressed=_env_int(ENV_MAX_UNCOMPRESSED, DEFAULT_MAX_UNCOMPRESSED, size=True),
            max_rejects=_env_int(ENV_MAX_REJECTS, DEFAULT_MAX_REJECTS, size=False),
        )


#: Files whose import memory follows their size: plain delimited text, staged by DuckDB's CSV reader. Other inputs
#: keep the fixed cap: DuckDB's JSON reader buffers twice its largest object (a whole JSON array file may be one
#: object of up to 256 MiB), a .gz or a zip expands to an unknown size, Parquet decompresses by row group.
SIZED_SUFFIXES = (".csv", ".tsv", ".txt")


def fixed_import_memory() -> int:
    """The memory cap of an import whose input size says nothing: ``SIGNALBOOST_IMPORT_MEMORY``, else 1 GB."""
    return _env_int(ENV_IMPORT_MEMORY, MAX_IMPORT_MEMORY, size=True)


def import_memory(path: Path) -> int:
    """DuckDB's memory limit in bytes for importing ``path``: ``SIGNALBOOST_IMPORT_MEMORY`` when set; for a plain
    CSV/TSV file ``1.5 x`` its size clamped to [256 MB, 1 GB]; else 1 GB. The staged rows of a CSV take about as
    much memory as the file (ids and short text inline, a constant or unmapped column not at all), plus the hash
    table that finds repeated keys, so 1.5x keeps an ordinary import in memory while a 10M-row file spills part
    of it to disk instead of holding a gigabyte."""
    if os.environ.get(ENV_IMPORT_MEMORY, "").strip():
        return fixed_import_memory()
    if not (path.is_file() and path.suffix.lower() in SIZED_SUFFIXES):
        return MAX_IMPORT_MEMORY
    wanted = IMPORT_MEMORY_PER_BYTE * path.stat().st_size
    return int(min(max(wanted, MIN_IMPORT_MEMORY), MAX_IMPORT_MEMORY))


#: What one key of a PRIMARY KEY's ART index takes in DuckDB at most, in bytes: ``ART_BYTES_PER_KEY`` plus
#: ``ART_BYTES_PER_KEY_BYTE`` per byte of the key (its text columns' length, 8 per time). Measured with DuckDB 2.0
#: (one transaction, 500k keys): posts keys ('x', id) 52 B for 7-character ids, 69 B for 19-digit ids, 91 B for
#: UUIDs, 106 B for 64 hex digits; metrics keys (+ one observation time) 65-123 B; a second time under the same
#: keys 136 B (covered by :data:`ART_MARGIN` up to ~2M such rows; past it the import is retried, see above).
ART_BYTES_PER_KEY = 80
ART_BYTES_PER_KEY_BYTE = 1.5
#: Room besides the index during a keyed merge (the insert's own buffers, the rows being written, the scan).
ART_MARGIN = 128 * 1000**2


def keyed_merge_memory(current: int, art_now: int, rows: int, key_bytes: float) -> int:
    """DuckDB's memory limit for merging ``rows`` new keys of mean length ``key_bytes`` into a table with a
    PRIMARY KEY, when the import's cap is ``current`` and the indexes already in memory take ``art_now`` bytes:
    ``art_now + rows x (80 + 1.5 x key_bytes) + 128 MB``, at least ``current`` and at most the fixed cap
    (:func:`fixed_import_memory`; exactly ``SIGNALBOOST_IMPORT_MEMORY`` when that is set). The staged rows then
    spill to disk rather than sit beside the index; the index itself never has to."""
    fixed = fixed_import_memory()
    if os.environ.get(ENV_IMPORT_MEMORY, "").strip():
        return fixed
    need = art_now + rows * (ART_BYTES_PER_KEY + ART_BYTES_PER_KEY_BYTE * key_bytes) + ART_MARGIN
    return int(min(max(need, current), fixed))


def commit_memory(current: int, art_now: int) -> int:
    """DuckDB's memory limit for committing an import whose indexes take ``art_now`` bytes: the commit merges the
    transaction's index into the table's, which needs about as much again (a commit that runs out of memory
    invalidates the database until it is reopened; the import is then rolled back). ``2 x art_now + 128 MB``
    (nothing without an index), at least ``current``, at most the fixed cap; the staged rows, no longer needed,
    spill instead (2M posts: a commit under the fixed cap peaked ~230 MB higher)."""
    fixed = fixed_import_memory()
    if os.environ.get(ENV_IMPORT_MEMORY, "").strip():
        return fixed
    return int(min(max(2 * art_now + ART_MARGIN if art_now else 0, current), fixed))


def _mib(n: int) -> str:
    return f"{n / 1024**3:,.1f} GiB" if n >= 1024**3 else f"{n / 1024**2:,.0f} MiB"


class Budget:
    """The decompressed bytes one import may still read (see the module docstring)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def check(self, more: int, where: str) -> None:
        """Refuse before reading ``more`` bytes that would take the import past the limit."""
        if self.used + more > self.limit:
            raise IngestError(
                L_("the export expands to more than {size} of data (decompression limit)", size=_mib(self.limit)),
                where=where,
                hint=L_(
                    "Unpack it yourself and import the folder or plain file if you trust it, or raise the limit with "
                    "{variable}=2GiB; nothing was imported",
                    variable=ENV_MAX_UNCOMPRESSED,
                ),
            )

    def charge(self, n: int, where: str) -> None:
        """Count ``n`` bytes just decompressed (refusing once past the limit)."""
        self.check(n, where)
        self.used += n


_BUDGET: ContextVar[Budget | None] = ContextVar("signalboost_import_budget", default=None)


def current_budget() -> Budget:
    """The budget of the import running in this context (outside an import: a fresh one at the configured limit,
    so sniffing or a direct read is bounded too)."""
    budget = _BUDGET.get()
    return budget if budget is not None else Budget(Limits.from_env().max_uncompressed)


@contextmanager
def import_budget(limits: Limits) -> Iterator[Budget]:
    """Give the code inside one import's shared decompression budget."""
    budget = Budget(limits.max_uncompressed)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)
