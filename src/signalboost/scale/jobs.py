"""The scale jobs end to end: Spark over an export folder, results as Parquet, and loading them back.

``run_influence`` runs :func:`~signalboost.scale.influence_spark.spark_influence` over ``DIR`` (written by
``signalboost export --parquet``) and writes ``DIR/results/influence-<platform>.parquet``; ``load_influence``
stores it in ``influence_scores`` / ``influence_runs`` in one transaction, with the columns the single-machine job
writes: every score component, topic leadership included (``topic``, ``top_topics``; the topics are the
strategy's pillar hashtags when the caller passes them — :func:`signalboost.influence.job.settings_and_topics` —
else the 10 most used hashtags, as on one machine). No brand on Spark: engagement and segments are not computed,
segment ``other``, as the single-machine job without a brand. ``run_overlap`` / ``load_overlap`` do the same
for partner audience overlap (``partner_overlap``, method ``spark``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from signalboost.errors import InfluenceError, UsageError
from signalboost.i18n import L_
from signalboost.influence.components import COMPONENTS, TOPIC_TOL
from signalboost.influence.score import effective_weights
from signalboost.model.strategy import InfluenceSettings
from signalboost.outreach.overlap import Overlap
from signalboost.scale.export import read_manifest
from signalboost.store import influence_sql, outreach_sql
from signalboost.store import scale_sql as sql
from signalboost.store.workspace import Workspace

Progress = Callable[[str], None]
SPARK_COMPONENTS = COMPONENTS
"""Components the Spark influence job computes: all five, as on one machine."""


@dataclass
class SparkInfluenceRun:
    """A Spark influence run: where its results are, and the metadata ``influence_runs`` records."""

    platform: str
    computed_at: dt.datetime
    results: Path
    accounts: int
    unavailable: dict[str, str]
    weights: dict[str, float]
    settings: dict[str, Any]
    seconds: float
    master: str
    computed: list[str] = field(default_factory=list)


def pick_platform(manifest: dict[str, Any], platform: str | None) -> str:
    """``platform`` checked against the export's platforms (default: the only one, else an error naming them)."""
    found = [str(p) for p in manifest.get("platforms", [])]
    if platform is not None:
        if platform not in found:
            raise UsageError(
                L_("platform {platform!r} is not in this export", platform=platform),
                where="--platform",
                hint=L_("Platforms in the export: {names}", names=", ".join(found) or L_("none")),
            )
        return platform
    if len(found) == 1:
        return found[0]
    raise UsageError(
        L_("the export holds several platforms") if found else L_("the export holds no data"),
        where="--platform",
        hint=L_("Pass --platform, one of: {choices}", choices=", ".join(found))
        if found
        else L_("Import data, then export again"),
    )


def run_influence(
    folder: Path,
    *,
    platform: str | None = None,
    master: str = "local[2]",
    settings: InfluenceSettings | None = None,
    tol: float = 1e-6,
    topic_tol: float = TOPIC_TOL,
    topics: Mapping[str, Sequence[str]] | None = None,
    spark: Any = None,
    progress: Progress | None = None,
) -> SparkInfluenceRun:
    """Run the Spark influence job over the export ``folder``; write ``folder/results/influence-<platform>.parquet``.

    ``spark``: a SparkSession to use (default: the active one, else one is started on ``master`` and stopped at
    the end). ``tol``: L1 tolerance of the authority PageRank iterations; ``topic_tol``: of each topic's PageRank
    (default 1e-4, as on one machine). ``topics``: topic name -> hashtags (None: the 10 most used hashtags).
    """
    from signalboost.scale.influence_spark import spark_influence

    folder = Path(folder).expanduser().resolve()
    manifest = read_manifest(folder)
    platform = pick_platform(manifest, platform)
    settings = settings or InfluenceSettings()
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    with _session(spark, "signalboost-scale", master, say) as session:
        say("scoring (PageRank iterations)")
        frame, unavailable = spark_influence(
            session, folder, settings, tol=tol, topic_tol=topic_tol, platform=platform, topics=topics
        )
        out = folder / "results" / f"influence-{platform}.parquet"
        say("writing results")
        frame.coalesce(1).write.mode("overwrite").parquet(str(out))
    computed = [c for c in SPARK_COMPONENTS if c not in unavailable]
    accounts = int(pl.scan_parquet(out / "*.parquet").select(pl.len()).collect().item())
    return SparkInfluenceRun(
        platform=platform,
        computed_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        results=out,
        accounts=accounts,
        unavailable=unavailable,
        weights=effective_weights(settings.weights.model_dump(), computed),
        settings=settings.model_dump()
        | {"engine": "spark", "master": master, "tol": tol, "topic_tol": topic_tol, "topics": _plain(topics)},
        seconds=time.perf_counter() - started,
        master=master,
        computed=computed,
    )


def score_table(frame: pl.DataFrame, platform: str, computed_at: dt.datetime) -> pl.DataFrame:
    """The Spark result as ``influence_scores`` rows (columns the job does not compute are NULL; segment other).
    A result without ``topic`` / ``top_topics`` (written before Spark computed them) stores them as NULL."""
    n = frame.height
    if "topic" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Float64).alias("topic"))
    if "top_topics" not in frame.columns:
        frame = frame.with_columns(pl.Series("top_topics", [None] * n, dtype=pl.List(pl.String)))
    return frame.with_columns(
        pl.lit(platform).alias("platform"),
        pl.lit(computed_at).cast(pl.Datetime("us", "UTC")).alias("computed_at"),
        pl.col("topic").cast(pl.Float64),
        pl.lit(None, pl.Float64).alias("engagement"),
        pl.lit(None, pl.Boolean).alias("follows_brand"),
        pl.lit("other").alias("segment"),
        pl.col("top_topics").cast(pl.List(pl.String)),
        pl.lit(None, pl.Float64).alias("reciprocity"),
        pl.lit(None, pl.Int64).alias("interactions_with_brand"),
        pl.col("followers").round(0).cast(pl.Int64),
        *[pl.lit(None, pl.Float64).alias(c) for c in influence_sql.RAW_COLUMNS],  # raw values: not computed on Spark
    ).select(influence_sql.SCORE_COLUMNS)


def _plain(topics: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]] | None:
    """``topics`` as plain JSON (None: the default topics, the most used hashtags)."""
    return None if topics is None else {str(k): [str(h) for h in v] for k, v in topics.items()}


def load_influence(ws: Workspace, run: SparkInfluenceRun) -> int:
    """Store a Spark run in ``influence_scores`` and ``influence_runs`` in one transaction; return rows stored."""
    with ws.connect(purpose="read") as con:
        frame = sql.read_parquet(con, run.results)
    if frame.height == 0:
        raise InfluenceError(L_("the Spark run scored no account"), where=str(run.results), hint=L_("Check the export"))
    table = score_table(frame, run.platform, run.computed_at)
    meta = {
        "platform": run.platform,
        "computed_at": run.computed_at,
        "brand_account_id": None,
        "weights": run.weights,
        "unavailable": run.unavailable,
        "follows_brand_from": None,
        "settings": run.settings,
        "seconds": run.seconds,
    }
    with ws.transaction(purpose="scale load-back") as con:
        return influence_sql.write_scores(con, table, meta)


def run_overlap(
    folder: Path,
    candidates: Sequence[str],
    *,
    brand: Sequence[str] | None = None,
    platform: str | None = None,
    master: str = "local[2]",
    spark: Any = None,
    progress: Progress | None = None,
) -> tuple[str, list[Overlap]]:
    """Exact audience overlap on Spark over the export's follow graph; also writes
    ``folder/results/overlap-<platform>.parquet``. ``brand``: our account ids (default: accounts marked
    ``is_brand``). Candidates and brand may be ids or @handles. Returns the platform and one row per candidate."""
    from pyspark.sql import functions as F

    from signalboost.scale.overlap_spark import spark_overlap

    folder = Path(folder).expanduser().resolve()
    manifest = read_manifest(folder)
    platform = pick_platform(manifest, platform)
    if not (folder / "follows.parquet").exists():
        raise UsageError(
            L_("the export has no follows.parquet"),
            where=str(folder),
            hint=L_("Export with --tables including follows"),
        )
    say = progress or (lambda _m: None)
    with _session(spark, "signalboost-overlap", master, say) as session:
        follows = session.read.parquet(str(folder / "follows.parquet")).where(F.col("platform") == platform)
        follows = follows.where(F.coalesce(F.col("active"), F.lit(True)))
        accounts = _accounts(session, folder, platform)
        ours = _resolve(accounts, brand, "--brand") if brand else _brand(accounts)
        cands = _resolve(accounts, candidates, "--candidates")
        say("computing overlap")
        rows = spark_overlap(follows, ours, cands)
        out = folder / "results" / f"overlap-{platform}.parquet"
        out.parent.mkdir(parents=True, exist_ok=True)
        pl.DataFrame([r.as_dict() for r in rows]).write_parquet(out)
    return platform, rows


def load_overlap(ws: Workspace, platform: str, rows: Sequence[Overlap]) -> int:
    """Store Spark overlap rows in ``partner_overlap`` (audience source ``follows``) in one transaction."""
    with ws.transaction(purpose="scale load-back") as con:
        outreach_sql.save_partner_overlap(con, platform, "follows", [o.as_dict() for o in rows])
    return len(rows)


@contextmanager
def _session(spark: Any, name: str, master: str, say: Progress) -> Iterator[Any]:
    """``spark``, else the session already running in this process (both reused and left running), else one
    started on ``master`` for the job and stopped at the end."""
    from signalboost.scale.influence_spark import local_spark

    say(f"starting Spark ({master})")
    spark = spark if spark is not None else _active_session()
    if spark is not None:
        yield spark
        return
    session = local_spark(name, master=master)
    try:
        session.sparkContext.setLogLevel("ERROR")
        yield session
    finally:
        session.stop()


def _active_session() -> Any:
    """The SparkSession already running in this process (a notebook, a test), reused and left running."""
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession()


def _accounts(spark: Any, folder: Path, platform: str) -> list[tuple[str, str | None, bool]]:
    path = folder / "accounts.parquet"
    if not path.exists():
        return []
    from pyspark.sql import functions as F

    frame = spark.read.parquet(str(path)).where(F.col("platform") == platform)
    rows = frame.select("account_id", "handle", F.coalesce(F.col("is_brand"), F.lit(False))).collect()
    return [(str(r[0]), r[1], bool(r[2])) for r in rows]


def _brand(accounts: list[tuple[str, str | None, bool]]) -> list[str]:
    found = [a for a, _, b in accounts if b]
    if not found:
        raise UsageError(
            L_("no brand account in the export"),
            where="--brand",
            hint=L_("Pass --brand ID, or mark the brand (`signalboost influencers --brand @you`) and export again"),
        )
    return found


def _resolve(accounts: list[tuple[str, str | None, bool]], names: Sequence[str], option: str) -> list[str]:
    """Ids for ids or @handles (handles matched case-insensitively in the export's accounts)."""
    by_handle = {h.lower(): a for a, h, _ in accounts if h}
    out = []
    for item in [x.strip() for n in names for x in n.split(",") if x.strip()]:
        if item.startswith("@"):
            hit = by_handle.get(item[1:].lower())
            if hit is None:
                raise UsageError(
                    L_("no account with handle {handle!r} in the export", handle=item),
                    where=option,
                    hint=L_("Check the spelling against the export's accounts.parquet, or pass the account id instead"),
                )
            out.append(hit)
        else:
            out.append(item)
    if not out:
        raise UsageError(L_("no account given"), where=option, hint=L_("Pass account ids or @handles, comma separated"))
    return list(dict.fromkeys(out))
