"""PageRank and topic-sensitive PageRank on scipy.sparse, solved as a sparse linear system.

With ``W = D⁻¹A`` the row-normalised adjacency (``D`` = out-weights; rows of nodes without out-links are zero),
teleport vector ``p`` (personalization, sums to 1) and dangling vector ``d`` (where the rank of nodes without
out-links goes; default ``p``), PageRank is the fixed point of networkx's iteration::

    x = α (Wᵀ x + (δᵀx) d) + (1 − α) p,        δ = indicator of the dangling nodes

It is a linear system (Del Corso, Gullí, Romani 2005, *Fast PageRank Computation via a Sparse Linear System*,
Internet Mathematics 2(3)): with ``solve(q) = (I − αWᵀ)⁻¹ q``, ``v = solve(p)`` and ``u = solve(d)``::

    x = α c u + (1 − α) v,    c = δᵀx = (1 − α) δᵀv / (1 − α δᵀu)        (d = p:  x = v / ‖v‖₁)

``solve`` runs the Jacobi (power) series ``y = Σ_j (αWᵀ)^j q`` on the *core* only — the nodes with both an
in-link and an out-link. A node without in-links keeps ``y = q``; a node without out-links (a *leaf*) feeds
nobody, so its value follows in one product at the end: ``y_L = q_L + α Wᵀ_{L·} y``. This is the dangling-node
elimination of Langville & Meyer (2006), *A Reordering for the PageRank Problem*, SIAM J. Sci. Comput. 27(6),
and Lee, Golub & Zenios (2003), *A Fast Two-Stage Algorithm for Computing PageRank*. On interaction graphs most
accounts are leaves or pure sources, so the iteration runs on a small part of the graph.

Stopping: each step adds ``r_j = (αWᵀ_CC)^j b ≥ 0``; the series stops when the L1 change the step makes to the
normalised scores, at most ``2 (1 + α) ‖r_j‖₁ / ‖y‖₁``, is below ``tol`` — networkx's criterion (L1 change
between iterates), with ``tol`` absolute (networkx uses ``N·tol``). Both agree to the tolerance asked.

Sources: L. Page, S. Brin, R. Motwani, T. Winograd (1999), *The PageRank Citation Ranking: Bringing Order to the
Web*, Stanford InfoLab 1999-66. Topic-sensitive PageRank: T. Haveliwala (2002), *Topic-Sensitive PageRank*, WWW '02
— one PageRank per topic whose teleport vector is concentrated on the topic's pages. TwitterRank: J. Weng, E.-P. Lim,
J. Jiang, Q. He (2010), *TwitterRank: Finding Topic-sensitive Influential Twitterers*, WSDM '10 — the teleport of
topic ``t`` is proportional to each account's share of the posts on ``t`` (we use that teleport; TwitterRank's
topic-similarity transition is not used, the transition is the interaction graph's).

Several teleport vectors are solved together as the columns of one matrix (one sparse × dense product per step,
:func:`power_iteration`); each column stops on its own criterion, so a column is exactly what it gives alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from signalboost.errors import InfluenceError
from signalboost.i18n import L_
from signalboost.influence.graph import Graph

DEFAULT_ALPHA = 0.85
DEFAULT_TOL = 1e-6
DEFAULT_MAX_ITER = 500
FLOAT32_TOL = 1e-5
"""Tolerances at least this loose are iterated in float32 (its rounding is about 1e-7 relative)."""


@dataclass(frozen=True)
class PageRankResult:
    """Scores (``n`` or ``n × k``, each column sums to 1), steps run and the last step's L1 change per column."""

    scores: np.ndarray
    iterations: int
    error: np.ndarray


@dataclass(frozen=True)
class Transition:
    """A graph split for the linear-system PageRank, built once and shared by every PageRank on it.

    Nodes fall in four classes: ``core`` (in- and out-links), ``leaves`` (in-links only), ``sources`` (out-links
    only) and isolated nodes. The iteration runs on the rows ``iterated`` — the core, followed by the leaves when
    there are few of them (``folded``: no copy of the matrix is needed) — and the other leaves (``rest``) are
    computed once at the end. ``cc`` / ``cs`` are the blocks of ``Wᵀ`` (CSC, row = target, column = source) from
    the core / the sources into the iterated rows, ``lc`` / ``ls`` into ``rest``; ``dangling`` marks the nodes
    without out-weight.
    """

    n: int
    n_edges: int
    dangling: np.ndarray
    core: np.ndarray
    iterated: np.ndarray
    rest: np.ndarray
    sources: np.ndarray
    cc: sp.csc_matrix
    cs: sp.csc_matrix
    lc: sp.csc_matrix
    ls: sp.csc_matrix

    @property
    def leaves(self) -> np.ndarray:
        """The nodes with in-links and no out-links."""
        return np.concatenate([self.iterated[self.core.size :], self.rest])


FOLD_LEAVES = 0.05
"""Leaves are iterated with the core (no copy of the matrix) when there are at most this share of the core."""


def transition_from_edges(src: np.ndarray, dst: np.ndarray, weights: np.ndarray | None, n: int) -> Transition:
    """The :class:`Transition` of the graph with edges ``src[i] → dst[i]`` of weight ``weights[i]`` on ``n`` nodes.

    Parallel edges are summed; edges with a non-positive weight are left out (self-loops are kept: drop them
    before if they are not wanted). The nodes are renumbered core, leaves, sources, isolated, and ``Wᵀ`` is built
    once as a CSC matrix — canonical (sorted, summed) when weighted; unweighted, left unsorted, which gives the
    same products bit for bit — so the same edges in any order give the same numbers. Its column ranges are the
    blocks (cut at the first leaf row when the leaves are not folded into the iteration).
    """
    src, dst = np.asarray(src), np.asarray(dst)
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    if w is not None and (w <= 0).any():
        keep = w > 0
        src, dst, w = src[keep], dst[keep], w[keep]
    index = np.int32 if n < 2**31 - 1 else np.int64
    if w is None:
        has_out = np.zeros(n, dtype=bool)
        has_out[src] = True  # the out-degrees follow from the matrix's columns (_unweighted)
    else:
        out = np.bincount(src, weights=w, minlength=n).astype(np.float64, copy=False)
        has_out = out > 0
    has_in = np.zeros(n, dtype=bool)
    has_in[dst] = True  # a scatter: bincount would first copy int32 ends to int64
    core, leaves, sources = (np.flatnonzero(m) for m in (has_in & has_out, has_in & ~has_out, has_out & ~has_in))
    c, h = core.size, core.size + leaves.size
    order = np.concatenate([core, leaves, sources, np.flatnonzero(~has_in & ~has_out)])
    new = np.empty(n, dtype=index)
    new[order] = np.arange(n, dtype=index)
    if w is None:
        wt = _unweighted(new[dst], new[src], n)
    else:
        inv_out = np.divide(1.0, out, out=np.zeros(n), where=has_out)
        prob = w * inv_out[src]  # W = D⁻¹A
        del w
        wt = sp.coo_matrix((prob, (new[dst], new[src])), shape=(n, n), dtype=np.float64).tocsc()
        del prob
    if leaves.size <= FOLD_LEAVES * c:
        cc, lc = _columns(wt, 0, c, h), sp.csc_matrix((0, c))
        cs, ls = _columns(wt, h, h + sources.size, h), sp.csc_matrix((0, sources.size))
        iterated, rest = order[:h], leaves[:0]
    else:
        cc, lc = _split_rows(wt, 0, c, c, h)  # every target is core or leaf: rows [0, c) and [c, h)
        cs, ls = _split_rows(wt, h, h + sources.size, c, h)
        iterated, rest = core, leaves
    return Transition(n, int(wt.nnz), ~has_out, core, iterated, rest, sources, cc, cs, lc, ls)


def _unweighted(rows: np.ndarray, cols: np.ndarray, n: int) -> sp.csc_matrix:
    """``Wᵀ = (D⁻¹A)ᵀ`` as CSC for unit-weight edges ``cols[i] → rows[i]`` (renumbered): the pattern is built from
    one-byte entries and each column then filled with ``1 / out-degree``, the degree being the column's number of
    entries — no float64 array of ``1/out`` gathered per edge, no int64 copy of the ends to count them.

    Every entry of a column (one source) holds the same ``1/out``, so a product does not depend on the order of a
    column's entries, bit for bit — each target receives one term per entry, in column order — and repeated pairs
    add the same value whatever the order. The columns are left unsorted and repeats unsummed (scipy is told the
    entries are canonical), which saves sorting every entry of a large graph.
    """
    entries = sp.coo_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n, n))
    entries.has_canonical_format = True
    pattern = entries.tocsc()
    del entries
    degree = np.diff(pattern.indptr)
    inv_out = np.divide(1.0, degree, out=np.zeros(n), where=degree > 0)
    return sp.csc_matrix((np.repeat(inv_out, degree), pattern.indices, pattern.indptr), shape=(n, n), copy=False)


def _columns(wt: sp.csc_matrix, first: int, stop: int, rows: int) -> sp.csc_matrix:
    """Columns ``[first, stop)`` of ``wt``, whose entries all sit in rows ``< rows`` (views of its arrays)."""
    lo, hi = int(wt.indptr[first]), int(wt.indptr[stop])
    indptr = wt.indptr[first : stop + 1] - lo
    return sp.csc_matrix((wt.data[lo:hi], wt.indices[lo:hi], indptr), shape=(rows, stop - first), copy=False)


def _split_rows(wt: sp.csc_matrix, first: int, stop: int, c: int, h: int) -> tuple[sp.csc_matrix, sp.csc_matrix]:
    """Columns ``[first, stop)`` of ``wt`` (whose rows are all ``< h``) cut at row ``c``: rows ``[0, c)`` and rows
    ``[c, h)`` renumbered from 0. The entries are selected by a mask, which keeps every column's entries together
    in their order (sorted or not)."""
    lo, hi = int(wt.indptr[first]), int(wt.indptr[stop])
    indptr = wt.indptr[first : stop + 1] - lo
    rows, data = wt.indices[lo:hi], wt.data[lo:hi]
    top = rows < c
    top_ptr = np.concatenate(([0], np.cumsum(top, dtype=indptr.dtype)))[indptr]
    upper = sp.csc_matrix((data[top], rows[top], top_ptr), shape=(c, stop - first))
    lower = sp.csc_matrix((data[~top], rows[~top] - c, indptr - top_ptr), shape=(h - c, stop - first))
    return upper, lower


def transition(adjacency: Graph | Transition | sp.spmatrix | sp.sparray) -> Transition:
    """The :class:`Transition` of a graph or adjacency matrix (row = source; returned as is when already one)."""
    if isinstance(adjacency, Transition):
        return adjacency
    a = sp.csr_matrix(adjacency.matrix if isinstance(adjacency, Graph) else adjacency, dtype=np.float64)
    if a.shape[0] != a.shape[1]:
        raise InfluenceError(
            L_("the adjacency matrix is {rows} × {columns}, not square", rows=a.shape[0], columns=a.shape[1]),
            where="adjacency",
        )
    if a.nnz and (a.data < 0).any():
        raise InfluenceError(
            L_("edge weights must be non-negative"),
            where="adjacency",
            hint=L_("Interaction weights come from strategy.yaml influence.interaction_weights: use values ≥ 0"),
        )
    src = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
    return transition_from_edges(src, a.indices, a.data, a.shape[0])


def column_sums(matrix: np.ndarray) -> np.ndarray:
    """The column sums of an ``n × k`` array as one BLAS product ``1ᵀ M`` (a numpy ``sum(axis=0)`` over a
    C-ordered array walks it row by row, several times slower)."""
    sums: np.ndarray = np.ones(matrix.shape[0], dtype=matrix.dtype) @ matrix
    return sums


def _unit(vector: np.ndarray, name: str, *, in_place: bool = False, dtype: type = np.float64) -> np.ndarray:
    """``vector`` (``n`` or ``n × k``) as ``n × k`` columns of ``dtype`` summing to 1; divided in place when
    ``in_place`` and ``vector`` is already an array of ``dtype``."""
    v: np.ndarray = np.asarray(vector, dtype=dtype)
    if v.ndim == 1:
        v = v[:, None]
    total = column_sums(v)  # NaN or ±inf anywhere makes its column's sum non-finite
    if not np.isfinite(total).all() or (v.size and v.min() < 0):
        raise InfluenceError(
            L_("the {name} vector has negative or non-finite entries", name=name),
            where=name,
            hint=L_("Give every node a finite weight ≥ 0 (e.g. a count of posts)"),
        )
    if (total <= 0).any():
        raise InfluenceError(
            L_("the {name} vector is all zeros", name=name),
            where=name,
            hint=L_("Give at least one node a positive weight (for a topic: at least one account posting on it)"),
        )
    if in_place and v is vector:
        v /= total
        return v
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
    overwrite_personalization: bool = False,
) -> PageRankResult:
    """PageRank for ``personalization`` ``n`` or ``n × k`` (k teleports at once); see the module docstring.

    The k columns are one block iteration (one sparse × dense product per step); a column stops the step its own
    criterion is met and is left out of later steps, so each column is exactly the PageRank that teleport alone
    gives. Pass a :class:`Transition` to reuse it between calls on the same graph. Scores are float64, or float32
    when ``tol ≥`` :data:`FLOAT32_TOL` (its rounding, about 1e-7 relative, is far below such a tolerance; half the
    memory traffic). With ``overwrite_personalization`` a ``personalization`` of that type is used as working
    memory (it is overwritten). Raises :class:`InfluenceError` if it has not converged after ``max_iter`` steps.
    """
    if not 0 < alpha < 1:
        raise InfluenceError(
            L_("alpha must be between 0 and 1, got {alpha}", alpha=alpha),
            where="alpha",
            hint=L_("Use a damping factor such as 0.85"),
        )
    t = transition(adjacency)
    n = t.n
    if n == 0:
        return PageRankResult(np.zeros(0), 0, np.zeros(0))
    one_d = personalization is None or np.asarray(personalization).ndim == 1
    dtype = np.float32 if tol >= FLOAT32_TOL else np.float64
    p = (
        np.full((n, 1), 1.0 / n, dtype=dtype)
        if personalization is None
        else _unit(personalization, "personalization", in_place=overwrite_personalization, dtype=dtype)
    )
    if p.shape[0] != n:
        raise InfluenceError(
            L_("personalization has {size} entries for {n} nodes", size=p.shape[0], n=n), where="personalization"
        )
    k = p.shape[1]
    if dangling is None:
        scores, iterations, err = solve(t, p, alpha=alpha, tol=tol, max_iter=max_iter)
        scores /= column_sums(scores)
    else:
        d = _unit(dangling, "dangling", dtype=dtype)
        if d.shape[0] != n:
            raise InfluenceError(
                L_("dangling has {size} entries for {n} nodes", size=d.shape[0], n=n), where="dangling"
            )
        d = np.repeat(d, k, axis=1) if d.shape[1] != k else d
        both, iterations, err = solve(t, np.hstack([p, d]), alpha=alpha, tol=tol, max_iter=max_iter)
        v, u = both[:, :k], both[:, k:]
        c = (1 - alpha) * v[t.dangling].sum(axis=0) / (1 - alpha * u[t.dangling].sum(axis=0))
        scores = alpha * c * u + (1 - alpha) * v
        scores /= column_sums(scores)
        err = np.maximum(err[:k], err[k:])
    return PageRankResult(scores[:, 0] if one_d else scores, iterations, err)


def solve(
    t: Transition, q: np.ndarray, *, alpha: float, tol: float, max_iter: int
) -> tuple[np.ndarray, int, np.ndarray]:
    """``y = (I − αWᵀ)⁻¹ q`` for ``n × k`` non-negative ``q`` (columns summing to 1): ``(y, steps, last change)``;
    ``y`` is written over ``q`` (and has its type: float32 only for a tolerance ``≥`` :data:`FLOAT32_TOL`).

    Sources and isolated nodes keep ``q``; the iterated rows ``I`` (core, maybe leaves) solve
    ``y_I = b + α Wᵀ_IC y_C`` with ``b = q_I + α Wᵀ_IS q_S`` by the Jacobi iteration from ``y⁰ = μ b``,
    ``μ = 1 / (1 − α κ)`` where ``κ = ‖(Wᵀ_IC b_C)_C‖₁ / ‖b_C‖₁`` is the share of the core's ``b`` that stays in
    the core for a step: the mass ``y`` will have if that share held, so the iteration converges at the graph's
    mixing rate (like the power method from a probability vector) rather than at ``α`` (the Neumann series from
    ``0``). The other leaves get ``q_L + α (Wᵀ_LC y_C + Wᵀ_LS q_S)`` at the end.
    """
    k = q.shape[1]
    y = q
    c = t.core.size
    q_s = q[t.sources]
    q_i = q[t.iterated]
    # A loose tolerance is met far above float32's rounding (~1e-7 relative): iterate in float32 then, half the
    # memory traffic. The products of the last step below are float64 either way.
    dtype = np.float32 if tol >= FLOAT32_TOL else np.float64
    from_sources = t.cs @ q_s  # constant: used by the first and the last step
    b = (q_i + alpha * from_sources).astype(dtype, copy=False)
    # α goes into the matrix when it is copied to float32 anyway; a float64 matrix is not copied (it may hold
    # tens of millions of entries): its products are scaled instead.
    copied = dtype != t.cc.dtype
    cc = (
        sp.csc_matrix((t.cc.data * alpha, t.cc.indices, t.cc.indptr), shape=t.cc.shape, dtype=dtype) if copied else t.cc
    )

    def step(v: np.ndarray) -> np.ndarray:
        product: np.ndarray = cc @ v[:c] if v.shape[1] > 1 else (cc @ v[:c].ravel()).reshape(-1, 1)  # 1: matvec
        if not copied:
            product *= alpha
        return product

    err = np.zeros(k)
    steps = 0
    y_i = b
    if c:
        mb = step(b)
        kept = b[:c].sum(axis=0)
        kappa = np.divide(mb[:c].sum(axis=0), alpha * kept, out=np.zeros(k), where=kept > 0)
        mu = 1.0 / (1.0 - alpha * np.minimum(kappa, 1.0))
        y_i = b * mu
        r = b + mb * mu - y_i  # y¹ − y⁰
        del mb
        outside = 1.0 - column_sums(q_i)  # ‖y‖₁ ≥ ‖y_I‖₁ + the teleport mass outside the iterated rows
        scale = 2 * (1 + alpha)
        active = np.arange(k)
        mass = y_i.sum(axis=0, dtype=np.float64)
        ones = np.ones(y_i.shape[0], dtype=dtype)  # column sums as BLAS products: much faster than axis-0 sums
        magnitude = np.empty_like(r)
        while True:
            steps += 1
            if active.size == k:
                y_i += r
            else:
                y_i[:, active] += r
            mass[active] += ones @ r  # y_I ≥ 0, so its L1 norm is its sum
            if magnitude.shape != r.shape:
                magnitude = np.empty_like(r)
            change = scale * (ones @ np.abs(r, out=magnitude)) / (mass[active] + outside[active])
            err[active] = change
            done = change < tol
            if done.all():
                break
            if steps >= max_iter:
                raise InfluenceError(
                    L_(
                        "PageRank did not converge in {max_iter} iterations (L1 change {change:.2e} > {tol:.0e})",
                        max_iter=max_iter,
                        change=float(change.max()),
                        tol=tol,
                    ),
                    where="pagerank",
                    hint=L_("Raise max_iter or loosen tol"),
                )
            if done.any():
                active, r = active[~done], np.ascontiguousarray(r[:, ~done])
            r = step(r)
    # One last Jacobi step written the same way for every node that has in-links — q + α (from core + from
    # sources) — so accounts whose rank is equal by structure get the same float whatever their class (a core
    # node and a leaf fed alike tie, as in the power method), and the error shrinks once more.
    y_c = np.ascontiguousarray(y_i[:c], dtype=np.float64)
    y[t.iterated] = q_i + alpha * (t.cc @ y_c + from_sources)
    y[t.rest] += alpha * (t.lc @ y_c + t.ls @ q_s)
    return y, steps, err


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
