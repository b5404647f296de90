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

Several teleport vectors are iterated together as the columns of one matrix (one sparse × dense product per
step, :func:`power_iteration`); each column stops when its own change is below the tolerance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

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


@dataclass(frozen=True)
class Transition:
    """A graph prepared for the power iteration, built once and shared by every PageRank on it.

    ``wt`` = ``Wᵀ`` (CSC, n × n), ``dangling`` the nodes without out-weight.
    """

    wt: sp.csc_matrix
    dangling: np.ndarray

    @cached_property
    def has_in(self) -> np.ndarray:
        """The nodes with an in-link (rows of ``Wᵀ`` that hold an entry); computed when first needed."""
        return np.bincount(self.wt.indices, minlength=self.n) > 0

    @property
    def n(self) -> int:
        """Number of nodes."""
        return int(self.wt.shape[0])

    @property
    def n_edges(self) -> int:
        """Number of distinct (source, target) pairs with positive weight."""
        return int(self.wt.nnz)

    def restrict(self, nodes: np.ndarray) -> Transition:
        """The sub-problem on ``nodes`` (sorted), which must be closed under out-links (see :func:`_support`).

        Only the columns (sources) of ``nodes`` are kept and their row indices renumbered: every out-link of a
        node of a closed set ends inside it, so no entry is lost (cheaper than slicing rows of a CSC matrix).
        """
        cols = self.wt[:, nodes]
        index = np.full(self.n, -1, dtype=cols.indices.dtype)
        index[nodes] = np.arange(nodes.size, dtype=cols.indices.dtype)
        wt = sp.csc_matrix((cols.data, index[cols.indices], cols.indptr), shape=(nodes.size, nodes.size))
        return Transition(wt, self.dangling[nodes])


def transition(adjacency: Graph | Transition | sp.spmatrix | sp.sparray) -> Transition:
    """The :class:`Transition` of a graph or adjacency matrix (returned as is when already one)."""
    if isinstance(adjacency, Transition):
        return adjacency
    wt, dangling = transition_matrix(adjacency.matrix if isinstance(adjacency, Graph) else adjacency)
    return Transition(wt, dangling)


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
    adjacency: Graph | Transition | sp.spmatrix | sp.sparray,
    *,
    alpha: float = DEFAULT_ALPHA,
    personalization: np.ndarray | None = None,
    dangling: np.ndarray | None = None,
    tol: float = DEFAULT_TOL,
    max_iter: int = DEFAULT_MAX_ITER,
) -> PageRankResult:
    """Run the PageRank power iteration; ``personalization`` may be ``n`` or ``n × k`` (k teleports at once).

    The k columns are one block power iteration (one sparse × dense product per step); a column stops the step
    its own L1 change falls below ``tol`` and is left out of later steps, so each column is exactly the PageRank
    that teleport alone would give. Pass a :class:`Transition` to reuse it between calls on the same graph.
    Raises :class:`InfluenceError` if it has not converged after ``max_iter`` steps.
    """
    if not 0 < alpha < 1:
        raise InfluenceError(f"alpha must be between 0 and 1, got {alpha}", where="alpha")
    t = transition(adjacency)
    n = t.n
    if n == 0:
        return PageRankResult(np.zeros(0), 0, np.zeros(0))
    one_d = personalization is None or np.asarray(personalization).ndim == 1
    p = np.full((n, 1), 1.0 / n) if personalization is None else _unit(personalization, "personalization")
    if p.shape[0] != n:
        raise InfluenceError(f"personalization has {p.shape[0]} entries for {n} nodes", where="personalization")
    d = p if dangling is None else _unit(dangling, "dangling")
    if d.shape[1] != p.shape[1]:
        d = np.repeat(d, p.shape[1], axis=1)
    sub = None
    if personalization is not None:
        sub = _support(t, p, d)
        if sub.size >= 0.8 * n:  # not worth a sub-problem
            sub = None
    res = _iterate(t, p, None if d is p else d, alpha, tol, max_iter, sub)
    return PageRankResult(res.scores[:, 0] if one_d else res.scores, res.iterations, res.error)


def _support(t: Transition, p: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Nodes whose rank can be non-zero at the fixed point: those with an in-link or teleport/dangling weight.

    Any other node receives nothing (no in-link, no teleport), so its rank is exactly 0 after one step, and the
    edges out of the support all end inside it (their targets have an in-link).
    """
    mask = t.has_in | (p > 0).any(axis=1)
    if d is not p:
        mask |= (d > 0).any(axis=1)
    return np.flatnonzero(mask)


def _iterate(
    t: Transition,
    p: np.ndarray,
    d: np.ndarray | None,
    alpha: float,
    tol: float,
    max_iter: int,
    sub: np.ndarray | None = None,
) -> PageRankResult:
    """The block power iteration on ``n × k`` teleports ``p`` (``d=None``: dangling rank follows ``p``) from the
    uniform vector; converged columns are frozen (see :func:`power_iteration`).

    ``sub``: the support (:func:`_support`). The first step runs on the whole graph, the others on the support
    only — every other node is exactly 0 from the first step on — so the iterates are those of the whole graph
    whatever superset of the support is used (one column alone or several together give the same numbers).
    """
    n, k = p.shape
    out = np.zeros(p.shape)
    err = np.full(k, np.inf)
    rows, active = np.arange(n), np.arange(k)
    wt, dangling = t.wt, np.flatnonzero(t.dangling)
    x = np.full(p.shape, 1.0 / n)
    tmp = np.empty_like(x)
    pa, da, teleport = p, d, (1 - alpha) * p if d is not None else None
    for it in range(1, max_iter + 1):
        y: np.ndarray = wt @ x if active.size > 1 else (wt @ x.ravel()).reshape(-1, 1)  # 1 column: faster matvec
        y *= alpha
        lost = alpha * x[dangling].sum(axis=0)  # the dangling nodes' rank, spread like d (or p)
        if da is None:  # dangling rank and teleport share one vector: one pass
            y += np.multiply(pa, lost + (1 - alpha), out=tmp)
        else:
            y += np.multiply(da, lost, out=tmp)
            y += teleport
        np.subtract(y, x, out=x)
        step = np.abs(x, out=x).sum(axis=0)
        err[active] = step
        x, tmp = y, x
        done = step < tol
        if done.all():
            if rows.size == n and active.size == k:
                return PageRankResult(x, it, err)
            out[np.ix_(rows, active)] = x
            return PageRankResult(out, it, err)
        keep = ~done
        if done.any():  # freeze the converged columns, go on with the others
            out[np.ix_(rows, active[done])] = x[:, done]
            active = active[keep]
        if sub is not None:  # from now on only the support can hold rank
            rows, sub_t = sub, t.restrict(sub)
            wt, dangling, sub = sub_t.wt, np.flatnonzero(sub_t.dangling), None
            keep_rows: np.ndarray | slice = rows
        else:
            keep_rows = slice(None)
        if done.any() or keep_rows is rows:
            x = np.ascontiguousarray(x[keep_rows][:, keep])
            tmp = np.empty_like(x)
            pa = np.ascontiguousarray(pa[keep_rows][:, keep])
            if da is not None and teleport is not None:
                da = np.ascontiguousarray(da[keep_rows][:, keep])
                teleport = np.ascontiguousarray(teleport[keep_rows][:, keep])
    raise InfluenceError(
        f"PageRank did not converge in {max_iter} iterations (L1 change {float(err.max()):.2e} > {tol:.0e})",
        where="pagerank",
        hint="Raise max_iter or loosen tol",
    )


def pagerank(
    graph: Graph | Transition | sp.spmatrix | sp.sparray,
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
    graph: Graph | Transition | sp.spmatrix | sp.sparray,
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
