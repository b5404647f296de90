"""SNAP Higgs Twitter activity: ``userA userB unix_timestamp RT|MT|RE``, one action a line (optionally gzipped).

Loads ``interactions``: ``actor_id`` = userA, ``target_account_id`` = userB, ``kind`` RT -> repost,
MT -> mention, RE -> reply, ``occurred_at`` from the Unix time (UTC), ``target_post_id`` '' (unknown), platform
"x" unless ``--platform``. Source: https://snap.stanford.edu/data/higgs-twitter.html (De Domenico et al. 2013).
Read by DuckDB's CSV reader straight into the staging table (no Python per row).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from signalboost.i18n import L_, N_
from signalboost.ingest.base import Format, Item, ReadOptions, SqlStage
from signalboost.ingest.plaintext import plain_utf8
from signalboost.ingest.registry import register
from signalboost.store.ingest_sources_sql import higgs_activity

_LINE = re.compile(rb"^\d+ \d+ \d{9,11} (RT|MT|RE)$")


def sniff(head: bytes, path: Path) -> float:
    """Confidence from the first complete lines: four fields, two ids, a Unix time and RT/MT/RE."""
    if path.is_dir():
        return 0.0
    lines = [ln.strip() for ln in head.split(b"\n")[:-1] if ln.strip()][:50]
    if not lines:
        return 0.0
    share = sum(1 for ln in lines if _LINE.match(ln)) / len(lines)
    # Mostly-valid files are still this format (the bad lines become rejects).
    return 0.95 if share == 1 else 0.5 + 0.4 * share if share >= 0.5 else 0.3 * share


def read_higgs(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Stream the activity file into ``interactions`` (rejects: bad time, unknown action, missing ids)."""
    platform = options.platform or "x"
    options.saw_times(naive=False)
    options.note(L_("times: Unix times (UTC)"))
    with plain_utf8(path, options) as plain:
        sql, line_sql = higgs_activity(plain, platform)
        yield SqlStage("interactions", sql, line_sql)


FORMAT = register(
    Format(
        name="higgs-activity",
        description=N_("SNAP Higgs Twitter activity file (userA userB unix_ts RT|MT|RE), optionally .gz"),
        loads=N_("interactions (RT->repost, MT->mention, RE->reply; actor=userA, target account=userB)"),
        sniff=sniff,
        read=read_higgs,
        platform="x",
        extensions=(".txt", ".txt.gz"),
    )
)
