"""Validity of the audience segments on labelled real data: ``python -m tests.audience.validity_report``.

Prints the Markdown tables of docs/validation.md ("Audience segments"): SNAP ego-Facebook circles (McAuley &
Leskovec's 1 − BER and F1, beside the same segment sizes drawn at random), stability on the combined Facebook
graph, and the Instagram influencers' categories clustered from their captions (NMI, ARI, beside random labels and
k-means). Reads ``$SIGNALBOOST_SHARED_DATA`` (default ../shared/data).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from signalboost.audience.communities import adjacency, find_communities, leiden, split_half_ari
from signalboost.audience.evaluate import (
    as_circles,
    circle_agreement,
    label_agreement,
    random_circle_baseline,
    random_label_baseline,
)
from signalboost.audience.segment import segment_audience
from tests.audience.shared_sets import read_egos, read_influencer_captions

SHARED = Path(os.environ.get("SIGNALBOOST_SHARED_DATA") or Path(__file__).resolve().parents[2].parent / "shared/data")
FACEBOOK = SHARED / "ego-facebook-snap" / "facebook.tar.gz"
INSTAGRAM = SHARED / "instagram-influencers-kim2020" / "instagram_influencer_posts.csv.gz"


def facebook_rows(**options: Any) -> list[dict[str, Any]]:
    """Per ego: our segments of the friends' graph against the circles, and the random baseline."""
    rows = []
    for e in read_egos(FACEBOOK):
        c = find_communities(len(e.nodes), e.src, e.dst, **options)
        ours = circle_agreement(as_circles(c.labels, e.nodes), e.circles, len(e.nodes))
        rand = random_circle_baseline(c.labels, e.circles, e.nodes)
        chosen = c.chosen
        rows.append(
            {
                "ego": e.ego,
                "friends": len(e.nodes),
                "circles": len(e.circles),
                "segments": c.segments,
                "resolution": c.resolution,
                "1-BER": ours["accuracy"],
                "F1": ours["f1"],
                "random 1-BER": rand["accuracy"],
                "random F1": rand["f1"],
                "split-half ARI": chosen.split_ari if chosen else None,
            }
        )
    return rows


def combined_stability(seeds: int = 5) -> dict[str, Any]:
    """The union of the ten ego networks (4,039 accounts, ego edges included): segments, same-seed identity, and
    the split-half ARI over ``seeds`` random splits."""
    egos = read_egos(FACEBOOK)
    ids = sorted({n for e in egos for n in e.nodes} | {e.ego for e in egos})
    pos = {n: i for i, n in enumerate(ids)}
    src = [pos[e.nodes[i]] for e in egos for i in e.src] + [pos[e.ego] for e in egos for _ in e.nodes]
    dst = [pos[e.nodes[i]] for e in egos for i in e.dst] + [pos[n] for e in egos for n in e.nodes]
    s, d = np.array(src), np.array(dst)
    adj = adjacency(len(ids), s, d)
    adj.data[:] = 1.0  # each friendship once, whichever files list it
    up = adj.tocoo()
    c = find_communities(len(ids), up.row, up.col)
    again = find_communities(len(ids), up.row, up.col)
    splits = [split_half_ari(adj, resolution=c.resolution, seed=k) for k in range(seeds)]
    vals = np.array([x for x in splits if x is not None])
    return {
        "accounts": len(ids),
        "edges": int(adj.nnz // 2),
        "segments": c.segments,
        "resolution": c.resolution,
        "same seed identical": bool((c.labels == again.labels).all()),
        "seed ARI": c.chosen.seed_ari if c.chosen else None,
        "split-half ARI mean": float(vals.mean()),
        "split-half ARI min": float(vals.min()),
        "splits": seeds,
        "other seed identical": bool((leiden(adj, seed=1) == leiden(adj, seed=1)).all()),
    }


def instagram(limit: int | None = None) -> dict[str, Any]:
    """Influencers clustered from their captions only, against their categories; random and k-means beside."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    from signalboost.audience.text import content_words

    df = read_influencer_captions(INSTAGRAM)
    if limit:
        df = df.sample(limit, seed=0).sort("username")
    started = time.perf_counter()
    seg = segment_audience(df["username"], texts=df.select(pl.col("username").alias("account_id"), "text"))
    seconds = time.perf_counter() - started
    y, lab = df["category"].to_numpy(), seg.table["segment"].to_numpy()
    k = len(set(y.tolist()))
    x = TfidfVectorizer(analyzer=content_words, sublinear_tf=True, min_df=2).fit_transform(df["text"].to_list())
    z = TruncatedSVD(100, random_state=0).fit_transform(x)
    z /= np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)
    km = KMeans(k, n_init=4, random_state=0).fit_predict(z)
    segs = []
    for c, words in seg.keywords.items():
        inside = df.filter(pl.Series(lab == c))
        top = inside["category"].value_counts().sort("count", descending=True).row(0)
        share = f"{top[0]} ({top[1] / inside.height:.0%})"
        kw = ", ".join(w for w, _ in words[:8])
        segs.append({"segment": c + 1, "accounts": inside.height, "top category": share, "keywords": kw})
    return {
        "influencers": df.height,
        "categories": k,
        "segments": seg.segments,
        "covered": float((lab >= 0).mean()),
        "ours": label_agreement(y, lab),
        "random": random_label_baseline(y, lab),
        "kmeans": label_agreement(y, km),
        "stability": seg.communities.chosen.summary() if seg.communities.chosen else None,
        "seconds": seconds,
        "per segment": segs,
    }


def _table(rows: list[dict[str, Any]]) -> str:
    cols = list(rows[0])
    fmt = lambda v: f"{v:.3f}" if isinstance(v, float) else str(v)  # noqa: E731
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    return "\n".join(lines + ["| " + " | ".join(fmt(r[c]) for c in cols) + " |" for r in rows])


def _mean_row(rows: list[dict[str, Any]], label: str) -> dict[str, Any]:
    out: dict[str, Any] = {k: "" for k in rows[0]}
    out["ego"] = label
    for k in ("1-BER", "F1", "random 1-BER", "random F1", "split-half ARI"):
        out[k] = float(np.mean([r[k] for r in rows if r[k] is not None]))
    return out


def main() -> int:
    if not FACEBOOK.exists() or not INSTAGRAM.exists():
        print(f"shared data not found under {SHARED}", file=sys.stderr)
        return 1
    rows = facebook_rows()
    print("### Facebook circles, product defaults (min share 2 %, min size 5)\n")
    print(_table([*rows, _mean_row(rows, "mean")]))
    small = facebook_rows(min_share=0.0, min_size=2)
    print("\nWith small segments kept (min size 2, min share 0):\n")
    print(_table([_mean_row(small, "mean")]))
    print("\n### Stability on the combined Facebook graph\n")
    print(_table([combined_stability()]))
    ig = instagram()
    print("\n### Instagram influencers by caption\n")
    print(_table([{k: v for k, v in ig.items() if k != "per segment"}]))
    print()
    print(_table(ig["per segment"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
