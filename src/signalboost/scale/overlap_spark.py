"""The partner audience-overlap job on Apache Spark, for follow graphs past one machine.

Same definitions as :mod:`signalboost.outreach.overlap` (exact set arithmetic): for our audience ``B`` (followers
of the brand accounts) and each candidate's audience ``A`` (its followers, the brand accounts left out)::

    shared = |A ∩ B|,  jaccard = shared / (|A| + |B| − shared),  overlap_smaller = shared / min(|A|, |B|),
    unique_reach = |A| − shared

Input: a DataFrame of follow edges with columns ``follower_id``, ``followee_id`` (e.g. the Parquet written by
``signalboost export --parquet``). Output: :class:`~signalboost.outreach.overlap.Overlap` rows (method
``"spark"``), one per candidate, sorted by account id — to be compared with, or loaded like, the DuckDB result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from signalboost.outreach.overlap import Overlap, overlap_metrics


def spark_overlap(follows: Any, brand: Sequence[str], candidates: Sequence[str]) -> list[Overlap]:
    """Exact overlap of each candidate's followers with the brand's, as Spark DataFrame operations."""
    from pyspark.sql import functions as F

    brand_list, cand_list = list(brand), list(candidates)
    ours = follows.where(F.col("followee_id").isin(brand_list)).select("follower_id").distinct()
    our_size = int(ours.count())
    cand = (
        follows.where(F.col("followee_id").isin(cand_list) & ~F.col("follower_id").isin(brand_list))
        .select("followee_id", "follower_id")
        .distinct()
    )
    marked = ours.withColumn("ours", F.lit(1))
    stats = (
        cand.join(marked, on="follower_id", how="left")
        .groupBy("followee_id")
        .agg(F.count("*").alias("audience"), F.sum(F.coalesce(F.col("ours"), F.lit(0))).alias("shared"))
        .collect()
    )
    found = {str(r["followee_id"]): (int(r["audience"]), int(r["shared"])) for r in stats}
    out = []
    for c in sorted(set(cand_list)):
        size, shared = found.get(c, (0, 0))
        j, o, u = overlap_metrics(size, our_size, float(shared))
        out.append(Overlap(c, size, our_size, float(shared), j, o, u, None, "spark"))
    return out


def run_overlap_job(
    parquet_path: str, brand: Sequence[str], candidates: Sequence[str], *, master: str = "local[2]"
) -> list[Overlap]:
    """Read follow edges from Parquet and run :func:`spark_overlap` in a Spark session (created and stopped)."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master(master).appName("signalboost-overlap").getOrCreate()
    try:
        return spark_overlap(spark.read.parquet(parquet_path), brand, candidates)
    finally:
        spark.stop()
