"""Wiring: detect the language of stored posts (in batches, one transaction each) and read the languages back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from signalboost.store import post_languages_sql as sql
from signalboost.store.workspace import Workspace
from signalboost.text.language import detect_mixed
from signalboost.text.mix import language_mix

BATCH = 5000


@dataclass
class DetectionRun:
    """Counts of one detection run: posts read, posts given a language, unknown, and mixed."""

    posts: int = 0
    detected: int = 0
    unknown: int = 0
    mixed: int = 0


def detect_stored_languages(
    ws: Workspace,
    *,
    platform: str | None = None,
    redetect: bool = False,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> DetectionRun:
    """Detect and store the language of every post with text not detected yet (every one when ``redetect``).

    Each batch is its own transaction, so an interrupted run keeps what it stored and the next run goes on.
    ``progress(done, total)`` is called after each batch.
    """
    run = DetectionRun()
    with ws.connect(purpose="count posts") as con:
        total = sql.count_undetected(con, platform, redetect=redetect)
    after = ("", "")
    while True:
        with ws.transaction(purpose="detect post languages") as con:
            todo = sql.undetected_posts(con, platform, redetect=redetect, limit=batch, after=after)
            if todo.height == 0:
                break
            found = [detect_mixed(t) for t in todo["text"].to_list()]
            sql.save_post_languages(
                con,
                todo.select("platform", "post_id").with_columns(
                    pl.Series("detected_language", [d.language for d in found], dtype=pl.String),
                    pl.Series("detected_languages", [list(d.languages) for d in found], dtype=pl.List(pl.String)),
                    pl.Series("language_confidence", [d.confidence for d in found], dtype=pl.Float64),
                ),
            )
        last = todo.row(todo.height - 1)
        after = (str(last[0]), str(last[1]))
        run.posts += todo.height
        run.detected += sum(d.language is not None for d in found)
        run.unknown += sum(d.language is None for d in found)
        run.mixed += sum(d.mixed for d in found)
        if progress is not None:
            progress(run.posts, total)
    return run


def account_languages(ws: Workspace, *, platform: str | None = None) -> pl.DataFrame:
    """:func:`signalboost.text.mix.language_mix` of the stored posts."""
    with ws.connect(purpose="read post languages") as con:
        posts = sql.post_languages(con, platform)
    return language_mix(posts)
