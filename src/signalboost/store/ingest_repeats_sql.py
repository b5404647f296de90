"""SQL of repeated keys within one file: rows that repeat an earlier row's key with other values.

A file that lists the same key twice (a post id, an account, a follow) either repeats itself — the rows agree,
and they are merged into one and counted (``merged``) — or contradicts itself: the rows give different values
for the same thing (Kim et al.'s posts CSV lists 177 post ids under two influencers). Then the **first row in
the file is kept** and every later row that disagrees with it is a reject naming the line it conflicts with and
the fields that differ (``post_id=17 repeats line 4 with other values: author_id 'b', not 'a'``). A NULL against
a value is no disagreement (an unreported metric does not contradict a reported one): such rows still merge, the
value filling the gap. See docs/INGEST.md, *Summary rows, blank lines and repeats*.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from signalboost.ingest.base import KEYS
from signalboost.store.ingest_sql import STAGE_HASH, ident, lit

#: Columns of a stage derived from others (never a disagreement of their own) or not values at all.
_NOT_VALUES = ("date_only", "hashtags", "_reason", STAGE_HASH)
_TEMPS = ("_rep_keys", "_rep_rows", "_rep_bad", "_rep_pos", "_rep_lines")


def mark_conflicting_repeats(
    con: Any, table: str, line_offset: int, *, keep: int | None, restage: Callable[[], None] | None = None
) -> tuple[int, int, bool]:
    """Turn the rows of the last staged file (``_stage_sql``) that repeat an earlier valid row's key with other
    values into rejects (their ``_reason``), and stage up to ``keep`` of them (all when None) in
    ``_stage_rejects`` with their line (the row's place in the stage + ``line_offset`` + 1) and their values.
    Returns ``(rows marked, rejects kept, repeats ready)``: with the key hashes staged (``_h``), the hashes the
    valid rows still repeat are left in ``_repeats`` (``h``, ``n``) for the merge, which then does not look for them
    again — so the check costs no extra pass over the file's keys (one hash aggregate, the merge's own).

    "First" is the file's order, which a parallel read does not always give the stage: when some repeated key holds
    rows that are not all identical, ``restage`` (when given) is called to stage the file again in its order
    (:func:`signalboost.store.ingest_sql.restage_in_file_order`) before the first row is chosen."""
    have = [str(r[0]) for r in con.execute("DESCRIBE _stage_sql").fetchall()]
    keys = [k for k in KEYS[table] if k in have]  # a platform the same on every row is not staged
    values = [c for c in have if c not in keys and c not in _NOT_VALUES]
    if not keys or not values:
        return 0, 0, False
    # the key's hash computed while staging (stage_sql with its table), else hashed here
    staged_hash = STAGE_HASH in have
    key_hash = STAGE_HASH if staged_hash else f"hash({', '.join(ident(k) for k in keys)})"
    n, kept = _mark(con, keys, values, key_hash, line_offset, keep, restage)
    if staged_hash:  # what the valid rows repeat now (the merge's `_repeats`)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _repeats AS SELECT {STAGE_HASH} AS h, count(*) AS n FROM _stage_sql "
            f"WHERE _reason IS NULL AND {STAGE_HASH} IN (SELECT h FROM _rep_keys) GROUP BY 1 HAVING n > 1"
            if n
            else "CREATE OR REPLACE TEMP TABLE _repeats AS SELECT h, n FROM _rep_keys"
        )
    for temp in _TEMPS:  # not in a `finally`: after a DuckDB error the transaction is aborted and must fail as it is
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    return n, kept, staged_hash


def _mark(
    con: Any,
    keys: list[str],
    values: list[str],
    key_hash: str,
    line_offset: int,
    keep: int | None,
    restage: Callable[[], None] | None = None,
) -> tuple[int, int]:
    """The work of :func:`mark_conflicting_repeats` (its temporary tables are dropped by the caller)."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _rep_keys AS SELECT {key_hash} AS h, count(*) AS n FROM _stage_sql "
        "WHERE _reason IS NULL GROUP BY 1 HAVING n > 1"
    )
    if not con.execute("SELECT count(*) FROM _rep_keys").fetchall()[0][0]:
        return 0, 0
    cols = ", ".join(ident(c) for c in [*keys, *values])
    rows = (
        f"CREATE OR REPLACE TEMP TABLE _rep_rows AS SELECT rowid AS rid, {cols} FROM _stage_sql "
        f"WHERE _reason IS NULL AND {key_hash} IN (SELECT h FROM _rep_keys)"
    )
    con.execute(rows)
    key_list = ", ".join(ident(k) for k in keys)
    if restage is not None and _mixed(con, key_list, values):
        restage()  # the rows again, in the file's order: their rowids change
        con.execute(rows)
    same_key = " AND ".join(f"r.{ident(k)} IS NOT DISTINCT FROM f.{ident(k)}" for k in keys)
    named = [k for k in keys if k != "platform"] or keys
    raw = (
        "concat_ws(', ', "
        + ", ".join(f"{lit(c + '=')} || CAST(r.{ident(c)} AS VARCHAR)" for c in [*keys, *values])
        + ")"
    )
    key_text = " || ', ' || ".join(f"{lit(k + '=')} || coalesce(CAST(r.{ident(k)} AS VARCHAR), '')" for k in named)
    diffs = f"array_to_string(list_filter([{', '.join(_said(c) for c in values)}], lambda x: x IS NOT NULL), '; ')"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _rep_bad AS SELECT r.rid, f.rid AS first_rid, {key_text} AS what, {raw} AS raw, "
        f"{diffs} AS diffs FROM _rep_rows r JOIN (SELECT * FROM _rep_rows WHERE rid IN "
        f"(SELECT min(rid) FROM _rep_rows GROUP BY {key_list})) f ON {same_key} AND r.rid > f.rid "
        f"WHERE {' OR '.join(_disagree(c) for c in values)}"
    )
    n = int(con.execute("SELECT count(*) FROM _rep_bad").fetchall()[0][0])
    if not n:
        return 0, 0
    _positions(con)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _rep_lines AS SELECT rid, pos + {int(line_offset)} + 1 AS _line FROM _rep_pos"
    )
    reason = (
        "b.what || ' repeats line ' || CAST(lf._line AS VARCHAR) || ' with other values: ' || b.diffs "
        "|| ' (the first row is kept)'"
    )
    con.execute(
        f"UPDATE _stage_sql SET _reason = x.reason FROM (SELECT b.rid, {reason} AS reason FROM _rep_bad b "
        "JOIN _rep_lines lf ON lf.rid = b.first_rid) x WHERE _stage_sql.rowid = x.rid"
    )
    kept = 0
    if keep != 0:
        limit = "" if keep is None else f" LIMIT {int(keep)}"
        kept = con.execute(
            f"INSERT INTO _stage_rejects SELECT NULL, lr._line, b.raw, {reason} FROM _rep_bad b "
            f"JOIN _rep_lines lf ON lf.rid = b.first_rid JOIN _rep_lines lr ON lr.rid = b.rid ORDER BY lr._line{limit}"
        ).fetchall()[0][0]
    return n, int(kept)


def _mixed(con: Any, key_list: str, values: list[str]) -> bool:
    """Whether a key of ``_rep_rows`` holds rows with different values (identical repeats merge whichever row
    comes first; different ones keep the first, so only they need the file's order)."""
    cols = ", ".join(ident(c) for c in values)
    sql = (
        f"SELECT count(*) FROM (SELECT {key_list} FROM _rep_rows GROUP BY {key_list} "
        f"HAVING count(DISTINCT hash({cols})) > 1)"
    )
    return bool(con.execute(sql).fetchall()[0][0])


def _positions(con: Any) -> None:
    """``_rep_pos`` (``rid``, ``pos``): the place in the file of each staged row ``_rep_bad`` names.

    A plain scan of the stage returns its rows in the file's order (DuckDB preserves insertion order), but neither
    their ``rowid`` (a table made inside the import's transaction numbers row groups as threads finish them) nor
    ``row_number() OVER ()`` (fed by parallel threads) is that order under load — both were tried and gave other
    rows' lines for Kim et al.'s 39,907 posts. So the rowids are read in scan order and counted; only when a
    file contradicts itself."""
    wanted = {
        int(r[0]) for r in con.execute("SELECT rid FROM _rep_bad UNION SELECT first_rid FROM _rep_bad").fetchall()
    }
    rids, places = [], []
    cursor = con.execute("SELECT rowid FROM _stage_sql")
    at = 0
    while batch := cursor.fetchmany(100_000):
        for (rid,) in batch:
            if rid in wanted:
                rids.append(int(rid))
                places.append(at)
            at += 1
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _rep_pos AS SELECT unnest(?::BIGINT[]) AS rid, unnest(?::BIGINT[]) AS pos",
        [rids, places],
    )


def _disagree(column: str) -> str:
    """SQL: the repeated row ``r`` and the first row ``f`` give different values of ``column`` (both known)."""
    c = ident(column)
    return f"(r.{c} IS NOT NULL AND f.{c} IS NOT NULL AND r.{c} IS DISTINCT FROM f.{c})"


def _said(column: str) -> str:
    """SQL: ``column 'new', not 'old'`` when the rows disagree on it, else NULL."""
    c = ident(column)
    return (
        f"CASE WHEN {_disagree(column)} THEN {lit(column + ' ')} || chr(39) || CAST(r.{c} AS VARCHAR) || chr(39) "
        f"|| ', not ' || chr(39) || CAST(f.{c} AS VARCHAR) || chr(39) END"
    )
