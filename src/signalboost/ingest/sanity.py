"""The sanity summary at the end of every import: what a careful person checks before trusting a load.

- **Date range loaded** per table (posts, interactions, metrics), so a file of 2019 read as 2091 shows at once.
- **Columns mostly empty**: a column of the file (CSV formats: a mapped column) filled in fewer than half of the
  rows loaded (but not none), e.g. a mapping that caught the wrong column. Exports whose sparse fields are sparse
  by nature (replies, hashtags) are not flagged.
- **Numbers that look like ids or totals**: a metric above 10^10 (no post has ten billion likes: an id column
  mapped as a metric), or one value equal to the sum of all the others (a totals row loaded as a post).
- **Rows that repeat**: rows folded into one because they repeat a key, and posts whose text repeats another's.
"""

from __future__ import annotations

from typing import Any

from signalboost.i18n import L_, L_join
from signalboost.ingest.base import ImportResult

ID_LIKE = 10**10


def summary(con: Any, result: ImportResult) -> list[str]:
    """The sanity lines of ``result`` (its rows are those whose ``source`` is the import id)."""
    from signalboost.store import ingest_sanity_sql as q

    source = str(result.import_id)
    lines: list[str] = []
    for table in ("posts", "interactions", "post_metrics"):
        if table not in result.per_table:
            continue
        first, last, n = q.time_range(con, table, source)
        if n and first is not None:
            what = q.TIME_COLUMNS[table]
            lines.append(
                L_(
                    "{column}: {first!s} to {last!s} ({n} rows loaded)",
                    column=f"{table}.{what}",
                    first=f"{first:%Y-%m-%d}",
                    last=f"{last:%Y-%m-%d}",
                    n=n,
                )
            )
        rows, filled = q.filled(con, table, source)
        sparse: list[str] = [
            L_("{column} ({k} of {rows})", column=c, k=k, rows=rows)
            for c, k in filled.items()
            if c in result.mapped and rows >= 4 and 0 < k < rows / 2
        ]
        if sparse:
            lines.append(L_("{table}: mostly empty columns: {columns}", table=table, columns=L_join(", ", sparse)))
    if "post_metrics" in result.per_table:
        for metric, (n, top, total) in q.metric_shape(con, source).items():
            if top >= ID_LIKE:
                lines.append(
                    L_(
                        "{column}: values up to {top} look like ids, not counts (check --map)",
                        column=f"post_metrics.{metric}",
                        top=top,
                    )
                )
            elif n >= 3 and top > 0 and top == total - top:
                lines.append(
                    L_(
                        "{column}: one value ({top}) is the sum of all the others: a totals row? (check the file's "
                        "last rows)",
                        column=f"post_metrics.{metric}",
                        top=top,
                    )
                )
    if result.rows_merged:
        lines.append(L_("{n} rows repeated a key within the file and were merged into one", n=result.rows_merged))
    if "posts" in result.per_table and (same := q.repeated_texts(con, source)):
        lines.append(L_("posts: {n} posts repeat another post's text under a different id", n=same))
    return lines
