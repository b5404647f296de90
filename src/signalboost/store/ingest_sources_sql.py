"""DuckDB ``SELECT``s that read delimited files straight into canonical columns (no Python per row).

Each builder returns ``(sql, line_sql)`` for :class:`signalboost.ingest.base.SqlStage`: ``sql`` yields the
table's canonical columns and ``_reason`` (NULL when the row is valid); ``line_sql`` adds ``_line`` and ``_raw``.
"""

from __future__ import annotations

from pathlib import Path

from signalboost.store.ingest_sql import lit

HIGGS_KINDS = {"RT": "repost", "MT": "mention", "RE": "reply"}


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
    reason = (
        "CASE WHEN a IS NULL OR b IS NULL OR a = '' OR b = '' THEN 'missing user id' "
        "WHEN TRY_CAST(t AS BIGINT) IS NULL THEN 'timestamp ' || coalesce(t, '(none)') || ' is not a Unix time' "
        "WHEN k IS NULL OR k NOT IN ('RT', 'MT', 'RE') THEN 'interaction ' || coalesce(k, '(none)') "
        "|| ' is not RT, MT or RE' END"
    )
    sql = (
        f"SELECT {lit(platform)} AS platform, a AS actor_id, {kind} AS kind, '' AS target_post_id, "
        f"b AS target_account_id, to_timestamp(TRY_CAST(t AS BIGINT)) AS occurred_at, 1.0::DOUBLE AS weight, "
        f"{reason} AS _reason FROM {src}"
    )
    line_sql = (
        f"SELECT row_number() OVER () AS _line, concat_ws(' ', a, b, t, k) AS _raw, {reason} AS _reason FROM {src}"
    )
    return sql, line_sql


def edge_list(
    path: Path, platform: str, *, delim: str, table: str, kind: str | None, line_offset: int = 0
) -> tuple[str, str]:
    """SNAP ``src dst [weight]`` lines (``#`` comments) -> follows (src follows dst) or interactions of ``kind``."""
    src = _read_csv(path, ["a", "b", "w", "extra"], delim=delim, comment="#")
    reason = (
        "CASE WHEN a IS NULL OR b IS NULL OR a = '' OR b = '' THEN 'expected two node ids' "
        "WHEN extra IS NOT NULL AND extra <> '' THEN 'more than three columns' "
        "WHEN w IS NOT NULL AND w <> '' AND TRY_CAST(w AS DOUBLE) IS NULL THEN 'weight ' || w || ' is not a number' "
        "END"
    )
    if table == "follows":
        cols = "a AS follower_id, b AS followee_id, NULL::TIMESTAMPTZ AS observed_at"
    else:
        assert kind is not None
        cols = (
            f"a AS actor_id, {lit(kind)} AS kind, '' AS target_post_id, b AS target_account_id, "
            "NULL::TIMESTAMPTZ AS occurred_at, coalesce(TRY_CAST(nullif(w, '') AS DOUBLE), 1.0) AS weight"
        )
    sql = f"SELECT {lit(platform)} AS platform, {cols}, {reason} AS _reason FROM {src}"
    line_sql = (
        f"SELECT row_number() OVER () + {int(line_offset)} AS _line, concat_ws({lit(delim)}, a, b, w, extra) AS _raw, "
        f"{reason} AS _reason FROM {src}"
    )
    return sql, line_sql
