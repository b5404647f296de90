"""SQL of the publishing calendar (table ``planned_posts``, migration 010)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

COLUMNS: tuple[str, ...] = (
    "plan_id",
    "network",
    "kind",
    "scheduled_at",
    "local_time",
    "timezone",
    "slot",
    "format",
    "pillars",
    "tactic",
    "kpis",
    "draft",
    "status",
    "moved",
    "touched",
    "sequence",
    "note",
    "created_at",
    "updated_at",
)


def select_planned(
    con: Any,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    *,
    ids: Sequence[str] | None = None,
    slots: tuple[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Rows of ``planned_posts`` with ``start <= scheduled_at < end`` (UTC instants), in time order.

    ``ids`` restricts to those plan ids; ``slots`` (``from``, ``to``: ``YYYY-MM-DD`` local dates, ``to``
    excluded) to posts whose requested slot lies in that period, wherever they were moved.
    """
    return _select(con, "planned_posts", start, end, ids=ids, slots=slots)


def _select(
    con: Any,
    table: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    *,
    ids: Sequence[str] | None = None,
    slots: tuple[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Rows of ``table`` (``planned_posts`` or ``planned_posts_removed``) by time, ids and slot period."""
    where: list[str] = []
    params: list[Any] = []
    if slots is not None:
        where.append("slot >= ? AND slot < ?")
        params += list(slots)
    if start is not None:
        where.append("scheduled_at >= ?")
        params.append(start)
    if end is not None:
        where.append("scheduled_at < ?")
        params.append(end)
    if ids is not None:
        where.append("list_contains(?, plan_id)")
        params.append(list(ids))
    sql = f"SELECT {', '.join(COLUMNS)} FROM {table}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY scheduled_at, network, plan_id"
    return [dict(zip(COLUMNS, row, strict=True)) for row in con.execute(sql, params).fetchall()]


def find_ids(con: Any, prefix: str) -> list[str]:
    """Plan ids starting with ``prefix`` (so a person can type a short id)."""
    rows = con.execute("SELECT plan_id FROM planned_posts WHERE starts_with(plan_id, ?) ORDER BY 1", [prefix])
    return [r[0] for r in rows.fetchall()]


def upsert_planned(con: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or replace rows (all columns of :data:`COLUMNS`)."""
    if not rows:
        return
    marks = ", ".join("?" for _ in COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c not in ("plan_id", "created_at"))
    con.executemany(
        f"INSERT INTO planned_posts ({', '.join(COLUMNS)}) VALUES ({marks}) "
        f"ON CONFLICT (plan_id) DO UPDATE SET {updates}",
        [[row[c] for c in COLUMNS] for row in rows],
    )


def delete_planned(con: Any, ids: Sequence[str]) -> None:
    """Delete rows by plan id."""
    if ids:
        con.execute("DELETE FROM planned_posts WHERE list_contains(?, plan_id)", [list(ids)])


# ----------------------------------------------------------------------- removed posts (migration 011)
def remember_removed(con: Any, rows: Sequence[dict[str, Any]], removed_at: dt.datetime) -> None:
    """Keep rows a re-plan deletes (all columns of :data:`COLUMNS`, ``sequence`` already bumped) as removed."""
    if not rows:
        return
    cols = (*COLUMNS, "removed_at")
    marks = ", ".join("?" for _ in cols)
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "plan_id")
    con.executemany(
        f"INSERT INTO planned_posts_removed ({', '.join(cols)}) VALUES ({marks}) "
        f"ON CONFLICT (plan_id) DO UPDATE SET {updates}",
        [[*(row[c] for c in COLUMNS), removed_at] for row in rows],
    )


def select_removed(
    con: Any, start: dt.datetime | None = None, end: dt.datetime | None = None, *, ids: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Removed posts with ``start <= scheduled_at < end`` (or with these ``ids``), in time order."""
    return _select(con, "planned_posts_removed", start, end, ids=ids)


def forget_removed(con: Any, ids: Sequence[str]) -> None:
    """Drop removed-post records whose id is planned again."""
    if ids:
        con.execute("DELETE FROM planned_posts_removed WHERE list_contains(?, plan_id)", [list(ids)])


def has_removed_table(con: Any) -> bool:
    """True once migration 011 is applied (a read-only workspace opened by an older version may lack it)."""
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'planned_posts_removed'"
    ).fetchall()
    return bool(rows[0][0])
