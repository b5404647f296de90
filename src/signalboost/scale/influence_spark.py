"""The influence job on Apache Spark (PySpark DataFrames over Parquet), for graphs past one machine.

Same formulas as the single-machine job (:mod:`signalboost.influence`): weighted PageRank with dangling rank
sent to the teleport vector (Page et al. 1999; networkx's personalized PageRank), percentile ranks
``100 · (#less + ½ #equal) / n``, the score from the known component percentiles by the strategy's rule
(``influence.combine``: ``tail`` or ``mean``, :func:`spark_score`). Every
component runs on Spark: reach (follower counts, else follow in-degree, else distinct accounts interacting
and attention received; plus
the within-size-band percentile),
authority (interaction PageRank, averaged with the follow-graph PageRank when there is one), amplification
(reposts + quotes received per post), topic leadership (:mod:`signalboost.scale.topic_spark`: one
topic-sensitive PageRank per topic, all topics iterated together, TwitterRank teleport = posts on the topic) and
activity.

Stopping rules: the authority PageRanks iterate until the L1 change between iterates is below ``tol`` (default
1e-6, as on one machine); the topic PageRanks until every topic's own L1 change is below ``topic_tol`` (default
1e-4, the single machine's ``TOPIC_TOL``; a topic already below keeps iterating until the last one is, so it is
at least as close as on its own).

Inputs are Parquet files with the canonical columns (``interactions.parquet`` required; ``follows``, ``accounts``
and ``posts`` optional) — ``signalboost export --parquet`` (:mod:`signalboost.scale.export`) writes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from signalboost.errors import InfluenceError
from signalboost.i18n import L_
from signalboost.influence.components import (
    AMPLIFICATION_WITHOUT_REPOSTS,
    ATTENTION_WEIGHTS,
    COMPONENTS,
    POST_ATTENTION,
    TOPIC_NO_MATCH,
    TOPIC_TOL,
    TOPIC_WITHOUT_EDGES,
)
from signalboost.model.strategy import InfluenceSettings

KINDS = ("repost", "quote", "reply", "mention", "like")


def local_spark(app: str = "signalboost", cores: int = 2, memory: str = "1g", master: str | None = None) -> Any:
    """A SparkSession (local mode with ``cores`` threads unless ``master`` is given): few shuffle partitions, no UI,
    a short query history, UTC; a local master binds to 127.0.0.1 (no network needed)."""
    import os

    from pyspark.sql import SparkSession

    master = master or f"local[{cores}]"
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.ui.enabled", "false")
        # An iterative job runs hundreds of small queries: keep only the latest in the status store (by default
        # 1000 of each, plans and metrics the driver holds for nothing with the UI off).
        .config("spark.sql.ui.retainedExecutions", "20")
        .config("spark.ui.retainedJobs", "50")
        .config("spark.ui.retainedStages", "50")
        .config("spark.ui.retainedTasks", "1000")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def spark_pagerank(
    edges: Any,
    nodes: Any,
    *,
    alpha: float = 0.85,
    tol: float = 1e-6,
    max_iter: int = 500,
    checkpoint: int = 1,
    teleport: Any = None,
) -> Any:
    """PageRank of ``nodes`` (column ``id``) over weighted ``edges`` (``src, dst, weight``): DataFrame ``id, x``.

    The fixed point of networkx's iteration ``x = α (Wᵀx + (δᵀx) p) + (1 − α) p`` (``W`` row-normalised,
    self-loops dropped, parallel edges summed, ``δ`` the nodes without out-links: their rank goes to the
    teleport ``p``, as in :mod:`signalboost.influence.pagerank`). ``teleport=None``: uniform ``p = 1/n``.
    ``teleport``: DataFrame ``id, p`` (weights ≥ 0, normalised to sum 1) — personalized PageRank — or
    ``id, topic, p``: one personalized PageRank per topic, iterated together (topic-sensitive PageRank,
    Haveliwala 2002), returned as ``id, topic, x`` with only the rows an iterate reached (a missing row is 0).

    Starts from ``x = p``; stops when the L1 change between iterates is below ``tol`` for every topic (the
    single-machine criterion, each topic's own; topics already below keep iterating until the last one is).
    One aggregation job per iteration; the state is checkpointed locally to keep the plan short.
    """
    from pyspark.sql import functions as F

    ids = nodes.select("id").distinct()
    e = (
        edges.where(F.col("src") != F.col("dst"))
        .groupBy("src", "dst")
        .agg(F.sum("weight").alias("weight"))
        .where(F.col("weight") > 0)
    )
    out = e.groupBy("src").agg(F.sum("weight").alias("out"))
    flags = ids.join(out.select(F.col("src").alias("id"), F.lit(False).alias("_has_out")), "id", "left").select(
        "id", F.col("_has_out").isNull().alias("dangling")
    )
    e = (
        e.join(out, "src")
        .join(flags.select(F.col("id").alias("dst"), F.col("dangling").alias("dst_dangling")), "dst")
        .select("src", "dst", (F.col("weight") / F.col("out")).alias("w"), "dst_dangling")
        .cache()
    )
    grouped = teleport is not None and "topic" in teleport.columns
    state = _teleport_state(ids, flags, teleport).localCheckpoint()
    dmass = _per_topic(state.where("dangling").groupBy("topic").agg(F.sum("x").alias("v")))
    for it in range(1, max_iter + 1):
        state, err, dmass = _pagerank_step(state, e, dmass, alpha, keep=it % checkpoint == 0)
        if max(err.values(), default=0.0) < tol:
            e.unpersist()  # the state is checkpointed: the result no longer reads the edges
            if grouped:
                return state.select("id", "topic", "x")
            return ids.join(state.select("id", "x"), "id", "left").select(
                "id", F.coalesce(F.col("x"), F.lit(0.0)).alias("x")
            )
    raise InfluenceError(
        L_("Spark PageRank did not converge in {max_iter} iterations", max_iter=max_iter), hint=L_("Raise max_iter")
    )


def _teleport_state(ids: Any, flags: Any, teleport: Any) -> Any:
    """The first iterate ``id, topic, dangling, p, x = p``: the teleport normalised per topic (``topic`` is ''
    without topics), restricted to ``ids`` and to positive weights."""
    from pyspark.sql import functions as F

    if teleport is None:
        n = ids.count()
        tele = ids.select("id", F.lit("").alias("topic"), F.lit(1.0 / n).alias("p"))
    else:
        t = teleport if "topic" in teleport.columns else teleport.withColumn("topic", F.lit(""))
        t = t.join(ids, "id").groupBy("id", "topic").agg(F.sum("p").alias("p")).where(F.col("p") > 0)
        total = t.groupBy("topic").agg(F.sum("p").alias("_total"))
        tele = t.join(total, "topic").select("id", "topic", (F.col("p") / F.col("_total")).alias("p"))
    return tele.join(flags, "id").select("id", "topic", "dangling", "p", F.col("p").alias("x"))


def _per_topic(frame: Any) -> dict[str, float]:
    """``topic -> v`` of a small aggregate (None counts as 0)."""
    return {str(r["topic"]): float(r["v"] or 0.0) for r in frame.collect()}


def _pagerank_step(
    state: Any, e: Any, dmass: Mapping[str, float], alpha: float, *, keep: bool
) -> tuple[Any, dict[str, float], dict[str, float]]:
    """One iteration ``x ← α (Wᵀx + m p) + (1 − α) p`` per topic (``m`` = the topic's dangling mass): the new
    state, and per topic the L1 change and the new dangling mass."""
    from pyspark.sql import functions as F

    dm = F.create_map(*[x for k, v in dmass.items() for x in (F.lit(k), F.lit(v))]) if dmass else None
    mass = F.coalesce(dm[F.col("topic")], F.lit(0.0)) if dm is not None else F.lit(0.0)
    contrib = (
        state.where(F.col("x") > 0)
        .select(F.col("id").alias("src"), "topic", "x")
        .join(e, "src")
        .groupBy(F.col("dst").alias("id"), "topic")
        .agg(F.sum(F.col("x") * F.col("w")).alias("c"), F.first("dst_dangling").alias("_dd"))
    )
    p = F.coalesce(F.col("p"), F.lit(0.0))
    new = state.join(contrib, ["id", "topic"], "full").select(
        "id",
        "topic",
        F.coalesce(F.col("dangling"), F.col("_dd")).alias("dangling"),
        p.alias("p"),
        F.coalesce(F.col("x"), F.lit(0.0)).alias("old"),
        (alpha * (F.coalesce(F.col("c"), F.lit(0.0)) + mass * p) + (1 - alpha) * p).alias("x"),
    )
    new = new.localCheckpoint() if keep else new.cache()
    rows = (
        new.groupBy("topic")
        .agg(
            F.sum(F.abs(F.col("x") - F.col("old"))).alias("err"),
            F.sum(F.when(F.col("dangling"), F.col("x")).otherwise(0.0)).alias("v"),
        )
        .collect()
    )
    err = {str(r["topic"]): float(r["err"]) for r in rows}
    return new.select("id", "topic", "dangling", "p", "x"), err, {str(r["topic"]): float(r["v"] or 0.0) for r in rows}


def spark_percentile(frame: Any, column: str, out: str, by: str | None = None) -> Any:
    """Add ``out`` = mean-rank percentile ``100 · (#less + ½ #equal) / n`` of ``column`` among the rows where it
    is not null (null stays null); with ``by``, within each group of ``by`` (n = the group's known rows)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    known = frame.where(F.col(column).isNotNull())
    if by is None and known.count() == 0:
        return frame.withColumn(out, F.lit(None).cast("double"))
    keys = [column] if by is None else [by, column]
    part = [] if by is None else [by]
    order = Window.partitionBy(*part).orderBy(column).rowsBetween(Window.unboundedPreceding, 0)
    whole = Window.partitionBy(*part)
    ranked = (
        known.groupBy(*keys)
        .agg(F.count("*").alias("_eq"))
        .withColumn("_le", F.sum("_eq").over(order))
        .withColumn("_n", F.sum("_eq").over(whole))
        .select(*keys, (50.0 * (2 * F.col("_le") - F.col("_eq")) / F.col("_n")).alias(out))
    )
    return frame.join(ranked, keys, "left")


def _read(spark: Any, folder: Path, name: str, platform: str | None) -> Any:
    """``name.parquet`` of ``folder`` (None when absent), the rows of ``platform`` when it has that column."""
    from pyspark.sql import functions as F

    path = folder / f"{name}.parquet"
    if not path.exists():
        return None
    frame = spark.read.parquet(str(path))
    if platform is not None and "platform" in frame.columns:
        frame = frame.where(F.col("platform") == platform)
    return frame


def _resolve_targets(inter: Any, posts: Any) -> Any:
    """Fill an empty ``target_account_id`` from the target post's author (as :class:`InfluenceData` does)."""
    from pyspark.sql import functions as F

    inter = inter.withColumn("target_account_id", F.coalesce(F.col("target_account_id"), F.lit("")))
    if posts is None:
        return inter
    authors = posts.select(F.col("post_id").alias("target_post_id"), F.col("author_id").alias("_author")).distinct()
    joined = inter.join(authors, "target_post_id", "left")
    target = F.when(F.col("target_account_id") == "", F.coalesce(F.col("_author"), F.lit(""))).otherwise(
        F.col("target_account_id")
    )
    return joined.withColumn("target_account_id", target).drop("_author")


def spark_influence(
    spark: Any,
    folder: Path,
    settings: InfluenceSettings | None = None,
    *,
    tol: float = 1e-6,
    topic_tol: float = TOPIC_TOL,
    platform: str | None = None,
    topics: Mapping[str, Sequence[str]] | None = None,
) -> tuple[Any, dict[str, str]]:
    """The Spark score job over the Parquet files of ``folder`` (rows of ``platform`` when the files carry a
    ``platform`` column): DataFrame ``account_id`` + :data:`SPARK_COLUMNS` and the unavailable components with
    reasons. ``tol``: L1 tolerance of the authority PageRanks; ``topic_tol``: of each topic's PageRank.
    ``topics``: topic name -> hashtags (None: the 10 most used hashtags), as ``compute_influence`` takes."""
    from pyspark.sql import functions as F

    settings = settings or InfluenceSettings()
    inter = _read(spark, folder, "interactions", platform)
    if inter is None:
        raise InfluenceError(
            L_("no interactions.parquet in the Parquet folder"),
            where=str(folder),
            hint=L_("Export with `signalboost export --parquet DIR` (interactions are required)"),
        )
    posts = _read(spark, folder, "posts", platform)
    metrics = _read(spark, folder, "post_metrics", platform)
    accounts = _read(spark, folder, "accounts", platform)
    follows = _read(spark, folder, "follows", platform)
    if follows is not None:
        follows = follows.where(F.coalesce(F.col("active"), F.lit(True))) if "active" in follows.columns else follows
    inter = _resolve_targets(inter, posts).cache()
    nodes = _nodes(inter, follows, accounts, posts)
    if nodes.count() == 0:
        raise InfluenceError(
            L_("no accounts to score on platform {platform!r}", platform=platform),
            where=str(folder),
            hint=L_("Pick another --platform (see manifest.json) or export again"),
        )
    unavailable: dict[str, str] = {}
    edges = _interaction_edges(inter, settings)
    # Each percentile reads its input twice: the table is checkpointed after every component, else the final plan
    # repeats the earlier components hundreds of times (and its broadcasts fill the driver's memory).
    table = _authority(edges, follows, nodes, tol, unavailable).localCheckpoint()
    table = _reach(table, accounts, follows, inter, unavailable, _post_attention(posts, metrics, accounts))
    table = table.localCheckpoint()
    table = _amplification(table, inter, accounts, posts, unavailable).localCheckpoint()
    table = _activity(inter, posts, table, unavailable).localCheckpoint()
    table = _topic(table, edges, nodes, posts, topics, topic_tol, unavailable).localCheckpoint()
    for cached in (inter, edges, nodes):  # the checkpointed table no longer reads them
        cached.unpersist()
    table = table.withColumn("score", spark_score(settings, [c for c in COMPONENTS if c not in unavailable]))
    return table.select(F.col("id").alias("account_id"), *SPARK_COLUMNS), unavailable


def spark_score(settings: InfluenceSettings, parts: list[str]) -> Any:
    """The score column from the percentile columns ``parts``, by the rule ``settings.combine`` — the same
    formulas as :func:`signalboost.influence.score.combine`: ``tail`` = ``100 (1 − exp(Σ w ln t / Σ w))`` with the
    tail share ``t = max(1 − p/100, TAIL_FLOOR)``, ``mean`` = ``Σ w p / Σ w``; over the known components of each
    account, components of weight 0 left out."""
    from pyspark.sql import functions as F

    from signalboost.influence.score import TAIL_FLOOR

    w = settings.weights.model_dump()
    used = [c for c in parts if w[c] > 0]
    if settings.combine == "mean":
        terms = [F.col(c) * w[c] for c in used]
    else:
        # Spark's greatest() skips NULL (it would turn an unknown percentile into the floor): known ones only
        terms = [
            F.when(F.col(c).isNotNull(), F.log(F.greatest(F.lit(1.0) - F.col(c) / 100.0, F.lit(TAIL_FLOOR))) * w[c])
            for c in used
        ]
    num = sum((F.coalesce(t, F.lit(0.0)) for t in terms), F.lit(0.0))
    den = sum((F.when(F.col(c).isNotNull(), F.lit(w[c])).otherwise(0.0) for c in used), F.lit(0.0))
    score = num / den if settings.combine == "mean" else F.expm1(num / den) * -100.0
    return F.when(den > 0, score)


SPARK_COLUMNS = (
    "score",
    "reach",
    "authority",
    "amplification",
    "topic",
    "activity",
    "pagerank",
    "followers",
    "reach_in_band",
    "top_topics",
)
"""The columns of :func:`spark_influence` after ``account_id``."""


def _nodes(inter: Any, follows: Any, accounts: Any, posts: Any) -> Any:
    """Every account id named anywhere (non-empty), once."""
    from pyspark.sql import functions as F

    ids = inter.select(F.col("actor_id").alias("id")).union(inter.select(F.col("target_account_id").alias("id")))
    if follows is not None:
        ids = ids.union(follows.select(F.col("follower_id").alias("id"))).union(
            follows.select(F.col("followee_id").alias("id"))
        )
    if accounts is not None:
        ids = ids.union(accounts.select(F.col("account_id").alias("id")))
    if posts is not None:
        ids = ids.union(posts.select(F.col("author_id").alias("id")))
    return ids.where((F.col("id").isNotNull()) & (F.col("id") != "")).distinct().cache()


def _interaction_edges(inter: Any, settings: InfluenceSettings) -> Any:
    """The weighted interaction graph ``src, dst, weight``: actor → target account, weighted by kind (× the row's
    weight); rows without a target account or with a non-positive weight left out."""
    from pyspark.sql import functions as F

    weights: Mapping[str, float] = settings.interaction_weights.model_dump()
    kind_w = F.create_map(*[x for k in KINDS for x in (F.lit(k), F.lit(float(weights[k])))])
    return (
        inter.where(F.col("target_account_id") != "")
        .select(
            F.col("actor_id").alias("src"),
            F.col("target_account_id").alias("dst"),
            (kind_w[F.col("kind")] * F.coalesce(F.col("weight"), F.lit(1.0))).alias("weight"),
        )
        .where(F.col("weight") > 0)
        .cache()
    )


def _authority(edges: Any, follows: Any, nodes: Any, tol: float, unavailable: dict[str, str]) -> Any:
    """PageRank of the weighted interaction graph, averaged with the follow graph's PageRank when there is one
    (unavailable, with the single machine's reason, when there is neither)."""
    from pyspark.sql import functions as F

    ranks = []
    if edges.count():
        ranks.append(spark_pagerank(edges, nodes, tol=tol))
    if follows is not None and follows.count():
        fe = follows.select(F.col("follower_id").alias("src"), F.col("followee_id").alias("dst"), F.lit(1.0))
        ranks.append(spark_pagerank(fe.toDF("src", "dst", "weight"), nodes, tol=tol))
    if not ranks:
        unavailable["authority"] = "no interactions between accounts and no follow graph"
        table = nodes.withColumn("pagerank", F.lit(None).cast("double"))
        return table.withColumn("authority", F.lit(None).cast("double"))
    pr = ranks[0].withColumnRenamed("x", "pagerank")
    if len(ranks) == 2:
        pr = pr.join(ranks[1].withColumnRenamed("x", "pf"), "id").select(
            "id", ((F.col("pagerank") + F.col("pf")) / 2).alias("pagerank")
        )
    return spark_percentile(nodes.join(pr, "id", "left"), "pagerank", "authority")


def _topic(
    table: Any,
    edges: Any,
    nodes: Any,
    posts: Any,
    topics: Mapping[str, Sequence[str]] | None,
    tol: float,
    unavailable: dict[str, str],
) -> Any:
    """Topic leadership (:mod:`signalboost.scale.topic_spark`): the ``topic`` percentile and ``top_topics``."""
    from pyspark.sql import functions as F

    from signalboost.scale.topic_spark import UNAVAILABLE, spark_topic_counts, spark_topic_leadership

    lead = None
    linked = edges.where(F.col("src").isNotNull() & (F.col("src") != "") & (F.col("src") != F.col("dst")))
    if posts is not None:
        counts = spark_topic_counts(posts, topics)
        if linked.limit(1).count() == 0 and counts.limit(1).count():  # as on one machine
            unavailable["topic"] = TOPIC_WITHOUT_EDGES
            return table.withColumn("topic", F.lit(None).cast("double")).withColumn(
                "top_topics", F.lit(None).cast("array<string>")
            )
        lead = spark_topic_leadership(edges, nodes, counts, tol=tol)
    if lead is None:  # no post names a topic: say whether the posts have hashtags at all, as on one machine
        tagged = posts is not None and "hashtags" in posts.columns
        seen = tagged and posts.where(F.size(F.col("hashtags")) > 0).limit(1).count() > 0
        unavailable["topic"] = TOPIC_NO_MATCH if seen else UNAVAILABLE
        return table.withColumn("topic", F.lit(None).cast("double")).withColumn(
            "top_topics", F.lit(None).cast("array<string>")
        )
    return table.join(lead, "id", "left")


def _post_attention(posts: Any, metrics: Any, accounts: Any) -> Any:
    """Per author (``id``), the attention per post by the posts' metrics, ``_p`` = mean of likes + comments +
    shares (an unreported one 0) over its posts whose latest snapshot reports one of them — as
    :func:`signalboost.influence.components.attention_per_post`; None when no post of an account not marked
    ``is_brand`` has metrics."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if posts is None or metrics is None:
        return None
    cols = [c for c in POST_ATTENTION if c in metrics.columns]
    if not cols:
        return None
    latest = metrics.withColumn(
        "_r", F.row_number().over(Window.partitionBy("post_id").orderBy(F.col("observed_at").desc()))
    ).where(F.col("_r") == 1)
    known = latest.where(F.greatest(*[F.col(c).isNotNull() for c in cols])).select(
        "post_id", sum((F.coalesce(F.col(c), F.lit(0)) for c in cols), F.lit(0)).cast("double").alias("_a")
    )
    per = (
        posts.select("post_id", F.col("author_id").alias("id"))
        .where(F.col("id").isNotNull() & (F.col("id") != ""))
        .join(known, "post_id")
        .groupBy("id")
        .agg((F.sum("_a") / F.count("*")).alias("_p"))
    )
    others = per
    if accounts is not None and "is_brand" in accounts.columns:
        brand = accounts.where(F.coalesce(F.col("is_brand"), F.lit(False))).select(F.col("account_id").alias("id"))
        others = per.join(brand, "id", "left_anti")
    return per if others.limit(1).count() else None


def _reach(
    table: Any, accounts: Any, follows: Any, inter: Any, unavailable: dict[str, str], attention: Any = None
) -> Any:
    """Reach: percentile of ``log10(1 + audience)`` and the percentile within the size band
    ``floor(log10(max(audience, 1)))``; the audience is the follower count, else the follow-graph in-degree. With
    follower counts and post metrics (``attention``: :func:`_post_attention`), reach is the percentile of
    ``(1 + F)(1 + P)`` (``P`` = attention per post, 0 without posts with metrics) and the in-band percentile is
    the follower count's. On
    interaction data only: the percentile of ``(1 + D)(1 + A)`` — ``D`` the distinct other accounts
    interacting, ``A`` the attention received (reposts + quotes + 2 × (replies + mentions)) — and ``D``'s percentile
    within its size band (as :func:`signalboost.influence.components.reach`; the ``followers`` column is set from the
    first two only)."""
    from pyspark.sql import functions as F

    if accounts is not None and accounts.where(F.col("followers").isNotNull()).count():
        f = accounts.where(F.col("followers").isNotNull()).select(
            F.col("account_id").alias("id"), F.col("followers").cast("double").alias("followers")
        )
        table = table.join(f, "id", "left")
        if attention is not None:
            table = (
                table.join(attention, "id", "left")
                .withColumn("_product", (1 + F.col("followers")) * (1 + F.coalesce(F.col("_p"), F.lit(0.0))))
                .withColumn("_raw", F.log10(1 + F.col("followers")))
                .withColumn("_band", F.floor(F.log10(F.greatest(F.col("followers"), F.lit(1.0)))))
            )
            table = spark_percentile(table, "_product", "reach")
            table = spark_percentile(table, "_raw", "reach_in_band", by="_band")
            return table.drop("_p", "_product", "_raw", "_band")
    elif follows is not None and follows.count():
        f = follows.groupBy(F.col("followee_id").alias("id")).agg(F.count("*").cast("double").alias("followers"))
        table = table.join(f, "id", "left").withColumn("followers", F.coalesce(F.col("followers"), F.lit(0.0)))
    else:
        pairs = inter.where(
            F.col("actor_id").isNotNull()
            & (F.col("actor_id") != "")
            & F.col("target_account_id").isNotNull()
            & (F.col("target_account_id") != "")
            & (F.col("actor_id") != F.col("target_account_id"))
        ).select(F.col("actor_id"), F.col("target_account_id").alias("id"), "kind")
        audience = pairs.select("actor_id", "id").distinct().groupBy("id").agg(F.count("*").cast("double").alias("_d"))
        table = table.withColumn("followers", F.lit(None).cast("double"))
        if audience.limit(1).count() == 0:
            unavailable["reach"] = "no follower counts, no follow graph and no interactions between accounts"
            return table.withColumn("reach", F.lit(None).cast("double")).withColumn(
                "reach_in_band", F.lit(None).cast("double")
            )
        kind_w = F.create_map(*[x for k, w in ATTENTION_WEIGHTS.items() for x in (F.lit(k), F.lit(float(w)))])
        attention = pairs.groupBy("id").agg(F.sum(F.coalesce(kind_w[F.col("kind")], F.lit(0.0))).alias("_a"))
        table = (
            table.join(audience, "id", "left")
            .join(attention, "id", "left")
            .withColumn("_d", F.coalesce("_d", F.lit(0.0)))
            .withColumn("_a", F.coalesce("_a", F.lit(0.0)))
            .withColumn("_product", (1 + F.col("_d")) * (1 + F.col("_a")))
            .withColumn("_band", F.floor(F.log10(F.greatest(F.col("_d"), F.lit(1.0)))))
        )
        table = spark_percentile(spark_percentile(table, "_product", "reach"), "_d", "reach_in_band", by="_band")
        return table.drop("_d", "_a", "_product", "_band")
    return _reach_percentiles(table, "followers")


def _reach_percentiles(table: Any, column: str) -> Any:
    from pyspark.sql import functions as F

    table = table.withColumn("_raw", F.log10(1 + F.col(column))).withColumn(
        "_band", F.floor(F.log10(F.greatest(F.col(column), F.lit(1.0))))
    )
    table = spark_percentile(spark_percentile(table, "_raw", "reach"), "_raw", "reach_in_band", by="_band")
    return table.drop("_raw", "_band")


def _amplification(table: Any, inter: Any, accounts: Any, posts: Any, unavailable: dict[str, str]) -> Any:
    """Amplification: ``(reposts + quotes received) / posts`` — posts counted in the posts table, else
    ``accounts.posts_count``; no value where the number of posts is unknown or zero."""
    from pyspark.sql import functions as F

    counts = None
    if accounts is not None and "posts_count" in accounts.columns:
        counts = accounts.where(F.col("posts_count").isNotNull()).select(
            F.col("account_id").alias("id"), F.col("posts_count").cast("double").alias("_pc")
        )
    t = table if counts is None else table.join(counts, "id", "left")
    t = t if counts is not None else t.withColumn("_pc", F.lit(None).cast("double"))
    if posts is not None:
        own = posts.groupBy(F.col("author_id").alias("id")).agg(F.count("*").cast("double").alias("_own"))
        t = t.join(own, "id", "left").withColumn("_pc", F.coalesce(F.col("_own"), F.col("_pc"))).drop("_own")
    got = (
        inter.where(F.col("kind").isin("repost", "quote") & (F.col("target_account_id") != ""))
        .groupBy(F.col("target_account_id").alias("id"))
        .agg(F.count("*").cast("double").alias("_got"))
    )
    if got.limit(1).count() == 0 and t.where(F.col("_pc").isNotNull()).limit(1).count():  # as on one machine
        unavailable["amplification"] = AMPLIFICATION_WITHOUT_REPOSTS
        return t.withColumn("amplification", F.lit(None).cast("double")).drop("_pc")
    t = t.join(got, "id", "left").withColumn(
        "_amp", F.when(F.col("_pc") > 0, F.coalesce(F.col("_got"), F.lit(0.0)) / F.col("_pc"))
    )
    if t.where(F.col("_amp").isNotNull()).count() == 0:
        unavailable["amplification"] = "no account has a known, non-zero number of posts"
        return t.withColumn("amplification", F.lit(None).cast("double")).drop("_pc", "_got", "_amp")
    return spark_percentile(t, "_amp", "amplification").drop("_pc", "_got", "_amp")


def _activity(inter: Any, posts: Any, table: Any, unavailable: dict[str, str]) -> Any:
    """Activity: frequency ``posts / max(1, days)`` and regularity (share of days — weeks past 8 weeks — with a
    post) as percentiles, then the percentile of their mean. Posts are the dated rows of the posts table when
    there are any, else the account's non-like interactions (as on one machine)."""
    from pyspark.sql import functions as F

    ev = None
    if posts is not None and posts.where(F.col("created_at").isNotNull()).count():
        ev = posts.select(F.col("author_id").alias("id"), F.col("created_at").cast("double").alias("ts"))
    else:
        ev = inter.where(F.col("kind") != "like").select(
            F.col("actor_id").alias("id"), F.col("occurred_at").cast("double").alias("ts")
        )
    ev = ev.where(F.col("ts").isNotNull() & F.col("id").isNotNull() & (F.col("id") != ""))
    bounds = ev.agg(F.min("ts"), F.max("ts")).first()
    if bounds[0] is None:
        unavailable["activity"] = "no dated posts or interactions"
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
