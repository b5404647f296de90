"""SQL of planned posts' images and thread parts, and of thread parts as published (migration 140)."""

from __future__ import annotations

from typing import Any


def select_media(con: Any, plan_id: str) -> list[dict[str, Any]]:
    """The images of a planned post: ``part``, ``ordinal``, ``path``, ``alt``, in order."""
    cur = con.execute(
        "SELECT part, ordinal, path, alt FROM planned_media WHERE plan_id = ? ORDER BY part, ordinal", [plan_id]
    )
    return [dict(zip(("part", "ordinal", "path", "alt"), r, strict=True)) for r in cur.fetchall()]


def add_media(con: Any, plan_id: str, part: int, path: str, alt: str) -> int:
    """Append an image to a part; returns its ordinal."""
    (nxt,) = con.execute(
        "SELECT coalesce(max(ordinal) + 1, 0) FROM planned_media WHERE plan_id = ? AND part = ?", [plan_id, part]
    ).fetchone()
    con.execute("INSERT INTO planned_media VALUES (?, ?, ?, ?, ?)", [plan_id, part, nxt, path, alt])
    return int(nxt)


def update_alt(con: Any, plan_id: str, part: int, index: int, alt: str) -> bool:
    """Replace the alt text of the ``index``-th image (0-based, in order) of a part; False when there is none."""
    rows = con.execute(
        "SELECT ordinal FROM planned_media WHERE plan_id = ? AND part = ? ORDER BY ordinal", [plan_id, part]
    ).fetchall()
    if not 0 <= index < len(rows):
        return False
    con.execute(
        "UPDATE planned_media SET alt = ? WHERE plan_id = ? AND part = ? AND ordinal = ?",
        [alt, plan_id, part, rows[index][0]],
    )
    return True


def remove_media(con: Any, plan_id: str, part: int | None = None) -> int:
    """Remove the images of one part (or of every part); returns how many went."""
    sql, params = "FROM planned_media WHERE plan_id = ?", [plan_id]
    params_: list[Any] = params
    if part is not None:
        sql, params_ = sql + " AND part = ?", [plan_id, part]
    (n,) = con.execute(f"SELECT count(*) {sql}", params_).fetchone()
    con.execute(f"DELETE {sql}", params_)
    return int(n)


def select_thread(con: Any, plan_id: str) -> list[str]:
    """The texts of the thread parts after the post itself (parts 1, 2, …)."""
    cur = con.execute("SELECT text FROM planned_thread WHERE plan_id = ? ORDER BY part", [plan_id])
    return [r[0] for r in cur.fetchall()]


def replace_thread(con: Any, plan_id: str, texts: list[str]) -> None:
    """Set the thread parts after the post (none: the post is no thread); images of parts dropped go too."""
    con.execute("DELETE FROM planned_thread WHERE plan_id = ?", [plan_id])
    if texts:
        con.executemany(
            "INSERT INTO planned_thread VALUES (?, ?, ?)",
            [[plan_id, i, text] for i, text in enumerate(texts, start=1)],
        )
    con.execute("DELETE FROM planned_media WHERE plan_id = ? AND part > ?", [plan_id, len(texts)])


_PART_COLS = ("part", "record_key", "post_id", "cid", "url")


def select_parts(con: Any, plan_id: str) -> dict[int, dict[str, Any]]:
    """The published-thread bookkeeping of a post, by part."""
    cur = con.execute(
        f"SELECT {', '.join(_PART_COLS)} FROM publication_parts WHERE plan_id = ? ORDER BY part", [plan_id]
    )
    return {int(r[0]): dict(zip(_PART_COLS, r, strict=True)) for r in cur.fetchall()}


def put_part(
    con: Any,
    plan_id: str,
    part: int,
    record_key: str,
    *,
    post_id: str | None = None,
    cid: str | None = None,
    url: str | None = None,
) -> None:
    """Record a part's key (the intent) or, with ``post_id``, the part as sent."""
    con.execute(
        "INSERT INTO publication_parts VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (plan_id, part) DO UPDATE SET "
        "record_key = excluded.record_key, post_id = excluded.post_id, cid = excluded.cid, url = excluded.url",
        [plan_id, part, record_key, post_id, cid, url],
    )
