"""Topic leadership on Spark: topic-sensitive PageRank against networkx, posts per topic by hand and against the
single-machine counting, and the whole component against the single-machine job (Spark in local mode)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import polars as pl
import pytest

from signalboost.cli.main import main
from signalboost.influence import components as comp
from signalboost.influence import compute_influence
from signalboost.influence.data import InfluenceData
from signalboost.influence.job import load_data, settings_and_topics
from signalboost.model.strategy import InfluenceSettings
from signalboost.scale.export import export_parquet
from signalboost.scale.influence_spark import spark_pagerank
from signalboost.scale.topic_spark import UNAVAILABLE, default_topics, spark_topic_counts, spark_topic_leadership
from signalboost.store.workspace import Workspace

from .data import fill_workspace
from .test_scale_jobs import near_tie_percentile_range

pytestmark = pytest.mark.spark

STRATEGY = """version: 1
brand:
  name: Brand
pillars:
  - {id: craft, name: Craft, weight: 60, hashtags: ['#Spark', sql]}
  - {id: data, name: Data, weight: 40, hashtags: [Data, '#ML', '#absent']}
"""
"""Pillar topics: ``craft`` is also named in the fixture posts' ``pillars``; ``data`` by two spellings."""


def test_topic_pagerank_matches_networkx(spark: Any) -> None:
    """Two topics at once on a small weighted graph with parallel edges (summed), a self-loop (dropped), a node
    whose only out-link is that self-loop (dangling) and an isolated node, against networkx's personalized
    PageRank (dangling rank to the personalization, networkx's default)."""
    rows = [("a", "b", 1.0), ("a", "c", 2.0), ("b", "c", 1.0), ("c", "a", 1.0), ("c", "d", 0.5), ("c", "d", 0.5)]
    rows += [("d", "d", 3.0), ("e", "a", 1.0), ("b", "e", 2.0)]
    edges = spark.createDataFrame(rows, "src string, dst string, weight double")
    nodes = spark.createDataFrame([(x,) for x in "abcdef"], "id string")
    teleports = {"t1": {"a": 2.0, "d": 1.0}, "t2": {"d": 1.0, "f": 3.0}}
    tele = spark.createDataFrame(
        [(i, t, p) for t, ps in teleports.items() for i, p in ps.items()], "id string, topic string, p double"
    )
    got = {(r["id"], r["topic"]): r["x"] for r in spark_pagerank(edges, nodes, teleport=tele, tol=1e-10).collect()}
    g = nx.DiGraph()
    g.add_nodes_from("abcdef")
    for s, d, w in rows:
        if s != d:
            g.add_edge(s, d, weight=g.get_edge_data(s, d, {"weight": 0.0})["weight"] + w)
    for t, ps in teleports.items():
        ref = nx.pagerank(g, alpha=0.85, personalization=ps, weight="weight", tol=1e-14, max_iter=10_000)
        l1 = sum(abs(got.get((i, t), 0.0) - ref[i]) for i in "abcdef")
        assert l1 < 1e-9, (t, l1)  # the bar for PageRank agreement
    # Teleport only on nodes without out-links: the rank stays where it teleports (hand-computed), none elsewhere.
    assert got[("d", "t2")] == pytest.approx(0.25, abs=1e-12) and got[("f", "t2")] == pytest.approx(0.75, abs=1e-12)
    assert all(got.get((i, "t2"), 0.0) == 0.0 for i in "abce")
    # One personalized vector (``id, p``): every node, 0 where the walk never goes.
    single = spark_pagerank(edges, nodes, teleport=tele.where("topic = 't2'").drop("topic"), tol=1e-10)
    assert {r["id"]: r["x"] for r in single.collect()} == pytest.approx(
        {"a": 0.0, "b": 0.0, "c": 0.0, "d": 0.25, "e": 0.0, "f": 0.75}, abs=1e-12
    )


def _posts(spark: Any) -> tuple[Any, pl.DataFrame]:
    rows = [
        ("p1", "u1", ["#Data", "data", "DATA"], None),  # one tag three times: counts once
        ("p2", "u1", ["#ml", "#data"], ["craft"]),
        ("p3", "u2", ["ML", "#", ""], ["craft"]),  # '#' and '' are no tag
        ("p4", "u2", None, ["data", "Data"]),  # a pillar naming a topic (exact name only)
        ("p5", "u3", ["#go"], []),
        ("p6", None, ["#data", "#go"], None),  # no author: counts for the default choice only
        ("p7", "", ["#rust"], None),
        ("p8", "u3", ["#Go", "#ml"], None),
    ]
    schema = "post_id string, author_id string, hashtags array<string>, pillars array<string>"
    frame = pl.DataFrame(
        rows,
        schema={
            "post_id": pl.String,
            "author_id": pl.String,
            "hashtags": pl.List(pl.String),
            "pillars": pl.List(pl.String),
        },
        orient="row",
    )
    return spark.createDataFrame(rows, schema), frame


def _counted(frame: Any) -> set[tuple[str, str, float]]:
    return {(r["author_id"], r["topic"], r["posts"]) for r in frame.collect()}


def test_topic_counts_by_hand(spark: Any) -> None:
    posts, frame = _posts(spark)
    # By posts: data 3 (p1 p2 p6), go 3 (p5 p6 p8), ml 3 (p2 p3 p8), rust 1 — ties by name.
    assert default_topics(posts, 2) == {"#data": ["data"], "#go": ["go"]}
    assert list(default_topics(posts)) == ["#data", "#go", "#ml", "#rust"]
    assert _counted(spark_topic_counts(posts, top_n=2)) == {("u1", "#data", 2.0), ("u3", "#go", 2.0)}
    topics = {"craft": ["#ML"], "data": ["Data", "#data"], "none": ["#absent"]}
    expected = {("u1", "craft", 1.0), ("u2", "craft", 1.0), ("u3", "craft", 1.0), ("u1", "data", 2.0)}
    assert _counted(spark_topic_counts(posts, topics)) == expected | {("u2", "data", 1.0)}
    # The single-machine counting agrees (default topics and the pillar topics).
    data = InfluenceData.from_frames("x", posts=frame)
    for chosen in (None, topics):
        single = comp.topic_counts(data, chosen)
        assert _counted(spark_topic_counts(posts, chosen)) == set(
            single.select("author_id", "topic", "posts").iter_rows()
        )


def test_no_hashtags_topic_unavailable(spark: Any) -> None:
    posts = spark.createDataFrame([("p1", "u1"), ("p2", "u2")], "post_id string, author_id string")
    tagged = spark.createDataFrame(
        [("p1", "u1", ["#", ""], None), ("p2", None, None, [])],
        "post_id string, author_id string, hashtags array<string>, pillars array<string>",
    )
    nodes = spark.createDataFrame([("u1",), ("u2",)], "id string")
    edges = spark.createDataFrame([("u1", "u2", 1.0)], "src string, dst string, weight double")
    for frame in (posts, tagged):
        counts = spark_topic_counts(frame)
        assert counts.count() == 0 and default_topics(frame) == {}
        assert spark_topic_leadership(edges, nodes, counts) is None
    single = compute_influence(  # the same edge u1 → u2 (posts alone give no component at all)
        InfluenceData.from_frames(
            "x",
            posts=pl.DataFrame({"post_id": ["p1"], "author_id": ["u1"]}),
            interactions=pl.DataFrame({"actor_id": ["u1"], "kind": ["mention"], "target_account_id": ["u2"]}),
        )
    )
    assert single.unavailable["topic"] == UNAVAILABLE  # the same reason on both engines


@pytest.fixture(scope="module")
def tagged_export(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path]]:
    """A workspace whose posts carry hashtags and the pillar ``craft`` (strategy: :data:`STRATEGY`), exported."""
    root = tmp_path_factory.mktemp("topic")
    ws = Workspace.open(root / "ws", create=True)
    with ws.connect():
        pass
    fill_workspace(ws, hashtags=True)
    ws.strategy_path.write_text(STRATEGY)
    export_parquet(ws, root / "pq")
    yield ws, root / "pq"


def _exact_topic(data: InfluenceData, topics: dict[str, list[str]] | None) -> comp.Component:
    """The single machine's topic component at a tight tolerance (float64), the reference for near-ties."""
    inter = comp.interaction_transition(data, InfluenceSettings().interaction_weights.model_dump())
    return comp.topic_leadership(inter, comp.topic_counts(data, topics), tol=1e-12)


def assert_topic_equal(single: pl.DataFrame, spark: pl.DataFrame, exact: np.ndarray, data: InfluenceData) -> None:
    """Spark's ``topic`` within the percentile range near-ties of the exact raw values (relative 1e-3, the
    tolerances' scale) allow, and equal to the single machine wherever no near-tie exists; ``top_topics`` equal."""
    both = single.join(spark, on="account_id", suffix="_spark")
    assert both.height == single.height == spark.height
    raw = dict(zip(data.nodes.to_list(), exact.tolist(), strict=True))
    low, high = near_tie_percentile_range(np.array([raw[a] for a in both["account_id"]]), rel=1e-3)
    a, b = both["topic"].to_numpy(), both["topic_spark"].to_numpy()
    assert ((b >= low - 1e-9) & (b <= high + 1e-9)).all()
    clear = high - low < 1e-9
    assert clear.mean() > 0.9 and np.abs(a - b)[clear].max() < 1e-9
    assert both["top_topics"].to_list() == both["top_topics_spark"].to_list()


def test_cli_strategy_topics_equal_single_machine(
    spark: Any, tagged_export: tuple[Workspace, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """`signalboost scale influence --load-back` with the strategy's pillar topics, default tolerances: the stored
    topic, top_topics and score equal the single-machine job's."""
    ws, folder = tagged_export
    args = ["scale", "influence", "--parquet", str(folder), "-p", "x", "--load-back", "-w", str(ws.root)]
    assert main([*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["computed_by_spark"] == ["reach", "authority", "amplification", "topic", "activity"]
    assert doc["unavailable"] == {} and doc["weights"]["topic"] > 0
    settings, topics = settings_and_topics(ws)
    assert topics == {"craft": ["#Spark", "sql"], "data": ["Data", "#ML", "#absent"]}
    data = load_data(ws, "x")
    single = compute_influence(data, settings, topics=topics).table  # the default rule (tail) on both engines
    stored = ws.query("SELECT * FROM influence_scores WHERE platform = 'x'")
    assert_topic_equal(single, stored, _exact_topic(data, topics).raw, data)
    assert set().union(*stored["top_topics"].to_list()) == {"craft", "data"}
    both = single.join(stored, on="account_id", suffix="_spark")
    assert np.nanmax(np.abs(both["score"].to_numpy() - both["score_spark"].to_numpy())) < 1e-9
    run = json.loads(ws.query("SELECT settings FROM influence_runs")["settings"][0])
    assert run["topics"] == topics and run["topic_tol"] == 1e-4


def test_topics_no_post_names_give_the_same_reason_on_both_engines(
    spark: Any, tagged_export: tuple[Workspace, Path]
) -> None:
    """The posts carry hashtags, but none of the strategy's topics: topic leadership is unavailable on both engines
    with the reason that says so (add the hashtags the posts use to the pillars), not "no hashtags"."""
    from signalboost.scale.influence_spark import spark_influence

    ws, folder = tagged_export
    topics = {"nowhere": ["#notused", "alsonot"]}
    _, unavailable = spark_influence(spark, folder, platform="x", tol=1e-2, topics=topics)
    single = compute_influence(load_data(ws, "x"), topics=topics)
    assert unavailable["topic"] == single.unavailable["topic"] == comp.TOPIC_NO_MATCH


def test_default_topics_equal_single_machine(spark: Any, tagged_export: tuple[Workspace, Path]) -> None:
    """No topics given: the 10 most used hashtags on both engines, same percentiles and leaders."""
    from signalboost.scale.influence_spark import spark_influence

    ws, folder = tagged_export
    frame, unavailable = spark_influence(spark, folder, platform="x", tol=1e-2)  # authority not compared here
    assert unavailable == {}
    got = pl.DataFrame([r.asDict() for r in frame.select("account_id", "topic", "top_topics").collect()])
    data = load_data(ws, "x")
    single = compute_influence(data).table.select("account_id", "topic", "top_topics")
    assert_topic_equal(single, got, _exact_topic(data, None).raw, data)
    names = set().union(*got["top_topics"].to_list())
    assert names and all(n.startswith("#") and n == n.lower() for n in names)
