"""The plain data the influence algorithms take: canonical frames of one platform, checked and normalised.

Columns are those of ``store/migrations/001_core.sql``; only the ones used here are required, and a missing
table is an empty frame. Nothing here touches the database (see :mod:`signalboost.store.influence_sql`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from signalboost.errors import InfluenceError
from signalboost.i18n import L_
from signalboost.influence.graph import index_in, node_ids

SCHEMAS: dict[str, dict[str, pl.DataType | type[pl.DataType]]] = {
    "accounts": {
        "account_id": pl.String,
        "handle": pl.String,
        "name": pl.String,
        "followers": pl.Int64,
        "posts_count": pl.Int64,
        "is_brand": pl.Boolean,
    },
    "follows": {"follower_id": pl.String, "followee_id": pl.String, "active": pl.Boolean},
    "interactions": {
        "actor_id": pl.String,
        "kind": pl.String,
        "target_post_id": pl.String,
        "target_account_id": pl.String,
        "occurred_at": pl.Datetime("us", "UTC"),
        "weight": pl.Float64,
    },
    "posts": {
        "post_id": pl.String,
        "author_id": pl.String,
        "created_at": pl.Datetime("us", "UTC"),
        "format": pl.String,
        "hashtags": pl.List(pl.String),
        "pillars": pl.List(pl.String),
        "likes": pl.Int64,
        "comments": pl.Int64,
        "shares": pl.Int64,
    },
}
"""``posts.likes/comments/shares``: the post's latest metrics snapshot (NULL = not reported)."""
REQUIRED: dict[str, tuple[str, ...]] = {
    "accounts": ("account_id",),
    "follows": ("follower_id", "followee_id"),
    "interactions": ("actor_id", "kind"),
    "posts": ("post_id", "author_id"),
}
KINDS = ("repost", "quote", "reply", "mention", "like")


def empty(table: str) -> pl.DataFrame:
    """An empty frame with the columns of ``table``."""
    return pl.DataFrame(schema=SCHEMAS[table])


def conform(table: str, frame: pl.DataFrame | None) -> pl.DataFrame:
    """``frame`` with exactly the columns of ``table`` (optional ones added as nulls), cast to their types."""
    if frame is None:
        return empty(table)
    missing = [c for c in REQUIRED[table] if c not in frame.columns]
    if missing:
        raise InfluenceError(
            L_("the {table} frame lacks column(s) {choices}", table=table, choices=", ".join(missing)),
            where=f"{table}: columns {', '.join(frame.columns) or '(none)'}",
            hint=L_("Pass frames with the canonical columns of store/migrations/001_core.sql"),
        )
    cols: list[pl.Series] = []
    for name, dtype in SCHEMAS[table].items():
        if name in frame.columns:
            src = frame[name]
            if isinstance(dtype, pl.Datetime) and isinstance(src.dtype, pl.Datetime) and src.dtype.time_zone is None:
                src = src.dt.replace_time_zone("UTC")
            cols.append(src.cast(dtype).alias(name))
        else:
            default: Any = {"weight": 1.0, "active": True, "is_brand": False}.get(name)
            cols.append(pl.repeat(default, frame.height, dtype=dtype, eager=True).alias(name))
    return pl.DataFrame(cols)


@dataclass(frozen=True)
class InfluenceData:
    """The canonical frames of one platform, with every account id encoded once as an index into ``nodes``.

    Build with :meth:`from_frames`. Added columns: ``accounts.ix``, ``follows.src/dst``, ``interactions.src/dst``
    (``dst`` is -1 when the target account is unknown; a post target is resolved to its author) and
    ``posts.ix``. ``nodes[i]`` is the account id of index ``i``.
    """

    platform: str
    nodes: pl.Series
    accounts: pl.DataFrame
    follows: pl.DataFrame
    interactions: pl.DataFrame
    posts: pl.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of accounts."""
        return int(self.nodes.len())

    @classmethod
    def from_frames(
        cls,
        platform: str = "x",
        *,
        accounts: pl.DataFrame | None = None,
        follows: pl.DataFrame | None = None,
        interactions: pl.DataFrame | None = None,
        posts: pl.DataFrame | None = None,
    ) -> InfluenceData:
        """Check and normalise the frames (missing tables are empty; inactive follows are dropped)."""
        fol = conform("follows", follows)
        if fol["active"].null_count() or not fol["active"].all():
            fol = fol.filter(pl.col("active").fill_null(True))
        inter = conform("interactions", interactions)
        bad = sorted(set(inter["kind"].unique().drop_nulls().to_list()) - set(KINDS))
        if bad:
            raise InfluenceError(
                L_("unknown interaction kind(s) {choices}", choices=", ".join(map(repr, bad))),
                where="interactions.kind",
                hint=L_("Use one of: {choices}", choices=", ".join(KINDS)),
            )
        acc, pst = conform("accounts", accounts), conform("posts", posts)
        inter = _resolve_targets(inter, pst)
        cols = [
            acc["account_id"],
            fol["follower_id"],
            fol["followee_id"],
            inter["actor_id"],
            inter["target_account_id"],
            pst["author_id"],
        ]
        nodes, codes = encode_ids(cols)
        return cls(
            platform=platform,
            nodes=nodes,
            accounts=acc.with_columns(pl.Series("ix", codes[0])),
            follows=fol.with_columns(pl.Series("src", codes[1]), pl.Series("dst", codes[2])),
            interactions=inter.with_columns(pl.Series("src", codes[3]), pl.Series("dst", codes[4])),
            posts=pst.with_columns(pl.Series("ix", codes[5])),
        )

    def index(self, account_id: str | None) -> int:
        """The index of ``account_id`` (-1 when it is not in the data)."""
        if account_id is None:
            return -1
        found = self.nodes.index_of(account_id)
        return -1 if found is None else int(found)

    def edges(self) -> pl.DataFrame:
        """Interactions whose actor and target accounts are known (``src → dst``); computed once per instance."""
        cached = self.__dict__.get("_edges")
        if cached is None:
            cached = self.interactions.filter((pl.col("dst") >= 0) & (pl.col("src") >= 0))
            object.__setattr__(self, "_edges", cached)  # frozen dataclass: a cache, not a field
        return cached

    def time_range(self) -> tuple[dt.datetime, dt.datetime] | None:
        """First and last timestamp of interactions and posts (None when there are none)."""
        stamps = pl.concat([self.interactions["occurred_at"].drop_nulls(), self.posts["created_at"].drop_nulls()])
        if stamps.len() == 0:
            return None
        lo, hi = stamps.min(), stamps.max()
        assert isinstance(lo, dt.datetime) and isinstance(hi, dt.datetime)
        return lo, hi


def _resolve_targets(inter: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """Fill ``target_account_id`` from the target post's author where it is empty."""
    inter = inter.with_columns(pl.col("target_account_id").fill_null(""), pl.col("target_post_id").fill_null(""))
    if posts.height == 0 or inter.height == 0:
        return inter
    unresolved = inter.select(((pl.col("target_account_id") == "") & (pl.col("target_post_id") != "")).any()).item()
    if not unresolved:  # every row names its target account (or names no post): nothing to look up
        return inter
    authors = posts.select(pl.col("post_id").alias("target_post_id"), pl.col("author_id").alias("_author"))
    joined = inter.join(authors, on="target_post_id", how="left", maintain_order="left")
    return joined.with_columns(
        pl.when(pl.col("target_account_id") == "")
        .then(pl.col("_author").fill_null(""))
        .otherwise(pl.col("target_account_id"))
        .alias("target_account_id")
    ).drop("_author")


_LOWEST = np.array([-1, 0] + [10 ** (k - 1) for k in range(2, 20)], dtype=np.int64)
"""``_LOWEST[L]``: the smallest value a canonical decimal of ``L`` digits has (``L = 0``: missing, value -1)."""


def _numeric(columns: list[pl.Series]) -> list[pl.Series] | None:
    """The columns as Int64 series without nulls (missing = -1) when every id is a canonical decimal integer
    (digits only, no sign, no leading zero, fits in 63 bits), else None — so the integer round-trips to exactly the
    same string. The series keep the chunks Polars parsed them in (see :func:`_chunks`).

    Polars parses an optional sign and leading zeros; a string of ``L`` bytes is canonical exactly when it parses
    to a value ``≥ _LOWEST[L]`` (``+7``, ``-0``, ``007`` and anything unparsable fall below). Parsing and the
    check run in Polars, the columns in parallel (one lazy query each, collected together).
    """
    lowest = pl.lit(pl.Series(_LOWEST))
    queries = [
        c.cast(pl.String)
        .rename("id")
        .to_frame()
        .lazy()
        .with_columns(pl.col("id").cast(pl.Int64, strict=False).fill_null(-1).alias("value"))
        .select(
            "value",
            (pl.col("value") >= lowest.gather(pl.col("id").str.len_bytes().fill_null(0).clip(0, 19)))
            .all()
            .alias("canonical"),
        )
        for c in columns
    ]
    frames = pl.collect_all(queries)
    if not all(frame.height == 0 or frame["canonical"][0] for frame in frames):
        return None
    return [frame["value"] for frame in frames]


def _chunks(values: pl.Series) -> list[np.ndarray]:
    """The chunks of an Int64 series without nulls as numpy views (no copy: ``to_numpy`` of a series in several
    chunks — a parse of a Parquet column has one per row group — would concatenate them into a new array)."""
    return [chunk.to_numpy() for chunk in values.get_chunks()]


def encode_ids(columns: list[pl.Series]) -> tuple[pl.Series, list[np.ndarray]]:
    """Encode id columns at once: ``(ids, codes)`` with ``ids`` the distinct ids (nulls and ``""`` dropped) and
    ``codes[k][j]`` the index of ``columns[k][j]`` in ``ids`` (-1 for a missing id).

    Ids that are all decimal integers (X, Mastodon, SNAP) are encoded numerically and ordered by value — about
    ten times faster than hashing strings; otherwise ids are sorted as strings. Either way the order depends only
    on the set of ids, never on row order (determinism).
    """
    parsed = _numeric(columns)
    if parsed is None:
        ids = node_ids(*columns)
        return ids, [index_in(ids, c) for c in columns]
    top = max((int(c.max()) for c in parsed if c.len()), default=-1)  # type: ignore[arg-type]
    total = sum(c.len() for c in parsed)
    if top < 0:
        return pl.Series("id", [], dtype=pl.String), [np.full(c.len(), -1, dtype=np.int64) for c in parsed]
    if top < 64 * total + 1024:  # dense ids: a lookup table beats sorting
        chunks = [_chunks(c) for c in parsed]
        present = np.zeros(top + 2, dtype=bool)  # the last slot is where -1 (missing) lands
        for part in itertools.chain.from_iterable(chunks):
            present[part] = True
        present[-1] = False
        uniq = np.flatnonzero(present)
        lut = np.cumsum(present, dtype=np.int32 if top < 2**31 - 2 else np.int64) - 1
        lut[-1] = -1  # so lut[-1] maps a missing id to -1
        codes = [_lookup(lut, parts) for parts in chunks]
    else:
        ints = [c.to_numpy() for c in parsed]
        allv = np.concatenate(ints)
        uniq = np.unique(allv[allv >= 0])
        codes = [np.where(c >= 0, np.searchsorted(uniq, np.maximum(c, 0)), -1) for c in ints]
    ids = pl.Series("id", uniq).cast(pl.String)
    return ids, codes


def _lookup(lut: np.ndarray, parts: list[np.ndarray]) -> np.ndarray:
    """``lut[concatenate(parts)]`` written chunk by chunk into one array (indices lie in ``[-1, lut.size)``, so
    ``take``'s wrap mode is plain indexing, -1 included, without a bounds-checked buffer)."""
    out = np.empty(sum(p.size for p in parts), dtype=lut.dtype)
    at = 0
    for part in parts:
        np.take(lut, part, out=out[at : at + part.size], mode="wrap")
        at += part.size
    return out


def kind_weights(weights: Mapping[str, float]) -> pl.Expr:
    """An expression mapping ``kind`` to its weight (unknown kinds: 0)."""
    mapping = {str(k): float(v) for k, v in weights.items()}
    return pl.col("kind").replace_strict(mapping, default=0.0, return_dtype=pl.Float64)
