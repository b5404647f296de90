"""PageRank and topic-sensitive PageRank by power iteration on scipy.sparse.

With ``W = D⁻¹A`` the row-normalised adjacency (``D`` = out-weights), teleport vector ``p`` (personalization,
sums to 1) and dangling vector ``d`` (where the rank of nodes without out-links goes; default ``p``)::

    x_{k+1} = α (Wᵀ x_k + (Σ_{i dangling} x_k[i]) d) + (1 − α) p,     x_0 = uniform

iterated until ``‖x_{k+1} − x_k‖₁ < tol`` (an absolute L1 tolerance, stricter than networkx's ``N·tol``).
This is the iteration networkx's ``pagerank`` runs, so both agree to the tolerance asked.

Sources: L. Page, S. Brin, R. Motwani, T. Winograd (1999), *The PageRank Citation Ranking: Bringing Order to the
Web*, Stanford InfoLab 1999-66. Topic-sensitive PageRank: T. Haveliwala (2002), *Topic-Sensitive PageRank*, WWW '02
— one PageRank per topic whose teleport vector is concentrated on the topic's pages. TwitterRank: J. Weng, E.-P. Lim,
J. Jiang, Q. He (2010), *TwitterRank: Finding Topic-sensitive Influential Twitterers*, WSDM '10 — the teleport of
topic ``t`` is proportional to each account's share of the posts on ``t`` (we use that teleport; TwitterRank's
topic-similarity transition is not used, the transition is the interaction graph's).

Several teleport vectors are iterated together as the columns of one matrix (one sparse product per step).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from signalboost.errors import InfluenceError
from signalboost.influence.graph import Graph

DEFAULT_ALPHA = 0.85
DEFAULT_TOL = 1e-6
DEFAULT_MAX_ITER = 500


@dataclass(frozen=True)
class PageRankResult:
    """Scores (``n`` or ``n × k``, each column sums to 1), iterations run and the last L1 change per column."""

    scores: np.ndarray
    iterations: int
    error: np.ndarray


def transition_matrix(adjacency: sp.spmatrix | sp.sparray) -> tuple[sp.csc_matrix, np.ndarray]:
    """``(Wᵀ, dangling)``: the transposed row-stochastic matrix and the boolean mask of nodes without out-weight."""
    a = sp.csr_matrix(adjacency, dtype=np.float64)
    out = np.asarray(a.sum(axis=1)).ravel()
    dangling = out == 0
    inv = np.zeros_like(out)
    inv[~dangling] = 1.0 / out[~dangling]
    w = sp.csr_matrix((a.data * np.repeat(inv, np.diff(a.indptr)), a.indices, a.indptr), shape=a.shape)
    return w.T.tocsc(), dangling


def _unit(vector: np.ndarray, name: str) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float64)
    if v.ndim == 1:
        v = v[:, None]
    if (v < 0).any() or not np.isfinite(v).all():
        raise InfluenceError(f"the {name} vector has negative or non-finite entries", where=name)
    total = v.sum(axis=0)
    if (total <= 0).any():
        raise InfluenceError(
            f"the {name} vector is all zeros",
            where=name,
            hint="Give at least one node a positive weight (for a topic: at least one account posting on it)",
        )
    unit: np.ndarray = v / total
    return unit


def power_iteration(
    adjacency: Graph | sp.spmatrix | sp.sparray,
    *,
    alpha: float = DEFAULT_ALPHA,
    personalization: np.ndarray | None = None,
    dangling: np.ndarray | None = None,
    tol: float = DEFAULT_TOL,
    max_iter: int = DEFAULT_MAX_ITER,
) -> PageRankResult:
    """Run the PageRank power iteration; ``personalization`` may be ``n`` or ``n × k`` (k teleports at once).

    Raises :class:`InfluenceError` if it has not converged after ``max_iter`` steps.
    """
    a = adjacency.matrix if isinstance(adjacency, Graph) else adjacency
    n = int(a.shape[0])
    if not 0 < alpha < 1:
        raise InfluenceError(f"alpha must be between 0 and 1, got {alpha}", where="alpha")
    if n == 0:
        return PageRankResult(np.zeros(0), 0, np.zeros(0))
    wt, is_dangling = transition_matrix(a)
    one_d = personalization is None or np.asarray(personalization).ndim == 1
    p = np.full((n, 1), 1.0 / n) if personalization is None else _unit(personalization, "personalization")
    if p.shape[0] != n:
        raise InfluenceError(f"personalization has {p.shape[0]} entries for {n} nodes", where="personalization")
    d = p if dangling is None else _unit(dangling, "dangling")
    if d.shape[1] != p.shape[1]:
        d = np.repeat(d, p.shape[1], axis=1)
    if personalization is not None:
        sub = _support(wt, p, d)
        if sub.size < 0.8 * n:  # iterate only where rank can be: everything else is exactly 0
            sub_wt = sp.csc_matrix(wt[:, sub][sub, :])
            res = _iterate(sub_wt, is_dangling[sub], p[sub], None if d is p else d[sub], alpha, tol, max_iter)
            full = np.zeros(p.shape)
            full[sub] = res.scores
            return PageRankResult(full[:, 0] if one_d else full, res.iterations, res.error)
    res = _iterate(wt, is_dangling, p, None if d is p else d, alpha, tol, max_iter)
    return PageRankResult(res.scores[:, 0] if one_d else res.scores, res.iterations, res.error)


def _support(wt: sp.csc_matrix, p: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Nodes whose rank can be non-zero at the fixed point: those with an in-link or teleport/dangling weight.

    Any other node receives nothing (no in-link, no teleport), so its rank is exactly 0 after one step, and the
    edges out of the support all end inside it (their targets have an in-link).
    """
    has_in = np.bincount(wt.indices, minlength=wt.shape[0]) > 0  # rows of Wᵀ that hold an entry: in-links
    return np.flatnonzero(has_in | (p > 0).any(axis=1) | (d > 0).any(axis=1))


def _iterate(
    wt: sp.spmatrix,
    is_dangling: np.ndarray,
    p: np.ndarray,
    d: np.ndarray | None,
    alpha: float,
    tol: float,
    max_iter: int,
) -> PageRankResult:
    """The power iteration proper on ``n × k`` teleports ``p``; ``d=None``: dangling rank follows ``p``."""
    n = p.shape[0]
    x = np.full(p.shape, 1.0 / n)
    dmask = is_dangling.astype(np.float64)
    teleport = (1 - alpha) * p
    err = np.full(p.shape[1], np.inf)
    same = d is None
    for it in range(1, max_iter + 1):
        y = wt @ x
        y *= alpha
        if same:  # dangling rank and teleport share one vector: one pass
            y += p * (alpha * (dmask @ x) + (1 - alpha))
        else:
            y += d * (alpha * (dmask @ x))  # the dangling nodes' rank, spread like d
            y += teleport
        np.subtract(y, x, out=x)
        err = np.abs(x, out=x).sum(axis=0)
        x = y
        if (err < tol).all():
            return PageRankResult(x, it, err)
    raise InfluenceError(
        f"PageRank did not converge in {max_iter} iterations (L1 change {float(err.max()):.2e} > {tol:.0e})",
        where="pagerank",
        hint="Raise max_iter or loosen tol",
    )


def pagerank(
    graph: Graph | sp.spmatrix | sp.sparray,
    *,
    alpha: float = DEFAULT_ALPHA,
    personalization: np.ndarray | None = None,
    dangling: np.ndarray | None = None,
    tol: float = DEFAULT_TOL,
    max_iter: int = DEFAULT_MAX_ITER,
) -> np.ndarray:
    """PageRank of every node (a vector summing to 1, in the graph's node order). See the module docstring."""
    res = power_iteration(
        graph, alpha=alpha, personalization=personalization, dangling=dangling, tol=tol, max_iter=max_iter
    )
    scores: np.ndarray = res.scores
    return scores


def topic_pagerank(
    graph: Graph | sp.spmatrix | sp.sparray,
    teleports: Mapping[str, np.ndarray],
    *,
    alpha: float = DEFAULT_ALPHA,
    tol: float = DEFAULT_TOL,
    max_iter: int = DEFAULT_MAX_ITER,
) -> dict[str, np.ndarray]:
    """Topic-sensitive PageRank: one PageRank per topic with the topic's teleport vector (Haveliwala 2002).

    ``teleports[t]`` is a non-negative vector over the nodes, e.g. each account's number of posts on topic ``t``
    (TwitterRank's teleport, Weng et al. 2010); it is normalised to sum to 1 and also receives the dangling rank.
    All topics are iterated together. Returns topic -> score vector.
    """
    names = list(teleports)
    if not names:
        return {}
    matrix = np.column_stack([np.asarray(teleports[t], dtype=np.float64) for t in names])
    res = power_iteration(graph, alpha=alpha, personalization=matrix, tol=tol, max_iter=max_iter)
    scores = res.scores if res.scores.ndim == 2 else res.scores[:, None]
    return {t: np.ascontiguousarray(scores[:, i]) for i, t in enumerate(names)}


def pagerank_by_id(graph: Graph, **options: float | int) -> dict[str, float]:
    """PageRank as ``{account id: score}`` (notebook convenience; ``options`` as in :func:`pagerank`)."""
    scores = pagerank(graph, **options)  # type: ignore[arg-type]
    return {str(k): float(v) for k, v in zip(graph.ids.to_list(), scores, strict=True)}
