"""The vocabulary every importer shares: formats, batches of canonical rows, rejects, options and results.

An importer is a :class:`Format`: ``sniff(head, path)`` returns a confidence in [0, 1] that the file (or folder,
or zip) is in this format, and ``read(path, options)`` streams :class:`Batch` (canonical rows as Python dicts or an
Arrow table), :class:`SqlStage` (a DuckDB ``SELECT`` over the file, for delimited files too large for Python) and
:class:`Reject` items. The pipeline (:mod:`signalboost.ingest.pipeline`) stages them and merges them into the
workspace database inside one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signalboost.errors import IngestError
from signalboost.i18n import L_

if TYPE_CHECKING:
    import pyarrow as pa

#: Canonical tables an importer may write, in the order they are merged.
LOAD_TABLES: tuple[str, ...] = (
    "accounts",
    "account_snapshots",
    "posts",
    "post_metrics",
    "follows",
    "interactions",
)

INTERACTION_KINDS: tuple[str, ...] = ("like", "reply", "repost", "quote", "mention")

#: Arrow's names of the column types (``str(pyarrow type)``); :mod:`signalboost.store.ingest_sql` maps them to DuckDB's.
STRING, TIME, COUNT, NUMBER, FLAG, TEXTS = (
    "string",
    "timestamp[us, tz=UTC]",
    "int64",
    "double",
    "bool",
    "list<item: string>",
)

#: The columns of the staged rows of each table (the canonical columns minus ``source``) and their types: what the
#: SQL of an import needs, without importing pyarrow (~36 MB that a CSV read by DuckDB never uses). The Arrow
#: schemas (:data:`SCHEMAS`) are built from it when first used.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "accounts": (
        ("platform", STRING),
        ("account_id", STRING),
        ("handle", STRING),
        ("name", STRING),
        ("bio", STRING),
        ("followers", COUNT),
        ("following", COUNT),
        ("posts_count", COUNT),
        ("created_at", TIME),
        ("is_brand", FLAG),
        ("observed_at", TIME),
        ("category", STRING),  # an account list's category (migration 111)
    ),
    "account_snapshots": (
        ("platform", STRING),
        ("account_id", STRING),
        ("observed_at", TIME),
        ("followers", COUNT),
        ("following", COUNT),
        ("posts_count", COUNT),
    ),
    "posts": (
        ("platform", STRING),
        ("post_id", STRING),
        ("author_id", STRING),
        ("created_at", TIME),
        ("text", STRING),
        ("format", STRING),
        ("hashtags", TEXTS),
        ("mentions", TEXTS),
        ("reply_to", STRING),
        ("repost_of", STRING),
        ("quote_of", STRING),
        ("url", STRING),
        ("visibility", STRING),
        ("language", STRING),
        ("paid", FLAG),
        ("pillars", TEXTS),
        ("tactic", STRING),
        ("date_only", FLAG),
        ("content_warning", STRING),  # Mastodon's CW (migration 110); the text stays the body
    ),
    "post_metrics": (
        ("platform", STRING),
        ("post_id", STRING),
        ("observed_at", TIME),
        ("impressions", COUNT),
        ("reach", COUNT),
        ("likes", COUNT),
        ("comments", COUNT),
        ("shares", COUNT),
        ("saves", COUNT),
        ("clicks", COUNT),
        ("views", COUNT),
        ("engaged_users", COUNT),
        ("quotes", COUNT),
    ),
    "follows": (
        ("platform", STRING),
        ("follower_id", STRING),
        ("followee_id", STRING),
        ("observed_at", TIME),
    ),
    "interactions": (
        ("platform", STRING),
        ("actor_id", STRING),
        ("kind", STRING),
        ("target_post_id", STRING),
        ("target_account_id", STRING),
        ("occurred_at", TIME),
        ("weight", NUMBER),
        ("date_only", FLAG),
    ),
}


def _arrow_type(name: str) -> pa.DataType:
    import pyarrow as pa

    types = {
        STRING: pa.string(),
        TIME: pa.timestamp("us", tz="UTC"),
        COUNT: pa.int64(),
        NUMBER: pa.float64(),
        FLAG: pa.bool_(),
        TEXTS: pa.list_(pa.string()),
    }
    return types[name]


@cache
def schemas() -> dict[str, pa.Schema]:
    """Arrow schema of the staged rows of each table (:data:`FIELDS`), built on first use (imports pyarrow)."""
    import pyarrow as pa

    return {table: pa.schema([(c, _arrow_type(t)) for c, t in cols]) for table, cols in FIELDS.items()}


if TYPE_CHECKING:
    #: Arrow schema of the staged rows of each table (the canonical columns minus ``source``).
    SCHEMAS: dict[str, pa.Schema]


def __getattr__(name: str) -> Any:
    """``SCHEMAS`` (the Arrow schemas) is built when first imported: pyarrow is not loaded before it is used."""
    if name == "SCHEMAS":
        return schemas()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Key columns of each table (what "the same row" means; re-imports are de-duplicated on them).
KEYS: dict[str, tuple[str, ...]] = {
    "accounts": ("platform", "account_id"),
    "account_snapshots": ("platform", "account_id", "observed_at"),
    "posts": ("platform", "post_id"),
    "post_metrics": ("platform", "post_id", "observed_at"),
    "follows": ("platform", "follower_id", "followee_id"),
    "interactions": ("platform", "actor_id", "kind", "target_post_id", "target_account_id", "occurred_at"),
}

#: The counts of ``post_metrics``: every column but its key (impressions, reach, likes, …, quotes).
METRIC_FIELDS: tuple[str, ...] = tuple(name for name, _ in FIELDS["post_metrics"] if name not in KEYS["post_metrics"])


@dataclass
class Reject:
    """A source record that could not be loaded: where it was, what it said, and why."""

    line: int | None
    raw: str
    reason: str
    member: str | None = None  # file inside a zip or folder, e.g. "data/tweets.js"


@dataclass
class Batch:
    """Canonical rows for one table: Python dicts (missing keys are NULL) or an Arrow table of :data:`SCHEMAS`.

    ``rows_read`` is how many source records this batch accounts for (so the read count is honest when one
    record yields rows in several tables, it is counted on one batch only).
    """

    table: str
    rows: list[dict[str, Any]] | pa.Table
    rows_read: int = 0

    def to_arrow(self) -> pa.Table:
        if not isinstance(self.rows, list):  # an Arrow table already
            return self.rows
        import pyarrow as pa

        return pa.Table.from_pylist(self.rows, schema=schemas()[self.table])


@dataclass
class SqlStage:
    """A DuckDB ``SELECT`` (built in :mod:`signalboost.store.ingest_sql`) yielding the table's canonical columns
    (but the ``fixed`` ones) plus ``_reason`` (NULL when valid); ``line_sql`` is the same read with ``_line``
    (source line) and ``_raw`` (the raw record), run only when some rows are invalid, to give each reject its
    line."""

    table: str
    sql: str
    line_sql: str
    count_read: bool = True  # False when another stage already counted the same source rows
    #: Columns the same for every row (``'x' AS platform, NULL AS url``), left out of ``sql`` so the stage holds
    #: only what varies (a NULL or constant column costs as much staged memory as a filled one).
    fixed: str = ""
    #: Other tables read from the same staged rows, as ``(table, SELECT over _staged)``: merged after
    #: ``table`` without reading the file again (a posts file's metrics).
    also: tuple[tuple[str, str], ...] = ()
    #: An account list observed at the import's own time (the file gives none): an account stored earlier with
    #: the same values keeps its observation time, so re-importing the list changes nothing.
    clock_observed: bool = False
    #: The file line of the first staged row minus one (the header's line; 0 when the rows start the file): the
    #: line a row that contradicts an earlier one is reported at (``ingest_repeats_sql``).
    line_offset: int = 0


@dataclass
class FollowSnapshot:
    """The export lists *every* follower of ``account_id`` (side ``followee``) or every account it follows
    (side ``follower``) at ``observed_at``: edges not listed any more are marked inactive (an unfollow)."""

    platform: str
    account_id: str
    side: str  # "followee" (a followers list) or "follower" (a following list)
    observed_at: datetime


Item = Batch | SqlStage | Reject | FollowSnapshot


@dataclass
class ReadOptions:
    """What the user told the importer (CLI flags or keyword arguments of ``import_files``)."""

    platform: str | None = None
    mapping: dict[str, str] | None = None
    kind: str | None = None  # edge lists: follows / interactions / one interaction kind
    date_format: str | Sequence[str] | None = None  # --date-format, repeatable
    observed_at: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    progress: Callable[[int], None] | None = None  # advance by bytes read
    timezone: str = "UTC"  # naive times are wall times of this zone (signalboost.ingest.dates)
    encoding: str | None = None  # --encoding: overrides detection of text files
    workbook: bool = False  # the file is a workbook's sheet written as UTF-8 (no encoding to report)
    me: dict[str, str] = field(default_factory=dict)  # the brand's own account per platform (``@me`` in --map)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))  # the plausible window ends a day after
    notes: list[str] = field(default_factory=list)  # what was detected: encoding, dates, zone, layout
    kind_used: bool = False  # set by a reader that honoured --kind (else the import refuses it)
    year: int | None = None  # --year: the year of a table whose dates name no year (UCI Facebook metrics layout)
    year_used: bool = False  # set by a reader that honoured --year (else the import refuses it)
    # whether any time read was without a zone (see :meth:`saw_times`); None: the reader does not say
    naive_times: bool | None = None
    zone_note: str = ""  # the summary line "times without a zone read as …" (dropped when none were read)
    skipped: dict[str, int] = field(default_factory=dict)  # rows neither loaded nor rejected, by what they were
    # presets of the CSV formats built on the generic importer (tweet CSVs, comments CSVs):
    preset: Callable[[list[str]], None] | None = None  # called with the file's columns before mapping
    virtual: dict[str, str] = field(default_factory=dict)  # extra column name -> SQL over the file's columns
    sql_constants: dict[str, str] = field(default_factory=dict)  # canonical field -> SQL when not mapped
    mapped: set[str] = field(default_factory=set)  # canonical fields taken from the file's columns (CSV formats)

    @property
    def date_formats(self) -> tuple[str, ...]:
        if self.date_format is None:
            return ()
        return (self.date_format,) if isinstance(self.date_format, str) else tuple(self.date_format)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def skip(self, what: str, n: int = 1) -> None:
        """Count ``n`` rows skipped as ``what`` (summary rows, blank lines): read, not loaded, not rejects."""
        if n:
            self.skipped[what] = self.skipped.get(what, 0) + n

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def saw_times(self, *, naive: bool) -> None:
        """Say what a reader read: times that may be without a zone (``naive=True``: the import's zone applies),
        or only Unix times, or none at all (``naive=False``). When every reader of a file says ``False`` (the
        Higgs activity file, an edge list, a generic CSV whose date columns hold Unix times) the summary does
        not claim a zone was applied. One ``True`` sticks."""
        self.naive_times = bool(self.naive_times) or naive

    def shown_notes(self) -> list[str]:
        """The notes to show: all of them, less the zone line when no time without a zone was read."""
        if self.naive_times is False and self.zone_note:
            return [n for n in self.notes if n != self.zone_note]
        return list(self.notes)

    def advance(self, nbytes: int) -> None:
        if self.progress is not None and nbytes:
            self.progress(nbytes)


Sniffer = Callable[[bytes, Path], float]
Reader = Callable[[Path, ReadOptions], Iterator[Item]]


@dataclass(frozen=True)
class Format:
    """One importable format: its name (``--format``), what it is, what it loads, how to detect and read it."""

    name: str
    description: str
    loads: str
    sniff: Sniffer
    read: Reader
    platform: str | None = None
    extensions: tuple[str, ...] = ()


@dataclass
class ImportResult:
    """What one import did. ``rows_loaded`` counts new canonical rows over all tables; ``per_table`` details it."""

    import_id: int
    file: str
    format: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_duplicate: int = 0  # key already in the workspace before this import
    rows_merged: int = 0  # repeated a key within the file: folded into one row
    rows_rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    per_table: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # table -> (loaded, duplicate, merged)
    platform: str | None = None
    notes: list[str] = field(default_factory=list)  # detected encoding, date formats, time zone, layout
    skipped: dict[str, int] = field(default_factory=dict)  # summary / total / blank rows skipped, by reason
    sanity: list[str] = field(default_factory=list)  # the sanity summary (signalboost.ingest.sanity)
    mapped: set[str] = field(default_factory=set)  # canonical fields read from the file's own columns

    def as_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "file": self.file,
            "format": self.format,
            "platform": self.platform,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_duplicate": self.rows_duplicate,
            "rows_merged": self.rows_merged,
            "rows_rejected": self.rows_rejected,
            "tables": {t: {"loaded": lo, "duplicate": du, "merged": me} for t, (lo, du, me) in self.per_table.items()},
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "skipped": dict(self.skipped),
            "sanity": list(self.sanity),
        }


def malformed(path: Path | str, what: str, *, line: int | None = None, hint: str | None = None) -> IngestError:
    """An :class:`IngestError` naming the file (and line) of a malformed input."""
    where = f"{path}:{line}" if line is not None else str(path)
    return IngestError(what, where=where, hint=hint or L_("Check the file is a complete, unmodified export"))
