"""Directed weighted graphs as scipy CSR matrices with an id <-> index mapping.

Rows are sources, columns are targets: ``A[i, j]`` is the total weight of the edges ``ids[i] -> ids[j]``
(parallel edges are summed, as networkx's ``to_scipy_sparse_array`` does for a MultiDiGraph).
Ids are kept sorted, so the same edges always give the same matrix whatever their order (determinism).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
import scipy.sparse as sp

from signalboost.errors import InfluenceError
from signalboost.i18n import L_


@dataclass(frozen=True)
class Graph:
    """A directed weighted graph: ``matrix`` (n × n CSR, row = source) over the sorted account ``ids``."""

    ids: pl.Series
    matrix: sp.csr_matrix

    @property
    def n(self) -> int:
        """Number of nodes."""
        return int(self.ids.len())

    @property
    def n_edges(self) -> int:
        """Number of distinct (source, target) pairs."""
        return int(self.matrix.nnz)

    def index_of(self, ids: Iterable[str]) -> np.ndarray:
        """Indices of ``ids`` (``-1`` for ids that are not nodes of the graph)."""
        values = pl.Series(list(ids))
        return index_in(self.ids, values if self.ids.dtype.is_integer() else values.cast(pl.String))

    def out_weight(self) -> np.ndarray:
        """Total outgoing weight per node."""
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    def in_weight(self) -> np.ndarray:
        """Total incoming weight per node (weighted in-degree)."""
        return np.asarray(self.matrix.sum(axis=0)).ravel()


def node_ids(*columns: pl.Series | Sequence[str] | None) -> pl.Series:
    """The sorted distinct ids of all ``columns``; nulls and empty strings dropped.

    Integer columns stay integers (mapping them is ~10× cheaper than mapping strings); mixed inputs become strings.
    """
    parts = [pl.Series(c) for c in columns if c is not None and len(c) > 0]
    if not parts:
        return pl.Series("id", [], dtype=pl.String)
    if not all(p.dtype.is_integer() for p in parts):
        parts = [p.cast(pl.String) for p in parts]
    else:
        parts = [p.cast(pl.Int64) for p in parts]
    ids = pl.concat(parts).drop_nulls().unique().sort()
    if ids.dtype == pl.String:
        ids = ids.filter(ids != "")
    return ids.rename("id")


def index_in(ids: pl.Series, values: pl.Series) -> np.ndarray:
    """Positions of ``values`` in the distinct ``ids`` (``-1`` where absent), as int64.

    Integer ids must be sorted (binary search); string ids may be in any order (a Polars Enum over them).
    """
    if ids.len() == 0:
        return np.full(values.len(), -1, dtype=np.int64)
    if ids.dtype.is_integer() and values.dtype.is_integer():
        keys = ids.cast(pl.Int64).to_numpy()
        vals = values.cast(pl.Int64).fill_null(np.iinfo(np.int64).min).to_numpy()
        pos = np.searchsorted(keys, vals)
        pos_c = np.minimum(pos, len(keys) - 1)
        return np.where(keys[pos_c] == vals, pos_c, -1).astype(np.int64)
    codes = values.cast(pl.String).cast(_enum(ids), strict=False).to_physical()
    return codes.cast(pl.Int64).fill_null(-1).to_numpy()


_ENUMS: list[tuple[pl.Series, pl.Enum]] = []


def _enum(ids: pl.Series) -> pl.Enum:
    """The Enum dtype over ``ids``, cached for the last few node lists (building it is the costly part)."""
    for series, enum in _ENUMS:
        if series is ids:
            return enum
    enum = pl.Enum(ids.cast(pl.String))
    _ENUMS.insert(0, (ids, enum))
    del _ENUMS[4:]
    return enum


def build_graph(
    edges: pl.DataFrame,
    *,
    source: str = "source",
    target: str = "target",
    weight: str | None = "weight",
    nodes: pl.Series | None = None,
    self_loops: bool = False,
) -> Graph:
    """Build a :class:`Graph` from an edge frame.

    ``weight=None`` gives every edge weight 1. ``nodes``: the node ids (sorted, distinct, e.g. from
    :func:`node_ids`); by default the ids found in the edges. Edges whose ends are not in ``nodes`` are an error.
    Self-loops are dropped unless ``self_loops=True`` (a retweet of oneself is not an endorsement).
    Negative or missing weights raise :class:`InfluenceError`.
    """
    for col in (source, target) + ((weight,) if weight else ()):
        if col not in edges.columns:
            raise InfluenceError(
                L_("the edge frame has no column {col!r}", col=col),
                where=f"columns: {', '.join(edges.columns) or '(none)'}",
                hint=L_("Pass source=, target= and weight= naming the frame's columns"),
            )
    src = edges[source]
    dst = edges[target]
    if nodes is None:
        nodes = node_ids(src, dst)
    w = np.ones(edges.height) if weight is None else edges[weight].cast(pl.Float64).to_numpy()
    if edges.height and (np.isnan(w).any() or (w < 0).any()):
        raise InfluenceError(
            L_("edge weights must be non-negative numbers"),
            where=f"column {weight!r}",
            hint=L_("Check the interaction weights in strategy.yaml (influence.interaction_weights)"),
        )
    rows = index_in(nodes, src)
    cols = index_in(nodes, dst)
    if (rows < 0).any() or (cols < 0).any():
        raise InfluenceError(
            L_("some edges name accounts outside the node list"),
            where=f"{int((rows < 0).sum() + (cols < 0).sum())} edge ends",
            hint=L_("Build the node list from every id column (signalboost.influence.graph.node_ids)"),
        )
    keep = (rows != cols) if not self_loops else np.ones(len(rows), dtype=bool)
    keep &= w > 0
    n = int(nodes.len())
    matrix = sp.csr_matrix((w[keep], (rows[keep], cols[keep])), shape=(n, n), dtype=np.float64)
    matrix.sum_duplicates()
    matrix.sort_indices()
    return Graph(ids=nodes, matrix=matrix)


def clean_codes(
    src: np.ndarray, dst: np.ndarray, weights: np.ndarray | None = None, *, self_loops: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Encoded edges ``(src, dst, weight)`` without rows that have a negative end, a non-positive weight or —
    unless ``self_loops`` — equal ends (``weights=None``, every edge weighs 1, stays None)."""
    keep = (src >= 0) & (dst >= 0)
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)
        keep &= weights > 0
    if not self_loops:
        keep &= src != dst
    if keep.all():
        return src, dst, weights
    return src[keep], dst[keep], None if weights is None else weights[keep]


def graph_from_codes(
    src: np.ndarray, dst: np.ndarray, ids: pl.Series, weights: np.ndarray | None = None, *, self_loops: bool = False
) -> Graph:
    """A :class:`Graph` over ``ids`` from encoded edge ends (indices into ``ids``; rows with a negative end,
    a non-positive weight or — unless ``self_loops`` — equal ends are left out)."""
    src, dst, w = clean_codes(src, dst, weights, self_loops=self_loops)
    n = int(ids.len())
    w = np.ones(len(src)) if w is None else w
    matrix = sp.csr_matrix((w, (src, dst)), shape=(n, n), dtype=np.float64)
    matrix.sum_duplicates()
    return Graph(ids=ids, matrix=matrix)
