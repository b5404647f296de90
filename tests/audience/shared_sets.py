"""Readers of the two labelled datasets in ../shared/data used to validate the audience segments."""

from __future__ import annotations

import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

EGOS = (0, 107, 348, 414, 686, 698, 1684, 1912, 3437, 3980)


@dataclass
class Ego:
    """One SNAP ego network: the ego's friends (``nodes``), the friendships among them, the labelled circles and
    each friend's anonymised binary profile features."""

    ego: int
    nodes: list[int]
    src: np.ndarray  # indices into nodes
    dst: np.ndarray
    circles: list[frozenset[int]]  # node ids
    features: dict[int, list[int]]


def read_egos(path: Path) -> list[Ego]:
    """The ten ego networks of ``facebook.tar.gz`` (read in place)."""
    out = []
    with tarfile.open(path) as tar:

        def text(name: str) -> str:
            f = tar.extractfile(f"facebook/{name}")
            assert f is not None
            return f.read().decode()

        for ego in EGOS:
            feats = {int(r.split()[0]): [i for i, v in enumerate(r.split()[1:]) if v == "1"]
                     for r in text(f"{ego}.feat").splitlines() if r.strip()}  # fmt: skip
            nodes = sorted(feats)
            pos = {n: i for i, n in enumerate(nodes)}
            pairs = [tuple(map(int, r.split())) for r in text(f"{ego}.edges").splitlines() if r.strip()]
            pairs = [(a, b) for a, b in pairs if a in pos and b in pos]
            circles = []
            for r in text(f"{ego}.circles").splitlines():
                members = frozenset(int(x) for x in r.split("\t")[1:] if x.strip() and int(x) in pos)
                if members:
                    circles.append(members)
            out.append(
                Ego(
                    ego,
                    nodes,
                    np.array([pos[a] for a, _ in pairs], dtype=np.int64),
                    np.array([pos[b] for _, b in pairs], dtype=np.int64),
                    circles,
                    feats,
                )
            )
    return out


NOISY = ("fasion", "fashion 0.5")


def read_influencer_captions(path: Path) -> pl.DataFrame:
    """One row per influencer of the Kim et al. sample: ``username``, ``category`` (noisy labels dropped) and
    ``text`` (their captions joined)."""
    posts = pl.read_csv(path, columns=["username", "caption", "influencer_category"], infer_schema_length=0)
    return (
        posts.filter(pl.col("influencer_category").is_not_null() & ~pl.col("influencer_category").is_in(NOISY))
        .group_by("username")
        .agg(
            pl.col("influencer_category").first().alias("category"),
            pl.col("caption").drop_nulls().str.join("\n").alias("text"),
        )
        .sort("username")
    )
