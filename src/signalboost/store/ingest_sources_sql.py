"""DuckDB ``SELECT``s that read delimited files straight into canonical columns (no Python per row).

Each builder returns ``(sql, line_sql)`` for :class:`signalboost.ingest.base.SqlStage`: ``sql`` yields the
table's canonical columns and ``_reason`` (NULL when the row is valid); ``line_sql`` adds ``_line`` and ``_raw``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from signalboost.i18n import N_
from signalboost.ingest.dates import EARLIEST, WINDOW_FIELDS
from signalboost.ingest.textio import MOJIBAKE_HINT
from signalboost.store.ingest_dates_sql import date_only_sql, window_reason
from signalboost.store.ingest_sql import columns as canonical
from signalboost.store.ingest_sql import duck_type, ident, lit

#: Unix seconds of :data:`signalboost.store.queries.READABLE_UNTIL` (9999-12-30): a later time (Higgs
#: ``253402300800`` is 10000-01-01) cannot be read back by Python, so it is a reject, never stored.
UNIX_READABLE_UNTIL = 253402128000
HIGGS_KINDS = {"RT": "repost", "MT": "mention", "RE": "reply"}
#: Interaction kinds and their usual synonyms in other tools' exports.
KIND_WORDS = {
    **{k: k for k in ("like", "reply", "repost", "quote", "mention")},
    **{"favorite": "like", "favourite": "like", "fav": "like", "re": "reply", "retweet": "repost"},
    **{"rt": "repost", "reblog": "repost", "boost": "repost", "share": "repost", "mt": "mention"},
}


def _read_csv(path: Path, cols: list[str], *, delim: str, comment: str | None = None, header: bool = False) -> str:
    spec = ", ".join(f"{lit(c)}: 'VARCHAR'" for c in cols)
    opts = [
        f"delim={lit(delim)}",
        f"header={'true' if header else 'false'}",
        f"columns={{{spec}}}",
        "null_padding=true",
        "auto_detect=false",
        "quote=''",
        "escape=''",
        "strict_mode=false",
    ]
    if comment:
        opts.append(f"comment={lit(comment)}")
    return f"read_csv({lit(str(path))}, {', '.join(opts)})"


def higgs_activity(path: Path, platform: str) -> tuple[str, str]:
    """``userA userB unix_ts RT|MT|RE`` -> interactions (actor = userA, target account = userB)."""
    src = _read_csv(path, ["a", "b", "t", "k"], delim=" ")
    kind = "CASE k " + " ".join(f"WHEN {lit(s)} THEN {lit(d)}" for s, d in HIGGS_KINDS.items()) + " END"
    secs = "TRY_CAST(t AS BIGINT)"
    reason = (
        "CASE WHEN a IS NULL OR b IS NULL OR a = '' OR b = '' THEN 'missing user id' "
        f"WHEN {secs} IS NULL THEN 'timestamp ' || coalesce(t, '(none)') || ' is not a Unix time' "
        f"WHEN {secs} < 0 OR {secs} >= {UNIX_READABLE_UNTIL} THEN 'timestamp ' || t || ' is out of range "
        "(a Unix time from 1970 to 9999)' "
        "WHEN k IS NULL OR k NOT IN ('RT', 'MT', 'RE') THEN 'interaction ' || coalesce(k, '(none)') "
        "|| ' is not RT, MT or RE' END"
    )
    occurred = f"CASE WHEN {secs} >= 0 AND {secs} < {UNIX_READABLE_UNTIL} THEN to_timestamp({secs}) END"
    sql = (
        f"SELECT {lit(platform)} AS platform, a AS actor_id, {kind} AS kind, '' AS target_post_id, "
        f"b AS target_account_id, {occurred} AS occurred_at, 1.0::DOUBLE AS weight, "
        f"NULL::BOOLEAN AS date_only, {reason} AS _reason FROM {src}"
    )
    line_sql = (
        f"SELECT row_number() OVER () AS _line, concat_ws(' ', a, b, t, k) AS _raw, {reason} AS _reason FROM {src}"
    )
    return sql, line_sql


def edge_list(
    path: Path,
    platform: str,
    *,
    delim: str,
    table: str,
    kind: str | None,
    line_offset: int = 0,
    third: str = "weight",
    latest: datetime | None = None,
    reverse: bool = False,
) -> tuple[str, str]:
    """SNAP ``src dst [weight]`` lines (``#`` comments) -> follows (src follows dst) or interactions of ``kind``.

    ``third`` says what the third column holds: ``weight`` (``higgs-retweet_network``), ``unix`` (a temporal
    network's Unix seconds, ``CollegeMsg``, ``sx-*``: the interaction's ``occurred_at``, or the follow's
    ``observed_at``; weight 1; the plausible window up to ``latest`` applies) or ``relative`` (seconds from the
    data set's start, ``email-Eu-core-temporal``: not a date and not a weight, so not stored; weight 1).

    ``reverse`` (follows of an undirected list, ``--kind friendships``): the select of the follows ``dst follows
    src`` that no valid line states itself, see :func:`_reversed_edges`."""
    src = _read_csv(path, ["a", "b", "w", "extra"], delim=delim, comment="#")
    secs = "TRY_CAST(w AS BIGINT)"
    when = f"CASE WHEN {secs} >= 0 AND {secs} < {UNIX_READABLE_UNTIL} THEN to_timestamp({secs}) END"
    if third == "weight":
        third_check = (
            f"WHEN w IS NOT NULL AND w <> '' AND {_weight('TRY_CAST(w AS DOUBLE)')} IS NULL "
            "THEN 'weight ' || w || ' is not a finite number from 0' "
        )
    else:
        third_check = (
            f"WHEN {secs} IS NULL OR {secs} < 0 OR {secs} >= {UNIX_READABLE_UNTIL} "
            "THEN 'time ' || coalesce(w, '(none)') || ' is not a Unix time (whole seconds from 0)' "
        )
        if third == "unix" and latest is not None:
            third_check += window_reason("time", "third column", when, latest)
    reason = (
        "CASE WHEN a IS NULL OR b IS NULL OR a = '' OR b = '' THEN 'expected two node ids' "
        "WHEN extra IS NOT NULL AND extra <> '' THEN 'more than three columns' "
        f"{third_check}END"
    )
    occurred = when if third == "unix" else "NULL::TIMESTAMPTZ"
    weight = "coalesce(TRY_CAST(nullif(w, '') AS DOUBLE), 1.0)" if third == "weight" else "1.0::DOUBLE"
    if table == "follows":
        cols = f"a AS follower_id, b AS followee_id, {occurred} AS observed_at"
    else:
        assert kind is not None
        cols = (
            f"a AS actor_id, {lit(kind)} AS kind, '' AS target_post_id, b AS target_account_id, "
            f"{occurred} AS occurred_at, {weight} AS weight, NULL::BOOLEAN AS date_only"
        )
    if reverse:
        return _reversed_edges(src, platform, reason, occurred)
    sql = f"SELECT {lit(platform)} AS platform, {cols}, {reason} AS _reason FROM {src}"
    line_sql = (
        f"SELECT row_number() OVER () + {int(line_offset)} AS _line, concat_ws({lit(delim)}, a, b, w, extra) AS _raw, "
        f"{reason} AS _reason FROM {src}"
    )
    return sql, line_sql


def _reversed_edges(src: str, platform: str, reason: str, occurred: str) -> tuple[str, str]:
    """The follows ``b follows a`` of the valid lines ``a b`` of an undirected list whose reverse ``b a`` is not a
    valid line itself (SNAP's ego-Facebook writes each friendship once; a list that writes both directions
    gains nothing), once per pair (the earliest time of its lines); a self-loop ``a a`` is its own reverse.
    Only valid rows, so the line select (for rejects) is never run; the lines were counted by the first stage."""
    sql = (
        f"WITH e AS (SELECT a, b, {occurred} AS t, {reason} AS _reason FROM {src}), "
        "v AS (SELECT a, b, t FROM e WHERE _reason IS NULL) "
        f"SELECT {lit(platform)} AS platform, x.b AS follower_id, x.a AS followee_id, min(x.t) AS observed_at, "
        "NULL::VARCHAR AS _reason FROM v x "
        "WHERE NOT EXISTS (SELECT 1 FROM v y WHERE y.a = x.b AND y.b = x.a) GROUP BY x.a, x.b"
    )
    line_sql = "SELECT NULL::BIGINT AS _line, NULL::VARCHAR AS _raw, NULL::VARCHAR AS _reason WHERE FALSE"
    return sql, line_sql


# ------------------------------------------------------------------------------------------- generic files
def source_relation(path: Path, kind: str, *, skip: int = 0, names: Sequence[str] | None = None) -> str:
    """The DuckDB table function reading a generic file (every CSV cell as text, errors kept aside; ``skip``
    title lines above the header). With ``names`` (the header's, when a rule line ``=====`` lies under it) the
    header and the rule are skipped too and the columns take those names."""
    p = lit(str(path))
    if kind == "csv":
        if names is not None:
            listed = ", ".join(lit(n) for n in names)
            return (
                f"read_csv({p}, header=false, names=[{listed}], skip={int(skip) + 2}, all_varchar=true, "
                "store_rejects=true, sample_size=20480)"
            )
        lines = f", skip={int(skip)}" if skip else ""
        return f"read_csv({p}, header=true, all_varchar=true, store_rejects=true, sample_size=20480{lines})"
    if kind == "jsonl":
        return f"read_json({p}, format='newline_delimited', maximum_object_size=16777216)"
    if kind == "json":
        return f"read_json({p}, format='array', maximum_object_size=268435456)"
    return f"read_parquet({p})"


def describe_source(
    relation: str, *, sample_column: str | None = None, limit: int = 500
) -> tuple[list[str], list[str]]:
    """Column names of a generic file, and up to ``limit`` non-empty text values of ``sample_column``."""
    import duckdb

    con = duckdb.connect()
    try:
        names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
        sample: list[str] = []
        if sample_column is not None and sample_column in names:
            col = ident(sample_column)
            rows = con.execute(
                f"SELECT CAST({col} AS VARCHAR) FROM {relation} WHERE {col} IS NOT NULL "
                f"AND trim(CAST({col} AS VARCHAR)) <> '' LIMIT {int(limit)}"
            ).fetchall()
            sample = [str(r[0]) for r in rows]
        return names, sample
    finally:
        con.close()


#: Kinds of a column derived from a mapped column's text (not a field of the file): never a reject reason, and
#: not repeated in a reject's raw text.
DERIVED = ("date_only", "hashtags")

#: Cells that mean "not reported" in exports (NULL, never 0).
_UNREPORTED = "('n/a', 'na', '-', '--', '—', 'null', 'none')"


def _text(column: str) -> str:
    return f"nullif(trim(CAST({ident(column)} AS VARCHAR)), '')"


def value_expr(column: str, kind: str) -> str:
    """SQL for one mapped field. ``kind``: str, int, float, bool, list, or ts:<strftime>|ts:iso|ts:unix|ts:unix_ms."""
    return value_of(_text(column), kind)


def value_of(t: str, kind: str) -> str:
    """SQL converting the trimmed text ``t`` (NULL when empty) of a field of ``kind`` (see :func:`value_expr`)."""
    if kind == "str":
        return t
    if kind == "handle":  # an account's handle or id: "@name" as people write it is the account "name"
        return f"nullif(ltrim({t}, '@'), '')"
    if kind == "date_only":  # derived from a date column's text (not a mapped field of its own)
        return date_only_sql(t)
    if kind == "hashtags":  # derived from the text column: its #hashtags
        return hashtags_of(t)
    if kind == "text":  # free text: double-encoded UTF-8 repaired (only values that show its pattern reach Python)
        return f"CASE WHEN regexp_matches({t}, {lit(MOJIBAKE_HINT)}) THEN sb_fix_mojibake({t}) ELSE {t} END"
    if kind in NUMBER_KINDS:
        t = f"CASE WHEN lower({t}) IN {_UNREPORTED} THEN NULL ELSE {t} END"
        clean = ungrouped(t, decimal_comma=":dc" in kind)
        num = f"TRY_CAST({clean} AS DOUBLE)"
        if kind.endswith(":k"):
            return abbreviated(t, _count(clean, num))
        return _count(clean, num) if kind.startswith("int") else _weight(num)
    if (
        kind == "platform"
    ):  # a "Network" column of Sprout, Hootsuite …: "Twitter", "Facebook Page", "Instagram Business"
        low = f"lower({t})"
        names = " ".join(f"WHEN contains({low}, {lit(w)}) THEN {lit(p)}" for w, p in PLATFORM_WORDS)
        return f"CASE WHEN {low} IS NULL THEN NULL WHEN {low} = 'x' THEN 'x' {names} ELSE {low} END"
    if kind == "bool":
        return (
            f"CASE WHEN lower({t}) IN ('1', 'true', 'yes', 'y', 't', 'paid') THEN TRUE "
            f"WHEN lower({t}) IN ('0', 'false', 'no', 'n', 'f', 'organic') THEN FALSE END"
        )
    if kind == "kind":
        words = " ".join(f"WHEN {lit(w)} THEN {lit(k)}" for w, k in KIND_WORDS.items())
        return f"CASE lower({t}) {words} END"
    if kind == "format":
        low = f"lower({t})"
        return (
            f"CASE WHEN {low} IS NULL THEN NULL WHEN {low} LIKE '%carousel%' OR {low} LIKE '%album%' "
            f"OR {low} LIKE '%sidecar%' THEN 'carousel' "
            f"WHEN {low} LIKE '%reel%' THEN 'reel' WHEN {low} LIKE '%stor%' THEN 'story' "
            f"WHEN {low} LIKE '%video%' OR {low} LIKE '%live%' THEN 'video' "
            f"WHEN {low} LIKE '%photo%' OR {low} LIKE '%image%' THEN 'photo' WHEN {low} LIKE '%link%' THEN 'link' "
            f"WHEN {low} IN ('status', 'text', 'note', 'post') THEN 'text' ELSE {low} END"
        )
    if kind == "list":
        return f"list_filter(regexp_split_to_array(lower({t}), '[;,|\\s]+'), lambda x: x <> '')"
    fmt = kind.removeprefix("ts:")
    if fmt.startswith("="):  # a prepared expression (signalboost.store.ingest_dates_sql.date_sql) over \x00
        return fmt[1:].replace("\x00", t)
    if fmt == "iso":
        return f"TRY_CAST({t} AS TIMESTAMPTZ)"
    if fmt == "unix":
        return f"to_timestamp(TRY_CAST({t} AS DOUBLE))"
    if fmt == "unix_ms":
        return f"to_timestamp(TRY_CAST({t} AS DOUBLE) / 1000)"
    return f"CAST(try_strptime({t}, {lit(fmt)}) AS TIMESTAMPTZ)"


#: Kinds of numeric fields: counts and weights, with ``:dc`` when the file writes a decimal comma (``1.234`` is
#: then one thousand two hundred and thirty-four, ``1,5`` one and a half).
NUMBER_KINDS = ("int", "float", "int:dc", "float:dc", "int:k", "int:dc:k")
_SPACES = "\\s\u00a0\u202f_"


def ungrouped(t: str, *, decimal_comma: bool = False) -> str:
    """SQL: the number text ``t`` without its thousands separators, only where they group digits by three.

    ``1,234,567`` / ``1 234`` (spaces, no-break spaces, ``_``) lose their separators; with ``decimal_comma``
    ``1.234`` does too and ``1,5`` becomes ``1.5``. Anything else is left as it is, so ``1,5`` in a file with a
    decimal point, or ``12,34``, is not a count (a reject) instead of a silent 15 or 1234.
    """
    group = "\\." if decimal_comma else ","
    grouped = f"regexp_full_match({t}, '\\+?[0-9]{{1,3}}([{group}{_SPACES}][0-9]{{3}})+')"
    out = f"CASE WHEN {grouped} THEN regexp_replace({t}, '[{group}{_SPACES}]', '', 'g') "
    if decimal_comma:
        out += f"WHEN regexp_full_match({t}, '\\+?[0-9]+,[0-9]+') THEN replace({t}, ',', '.') "
    return out + f"ELSE {t} END"


#: Words of a network's name in other tools' exports -> the platform id (first match wins).
PLATFORM_WORDS = (
    ("twitter", "x"),
    ("facebook", "facebook"),
    ("instagram", "instagram"),
    ("linkedin", "linkedin"),
    ("youtube", "youtube"),
    ("tiktok", "tiktok"),
    ("mastodon", "mastodon"),
    ("threads", "threads"),
    ("pinterest", "pinterest"),
    ("bluesky", "bluesky"),
)


def _count(clean: str, num: str) -> str:
    """SQL: a count (metrics): a whole number from 0 to 2^63-1, else NULL (the row is then rejected).

    Digits alone are cast exactly (``99999999999999999999999`` overflows BIGINT: NULL); other numbers (``1.0``,
    ``1e3``) through DOUBLE, only when whole, from 0 and below 2^53 (exact in a double). NaN, ±inf, negative and
    fractional values (``1.5`` is not rounded to 2) give NULL. DuckDB orders NaN above every number, so the bound
    ``< 2^53`` also excludes it.
    """
    return (
        f"CASE WHEN regexp_full_match({clean}, '\\+?[0-9]+') THEN TRY_CAST({clean} AS BIGINT) "
        f"WHEN {num} >= 0 AND {num} < 9007199254740992 AND {num} = trunc({num}) THEN CAST({num} AS BIGINT) END"
    )


def abbreviated(t: str, otherwise: str) -> str:
    """SQL: a count as tools print rounded ones (``1.2K`` = 1,200, ``3.4M`` = 3,400,000, ``2B``; ``,`` or ``.`` as
    the decimal mark, which is the only thing it can be before a suffix), computed in DECIMAL arithmetic so the
    product is exact; a product that is not whole (``1.2345K``) is NULL (a reject). Other text: ``otherwise``."""
    mantissa = f"TRY_CAST(replace(regexp_extract({t}, '^\\+?([0-9]+([.,][0-9]+)?)', 1), ',', '.') AS DECIMAL(38,6))"
    unit = f"upper(regexp_extract({t}, '([KkMmBb])$', 1))"
    value = f"({mantissa} * CASE {unit} WHEN 'K' THEN 1000 WHEN 'M' THEN 1000000 ELSE 1000000000 END)"
    return (
        f"CASE WHEN regexp_full_match({t}, '\\+?[0-9]+([.,][0-9]{{1,6}})?\\s?[KkMmBb]') "
        f"THEN CASE WHEN {value} = trunc({value}) THEN CAST({value} AS BIGINT) END ELSE {otherwise} END"
    )


def _weight(num: str) -> str:
    """SQL: an interaction weight: a finite number from 0, else NULL (NaN, ±inf and negative weights rejected)."""
    return f"CASE WHEN isfinite({num}) AND {num} >= 0 THEN {num} END"


def _problem(field: str, column: str, kind: str, required: bool, t: str, v: str, latest: datetime | None = None) -> str:
    """``WHEN`` branches giving the reason a field is invalid; ``t`` is its trimmed text, ``v`` its value;
    with ``latest``, a time outside the plausible window (:mod:`signalboost.ingest.dates`) is invalid too."""
    checks = []
    if required:
        checks.append(f"WHEN {t} IS NULL THEN {lit(f'{field} ({column}) is empty')}")
    if kind not in ("str", "handle", "text", "list", "format", "platform", *DERIVED):
        what = {
            "bool": "yes/no",
            "kind": "like, reply, repost, quote or mention",
            "int": "a count (a whole number from 0)",
            "float": "a finite number from 0",
            "int:dc": "a count (a whole number from 0)",
            "float:dc": "a finite number from 0",
            "int:k": "a count (a whole number from 0; 1.2K and 3.4M are read as printed)",
            "int:dc:k": "a count (a whole number from 0; 1,2K and 3,4M are read as printed)",
        }.get(kind, "a number")
        what = "a date" if kind.startswith("ts:") else what
        reported = f" AND lower({t}) NOT IN {_UNREPORTED}" if kind in NUMBER_KINDS else ""
        checks.append(
            f"WHEN {t} IS NOT NULL{reported} AND {v} IS NULL "
            f"THEN {lit(f'{field} ({column}): ')} || {lit(chr(39))} || {t} || {lit(chr(39) + ' is not ' + what)}"
        )
    if latest is not None and kind.startswith("ts:"):
        checks.append(window_reason(field, column, v, latest))
    return " ".join(checks)


def _layers(relation: str, fields: dict[str, tuple[str, str]]) -> tuple[str, dict[str, str], dict[str, str]]:
    """The file with each mapped column's trimmed text and each field's value computed once, as extra columns.

    Returns ``(relation, text column of each source column, value column of each field)``. Nesting keeps DuckDB
    from evaluating the conversions again inside the validity check (they are the bulk of an import's CPU).
    """
    texts = {src: f"__sb_t{i}" for i, src in enumerate(dict.fromkeys(src for src, _ in fields.values()))}
    values = {field: f"__sb_v{i}" for i, field in enumerate(fields)}
    text_sel = ", ".join(f"{_text(src)} AS {name}" for src, name in texts.items())
    value_sel = ", ".join(f"{value_of(texts[src], kind)} AS {values[f]}" for f, (src, kind) in fields.items())
    inner = f"(SELECT *, {text_sel} FROM {relation})" if texts else relation
    return (f"(SELECT *, {value_sel} FROM {inner})" if values else inner), texts, values


#: The prefix of a post id derived from the post's time and text (a file without an id column).
DERIVED_PREFIX = "auto:"


def derived_post_id(created_at: str, *identifying: str) -> str:
    """SQL of the id of a post from a file without an id column (Buffer, Later …): ``auto:`` + its time in UTC to
    the second (``20240508T143000Z``) + ``:`` + the first 16 hex digits of the MD5 of the other identifying values
    (the text, and the author when mapped) joined by ``|``. The same post gives the same id in a re-import and
    in a later export that overlaps this one, whatever the file's date format; the platform is part of the key
    beside it. ``created_at`` is a TIMESTAMPTZ value, the others text values."""
    when = f"strftime(timezone('UTC', {created_at}), '%Y%m%dT%H%M%SZ')"
    joined = " || '|' || ".join(f"coalesce(CAST({v} AS VARCHAR), '')" for v in identifying) or "''"
    return f"{lit(DERIVED_PREFIX)} || {when} || ':' || substr(md5({joined}), 1, 16)"


def generic_select(
    relation: str,
    table: str,
    platform: str | None,
    fields: dict[str, tuple[str, str]],
    required: set[str],
    constants: dict[str, str],
    line_offset: int = 1,
    checked: dict[str, tuple[str, str]] | None = None,
    latest: datetime | None = None,
    extra: Sequence[str] = (),
    derived_id: Sequence[str] = (),
) -> tuple[str, str, str]:
    """``SELECT`` canonical columns of ``table`` (then the ``extra`` columns, e.g. a posts file's metrics) from a
    generic file.

    ``derived_id`` (a posts file without an id column): the fields whose values make the post id,
    ``created_at`` first (:func:`derived_post_id`).

    ``fields``: canonical field -> (source column, kind); ``constants``: canonical field -> SQL expression used when
    the field is not mapped (e.g. the observed time); ``required`` fields must be present. Rows failing a
    required field or a conversion of a ``checked`` field (default: ``fields``), or (with ``latest``) whose
    time lies outside the plausible window, get a ``_reason`` naming the field, the column and the value.
    Returns ``(sql, line_sql, fixed)``: the columns that are the same in every row (the platform, unmapped
    fields: NULL) are not in ``sql`` but in ``fixed``, a SELECT list to add back (see ``SqlStage.fixed``).
    """
    checked = checked if checked is not None else fields
    layered, texts, values = _layers(relation, {**checked, **fields})
    exprs, fixed = [], []
    for col in [*canonical(table), *extra]:
        if col in fields or (col in extra and col in values):
            exprs.append(f"{values[col]} AS {ident(col)}")
        elif col == "post_id" and derived_id:
            exprs.append(f"{derived_post_id(*(values[f] for f in derived_id))} AS post_id")
        elif col == "platform":
            fixed.append(f"{lit(platform or '')} AS platform")
        elif col in constants:
            exprs.append(f"{constants[col]} AS {ident(col)}")
        else:
            typed_null = duck_type(table if col in canonical(table) else "post_metrics", col)
            fixed.append(f"NULL::{typed_null} AS {ident(col)}")
    # every time of the record is windowed (a metrics row of a post whose created_at is implausible is out too)
    windowed = (
        {f for fields in WINDOW_FIELDS.values() for f in fields} | {"created_at"} if latest is not None else set()
    )
    if table == "accounts":  # an account may have been created before 2004; only when it was seen is windowed
        windowed -= {"created_at"}
    cases = " ".join(
        _problem(f, src, kind, f in required, texts[src], values[f], latest if f in windowed else None)
        for f, (src, kind) in checked.items()
    )
    cases = _skips(checked, texts) + cases
    missing = [f for f in required if f not in fields and f not in constants and not (f == "post_id" and derived_id)]
    reason = f"CASE {cases} END" if cases.strip() else "NULL"
    if missing:
        reason = lit(f"missing {', '.join(sorted(missing))}")
    sel = ", ".join(exprs)
    sql = f"SELECT {sel}, {reason} AS _reason FROM {layered}"
    raw_cols = ", ".join(dict.fromkeys(texts[src] for src, kind in checked.values() if kind not in DERIVED)) or "''"
    line_sql = (
        f"SELECT row_number() OVER () + {int(line_offset)} AS _line, concat_ws(',', {raw_cols}) AS _raw, "
        f"{reason} AS _reason FROM {layered}"
    )
    return sql, line_sql, ", ".join(fixed)


#: Values of an id column that mark a summary row of a spreadsheet or an analytics export, not data.
#: A cell of the row of column descriptions under the header of Facebook Page Insights exports.
_DESCRIPTION = r"^(Lifetime|Daily|Weekly|28 Days|Total): \S"
SKIP_DESCRIPTIONS = N_("column descriptions (the second header row of Insights exports)")
SUMMARY_WORDS = ("total", "totals", "grand total", "sum", "average", "averages", "avg", "mean", "median")
_ID_FIELDS = ("post_id", "actor_id", "follower_id")


def _skips(checked: dict[str, tuple[str, str]], texts: dict[str, str]) -> str:
    """``WHEN`` branches marking rows to skip (reason ``skip:…``): blank rows (every mapped column empty) and
    summary rows: the id column says Total, Average, … — or, when the id is empty or a part of another column,
    any mapped column does (``Total,,,1234`` under ``post_id=status_id|after:_``)."""
    real = list(dict.fromkeys(texts[src] for src, _ in checked.values() if not src.startswith("=")))
    out = ""
    if real:
        out += f"WHEN {' AND '.join(f'{t} IS NULL' for t in real)} THEN 'skip:blank rows' "
    words = ", ".join(lit(w) for w in SUMMARY_WORDS)
    said = "'skip:summary rows (Total, Average, …)'"
    for field in _ID_FIELDS:
        if field in checked:
            src = checked[field][0]
            if not src.startswith("="):
                out += f"WHEN lower({texts[src]}) IN ({words}) THEN {said} "
                if real:  # Facebook Insights' second header row: "Lifetime: The number of people who …"
                    described = " OR ".join(f"regexp_matches({t}, {lit(_DESCRIPTION)})" for t in real)
                    out += f"WHEN {texts[src]} IS NULL AND ({described}) THEN {lit('skip:' + SKIP_DESCRIPTIONS)} "
            if real:
                parts = [
                    _text(src.rpartition("|")[0])
                    for src, _ in checked.values()
                    if "|before:" in src or "|after:" in src
                ]
                anywhere = " OR ".join(f"lower({t}) IN ({words})" for t in [*real, *parts])
                out += f"WHEN {texts[src]} IS NULL AND ({anywhere}) THEN {said} "
            break
    return out


def metrics_from_stage(newest: str | None = None, latest: datetime | None = None) -> str:
    """SQL: the ``post_metrics`` rows of a staged posts file (``_staged``, read once with the metric columns
    as ``extra``): its valid rows with a post id. With ``newest`` (the posts' time column), every snapshot is
    observed at the newest time of the file inside the plausible window (the times already parsed into the
    stage: the file is not read again). A content-derived time, so re-imports of the file agree."""
    cols = []
    for col in canonical("post_metrics"):
        if col == "observed_at" and newest is not None:
            v = ident(newest)
            if latest is not None:
                early, late = lit(EARLIEST.isoformat()), lit(latest.isoformat())
                v = f"CASE WHEN {v} BETWEEN {early}::TIMESTAMPTZ AND {late}::TIMESTAMPTZ THEN {v} END"
            cols.append(f"(SELECT max({v}) FROM _staged) AS observed_at")
        else:
            cols.append(ident(col))
    return f"SELECT {', '.join(cols)} FROM _staged WHERE _reason IS NULL AND post_id IS NOT NULL"


def snapshots_from_stage() -> str:
    """SQL: the ``account_snapshots`` rows of a staged account list (``_staged``): each valid account with a count,
    unless its counts equal those of the account's latest stored snapshot (a re-import adds nothing; a later list
    with new counts adds a dated snapshot beside the earlier ones)."""
    same = " AND ".join(f"a.{c} IS NOT DISTINCT FROM s.{c}" for c in ("followers", "following", "posts_count"))
    latest_one = (
        "a.observed_at = (SELECT max(b.observed_at) FROM account_snapshots b "
        "WHERE b.platform = s.platform AND b.account_id = s.account_id)"
    )
    return (
        "SELECT s.platform, s.account_id, s.observed_at, s.followers, s.following, s.posts_count FROM _staged s "
        "WHERE s._reason IS NULL AND s.account_id IS NOT NULL "
        "AND (s.followers IS NOT NULL OR s.following IS NOT NULL OR s.posts_count IS NOT NULL) "
        f"AND NOT EXISTS (SELECT 1 FROM account_snapshots a WHERE a.platform = s.platform "
        f"AND a.account_id = s.account_id AND {latest_one} AND {same})"
    )


def hashtags_of(t: str) -> str:
    """SQL: the lower-cased ``#hashtags`` of the trimmed text ``t`` (NULL when empty). Letters are Unicode letters
    (RE2's ``\\w`` is ASCII only: ``#glød`` would be stored as ``gl``), as in ``signalboost.ingest.textio.HASHTAG``."""
    return f"list_transform(regexp_extract_all({t}, '#([\\p{{L}}\\p{{N}}_]+)', 1), lambda x: lower(x))"
