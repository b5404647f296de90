"""The audience's community step on Apache Spark, for graphs past one machine: synchronous label propagation
over PySpark DataFrames, the same rule as :func:`signalboost.audience.communities.label_propagation` (every node
takes the label of largest total edge weight among its neighbours, ties to the smallest label, isolated nodes keep
their own), so the two give identical labels (tested). Leiden has no Spark implementation; label propagation is
the community step that distributes, and its agreement with the single-machine Leiden segments is reported in
docs/scale.md.
"""

from __future__ import annotations

from typing import Any


def spark_label_propagation(edges: Any, *, iterations: int = 10) -> Any:
    """Labels (``node``, ``label``: long) from an undirected weighted edge DataFrame (``src``, ``dst`` longs,
    optional ``weight``; each edge once or both ways — both directions are used). Self-loops are dropped."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    w = F.col("weight").cast("double") if "weight" in edges.columns else F.lit(1.0)
    e = edges.select(F.col("src").cast("long").alias("u"), F.col("dst").cast("long").alias("v"), w.alias("w"))
    e = e.where(F.col("u") != F.col("v"))
    both = e.unionByName(e.select(F.col("v").alias("u"), F.col("u").alias("v"), "w"))
    both = both.groupBy("u", "v").agg(F.sum("w").alias("w")).cache()
    labels = both.select(F.col("u").alias("node")).distinct().withColumn("label", F.col("node")).localCheckpoint()
    best = Window.partitionBy("u").orderBy(F.col("w").desc(), F.col("label").asc())
    for _ in range(iterations):
        votes = (
            both.join(labels.withColumnRenamed("node", "v"), "v")
            .groupBy("u", "label")
            .agg(F.sum("w").alias("w"))
            .withColumn("rank", F.row_number().over(best))
            .where(F.col("rank") == 1)
            .select(F.col("u").alias("node"), F.col("label"))
            .localCheckpoint()
        )
        changed = votes.join(labels.withColumnRenamed("label", "old"), "node").where(F.col("label") != F.col("old"))
        done = changed.limit(1).count() == 0
        labels = votes
        if done:
            break
    return labels
