"""Segment an audience from the evidence at hand, each kind optional:

1. who they are connected to — follows and interactions among the audience, and the accounts they follow in
   common (a shared followee ``f`` followed by ``d_f`` audience members links each pair of them with weight
   ``1 / ln(1 + d_f)``, the Adamic–Adar weighting, Adamic & Adar 2003; followees with ``d_f`` above
   ``max_shared`` are skipped as uninformative and to bound the pairs);
2. what they say — bios and texts, as edges to the ``k`` most similar accounts (:func:`text.text_edges`), each
   weighted ``text_weight × cosine``;
3. (how they behave is described per segment afterwards, :mod:`signalboost.audience.behaviour`).

All evidence becomes one undirected weighted graph, segmented by :func:`communities.find_communities`; keywords per
segment come from class-based TF-IDF (:func:`text.class_tfidf`). Input and output are plain Polars frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from signalboost.audience.communities import (
    OTHER,
    RESOLUTIONS,
    Communities,
    adjacency,
    find_communities,
    segment_links,
)
from signalboost.audience.text import class_tfidf, text_edges
from signalboost.errors import AudienceError
from signalboost.i18n import L_


@dataclass
class Segmentation:
    """Segments of an audience: ``table`` has ``account_id`` and ``segment`` (``-1`` = other), in input order."""

    table: pl.DataFrame
    communities: Communities
    keywords: dict[int, list[tuple[str, float]]]
    evidence: dict[str, int]
    notes: list[str] = field(default_factory=list)
    links: list[tuple[int, int, float]] = field(default_factory=list)

    @property
    def segments(self) -> int:
        """Number of segments (without "other")."""
        return self.communities.segments

    def summary(self) -> dict[str, Any]:
        """How the segments were found, as plain data."""
        chosen = self.communities.chosen
        return {
            "accounts": self.table.height,
            "segments": self.segments,
            "other": int((self.table["segment"] == -1).sum()) if self.table.height else 0,
            "resolution": self.communities.resolution,
            "stability": chosen.summary() if chosen else None,
            "candidates": [c.summary() for c in self.communities.candidates],
            "evidence": self.evidence,
            "links": [list(x) for x in self.links],
            "notes": self.notes + self.communities.notes,
        }


def _index(ids: pl.Series, values: pl.Series) -> np.ndarray:
    """Position of each value in ``ids`` (-1 when absent)."""
    lookup = pl.DataFrame({"v": ids, "ix": np.arange(ids.len(), dtype=np.int64)})
    found = pl.DataFrame({"v": values.cast(ids.dtype)}).join(lookup, on="v", how="left", maintain_order="left")
    return found["ix"].fill_null(-1).to_numpy()


def link_edges(ids: pl.Series, links: pl.DataFrame | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges among the audience from ``links`` (``src``, ``dst`` account ids, optional ``weight``)."""
    if links is None or links.height == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    for col in ("src", "dst"):
        if col not in links.columns:
            raise AudienceError(
                L_("the links frame lacks column {col!r}", col=col), where="links", hint=L_("Pass src, dst, weight")
            )
    s, d = _index(ids, links["src"]), _index(ids, links["dst"])
    w = links["weight"].fill_null(1.0).to_numpy() if "weight" in links.columns else np.ones(links.height)
    keep = (s >= 0) & (d >= 0)
    return s[keep], d[keep], np.asarray(w, dtype=np.float64)[keep]


def shared_followee_edges(
    ids: pl.Series, follows: pl.DataFrame | None, *, max_shared: int = 20
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of audience members who follow the same account (outside the audience), Adamic–Adar weighted."""
    if follows is None or follows.height == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    f = pl.DataFrame({"u": _index(ids, follows["follower_id"]), "f": follows["followee_id"].cast(pl.String)})
    inside = set(ids.cast(pl.String).to_list())
    f = f.filter((pl.col("u") >= 0) & ~pl.col("f").is_in(list(inside))).unique()
    f = f.with_columns(pl.len().over("f").alias("d")).filter((pl.col("d") >= 2) & (pl.col("d") <= max_shared))
    pairs = f.join(f.select("f", pl.col("u").alias("v")), on="f").filter(pl.col("u") < pl.col("v"))
    pairs = pairs.group_by("u", "v").agg((1.0 / (1.0 + pl.col("d")).log()).sum().alias("w")).sort("u", "v")
    return pairs["u"].to_numpy(), pairs["v"].to_numpy(), pairs["w"].to_numpy()


def _texts(ids: pl.Series, texts: pl.DataFrame | None) -> tuple[list[str | None], list[str | None]]:
    """Per audience member: their text (joined) and its languages: the known ones comma-joined (``"en,nb"``), with
    ``auto`` first when some of the texts (a bio, an untagged post) have none, so those are detected too; ``None``
    when nothing is known (all detected)."""
    if texts is None or texts.height == 0:
        return [None] * ids.len(), [None] * ids.len()
    t = texts.with_columns(pl.col("account_id").cast(pl.String))
    lang = pl.col("language") if "language" in t.columns else pl.lit(None, dtype=pl.String)
    t = t.with_columns(lang.alias("language"))
    per = t.group_by("account_id").agg(
        pl.col("text").drop_nulls().str.join("\n").str.slice(0, 20_000).alias("text"),
        pl.col("language").drop_nulls().unique().sort().str.join(",").alias("known"),
        pl.col("language").is_null().any().alias("unknown"),
    )
    per = per.with_columns(
        pl.when(pl.col("known") == "")
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("unknown"))
        .then(pl.lit("auto,") + pl.col("known"))
        .otherwise(pl.col("known"))
        .alias("language")
    ).drop("known", "unknown")
    joined = pl.DataFrame({"account_id": ids.cast(pl.String)}).join(per, on="account_id", how="left")
    return joined["text"].to_list(), joined["language"].to_list()


def segment_audience(
    audience: pl.Series | list[str],
    *,
    links: pl.DataFrame | None = None,
    follows: pl.DataFrame | None = None,
    texts: pl.DataFrame | None = None,
    text_weight: float = 0.5,
    k: int = 10,
    max_shared: int = 20,
    resolution: float | None = None,
    resolutions: tuple[float, ...] = RESOLUTIONS,
    seed: int = 0,
    min_share: float = 0.02,
    min_size: int = 5,
    top_keywords: int = 10,
) -> Segmentation:
    """Segments of ``audience`` (account ids) from ``links`` (src, dst, weight: follows and interactions),
    ``follows`` (follower_id, followee_id: for shared followees) and ``texts`` (account_id, text, language).

    Every kind of evidence is optional; with none, everyone is "other" and a note says why. See the module doc for
    the weights; the number of segments is chosen by stability (:func:`communities.find_communities`).
    """
    ids = pl.Series("account_id", audience).cast(pl.String)
    if ids.n_unique() != ids.len():
        raise AudienceError(L_("the audience lists an account twice"), where="audience", hint=L_("Pass distinct ids"))
    parts = {
        "links": link_edges(ids, links),
        "shared_followees": shared_followee_edges(ids, follows, max_shared=max_shared),
    }
    docs, langs = _texts(ids, texts)
    ts, td, tw = text_edges(docs, languages=langs, k=k) if any(docs) else (np.zeros(0, np.int64),) * 2 + (np.zeros(0),)
    parts["text_similarity"] = (ts, td, tw * text_weight)
    src = np.concatenate([p[0] for p in parts.values()]).astype(np.int64)
    dst = np.concatenate([p[1] for p in parts.values()]).astype(np.int64)
    w = np.concatenate([p[2] for p in parts.values()]).astype(np.float64)
    comm = find_communities(
        ids.len(),
        src,
        dst,
        w,
        resolution=resolution,
        resolutions=resolutions,
        seed=seed,
        min_share=min_share,
        min_size=min_size,
    )
    evidence = {name: int(p[0].size) for name, p in parts.items()} | {
        "accounts_with_text": sum(1 for d in docs if d),
    }
    notes = [] if src.size else ["no follows, interactions or texts among the audience: nothing to segment on"]
    keywords = class_tfidf(docs, comm.labels, languages=langs, top=top_keywords) if any(docs) else {}
    table = pl.DataFrame({"account_id": ids, "segment": comm.labels})
    between = segment_links(adjacency(ids.len(), src, dst, w), comm.labels)
    return Segmentation(table, comm, keywords, evidence, notes, between)


__all__ = ["OTHER", "Segmentation", "segment_audience"]
