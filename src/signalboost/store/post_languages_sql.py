"""SQL of the detected language of posts (migration 130: ``posts.detected_language``, ``detected_languages``,
``language_confidence``)."""

from __future__ import annotations

from typing import Any

import polars as pl


def _frame(con: Any, sql: str, params: list[Any]) -> pl.DataFrame:
    frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def _where(platform: str | None, redetect: bool) -> tuple[str, list[Any]]:
    clauses = ["text IS NOT NULL", "text <> ''"]
    params: list[Any] = []
    if not redetect:
        clauses.append("detected_languages IS NULL")
    if platform is not None:
        clauses.append("platform = ?")
        params.append(platform)
    return " AND ".join(clauses), params


def count_undetected(con: Any, platform: str | None = None, *, redetect: bool = False) -> int:
    """Posts with text whose language is still to detect (all posts with text when ``redetect``)."""
    where, params = _where(platform, redetect)
    row = con.execute(f"SELECT count(*) FROM posts WHERE {where}", params).fetchone()
    return int(row[0]) if row else 0


def undetected_posts(
    con: Any,
    platform: str | None = None,
    *,
    redetect: bool = False,
    limit: int = 5000,
    after: tuple[str, str] = ("", ""),
) -> pl.DataFrame:
    """``platform, post_id, text`` of up to ``limit`` posts to detect, in key order after ``after``."""
    where, params = _where(platform, redetect)
    return _frame(
        con,
        f"SELECT platform, post_id, text FROM posts WHERE {where} AND (platform, post_id) > (?, ?) "
        "ORDER BY platform, post_id LIMIT ?",
        [*params, after[0], after[1], limit],
    )


def save_post_languages(con: Any, rows: pl.DataFrame) -> int:
    """Store ``platform, post_id, detected_language, detected_languages, language_confidence`` on the posts."""
    if rows.height == 0:
        return 0
    incoming = rows.select(  # noqa: F841  (read by DuckDB's replacement scan)
        pl.col("platform").cast(pl.String),
        pl.col("post_id").cast(pl.String),
        pl.col("detected_language").cast(pl.String),
        pl.col("detected_languages").cast(pl.List(pl.String)),
        pl.col("language_confidence").cast(pl.Float64),
    ).to_arrow()
    con.execute(
        "UPDATE posts SET detected_language = i.detected_language, detected_languages = i.detected_languages, "
        "language_confidence = i.language_confidence FROM incoming i "
        "WHERE posts.platform = i.platform AND posts.post_id = i.post_id"
    )
    return rows.height


def post_languages(con: Any, platform: str | None = None) -> pl.DataFrame:
    """Per post with text: ``platform, author_id, handle, language`` (the network's tag), ``detected_language``,
    ``detected_languages``."""
    where = "p.text IS NOT NULL AND p.text <> ''" + (" AND p.platform = ?" if platform else "")
    return _frame(
        con,
        "SELECT p.platform, p.author_id, a.handle, p.language, p.detected_language, p.detected_languages "
        "FROM posts p LEFT JOIN accounts a ON a.platform = p.platform AND a.account_id = p.author_id "
        f"WHERE {where}",
        [platform] if platform else [],
    )
