"""Topic leadership on Apache Spark: posts per (account, topic) and topic-sensitive PageRank per topic.

The same method as the single-machine job (:func:`signalboost.influence.components.topic_counts` and
:func:`~signalboost.influence.components.topic_leadership`):

* a topic is a name and its hashtags (lower case, without ``#``); a post counts once for each topic one of its
  hashtags names or that its ``pillars`` name; ``topics=None``: the 10 most used hashtags (by posts, ties by
  name), topic ``#tag`` each;
* per topic ``t``, the PageRank of the weighted interaction graph whose teleport is each account's number of posts
  on ``t`` (TwitterRank's teleport, Weng et al. 2010; topic-sensitive PageRank, Haveliwala 2002), the dangling
  rank going to the teleport (:func:`~signalboost.scale.influence_spark.spark_pagerank`);
* ``topic`` = the percentile of the mean of the topic PageRank vectors over every account; ``top_topics`` = up to
  3 topics, best first (ties by name), where the account's percentile in that topic's PageRank —
  ``100 · (#{u < v} + ½ #{u = v}) / n`` over all ``n`` accounts, 0 for a rank of 0 — is at least 90.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

TOP_N = 10
"""Default topics: this many most used hashtags."""
UNAVAILABLE = "no hashtags or pillar labels on imported posts"
"""The reason topic leadership is unavailable (the single-machine job's words)."""


def _tags(posts: Any) -> Any:
    """Per post: ``author_id``, its normalised hashtags ``tags`` (array: ``#`` prefix removed, lower case, empty
    and null left out, distinct) and ``pillars`` (array, never null)."""
    from pyspark.sql import functions as F

    cols = set(posts.columns)
    hashtags = F.col("hashtags") if "hashtags" in cols else F.lit(None).cast("array<string>")
    pillars = F.col("pillars") if "pillars" in cols else F.lit(None).cast("array<string>")
    norm = F.transform(
        F.coalesce(hashtags, F.array().cast("array<string>")), lambda h: F.lower(F.regexp_replace(h, "^#", ""))
    )
    tags = F.array_distinct(F.filter(norm, lambda h: h.isNotNull() & (h != "")))
    return posts.select(
        "author_id", tags.alias("tags"), F.coalesce(pillars, F.array().cast("array<string>")).alias("pillars")
    )


def default_topics(posts: Any, top_n: int = TOP_N) -> dict[str, list[str]]:
    """The ``top_n`` most used hashtags (by posts; ties by name), each its own topic ``#tag``."""
    return _most_used(_tags(posts), top_n)


def _most_used(tagged: Any, top_n: int) -> dict[str, list[str]]:
    """:func:`default_topics` from the :func:`_tags` frame."""
    from pyspark.sql import functions as F

    best = (
        tagged.select(F.explode("tags").alias("tag"))
        .groupBy("tag")
        .count()
        .orderBy(F.col("count").desc(), F.col("tag").asc())
        .limit(top_n)
        .collect()
    )
    return {f"#{r['tag']}": [str(r["tag"])] for r in best}


def spark_topic_counts(posts: Any, topics: Mapping[str, Sequence[str]] | None = None, top_n: int = TOP_N) -> Any:
    """Posts per (author, topic): DataFrame ``author_id, topic, posts`` (double), one row per pair with a post.

    ``topics``: name -> hashtags (``#`` and case ignored); None: :func:`default_topics`. Posts without a known
    author are left out of the counts (they still count for the default topic choice).
    """
    from pyspark.sql import functions as F

    tagged = _tags(posts)
    chosen = _most_used(tagged, top_n) if topics is None else topics
    names = sorted(chosen)
    by_tag: dict[str, list[str]] = {}
    for name in names:
        for h in dict.fromkeys(h.lstrip("#").lower() for h in chosen[name]):
            by_tag.setdefault(h, []).append(name)
    empty = F.array().cast("array<string>")
    if by_tag:
        lookup = F.create_map(*[x for t, ns in by_tag.items() for x in (F.lit(t), F.array(*map(F.lit, ns)))])
        from_tags = F.flatten(
            F.transform(F.filter("tags", lambda t: F.map_contains_key(lookup, t)), lambda t: lookup[t])
        )
    else:
        from_tags = empty
    wanted = F.array(*map(F.lit, names)) if names else empty
    from_pillars = F.filter("pillars", lambda p: F.array_contains(wanted, p)) if names else empty
    per_post = tagged.where(F.col("author_id").isNotNull() & (F.col("author_id") != "")).select(
        "author_id", F.explode(F.array_distinct(F.concat(from_tags, from_pillars))).alias("topic")
    )
    return per_post.groupBy("author_id", "topic").agg(F.count("*").cast("double").alias("posts"))


def spark_topic_leadership(
    edges: Any,
    nodes: Any,
    counts: Any,
    *,
    alpha: float = 0.85,
    tol: float = 1e-4,
    max_iter: int = 500,
    lead_pct: float = 90.0,
    max_topics: int = 3,
) -> Any:
    """Topic leadership of ``nodes`` (``id``) over the interaction ``edges`` (``src, dst, weight``) with the
    teleports ``counts`` (:func:`spark_topic_counts`): DataFrame ``id, topic, top_topics`` (``topic`` the
    percentile, ``top_topics`` an array, empty for an account leading no topic); None when ``counts`` is empty.

    ``tol``: each topic's PageRank iterates until its L1 change between iterates is below ``tol`` (the
    single-machine job's criterion with ``TOPIC_TOL = 1e-4``: only percentiles are used).
    """
    from pyspark.sql import functions as F

    from signalboost.scale.influence_spark import spark_pagerank, spark_percentile

    teleport = counts.select(F.col("author_id").alias("id"), "topic", F.col("posts").alias("p"))
    k = teleport.join(nodes.select("id"), "id").where(F.col("p") > 0).select("topic").distinct().count()
    if k == 0:
        return None
    n = nodes.count()
    ranks = spark_pagerank(edges, nodes, alpha=alpha, tol=tol, max_iter=max_iter, teleport=teleport).cache()
    mean = ranks.groupBy("id").agg((F.sum("x") / k).alias("_traw"))
    table = nodes.select("id").join(mean, "id", "left").fillna(0.0, ["_traw"])
    table = spark_percentile(table, "_traw", "topic").drop("_traw")
    leads = _leads(_topic_percentiles(ranks, n), lead_pct, max_topics)
    out = table.join(leads, "id", "left").select(
        "id", "topic", F.coalesce(F.col("_leads"), F.array().cast("array<string>")).alias("top_topics")
    )
    out = out.localCheckpoint()  # computed now, so the topic PageRanks need not stay cached
    ranks.unpersist()
    return out


def _topic_percentiles(ranks: Any, n: int) -> Any:
    """``id, topic, pct`` for the positive ranks: ``100 (z + #{0 < u < v} + ½ #{u = v}) / n`` within the topic,
    ``z`` = the accounts at 0 (computed as ``100 (2 (z + #{0 < u ≤ v}) − #{u = v}) / 2n`` from integer counts)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    positive = ranks.where(F.col("x") > 0)
    order = Window.partitionBy("topic").orderBy("x").rowsBetween(Window.unboundedPreceding, 0)
    whole = Window.partitionBy("topic")
    ranked = (
        positive.groupBy("topic", "x")
        .agg(F.count("*").alias("_eq"))
        .withColumn("_le", F.sum("_eq").over(order))
        .withColumn("_pos", F.sum("_eq").over(whole))
        .select("topic", "x", (2 * (F.col("_le") + F.lit(n) - F.col("_pos")) - F.col("_eq")).alias("_twice"))
    )
    return positive.join(ranked, ["topic", "x"]).select("id", "topic", (50.0 * F.col("_twice") / n).alias("pct"))


def _leads(pct: Any, lead_pct: float, max_topics: int) -> Any:
    """``id, _leads``: up to ``max_topics`` topics with ``pct ≥ lead_pct``, best first, ties by topic name."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    best = Window.partitionBy("id").orderBy(F.col("pct").desc(), F.col("topic").asc())
    top = (
        pct.where(F.col("pct") >= lead_pct).withColumn("_r", F.row_number().over(best)).where(F.col("_r") <= max_topics)
    )
    ordered = F.sort_array(F.collect_list(F.struct("_r", "topic")))
    return top.groupBy("id").agg(F.transform(ordered, lambda s: s["topic"]).alias("_leads"))
