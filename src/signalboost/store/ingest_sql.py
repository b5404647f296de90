"""All SQL of the importers: staging, de-duplicating merges, rejects, the imports log, and ``stats``.

An import runs inside one transaction (``Workspace.transaction``). Rows are first *staged* in temporary tables
``_stage_<table>`` (from Arrow batches, or straight from DuckDB's ``read_csv`` for delimited files), then merged:

- ``posts``, ``accounts``: new keys are inserted; existing keys are completed (a NULL column takes the new value;
  for accounts a newer ``observed_at`` wins), so overlapping exports merge by the platform's ids;
- ``post_metrics``, ``account_snapshots``: snapshots keyed by ``observed_at``, inserted once (anti-join);
- ``follows``: new edges inserted with ``first_seen = last_seen = observed_at``; known edges get ``last_seen``
  extended and ``active`` set again;
- ``interactions``: de-duplicated within the file (GROUP BY the key) and against the table (anti-join with
  ``IS NOT DISTINCT FROM``, since ``occurred_at`` may be NULL). No index: bulk loads stay fast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from signalboost.errors import IngestError
from signalboost.i18n import L_
from signalboost.ingest.base import FIELDS, KEYS, LOAD_TABLES, TEXTS, FollowSnapshot, Reject
from signalboost.ingest.limits import commit_memory, fixed_import_memory, keyed_merge_memory, parse_size

if TYPE_CHECKING:
    import pyarrow as pa

_DUCK_TYPES = {
    "string": "VARCHAR",
    "int64": "BIGINT",
    "double": "DOUBLE",
    "bool": "BOOLEAN",
    "timestamp[us, tz=UTC]": "TIMESTAMPTZ",
    "list<item: string>": "VARCHAR[]",
}


def lit(value: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def columns(table: str) -> list[str]:
    return [c for c, _ in FIELDS[table]]


def duck_type(table: str, column: str) -> str:
    return _DUCK_TYPES[dict(FIELDS[table])[column]]


# ---------------------------------------------------------------------------------------------- staging
def create_stages(con: Any, memory: int | None = None) -> None:
    """Empty temporary staging tables, one per canonical table (plus the import's rejects). ``memory``: DuckDB's
    memory limit in bytes (default :func:`~signalboost.ingest.limits.fixed_import_memory`, 1 GB; an import sizes it
    to its file: :func:`~signalboost.ingest.limits.import_memory`)."""
    con.execute("SET enable_progress_bar = false")
    # Bounded memory whatever the file size: past this DuckDB spills to <workspace>/signalboost.duckdb.tmp.
    memory = memory if memory is not None else fixed_import_memory()
    con.execute(f"SET memory_limit = '{int(memory)}B'")
    for table in LOAD_TABLES:
        cols = ", ".join(f"{ident(c)} {duck_type(table, c)}" for c in columns(table))
        con.execute(f"CREATE OR REPLACE TEMP TABLE _stage_{table} ({cols})")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _stage_rejects (member VARCHAR, line BIGINT, raw VARCHAR, reason VARCHAR)"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE _csv_reject_lines (line BIGINT)")


def register_functions(con: Any) -> None:
    """The Python functions the import SQL calls: ``sb_fix_mojibake(text)`` (double-encoded UTF-8 repair).

    Registered by :func:`stage_sql` only for a ``SELECT`` that calls it (a file with a text column): DuckDB loads
    numpy to register a Python function (~11 MB of a follows or interactions import's peak otherwise)."""
    import duckdb

    from signalboost.ingest.textio import fix_mojibake

    with suppress(duckdb.Error):  # already registered on this connection
        con.create_function("sb_fix_mojibake", fix_mojibake, ["VARCHAR"], "VARCHAR", side_effects=False)


def drop_stages(con: Any) -> None:
    for table in LOAD_TABLES:
        con.execute(f"DROP TABLE IF EXISTS _stage_{table}")
    con.execute("DROP TABLE IF EXISTS _stage_rejects")
    con.execute("DROP TABLE IF EXISTS _csv_reject_lines")
    con.execute("DROP VIEW IF EXISTS _staged")
    con.execute("DROP TABLE IF EXISTS _stage_sql")


def append_arrow(con: Any, table: str, data: pa.Table) -> None:
    """Append an Arrow batch to ``_stage_<table>`` (columns matched by name, missing ones NULL)."""
    con.register("_batch", data)
    try:
        cols = ", ".join(ident(c) for c in data.column_names)
        con.execute(f"INSERT INTO _stage_{table} ({cols}) SELECT {cols} FROM _batch")
    finally:
        con.unregister("_batch")


def append_rejects(con: Any, rejects: Sequence[Reject]) -> None:
    if not rejects:
        return
    import pyarrow as pa

    data = pa.table(
        {
            "member": [r.member for r in rejects],
            "line": pa.array([r.line for r in rejects], type=pa.int64()),
            "raw": [r.raw[:2000] for r in rejects],
            "reason": [r.reason for r in rejects],
        }
    )
    con.register("_rej", data)
    try:
        con.execute("INSERT INTO _stage_rejects SELECT member, line, raw, reason FROM _rej")
    finally:
        con.unregister("_rej")


def stage_sql(
    con: Any, select: str, line_select: str, *, keep: int | None = None, fixed: str = "", table: str | None = None
) -> tuple[int, int, int]:
    """Read a DuckDB ``SELECT`` (canonical columns + ``_reason``) once into the temporary table ``_stage_sql``;
    the view ``_staged`` adds the ``fixed`` columns (``'x' AS platform, NULL AS url``: the same in every row, so
    not stored once per row). With ``table``, each row also gets ``_h`` (:data:`STAGE_HASH`), the hash of its key
    in ``table`` computed in the same pass (:func:`staged_key_hash`): the merge's repeat check then groups one
    stored number instead of hashing the key again (10M follows: 2.2 -> 0.7 CPU-s).

    ``_reason`` is NULL for a valid row. Only when some rows are invalid is ``line_select`` (the same read with
    ``_line`` from ``row_number()`` and ``_raw``) run, to give each reject its line; at most ``keep`` of them are
    staged as rejects (all when None). Merge the valid rows with ``merge(con, table, source, SQL_STAGE)``.
    Returns ``(rows_read, rows_rejected, rejects_kept)``.
    """
    _create_stage(con, select, fixed, table)
    read, bad = con.execute(f"SELECT count(*), count(_reason) FILTER (WHERE NOT {_SKIP}) FROM _stage_sql").fetchall()[0]
    kept = 0
    if bad and keep != 0:
        limit = "" if keep is None else f" ORDER BY _line LIMIT {int(keep)}"
        kept = con.execute(
            "INSERT INTO _stage_rejects SELECT NULL, _line, _raw, _reason "
            f"FROM ({line_select}) WHERE _reason IS NOT NULL AND NOT {_SKIP}{limit}"
        ).fetchall()[0][0]
    return int(read), int(bad), int(kept)


def _create_stage(con: Any, select: str, fixed: str, table: str | None) -> None:
    if "sb_fix_mojibake(" in select:
        register_functions(con)
    hashed = f"SELECT *, {staged_key_hash(table, fixed)} AS {STAGE_HASH} FROM ({select})" if table else select
    con.execute(f"CREATE OR REPLACE TEMP TABLE _stage_sql AS {hashed}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW _staged AS SELECT *{', ' + fixed if fixed else ''} FROM _stage_sql")


def restage_in_file_order(con: Any, select: str, *, fixed: str = "", table: str | None = None) -> None:
    """Stage ``select`` again (as :func:`stage_sql`, without counting or rejects) on one thread, so that the rows
    of ``_stage_sql`` — their scan and their ``rowid`` — are in the file's order.

    DuckDB keeps insertion order in principle, but the import's read (a parallel CSV scan of quoted multi-line
    fields, a Python function on some text) staged Kim et al.'s 39,907 posts out of the file's order in about half
    of the runs on two threads (checked against the file: the first staged row was not the file's first), and
    never on one. Only a file whose rows repeat a key with other values needs the order (the first row is kept),
    so only such files pay for the second, single-threaded read
    (:func:`signalboost.store.ingest_repeats_sql.mark_conflicting_repeats`)."""
    threads = int(con.execute("SELECT current_setting('threads')").fetchall()[0][0])
    con.execute("SET threads = 1")
    try:
        _create_stage(con, select, fixed, table)
    finally:
        con.execute(f"SET threads = {threads}")


#: The column of ``_stage_sql`` holding each row's key hash (:func:`stage_sql` with ``table``). Computed once at
#: staging: a later ``UPDATE`` of the stage may change other columns (:func:`keep_seen_times`), never a key's.
STAGE_HASH = "_h"


def fixed_names(fixed: str) -> set[str]:
    """The column names of a ``fixed`` SELECT list (``'x' AS platform, NULL::VARCHAR AS "url"``)."""
    names = re.findall(r'\bAS\s+("(?:[^"]|"")*"|\w+)\s*(?:,|$)', fixed)
    return {n[1:-1].replace('""', '"') if n.startswith('"') else n for n in names}


def staged_key_hash(table: str, fixed: str = "") -> str:
    """SQL: the hash of a staged row's key in ``table`` over the key columns that vary (the ``fixed`` ones are the
    same in every row, so leaving them out groups the rows the same way); unknown interaction targets as '', as
    they are stored. Equal keys give equal hashes; rows of one hash are then grouped exactly by the key."""
    constant = fixed_names(fixed)
    keys = [
        f"coalesce({ident(k)}, '')" if k in ("target_post_id", "target_account_id") else ident(k)
        for k in KEYS[table]
        if k not in constant
    ]
    return f"hash({', '.join(keys)})" if keys else "0::UBIGINT"


#: A ``_reason`` starting with ``skip:`` marks a row that is neither loaded nor rejected: a summary row
#: ("Total", "Average") or a blank line, counted by :func:`stage_skips`.
SKIP_PREFIX = "skip:"
_SKIP = "coalesce(starts_with(_reason, 'skip:'), FALSE)"


def stage_skips(con: Any) -> dict[str, int]:
    """Rows of the last :func:`stage_sql` skipped, by what they were (``{"summary rows": 1}``)."""
    rows = con.execute(
        "SELECT substr(_reason, 6), count(*) FROM _stage_sql WHERE starts_with(_reason, 'skip:') GROUP BY 1"
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


#: The valid rows of the last :func:`stage_sql`.
SQL_STAGE = "(SELECT * FROM _staged WHERE _reason IS NULL)"


def duckdb_rejects(con: Any, *, keep: int | None = None) -> tuple[int, int]:
    """Move the records DuckDB's CSV reader set aside (``store_rejects``) into ``_stage_rejects``: one reject per
    line (DuckDB may report a line twice, and each scan of the file again), at most ``keep`` of them (all when
    None). Returns ``(new lines, lines kept)``."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reject_errors' AND temporary"
    ).fetchall()[0][0]
    if not exists:
        return 0, 0
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _csv_rejects AS SELECT NULL AS member, line, csv_line, reason FROM ("
        "SELECT line, first(csv_line) AS csv_line, 'malformed CSV row: ' || first(error_message) AS reason "
        "FROM reject_errors GROUP BY line) e "
        "WHERE line NOT IN (SELECT line FROM _csv_reject_lines)"
    )
    n = con.execute("INSERT INTO _csv_reject_lines SELECT line FROM _csv_rejects").fetchall()[0][0]
    limit = "" if keep is None else f" LIMIT {int(keep)}"
    kept = con.execute(f"INSERT INTO _stage_rejects SELECT * FROM _csv_rejects ORDER BY line{limit}").fetchall()[0][0]
    con.execute("DROP TABLE _csv_rejects")
    con.execute("DELETE FROM reject_errors")
    return int(n), int(kept)


# ---------------------------------------------------------------------------------------------- merging
def _on(table: str, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{ident(k)} IS NOT DISTINCT FROM {right}.{ident(k)}" for k in KEYS[table])


def _dedup_select(table: str, source: str) -> str:
    """Distinct rows of ``source`` by key (for list columns the first value; for others the max, so a NULL
    loses to a value). Interactions' unknown targets become ''."""
    keys = KEYS[table]
    others = [c for c in columns(table) if c not in keys]
    key_exprs = [
        f"coalesce({ident(k)}, '') AS {ident(k)}" if k in ("target_post_id", "target_account_id") else ident(k)
        for k in keys
    ]
    aggs = [
        f"first({ident(c)}) AS {ident(c)}"
        if dict(FIELDS[table])[c] == TEXTS
        else "coalesce(max(weight), 1.0) AS weight"
        if c == "weight"
        else f"max({ident(c)}) AS {ident(c)}"
        for c in others
    ]
    group = ", ".join(str(i + 1) for i in range(len(keys)))
    return f"SELECT {', '.join(key_exprs + aggs)} FROM {source} GROUP BY {group}"


def merge(
    con: Any,
    table: str,
    source: str,
    origin: str | None = None,
    staged: int | None = None,
    *,
    key_hash: str | None = None,
    repeats_ready: bool = False,
) -> tuple[int, int, int]:
    """Merge staged rows (``origin``, default ``_stage_<table>``) into ``table``: ``(loaded, duplicate, merged)``.

    ``merged = staged - distinct`` rows repeated a key within the file (folded into one row), ``duplicate =
    distinct - loaded`` keys were already in the workspace. ``staged`` (the number of rows in ``origin``, when
    the caller knows it) saves a count; ``key_hash`` (a column of ``origin`` holding each row's key hash, e.g.
    :data:`STAGE_HASH`) saves hashing the key again (default: hashed here, :func:`_key_hash`); ``repeats_ready``:
    the repeated hashes of ``origin`` are in ``_repeats`` already (``h``, ``n``; found by the check of repeats
    that disagree, ``signalboost.store.ingest_repeats_sql``), so they are not looked for again.
    The anti-join against ``table`` runs only when it holds rows of a platform being imported (keys include the
    platform, so otherwise no row can match): a first import is a plain ``INSERT … SELECT``. Stored posts,
    accounts and follows are completed from the file's rows, which then need a keyed copy (``_dedup``); otherwise
    only the rows whose key repeats are folded (:func:`_distinct_rows`).
    """
    origin = origin or f"_stage_{table}"
    if staged is None:
        staged = int(con.execute(f"SELECT count(*) FROM {origin}").fetchall()[0][0])
    if staged == 0:
        return 0, 0, 0
    exists = _platform_rows_exist(con, table, origin)
    if exists:
        # updating or anti-joining stored rows grows with the table, not the file: the fixed cap
        con.execute(f"SET memory_limit = '{fixed_import_memory()}B'")
    elif table in INDEXED:
        # DuckDB keeps a PRIMARY KEY's ART index in memory (it is never spilled): room for it is added to the
        # cap (a cap sized to the file alone ran out with 2M posts); the staged rows spill around it
        con.execute(f"SET memory_limit = '{_keyed_cap(con, table, origin, staged)}B'")
    cols = columns(table)
    col_list = ", ".join(ident(c) for c in cols)
    sel = ", ".join(f"s.{ident(c)}" for c in cols)
    extra_cols, extra_vals = ", source", ", ?"
    if table == "follows":
        extra_cols += ", first_seen, last_seen, active"
        extra_vals += ", s.observed_at, s.observed_at, TRUE"
    anti = f" WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {_on(table, 't', 's')})" if exists else ""
    if exists and table in ("posts", "accounts", "follows"):
        con.execute(f"CREATE OR REPLACE TEMP TABLE _dedup AS {_dedup_select(table, origin)}")
        rows = "_dedup"
        distinct = int(con.execute("SELECT count(*) FROM _dedup").fetchall()[0][0])
        _update_existing(con, table)
    else:
        rows, distinct = _distinct_rows(con, table, origin, staged, key_hash or _key_hash(table), repeats_ready)
    loaded = con.execute(
        f"INSERT INTO {table} ({col_list}{extra_cols}) SELECT {sel}{extra_vals} FROM {rows} s{anti}", [source]
    ).fetchall()[0][0]
    for temp in ("_dedup", "_fold", "_repeats"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    if origin == f"_stage_{table}":
        con.execute(f"DELETE FROM {origin}")
    return int(loaded), distinct - int(loaded), staged - distinct


#: Tables with a PRIMARY KEY (migrations/001_core.sql); follows and interactions have none.
INDEXED = ("accounts", "account_snapshots", "posts", "post_metrics")


def _keyed_cap(con: Any, table: str, origin: str, staged: int) -> int:
    """The memory cap of a first merge of ``staged`` rows into ``table`` (with a PRIMARY KEY): the current cap
    raised by the ART index those keys will take (:func:`~signalboost.ingest.limits.keyed_merge_memory`)."""
    lengths = " + ".join(
        f"coalesce(strlen({ident(k)}), 0)" if duck_type(table, k) == "VARCHAR" else "8" for k in KEYS[table]
    )
    key_bytes = con.execute(f"SELECT coalesce(avg({lengths}), 0) FROM {origin}").fetchall()[0][0]
    return keyed_merge_memory(_memory_limit(con), _art_memory(con), staged, float(key_bytes))


def _art_memory(con: Any) -> int:
    """Bytes DuckDB holds for ART indexes (PRIMARY KEYs), which it cannot spill."""
    sql = "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'"
    return int(con.execute(sql).fetchall()[0][0])


def _memory_limit(con: Any) -> int:
    """The connection's memory limit in bytes (DuckDB shows it rounded, e.g. ``953.6 MiB``)."""
    return parse_size(str(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]), where="")


#: Room left above the memory DuckDB cannot move out (indexes, metadata) when the dropped staging tables are
#: pushed out of memory, and the least staged memory worth moving (a small import is left alone).
RELEASE_ROOM = 32 << 20
RELEASE_MIN = 64 << 20


def release_stages(con: Any) -> int:
    """Move the dropped staging tables out of memory before the sanity summary and the commit; returns the bytes
    of in-memory tables moved out (0 when there was too little to bother, or DuckDB could not).

    Dropped inside the import's transaction, the staging tables keep their memory until the COMMIT, which adds
    the merge of the keys' index on top (2M posts: ~200 MB of staged rows under a ~690 MB peak). Lowering the
    memory cap for a moment makes DuckDB write them to its temporary file (read back by nobody, deleted at the
    commit) and free their memory; the cap is then restored. The lowered cap is asked for on a second cursor:
    if DuckDB cannot free that much it refuses the setting there, and the import's transaction is not touched
    (the same ``SET`` on the import's own connection would abort it)."""
    total, staged = con.execute(
        "SELECT coalesce(sum(memory_usage_bytes), 0), "
        "coalesce(sum(memory_usage_bytes) FILTER (WHERE tag = 'IN_MEMORY_TABLE'), 0) FROM duckdb_memory()"
    ).fetchall()[0]
    cap = _memory_limit(con) + (1 << 20) // 20  # DuckDB shows it truncated to 0.1 MiB: restored as it was shown
    target = int(total) - int(staged) + RELEASE_ROOM
    if int(staged) < RELEASE_MIN or target >= cap:
        return 0
    import duckdb

    cursor = con.cursor()
    try:
        with suppress(duckdb.Error):
            cursor.execute(f"SET memory_limit = '{target}B'")
    finally:
        cursor.close()
        con.execute(f"SET memory_limit = '{cap}B'")
    left = con.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'")
    return max(int(staged) - int(left.fetchall()[0][0]), 0)


def prepare_commit(con: Any) -> None:
    """Set the memory cap of the import's commit (:func:`~signalboost.ingest.limits.commit_memory`)."""
    con.execute(f"SET memory_limit = '{commit_memory(_memory_limit(con), _art_memory(con))}B'")


def _platform_rows_exist(con: Any, table: str, origin: str) -> bool:
    """Whether ``table`` holds any row of a platform present in ``origin`` (a NULL platform matches any)."""
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM {table} WHERE platform IN (SELECT DISTINCT platform FROM {origin})) "
        f"OR (EXISTS (SELECT 1 FROM {table}) AND EXISTS (SELECT 1 FROM {origin} WHERE platform IS NULL))"
    )
    return bool(con.execute(sql).fetchall()[0][0])


def _key_hash(table: str) -> str:
    """SQL: the hash of a staged row's key (interactions' unknown targets as '', as they are stored)."""
    keys = ", ".join(
        f"coalesce({ident(k)}, '')" if k in ("target_post_id", "target_account_id") else ident(k) for k in KEYS[table]
    )
    return f"hash({keys})"


def _distinct_rows(con: Any, table: str, origin: str, staged: int, h: str, ready: bool = False) -> tuple[str, int]:
    """The staged rows with each key once, as a relation, and how many there are (``h``: SQL of a row's key hash).

    One aggregate over the key *hashes* finds the hashes seen more than once (``_repeats``, small). Rows of the
    other hashes have a key of their own and pass as they are (a plain scan that DuckDB writes straight to the
    file); only the rows of a repeated hash are folded by the exact ``GROUP BY`` of :func:`_dedup_select` (a hash
    collision of two different keys just leaves both rows in that group-by, as two keys). No full-table
    ``GROUP BY`` and no second count, whatever the file repeats.
    """
    if not ready:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _repeats AS SELECT {h} AS h, count(*) AS n FROM {origin} "
            "GROUP BY 1 HAVING n > 1"
        )
    folded = con.execute("SELECT count(*), coalesce(sum(n), 0) FROM _repeats").fetchall()[0]
    if not folded[0]:
        return (_plain(origin) if table == "interactions" else origin), staged
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _fold AS "
        f"{_dedup_select(table, f'(SELECT * FROM {origin} WHERE {h} IN (SELECT h FROM _repeats))')}"
    )
    groups = int(con.execute("SELECT count(*) FROM _fold").fetchall()[0][0])
    single = f"(SELECT * FROM {origin} WHERE {h} NOT IN (SELECT h FROM _repeats))"
    single = _plain(single) if table == "interactions" else single
    cols = ", ".join(ident(c) for c in columns(table))
    rows = f"(SELECT {cols} FROM {single} UNION ALL SELECT {cols} FROM _fold)"
    return rows, staged - int(folded[1]) + groups


def _plain(origin: str) -> str:
    """The staged interactions as they are (no repeats), unknown targets as ''."""
    cols = [
        f"coalesce({ident(c)}, '') AS {ident(c)}"
        if c in ("target_post_id", "target_account_id")
        else "coalesce(weight, 1.0) AS weight"
        if c == "weight"
        else ident(c)
        for c in columns("interactions")
    ]
    return f"(SELECT {', '.join(cols)} FROM {origin})"


def _update_existing(con: Any, table: str) -> None:
    keys = KEYS[table]
    on = " AND ".join(f"t.{ident(k)} = s.{ident(k)}" for k in keys)
    if table == "follows":
        sets = (
            "first_seen = CASE WHEN s.observed_at < t.first_seen OR t.first_seen IS NULL "
            "THEN s.observed_at ELSE t.first_seen END, "
            "last_seen = CASE WHEN s.observed_at > t.last_seen OR t.last_seen IS NULL "
            "THEN s.observed_at ELSE t.last_seen END, "
            "observed_at = CASE WHEN s.observed_at > t.observed_at OR t.observed_at IS NULL "
            "THEN s.observed_at ELSE t.observed_at END, "
            "active = CASE WHEN s.observed_at >= t.last_seen OR s.observed_at IS NULL OR t.last_seen IS NULL "
            "THEN TRUE ELSE t.active END"
        )
        changed = "TRUE"
    else:
        others = [c for c in columns(table) if c not in keys]
        if table == "accounts":
            # strictly newer (or the first with a time): at the same time, or with no time on either side, an
            # export only fills gaps, as the `changed` test below lets it (no column may depend on another's gap)
            newer = "(s.observed_at > t.observed_at OR (t.observed_at IS NULL AND s.observed_at IS NOT NULL))"
            parts = []
            for c in others:
                q = ident(c)
                if c == "is_brand":
                    parts.append(f"{q} = t.{q} OR coalesce(s.{q}, FALSE)")
                else:
                    parts.append(f"{q} = CASE WHEN {newer} THEN coalesce(s.{q}, t.{q}) ELSE coalesce(t.{q}, s.{q}) END")
            sets = ", ".join(parts)
        else:
            sets = ", ".join(f"{ident(c)} = coalesce(t.{ident(c)}, s.{ident(c)})" for c in others)
        changed = " OR ".join(f"(t.{ident(c)} IS NULL AND s.{ident(c)} IS NOT NULL)" for c in others if c != "is_brand")
        if table == "accounts":
            changed += " OR (s.observed_at > t.observed_at) OR (s.is_brand AND NOT t.is_brand)"
    con.execute(f"UPDATE {table} AS t SET {sets} FROM _dedup s WHERE {on} AND ({changed})")


def accounts_changing(con: Any, origin: str) -> int:
    """How many staged accounts (``origin``) are stored already, observed earlier, with other counts: the ones a
    later list updates (said in the import's summary)."""
    counts = " OR ".join(
        f"s.{c} IS NOT NULL AND s.{c} IS DISTINCT FROM t.{c}" for c in ("followers", "following", "posts_count")
    )
    sql = (
        f"SELECT count(DISTINCT (s.platform, s.account_id)) FROM {origin} s JOIN accounts t "
        f"ON t.platform = s.platform AND t.account_id = s.account_id "
        f"WHERE (s.observed_at > t.observed_at OR t.observed_at IS NULL) AND ({counts})"
    )
    return int(con.execute(sql).fetchall()[0][0])


def keep_seen_times(con: Any) -> int:
    """Staged accounts (``_stage_sql``, observed at the import's own time) already stored with the same values
    (a NULL in the file contradicts nothing) take the stored observation time: the list is not a newer observation
    of them, so a re-import changes no row (an export with its own time does move it: :func:`_update_existing`).
    Returns how many kept their time."""
    have = {str(r[0]) for r in con.execute("DESCRIBE _stage_sql").fetchall()}
    values = [c for c in columns("accounts") if c in have and c not in ("platform", "account_id", "observed_at")]
    values = [c for c in values if c != "is_brand"]
    same = " AND ".join(f"(s.{ident(c)} IS NULL OR s.{ident(c)} IS NOT DISTINCT FROM t.{ident(c)})" for c in values)
    platform = "s.platform" if "platform" in have else "(SELECT any_value(platform) FROM _staged)"
    sql = (
        "UPDATE _stage_sql AS s SET observed_at = t.observed_at FROM accounts t "
        f"WHERE t.platform = {platform} AND t.account_id = s.account_id AND s._reason IS NULL "
        f"AND t.observed_at < s.observed_at AND {same or 'TRUE'}"
    )
    return int(con.execute(sql).fetchall()[0][0])


def mark_unfollows(con: Any, snap: FollowSnapshot) -> int:
    """Edges of ``snap.account_id`` not seen in a complete list observed at ``snap.observed_at``: inactive."""
    column = "followee_id" if snap.side == "followee" else "follower_id"
    sql = (
        f"UPDATE follows SET active = FALSE WHERE platform = ? AND {column} = ? AND active "
        "AND last_seen IS NOT NULL AND last_seen < ?"
    )
    res = con.execute(sql, [snap.platform, snap.account_id, snap.observed_at]).fetchall()
    return int(res[0][0]) if res else 0


# ---------------------------------------------------------------------------------------------- the log
def new_import_id(con: Any) -> int:
    return int(con.execute("SELECT nextval('import_ids')").fetchall()[0][0])


def record_import(con: Any, values: dict[str, Any]) -> None:
    cols = list(values)
    con.execute(
        f"INSERT INTO imports ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )


def flush_rejects(con: Any, import_id: int, file: str, sep: str = "!") -> int:
    """Copy the staged rejects into ``rejects`` (file = the import's file, or ``file<sep>member``: ``!`` inside a
    zip, ``/`` inside a folder)."""
    n = int(con.execute("SELECT count(*) FROM _stage_rejects").fetchall()[0][0])
    if n:
        con.execute(
            "INSERT INTO rejects (import_id, file, line, raw, reason) "
            "SELECT ?, CASE WHEN member IS NULL THEN ? ELSE ? || ? || member END, line, raw, reason "
            "FROM _stage_rejects",
            [import_id, file, file, sep],
        )
        con.execute("DELETE FROM _stage_rejects")
    return n


# ---------------------------------------------------------------------------------------------- reading
def rejects_rows(con: Any, *, import_id: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Rejected rows: of one import, or of the latest import of every file."""
    if import_id is not None:
        if not con.execute("SELECT count(*) FROM imports WHERE import_id = ?", [import_id]).fetchone()[0]:
            raise IngestError(
                L_("no import {import_id!s}", import_id=import_id),
                where="--import",
                hint=L_("List the imports with `signalboost imports`"),
            )
        where, params = "WHERE r.import_id = ?", [import_id]
    else:
        where, params = "WHERE r.import_id IN (SELECT max(import_id) FROM imports GROUP BY file)", []
    sql = (
        "SELECT r.import_id, r.file, r.line, r.reason, r.raw FROM rejects r "
        f"{where} ORDER BY r.import_id, r.file, r.line NULLS LAST LIMIT ?"
    )
    cur = con.execute(sql, [*params, limit])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def imports_rows(con: Any, *, limit: int = 100) -> list[dict[str, Any]]:
    cur = con.execute(
        "SELECT import_id, file, format, platform, status, rows_read, rows_loaded, rows_duplicate, rows_merged, "
        "rows_rejected, "
        "finished_at FROM imports ORDER BY import_id DESC LIMIT ?",
        [limit],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


_TIME_COLUMN = {
    "accounts": "observed_at",
    "account_snapshots": "observed_at",
    "posts": "created_at",
    "post_metrics": "observed_at",
    "follows": "last_seen",
    "interactions": "occurred_at",
}


def stats_rows(con: Any) -> list[dict[str, Any]]:
    """Rows, first and last time per platform and canonical table (time column: see ``_TIME_COLUMN``)."""
    parts = [
        f'SELECT platform, {lit(t)} AS "table", count(*) AS rows, min({c}) AS first, max({c}) AS last '
        f"FROM {t} GROUP BY platform"
        for t, c in _TIME_COLUMN.items()
    ]
    sql = " UNION ALL ".join(parts) + ' ORDER BY platform, "table"'
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def table_counts(con: Any) -> dict[str, int]:
    return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]) for t in LOAD_TABLES}


def import_row(con: Any, import_id: int) -> dict[str, Any] | None:
    cur = con.execute("SELECT * FROM imports WHERE import_id = ?", [import_id])
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    return None if row is None else dict(zip(cols, row, strict=True))
