"""Agreement of segments with labelled ground truth (plain data in, plain numbers out).

- Circles (overlapping sets, e.g. SNAP ego-Facebook): J. McAuley and J. Leskovec (2012), *Learning to Discover
  Social Circles in Ego Networks*, NIPS, section 5: each detected circle C is matched to a distinct ground-truth
  circle C̄ by the optimal one-to-one matching (Hungarian algorithm); with |f| = min(#detected, #true) matched
  pairs the scores are the mean over pairs of

  - 1 − BER, BER(C, C̄) = ½ (|C \\ C̄| / |C| + |C^c \\ C̄^c| / |C^c|)  (complements within the ego's friends), and
  - F1(C, C̄) = 2 |C ∩ C̄| / (|C| + |C̄|),

  each with its own optimal matching, as in the paper.
- Labels (one per item, e.g. influencer categories): normalised mutual information and the adjusted Rand index
  (scikit-learn).
- Baselines: the same segment sizes assigned at random (a permutation of the labels), averaged over draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

Circle = frozenset[int]


def ber(detected: Circle, truth: Circle, universe: int) -> float:
    """Balanced error rate of ``detected`` against ``truth`` among ``universe`` items (see module doc); the
    missing term of an empty set or complement is 0."""
    inter = len(detected & truth)
    fp, fn = len(detected) - inter, len(truth) - inter  # C \ C̄ and C^c \ C̄^c (outside C, inside C̄)
    rest = universe - len(detected)
    return 0.5 * ((fp / len(detected) if detected else 0.0) + (fn / rest if rest else 0.0))


def f1(detected: Circle, truth: Circle) -> float:
    """F1 of ``detected`` against ``truth``: 2|C ∩ C̄| / (|C| + |C̄|) (0 for two empty sets)."""
    total = len(detected) + len(truth)
    return 2 * len(detected & truth) / total if total else 0.0


def matched_score(
    detected: Sequence[Circle], truth: Sequence[Circle], score: Callable[[Circle, Circle], float]
) -> float | None:
    """Mean of ``score`` over the optimal one-to-one matching maximising it; None when either side is empty."""
    if not detected or not truth:
        return None
    m = np.array([[score(d, t) for t in truth] for d in detected])
    rows, cols = linear_sum_assignment(m, maximize=True)
    return float(m[rows, cols].mean())


def circle_agreement(detected: Sequence[Circle], truth: Sequence[Circle], universe: int) -> dict[str, float | None]:
    """``accuracy`` (mean 1 − BER) and ``f1`` of the optimal matchings (McAuley & Leskovec 2012)."""
    return {
        "accuracy": matched_score(detected, truth, lambda d, t: 1.0 - ber(d, t, universe)),
        "f1": matched_score(detected, truth, f1),
    }


def as_circles(labels: np.ndarray, nodes: Sequence[int] | None = None) -> list[Circle]:
    """The segments of ``labels`` (ignoring ``-1``) as circles of node ids (``nodes[i]`` for item i)."""
    ids = np.arange(labels.size) if nodes is None else np.asarray(nodes)
    return [frozenset(ids[labels == c].tolist()) for c in sorted(set(labels.tolist())) if c >= 0]


def random_circle_baseline(
    labels: np.ndarray, truth: Sequence[Circle], nodes: Sequence[int], *, draws: int = 20, seed: int = 0
) -> dict[str, float | None]:
    """Mean circle agreement of the same segment sizes assigned at random (``draws`` permutations)."""
    rng = np.random.default_rng(seed)
    runs = [circle_agreement(as_circles(rng.permutation(labels), nodes), truth, len(nodes)) for _ in range(draws)]
    return {k: _mean([r[k] for r in runs]) for k in ("accuracy", "f1")}


def label_agreement(truth: Sequence[str] | np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """NMI (arithmetic normalisation) and ARI of ``labels`` against ``truth``."""
    return {
        "nmi": float(normalized_mutual_info_score(truth, labels)),
        "ari": float(adjusted_rand_score(truth, labels)),
    }


def random_label_baseline(
    truth: Sequence[str] | np.ndarray, labels: np.ndarray, *, draws: int = 20, seed: int = 0
) -> dict[str, float]:
    """Mean NMI and ARI of ``labels`` permuted at random (same sizes, no information)."""
    rng = np.random.default_rng(seed)
    runs = [label_agreement(truth, rng.permutation(labels)) for _ in range(draws)]
    return {k: float(np.mean([r[k] for r in runs])) for k in ("nmi", "ari")}


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(np.mean(known)) if known else None
