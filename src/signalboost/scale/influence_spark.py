"""The influence job on Apache Spark (PySpark DataFrames over Parquet), for graphs past one machine.

Same formulas as the single-machine job (:mod:`signalboost.influence`): weighted PageRank with dangling rank
sent to the teleport vector (Page et al. 1999), percentile ranks ``100 · (#less + ½ #equal) / n``, the score as
the weighted mean of the known component percentiles. Components on Spark: reach (follower counts),
authority (interaction PageRank, averaged with the follow-graph PageRank when there is one) and activity;
amplification and topic leadership are not ported yet and are reported unavailable.

Inputs are Parquet files with the canonical columns (``interactions.parquet`` required; ``follows.parquet`` and
``accounts.parquet`` optional) — :func:`export_parquet` writes them from a workspace.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from signalboost.model.strategy import InfluenceSettings

KINDS = ("repost", "quote", "reply", "mention", "like")


def local_spark(app: str = "signalboost", cores: int = 2, memory: str = "1g") -> Any:
    """A local-mode SparkSession sized for a laptop (few shuffle partitions, no UI)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def export_parquet(ws: Any, folder: Path, platform: str) -> dict[str, Path]:
    """Write the platform's accounts, follows and interactions as Parquet files for the Spark job."""
    from signalboost.store import influence_sql as sql

    folder.mkdir(parents=True, exist_ok=True)
    with ws.connect(purpose="read") as con:
        frames = sql.read_platform(con, platform)
    out = {}
    for name in ("accounts", "follows", "interactions"):
        path = folder / f"{name}.parquet"
        frames[name].write_parquet(path)
        out[name] = path
    return out


def spark_pagerank(
    edges: Any, nodes: Any, *, alpha: float = 0.85, tol: float = 1e-6, max_iter: int = 500, checkpoint: int = 1
) -> Any:
    """PageRank of ``nodes`` (column ``id``) over weighted ``edges`` (``src, dst, weight``): DataFrame ``id, x``.

    Uniform teleport; the rank of nodes without out-links is spread like the teleport. Stops when the L1 change
    is below ``tol`` (the single-machine criterion). One aggregation job per iteration; the state is
    checkpointed locally to keep the plan short.
    """
    from pyspark.sql import functions as F

    n = nodes.count()
    e = edges.where(F.col("src") != F.col("dst")).groupBy("src", "dst").agg(F.sum("weight").alias("weight"))
    out = e.groupBy("src").agg(F.sum("weight").alias("out"))
    e = e.join(out, "src").select("src", "dst", (F.col("weight") / F.col("out")).alias("w")).cache()
    state = (
        nodes.select("id")
        .distinct()
        .join(out.select(F.col("src").alias("id"), F.lit(False).alias("dangling")), "id", "left")
        .select("id", F.coalesce(F.col("dangling"), F.lit(True)).alias("dangling"), F.lit(1.0 / n).alias("x"))
        .localCheckpoint()
    )
    dmass = state.where("dangling").agg(F.sum("x")).first()[0] or 0.0
    for it in range(1, max_iter + 1):
        contrib = (
            e.join(state.select(F.col("id").alias("src"), "x"), "src")
            .groupBy("dst")
            .agg(F.sum(F.col("x") * F.col("w")).alias("c"))
        )
        new = state.join(contrib.withColumnRenamed("dst", "id"), "id", "left").select(
            "id",
            "dangling",
            F.col("x").alias("old"),
            (alpha * (F.coalesce(F.col("c"), F.lit(0.0)) + F.lit(dmass / n)) + (1 - alpha) / n).alias("x"),
        )
        new = new.localCheckpoint() if it % checkpoint == 0 else new.cache()
        row = new.agg(
            F.sum(F.abs(F.col("x") - F.col("old"))).alias("err"),
            F.sum(F.when(F.col("dangling"), F.col("x")).otherwise(0.0)).alias("dmass"),
        ).first()
        state = new.select("id", "dangling", "x")
        dmass = row["dmass"] or 0.0
        if row["err"] < tol:
            return state.select("id", "x")
    from signalboost.errors import InfluenceError

    raise InfluenceError(f"Spark PageRank did not converge in {max_iter} iterations", hint="Raise max_iter")


def spark_percentile(frame: Any, column: str, out: str) -> Any:
    """Add ``out`` = mean-rank percentile of ``column`` among the rows where it is not null (null stays null)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    known = frame.where(F.col(column).isNotNull())
    n = known.count()
    if n == 0:
        return frame.withColumn(out, F.lit(None).cast("double"))
    ranked = (
        known.groupBy(column)
        .agg(F.count("*").alias("_eq"))
        .withColumn("_le", F.sum("_eq").over(Window.orderBy(column).rowsBetween(Window.unboundedPreceding, 0)))
        .select(column, (50.0 * (2 * F.col("_le") - F.col("_eq")) / n).alias(out))
    )
    return frame.join(ranked, column, "left")


def spark_influence(
    spark: Any, folder: Path, settings: InfluenceSettings | None = None, *, tol: float = 1e-6
) -> tuple[Any, dict[str, str]]:
    """The Spark score job: DataFrame ``account_id, score, reach, authority, activity, pagerank`` and the
    unavailable components with reasons."""
    from pyspark.sql import functions as F

    settings = settings or InfluenceSettings()
    inter = spark.read.parquet(str(folder / "interactions.parquet"))
    follows = _optional(spark, folder / "follows.parquet")
    accounts = _optional(spark, folder / "accounts.parquet")
    ids = inter.select(F.col("actor_id").alias("id")).union(inter.select(F.col("target_account_id").alias("id")))
    if follows is not None:
        ids = ids.union(follows.select(F.col("follower_id").alias("id"))).union(
            follows.select(F.col("followee_id").alias("id"))
        )
    if accounts is not None:
        ids = ids.union(accounts.select(F.col("account_id").alias("id")))
    nodes = ids.where((F.col("id").isNotNull()) & (F.col("id") != "")).distinct().cache()
    weights: Mapping[str, float] = settings.interaction_weights.model_dump()
    kind_w = F.create_map(*[x for k in KINDS for x in (F.lit(k), F.lit(float(weights[k])))])
    edges = (
        inter.where(F.col("target_account_id") != "")
        .select(
            F.col("actor_id").alias("src"),
            F.col("target_account_id").alias("dst"),
            (kind_w[F.col("kind")] * F.coalesce(F.col("weight"), F.lit(1.0))).alias("weight"),
        )
        .where(F.col("weight") > 0)
    )
    pr = spark_pagerank(edges, nodes, tol=tol).withColumnRenamed("x", "pagerank")
    if follows is not None and follows.count():
        fe = follows.where(F.coalesce(F.col("active"), F.lit(True))).select(
            F.col("follower_id").alias("src"), F.col("followee_id").alias("dst"), F.lit(1.0).alias("weight")
        )
        pf = spark_pagerank(fe, nodes, tol=tol).withColumnRenamed("x", "pf")
        pr = pr.join(pf, "id").select("id", ((F.col("pagerank") + F.col("pf")) / 2).alias("pagerank"))
    table = spark_percentile(nodes.join(pr, "id", "left"), "pagerank", "authority")
    unavailable = {
        "amplification": "not computed by the Spark job yet",
        "topic": "not computed by the Spark job yet",
    }
    if accounts is not None and accounts.where(F.col("followers").isNotNull()).count():
        f = accounts.select(F.col("account_id").alias("id"), F.log10(1 + F.col("followers")).alias("reach_raw"))
        table = spark_percentile(table.join(f, "id", "left"), "reach_raw", "reach")
    else:
        table = table.withColumn("reach", F.lit(None).cast("double"))
        unavailable["reach"] = "no follower counts"
    table = _activity(inter, table)
    w = settings.weights.model_dump()
    parts = [c for c in ("reach", "authority", "activity") if c not in unavailable]
    num = sum((F.coalesce(F.col(c) * w[c], F.lit(0.0)) for c in parts), F.lit(0.0))
    den = sum((F.when(F.col(c).isNotNull(), F.lit(w[c])).otherwise(0.0) for c in parts), F.lit(0.0))
    table = table.withColumn("score", F.when(den > 0, num / den))
    cols = ["score", "reach", "authority", "activity", "pagerank"]
    return table.select(F.col("id").alias("account_id"), *cols), unavailable


def _activity(inter: Any, table: Any) -> Any:
    """Frequency and regularity percentiles (days; weeks past 8 weeks), then the percentile of their mean."""
    from pyspark.sql import functions as F

    ev = inter.where(F.col("kind") != "like").where(F.col("occurred_at").isNotNull())
    ev = ev.select(F.col("actor_id").alias("id"), F.col("occurred_at").cast("double").alias("ts"))
    bounds = ev.agg(F.min("ts"), F.max("ts")).first()
    if bounds[0] is None:
        return table.withColumn("activity", F.lit(None).cast("double"))
    exact = (bounds[1] - bounds[0]) / 86400.0
    span, unit = max(1.0, exact), (7 if exact > 56 else 1)
    periods = int(exact // unit) + 1
    per = ev.groupBy("id").agg(
        (F.count("*") / span).alias("freq"),
        (F.countDistinct(F.floor((F.col("ts") - bounds[0]) / (86400 * unit))) / periods).alias("reg"),
    )
    t = spark_percentile(spark_percentile(table.join(per, "id", "left"), "freq", "pf"), "reg", "pr")
    t = t.withColumn("act_raw", (F.col("pf") + F.col("pr")) / 2)
    return spark_percentile(t, "act_raw", "activity").drop("freq", "reg", "pf", "pr", "act_raw")


def _optional(spark: Any, path: Path) -> Any:
    return spark.read.parquet(str(path)) if path.exists() else None
